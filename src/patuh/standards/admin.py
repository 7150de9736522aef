from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from patuh.assessments.admin import ReadOnlyAdmin
from patuh.standards.models import ServiceStandard


@admin.register(ServiceStandard)
class ServiceStandardAdmin(ReadOnlyAdmin):
    """Written only by the audited verbs in ``patuh.standards.services``."""

    list_display = ("product", "product_unit", "version", "status", "adopted_on", "published_at")
    list_filter = ("status", "product__unit__type")
    search_fields = (
        "product__name",
        "product__unit__name",
        "product__unit__government__name",
    )
    list_select_related = ("product__unit__government",)
    raw_id_fields = ("product", "created_by")

    @admin.display(description=_("Unit"), ordering="product__unit__name")
    def product_unit(self, obj):
        return obj.product.unit
