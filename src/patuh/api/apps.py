from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "patuh.api"
    label = "api"
    verbose_name = "API"

    def ready(self) -> None:
        # Registers the OpenAPI description of the token scheme before any schema is built.
        from patuh.api import schema  # noqa: F401
