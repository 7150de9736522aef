from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LockerConfig(AppConfig):
    name = "patuh.locker"
    verbose_name = _("Dokumen unit")
