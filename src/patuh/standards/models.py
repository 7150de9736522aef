"""Service standards (standar pelayanan): one versioned record per service product.

A product's versions are numbered 1, 2, …; at most one of them is a draft. The current standard
is the published version with the highest number; older versions stay readable. Rows change only
through the audited verbs in ``services.py``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from patuh.accounts.scopes import scope_for
from patuh.orgs.models import ServiceProduct, ServiceUnit
from patuh.standards.components import (
    BY_CODE,
    COMPONENT_CODES,
    COMPONENTS,
    INTERNAL_CODES,
    PUBLIC_CODES,
    Component,
)


class StandardStatus(models.TextChoices):
    DRAFT = "draft", _("Draf")
    PUBLISHED = "published", _("Dipublikasikan")


def empty_components() -> dict[str, str]:
    return dict.fromkeys(COMPONENT_CODES, "")


class ServiceStandardQuerySet(models.QuerySet):
    def for_user(self, user: Any) -> ServiceStandardQuerySet:
        """The standards of the units the user may see (drafts and internal parts included)."""
        if scope_for(user).everything:
            return self
        return self.filter(product__unit__in=ServiceUnit.objects.for_user(user))

    def published(self) -> ServiceStandardQuerySet:
        return self.filter(status=StandardStatus.PUBLISHED)


class ServiceStandard(models.Model):
    product = models.ForeignKey(
        ServiceProduct,
        on_delete=models.CASCADE,
        related_name="standards",
        verbose_name=_("produk layanan"),
    )
    version = models.PositiveIntegerField(_("versi"))
    adopted_on = models.DateField(_("tanggal penetapan"))
    components = models.JSONField(
        _("komponen"),
        default=empty_components,
        help_text=_("Teks 14 komponen standar pelayanan (UU 25/2009 pasal 21), kunci a sampai n."),
    )
    service_pledge = models.TextField(_("maklumat pelayanan"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=StandardStatus.choices, default=StandardStatus.DRAFT
    )
    revision = models.PositiveIntegerField(
        _("revisi draf"),
        default=1,
        help_text=_("Bertambah setiap kali draf disimpan; mencegah perubahan saling menimpa."),
    )
    published_at = models.DateTimeField(_("waktu publikasi"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dibuat oleh"),
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    objects = ServiceStandardQuerySet.as_manager()

    class Meta:
        verbose_name = _("standar pelayanan")
        verbose_name_plural = _("standar pelayanan")
        ordering = ["product_id", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["product", "version"], name="standards_version_unique_per_product"
            ),
            models.UniqueConstraint(
                fields=["product"],
                condition=Q(status="draft"),
                name="standards_one_draft_per_product",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product} — v{self.version}"

    @property
    def is_draft(self) -> bool:
        return self.status == StandardStatus.DRAFT

    @property
    def is_published(self) -> bool:
        return self.status == StandardStatus.PUBLISHED

    def text(self, code: str) -> str:
        return str((self.components or {}).get(code) or "")

    def _rows(self, codes: Iterable[str]) -> list[tuple[Component, str]]:
        return [(BY_CODE[code], self.text(code)) for code in codes]

    @property
    def public_components(self) -> list[tuple[Component, str]]:
        """``(component, text)`` of b, c, d, e, f, j: what citizens may read."""
        return self._rows(PUBLIC_CODES)

    @property
    def internal_components(self) -> list[tuple[Component, str]]:
        return self._rows(INTERNAL_CODES)

    @property
    def all_components(self) -> list[tuple[Component, str]]:
        return self._rows(c.code for c in COMPONENTS)


def current_standards(products: Iterable[ServiceProduct | int]) -> dict[int, ServiceStandard]:
    """``{product id: its current (latest published) standard}`` for the products that have one."""
    ids = [p if isinstance(p, int) else p.pk for p in products]
    current: dict[int, ServiceStandard] = {}
    for standard in ServiceStandard.objects.published().filter(product_id__in=ids):
        held = current.get(standard.product_id)
        if held is None or standard.version > held.version:
            current[standard.product_id] = standard
    return current


def current_standard(product: ServiceProduct) -> ServiceStandard | None:
    return product.standards.published().order_by("-version").first()


def draft_of(product: ServiceProduct) -> ServiceStandard | None:
    return product.standards.filter(status=StandardStatus.DRAFT).first()
