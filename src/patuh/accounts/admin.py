from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from patuh.accounts.models import Membership


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "province", "government", "service_unit", "created_at")
    list_filter = ("role", "province")
    search_fields = ("user__username", "government__name", "service_unit__name")
    list_select_related = ("user", "province", "government", "service_unit__government")
    autocomplete_fields = ("user", "province", "government", "service_unit")


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ("province", "government", "service_unit")


User = get_user_model()
if admin.site.is_registered(User):
    admin.site.unregister(User)


@admin.register(User)
class PatuhUserAdmin(UserAdmin):
    inlines = [*UserAdmin.inlines, MembershipInline]
