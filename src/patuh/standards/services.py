"""The verbs that change service standards, each audited in the unit's history.

- :func:`save_draft` creates or updates the product's one draft version;
- :func:`publish` turns a complete draft into the current standard;
- :func:`new_version_from` copies a published version into a new draft.

Who may call them is decided by :mod:`patuh.standards.access`; the verbs only check the data.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from patuh.core.services import record_event
from patuh.orgs.models import ServiceProduct
from patuh.standards.components import (
    BY_CODE,
    COMPONENT_CODES,
    PUBLIC_CODES,
    SERVICE_PLEDGE_LABEL,
)
from patuh.standards.models import ServiceStandard, StandardStatus, draft_of

DRAFT_SAVED = "standard.draft_saved"
STANDARD_PUBLISHED = "standard.published"
VERSION_STARTED = "standard.version_started"

COMPONENT_MAX_LENGTH = 5000
PLEDGE_MAX_LENGTH = 3000


class StandardConflict(ValidationError):
    """The draft changed since the form was opened (someone else saved it)."""


def _snapshot(standard: ServiceStandard | None) -> dict[str, Any] | None:
    if standard is None:
        return None
    return {
        "version": standard.version,
        "status": standard.status,
        "adopted_on": standard.adopted_on.isoformat() if standard.adopted_on else None,
        "components": dict(standard.components or {}),
        "service_pledge": standard.service_pledge,
    }


def _clean_components(components: Mapping[str, Any]) -> dict[str, str]:
    unknown = sorted(set(components) - set(COMPONENT_CODES))
    if unknown:
        raise ValidationError(
            _("Komponen tidak dikenal: %(codes)s.") % {"codes": ", ".join(unknown)},
            code="unknown_component",
        )
    cleaned: dict[str, str] = {}
    errors: list[ValidationError] = []
    for code in COMPONENT_CODES:
        value = components.get(code)
        text = "" if value is None else str(value).replace("\r\n", "\n").strip()
        if len(text) > COMPONENT_MAX_LENGTH:
            errors.append(
                ValidationError(
                    _(
                        "Komponen %(code)s (%(label)s) terlalu panjang: %(length)s karakter, "
                        "paling banyak %(max)s."
                    )
                    % {
                        "code": code,
                        "label": _(BY_CODE[code].label),
                        "length": len(text),
                        "max": COMPONENT_MAX_LENGTH,
                    },
                    code="too_long",
                )
            )
        cleaned[code] = text
    if errors:
        raise ValidationError(errors)
    return cleaned


def _clean_pledge(service_pledge: str | None) -> str:
    text = (service_pledge or "").replace("\r\n", "\n").strip()
    if len(text) > PLEDGE_MAX_LENGTH:
        raise ValidationError(
            _("Maklumat pelayanan terlalu panjang: %(length)s karakter, paling banyak %(max)s.")
            % {"length": len(text), "max": PLEDGE_MAX_LENGTH},
            code="too_long",
        )
    return text


def _clean_adopted_on(adopted_on: datetime.date | None) -> datetime.date:
    if adopted_on is None:
        raise ValidationError(_("Tanggal penetapan wajib diisi."), code="adopted_on_required")
    if isinstance(adopted_on, datetime.datetime) or not isinstance(adopted_on, datetime.date):
        raise ValidationError(_("Tanggal penetapan tidak valid."), code="adopted_on_invalid")
    if adopted_on.year < 2009:
        raise ValidationError(
            _("Tanggal penetapan tidak boleh sebelum UU 25/2009 berlaku."), code="adopted_on_early"
        )
    return adopted_on


def _next_version(product: ServiceProduct) -> int:
    highest = product.standards.aggregate(highest=Max("version"))["highest"]
    return (highest or 0) + 1


def _lock(product: ServiceProduct) -> None:
    """Serialise the verbs on one product (SQLite's IMMEDIATE transactions already do)."""
    ServiceProduct.objects.select_for_update().filter(pk=product.pk).first()


def save_draft(
    product: ServiceProduct,
    components: Mapping[str, Any],
    service_pledge: str,
    adopted_on: datetime.date | None,
    actor: Any,
    *,
    expected_revision: int | None = None,
) -> ServiceStandard:
    """Create the product's draft (the next version number) or update the one there is.

    Drafts may be incomplete; only :func:`publish` requires the public components. With
    ``expected_revision`` (the draft's ``revision`` when the form was opened, 0 when there was
    no draft) a draft changed by someone else in the meantime raises :class:`StandardConflict`.
    """
    cleaned = _clean_components(components)
    pledge = _clean_pledge(service_pledge)
    adopted = _clean_adopted_on(adopted_on)
    with transaction.atomic():
        _lock(product)
        draft = draft_of(product)
        if expected_revision is not None and (draft.revision if draft else 0) != expected_revision:
            raise StandardConflict(
                _(
                    "Draf ini sudah diubah oleh pengguna lain sejak Anda membukanya. "
                    "Muat ulang halaman untuk melihat perubahan itu; isian Anda belum disimpan."
                ),
                code="conflict",
            )
        old = _snapshot(draft)
        if draft is None:
            draft = ServiceStandard(
                product=product,
                version=_next_version(product),
                status=StandardStatus.DRAFT,
                created_by=actor if getattr(actor, "is_authenticated", False) else None,
                revision=1,
            )
        else:
            draft.revision += 1
        draft.components = cleaned
        draft.service_pledge = pledge
        draft.adopted_on = adopted
        draft.save()
        record_event(
            actor=actor,
            action=DRAFT_SAVED,
            obj=draft,
            old=old,
            new=_snapshot(draft),
            context=product.unit,
        )
    return draft


def missing_for_publication(standard: ServiceStandard) -> list[str]:
    """The Bahasa labels of what a draft still lacks before it may be published."""
    missing = [
        f"{code} ({_(BY_CODE[code].label)})" for code in PUBLIC_CODES if not standard.text(code)
    ]
    if not (standard.service_pledge or "").strip():
        missing.append(_(SERVICE_PLEDGE_LABEL))
    return missing


def publish(standard: ServiceStandard, actor: Any) -> ServiceStandard:
    """Publish a draft: it becomes the product's current standard. Refused, naming what is
    missing, unless every public component (b, c, d, e, f, j), the maklumat and the adoption
    date are filled in."""
    with transaction.atomic():
        _lock(standard.product)
        standard.refresh_from_db()
        if not standard.is_draft:
            raise ValidationError(
                _("Versi %(version)s sudah dipublikasikan.") % {"version": standard.version},
                code="not_draft",
            )
        missing = missing_for_publication(standard)
        if missing:
            raise ValidationError(
                _("Belum dapat dipublikasikan; yang belum diisi: %(missing)s.")
                % {"missing": "; ".join(missing)},
                code="incomplete",
                params={"missing": missing},
            )
        _clean_adopted_on(standard.adopted_on)
        if standard.adopted_on > timezone.localdate():
            raise ValidationError(
                _("Tanggal penetapan %(date)s belum tiba; publikasikan setelah ditetapkan.")
                % {"date": standard.adopted_on.isoformat()},
                code="adopted_on_future",
            )
        previous = (
            standard.product.standards.published()
            .filter(version__lt=standard.version)
            .order_by("-version")
            .first()
        )
        if previous is not None and standard.adopted_on < previous.adopted_on:
            raise ValidationError(
                _(
                    "Tanggal penetapan tidak boleh sebelum tanggal penetapan versi %(version)s "
                    "(%(date)s)."
                )
                % {"version": previous.version, "date": previous.adopted_on.isoformat()},
                code="adopted_on_before_previous",
            )
        old = _snapshot(standard)
        standard.status = StandardStatus.PUBLISHED
        standard.published_at = timezone.now()
        standard.save(update_fields=["status", "published_at", "updated_at"])
        record_event(
            actor=actor,
            action=STANDARD_PUBLISHED,
            obj=standard,
            old=old,
            new=_snapshot(standard),
            context=standard.product.unit,
        )
    return standard


def new_version_from(standard: ServiceStandard, actor: Any) -> ServiceStandard:
    """A new draft (the next version number) copying a published version's text and dates."""
    with transaction.atomic():
        product = standard.product
        _lock(product)
        standard.refresh_from_db()
        if not standard.is_published:
            raise ValidationError(
                _("Hanya versi yang sudah dipublikasikan yang dapat disalin menjadi versi baru."),
                code="not_published",
            )
        existing = draft_of(product)
        if existing is not None:
            raise ValidationError(
                _("Sudah ada draf versi %(version)s; lanjutkan draf itu.")
                % {"version": existing.version},
                code="draft_exists",
            )
        draft = ServiceStandard.objects.create(
            product=product,
            version=_next_version(product),
            status=StandardStatus.DRAFT,
            adopted_on=standard.adopted_on,
            components={code: standard.text(code) for code in COMPONENT_CODES},
            service_pledge=standard.service_pledge,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        record_event(
            actor=actor,
            action=VERSION_STARTED,
            obj=draft,
            old=None,
            new={**(_snapshot(draft) or {}), "copied_from": standard.version},
            context=product.unit,
        )
    return draft
