"""Django admin registrations of the referrals app."""

from referrals import admin_directory  # noqa: F401  (registers the directory models)
