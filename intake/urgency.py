"""Urgency level from detention risk and removal date (recomputed nightly as dates approach)."""

from __future__ import annotations

import datetime

from intake.models import Urgency

CRITICAL_DAYS = 7
URGENT_DAYS = 30


def urgency_for(detention_risk: str | None, removal_date: datetime.date | None,
                today: datetime.date) -> Urgency:
    days_left = (removal_date - today).days if removal_date else None
    if detention_risk == "detained" or (days_left is not None and days_left <= CRITICAL_DAYS):
        return Urgency.CRITICAL
    if detention_risk == "high" or (days_left is not None and days_left <= URGENT_DAYS):
        return Urgency.URGENT
    if detention_risk == "low" or days_left is not None:
        return Urgency.SOON
    return Urgency.ROUTINE
