from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from patuh.accounts import services
from patuh.accounts.forms import AdminLoginForm
from patuh.accounts.models import Invitation, Membership, RecoveryCode, TOTPDevice

# The admin's own login asks no second factor: refuse it to accounts that have one.
admin.site.login_form = AdminLoginForm


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "province", "government", "service_unit", "created_at")
    list_filter = ("role", "province")
    search_fields = ("user__username", "government__name", "service_unit__name")
    list_select_related = ("user", "province", "government", "service_unit__government")
    autocomplete_fields = ("user", "province", "government", "service_unit")


@admin.register(TOTPDevice)
class TOTPDeviceAdmin(admin.ModelAdmin):
    """Read-only, the secret never shown; deleting one (a user who lost the phone and has no
    recovery code left) is audited and deletes the recovery codes with it."""

    list_display = ("user", "created_at", "confirmed_at", "unused_recovery_codes")
    list_select_related = ("user",)
    search_fields = ("user__username",)
    fields = ("user", "created_at", "confirmed_at", "unused_recovery_codes")
    readonly_fields = fields

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                unused_codes=Count("recovery_codes", filter=Q(recovery_codes__used_at__isnull=True))
            )
        )

    @admin.display(description=_lazy("kode pemulihan tersisa"), ordering="unused_codes")
    def unused_recovery_codes(self, obj) -> int:
        return obj.unused_codes

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_deleted_objects(self, objs, request):
        """The recovery codes go with their device (through ``disable_device``, audited), even
        though they cannot be deleted on their own here."""
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        perms_needed.discard(str(RecoveryCode._meta.verbose_name))
        return deleted, counts, perms_needed, protected

    def delete_model(self, request, obj):
        services.disable_device(
            obj.user, actor=request.user, reason=_("Dihapus melalui admin."), request=request
        )

    def delete_queryset(self, request, queryset):
        for device in queryset.select_related("user"):
            self.delete_model(request, device)


@admin.register(RecoveryCode)
class RecoveryCodeAdmin(admin.ModelAdmin):
    """Read-only, and only when each code was made and used: the digest and salt are never
    shown. Codes go away with their authenticator app, or when the user makes new ones."""

    list_display = ("user", "created_at", "used_at")
    list_select_related = ("device__user",)
    list_filter = (("used_at", admin.EmptyFieldListFilter),)
    search_fields = ("device__user__username",)
    fields = ("user", "created_at", "used_at")
    readonly_fields = fields

    @admin.display(description=_lazy("pengguna"), ordering="device__user__username")
    def user(self, obj) -> str:
        return str(obj.device.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """Read-only: invitations are sent and withdrawn on the government's operators page."""

    list_display = (
        "email",
        "service_unit",
        "invited_by",
        "created_at",
        "expires_at",
        "accepted_at",
        "revoked_at",
    )
    list_select_related = ("service_unit__government", "invited_by")
    list_filter = ("role",)
    search_fields = ("email", "full_name", "service_unit__name", "service_unit__government__name")
    fields = (
        "email",
        "full_name",
        "role",
        "service_unit",
        "invited_by",
        "created_at",
        "expires_at",
        "accepted_at",
        "accepted_by",
        "revoked_at",
    )
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


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
