from django.contrib import admin

from patuh.orgs.models import Government, Province, ServiceProduct, ServiceUnit


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ("region_code", "name")
    search_fields = ("region_code", "name")


@admin.register(Government)
class GovernmentAdmin(admin.ModelAdmin):
    list_display = ("region_code", "name", "kind", "province", "code_system")
    list_filter = ("kind", "code_system", "province")
    search_fields = ("region_code", "name")
    list_select_related = ("province",)
    autocomplete_fields = ("province",)


class ServiceProductInline(admin.TabularInline):
    model = ServiceProduct
    extra = 0


@admin.register(ServiceUnit)
class ServiceUnitAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "type", "government", "yearly_user_population", "is_synthetic")
    list_filter = ("type", "is_synthetic", "government__kind", "government__province")
    search_fields = ("name", "code", "government__name", "government__region_code")
    list_select_related = ("government",)
    autocomplete_fields = ("government",)
    inlines = [ServiceProductInline]


@admin.register(ServiceProduct)
class ServiceProductAdmin(admin.ModelAdmin):
    list_display = ("name", "unit", "unit_government")
    list_filter = ("unit__type",)
    search_fields = ("name", "unit__name", "unit__government__name")
    list_select_related = ("unit__government",)
    autocomplete_fields = ("unit",)

    @admin.display(description="Pemerintah", ordering="unit__government__name")
    def unit_government(self, obj):
        return obj.unit.government
