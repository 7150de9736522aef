from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "patuh.accounts"
    verbose_name = "Akun dan peran"
