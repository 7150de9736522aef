"""The rapor's follow-up page of one government and cycle, and proof downloads."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from patuh.accounts.roles import Role
from patuh.assessments.views import _get_government_for_user
from patuh.core.files import private_file_response
from patuh.core.forms import parse_date
from patuh.core.uploads import upload_refusal
from patuh.followup import services
from patuh.followup.access import can_assign, can_record_products, can_work_on
from patuh.followup.models import (
    FollowUpAction,
    OmbudsmanProduct,
    OmbudsmanProductKind,
    ProductFollowUpStatus,
)
from patuh.orgs.models import ServiceUnit
from patuh.scoring import load_instrument


def _owners(government: Any) -> Any:
    """People who may own an action: the government's coordinators and its units' operators."""
    return (
        get_user_model()
        .objects.filter(
            Q(memberships__role=Role.GOVERNMENT_COORDINATOR, memberships__government=government)
            | Q(
                memberships__role=Role.UNIT_OPERATOR,
                memberships__service_unit__government=government,
            )
        )
        .distinct()
        .order_by("username")
    )


def _handle(request: HttpRequest, cycle: Any, government: Any, units: list[Any]) -> str:
    user = request.user
    what = request.POST.get("action", "")
    if what in ("assign", "start", "complete", "reopen"):
        action = get_object_or_404(
            FollowUpAction, pk=request.POST.get("id") or 0, cycle=cycle, service_unit__in=units
        )
        if what == "assign":
            if not can_assign(user, government):
                raise PermissionDenied
            owner_id = request.POST.get("owner") or None
            owner = get_object_or_404(_owners(government), pk=owner_id) if owner_id else None
            services.assign(
                action,
                owner=owner,
                due_on=parse_date(request.POST.get("due_on"), _("Tenggat")),
                actor=user,
            )
            return _("Penanggung jawab dan tenggat disimpan.")
        if not can_work_on(user, action):
            raise PermissionDenied
        if what == "start":
            services.start(action, actor=user)
            return _("Tindak lanjut mulai dikerjakan.")
        if what == "complete":
            too_large = upload_refusal(request, settings.PATUH_EVIDENCE_MAX_BYTES)
            if too_large:
                raise ValidationError(too_large, code="too_large")
            services.complete(
                action,
                actor=user,
                note=request.POST.get("note", ""),
                url=request.POST.get("url", ""),
                upload=request.FILES.get("file"),
            )
            return _("Tindak lanjut selesai, dengan buktinya.")
        services.reopen(action, actor=user, reason=request.POST.get("reason", ""))
        return _("Tindak lanjut dibuka kembali.")
    if what in ("record_product", "product_status"):
        if not can_record_products(user, government):
            raise PermissionDenied
        if what == "record_product":
            issued = parse_date(request.POST.get("issued_on"), _("Tanggal terbit"))
            if issued is None:
                raise ValidationError(_("Isi tanggal terbit."))
            kind = request.POST.get("kind", "")
            if kind not in OmbudsmanProductKind.values:
                raise ValidationError(_("Pilih jenis produk."))
            services.record_product(
                government,
                kind=kind,
                reference=request.POST.get("reference", ""),
                issued_on=issued,
                subject=request.POST.get("subject", ""),
                actor=user,
            )
            return _("Produk Ombudsman dicatat.")
        product = get_object_or_404(
            OmbudsmanProduct, pk=request.POST.get("id") or 0, government=government
        )
        services.set_product_status(
            product, request.POST.get("status", ""), actor=user, note=request.POST.get("note", "")
        )
        return _("Status tindak lanjut produk diperbarui.")
    raise ValidationError(_("Tindakan tidak dikenal."))


@login_required
def follow_up(request: HttpRequest, year: int, region_code: str) -> HttpResponse:
    cycle, government = _get_government_for_user(request.user, year, region_code)
    units = list(
        ServiceUnit.objects.for_user(request.user).filter(government=government).order_by("name")
    )
    if request.method == "POST":
        try:
            messages.success(request, _handle(request, cycle, government, units))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        anchor = f"#action-{request.POST.get('id')}" if request.POST.get("id") else ""
        url = reverse("followup:page", args=[cycle.year, government.region_code])
        return redirect(url + anchor)
    actions = list(
        FollowUpAction.objects.filter(cycle=cycle, service_unit__in=units).select_related(
            "service_unit", "owner", "completed_by"
        )
    )
    by_unit = []
    for unit in units:
        mine = [a for a in actions if a.service_unit_id == unit.pk]
        if mine:
            by_unit.append(
                {
                    "unit": unit,
                    "actions": [
                        {"action": a, "can_work": can_work_on(request.user, a)} for a in mine
                    ],
                    "progress": services.progress(mine),
                }
            )
    products = list(OmbudsmanProduct.objects.filter(government=government))
    followed = services.products_followed_up([government.pk], dt.date(cycle.year, 12, 31))
    instrument = load_instrument(cycle.instrument_code)
    compliance = None
    if instrument.compliance is not None and instrument.compliance.derivable:
        from patuh.assessments.government_data import compliance_facts

        compliance = {
            "rule": instrument.compliance,
            "facts": compliance_facts(cycle, [government.pk]).get(government.pk),
            "suffix_text": instrument.opinion_suffix.text if instrument.opinion_suffix else "",
        }
    context = {
        "compliance": compliance,
        "cycle": cycle,
        "government": government,
        "by_unit": by_unit,
        "progress": services.progress(actions),
        "all_units_visible": len(units) == government.units.count(),
        "can_assign": can_assign(request.user, government),
        "owners": _owners(government) if can_assign(request.user, government) else [],
        "products": products,
        "can_record_products": can_record_products(request.user, government),
        "product_kinds": OmbudsmanProductKind.choices,
        "product_statuses": ProductFollowUpStatus.choices,
        "products_followed_up": followed.get(government.pk),
        "suffix": instrument.opinion_suffix,
        "today": dt.date.today(),
    }
    return render(request, "followup/page.html", context)


@login_required
def proof(request: HttpRequest, action_id: int) -> FileResponse:
    action = get_object_or_404(
        FollowUpAction.objects.filter(service_unit__in=ServiceUnit.objects.for_user(request.user)),
        pk=action_id,
    )
    return private_file_response(
        action.proof_file,
        action.proof_content_type,
        action.proof_original_name or f"bukti-{action.pk}{action.proof_extension}",
    )
