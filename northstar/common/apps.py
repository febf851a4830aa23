from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "northstar.common"
    label = "common"
    verbose_name = "Common"
