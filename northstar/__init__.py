"""Northstar: confidential case intake, eligibility screening and referrals."""

from northstar.celery import app as celery_app

__all__ = ["celery_app"]
