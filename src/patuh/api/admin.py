"""API tokens in the admin: find one by its prefix (a key seen where it should not be) or its
user, and revoke it, audited. Tokens are made on /api/v1/token/ or with ``patuh api-token``,
never here: only there is the key shown."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework.authtoken.models import TokenProxy

from patuh.api.models import ApiToken
from patuh.api.tokens import revoke_token

# DRF's plain tokens no longer sign anyone in; making one in the admin would only mislead.
if admin.site.is_registered(TokenProxy):
    admin.site.unregister(TokenProxy)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("prefix", "name", "user", "created_at", "expires_at", "last_used_at", "state")
    list_filter = ("expires_at", "revoked_at")
    search_fields = ("prefix", "name", "user__username")
    list_select_related = ("user",)
    readonly_fields = (
        "user",
        "name",
        "prefix",
        "created_at",
        "created_by",
        "expires_at",
        "last_used_at",
        "revoked_at",
    )
    exclude = ("digest",)
    actions = ("revoke",)

    @admin.display(description=gettext_lazy("status"))
    def state(self, token: ApiToken) -> str:
        return token.status().label

    @admin.action(description=gettext_lazy("Cabut token yang dipilih"), permissions=["change"])
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        count = sum(
            revoke_token(token, actor=request.user, reason=_("dicabut lewat admin"))
            for token in queryset
        )
        messages.success(request, _("%(count)s token dicabut.") % {"count": count})

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # revoked, audited; housekeeping deletes them later
