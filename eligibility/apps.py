from django.apps import AppConfig


class EligibilityConfig(AppConfig):
    name = "eligibility"
    label = "eligibility"
