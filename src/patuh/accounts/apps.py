from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "patuh.accounts"
    verbose_name = "Akun dan peran"

    def ready(self) -> None:
        from patuh.accounts import signals  # noqa: F401  (connects the login audit)
