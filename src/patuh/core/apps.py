from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "patuh.core"
    verbose_name = "Patuh"
