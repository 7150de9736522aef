from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "patuh.api"
    label = "api"
    verbose_name = "API"
