from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "patuh.core"
    verbose_name = "Patuh"

    def ready(self) -> None:
        from patuh.core import checks  # noqa: F401  (registers the deployment checks)
