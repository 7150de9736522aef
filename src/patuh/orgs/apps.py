from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "patuh.orgs"
    verbose_name = "Organisasi"
