"""The unit's document locker ("Dokumen unit") and the coordinator's comparison page.

Every view finds its object through a scoped queryset (404 outside the user's scope) and asks
:mod:`patuh.locker.access` before changing anything (403 with the reason).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from patuh.assessments.models import Cycle
from patuh.core.files import private_file_response
from patuh.core.uploads import upload_refusal
from patuh.locker import services
from patuh.locker.access import (
    can_change_documents,
    can_see_comparison,
    change_refusal,
    get_unit_for_user,
)
from patuh.locker.comparison import ombudsman_vs_pekppp, self_vs_official
from patuh.locker.models import UnitDocument
from patuh.locker.usage import unit_assessments, where_it_counts_for_unit
from patuh.orgs.models import Government
from patuh.scoring.documents import document_kinds


def _date(raw: str, label: str) -> date | None:
    raw = (raw or "").strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise ValidationError(
            _("%(field)s: tanggal harus berformat TTTT-BB-HH.") % {"field": label}
        ) from None


def _fields(request: HttpRequest) -> dict[str, Any]:
    too_large = upload_refusal(request, settings.PATUH_EVIDENCE_MAX_BYTES)
    if too_large:
        raise ValidationError(too_large, code="too_large")
    fields: dict[str, Any] = {
        "title": request.POST.get("title", ""),
        "issued_on": _date(request.POST.get("issued_on", ""), _("Tanggal terbit")),
        "valid_until": _date(request.POST.get("valid_until", ""), _("Berlaku sampai")),
    }
    if request.FILES.get("file"):
        fields["upload"] = request.FILES["file"]
    else:
        fields["url"] = request.POST.get("url", "")
    return fields


def _page_url(unit_id: int) -> str:
    return reverse("locker:unit_documents", args=[unit_id])


@login_required
@require_http_methods(["GET", "POST"])
def unit_documents(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = get_unit_for_user(request.user, unit_id)
    can_change = can_change_documents(request.user, unit)
    error = ""
    status = 200
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied(change_refusal())
        try:
            services.add_document(
                unit, request.POST.get("kind", ""), actor=request.user, **_fields(request)
            )
        except ValidationError as exc:
            error, status = " ".join(exc.messages), 422
        else:
            messages.success(request, _("Dokumen disimpan."))
            return redirect(_page_url(unit.pk))
    documents = list(
        UnitDocument.objects.filter(service_unit=unit)
        .current()
        .select_related("uploaded_by")
        .order_by("kind", "-uploaded_at", "-id")
    )
    assessments = unit_assessments(unit)
    kinds = document_kinds()
    rows = [
        {
            "document": document,
            "uses": where_it_counts_for_unit(document.kind, assessments)
            if document.kind in kinds
            else [],
        }
        for document in documents
    ]
    removed = list(
        UnitDocument.objects.filter(service_unit=unit, removed_at__isnull=False)
        .select_related("removed_by")
        .order_by("-removed_at")[:20]
    )
    context = {
        "unit": unit,
        "rows": rows,
        "removed": removed,
        "kinds": list(kinds.kinds.values()),
        "can_change": can_change,
        "error": error,
    }
    return render(request, "locker/unit_documents.html", context, status=status)


def _document_for_change(request: HttpRequest, unit_id: int, document_id: int) -> UnitDocument:
    unit = get_unit_for_user(request.user, unit_id)
    document = get_object_or_404(
        UnitDocument.objects.select_related("service_unit"), pk=document_id, service_unit=unit
    )
    if not can_change_documents(request.user, unit):
        raise PermissionDenied(change_refusal())
    return document


@login_required
@require_POST
def remove_document(request: HttpRequest, unit_id: int, document_id: int) -> HttpResponse:
    document = _document_for_change(request, unit_id, document_id)
    try:
        services.remove_document(
            document, actor=request.user, reason=request.POST.get("reason", "")
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Dokumen ditarik."))
    return redirect(_page_url(unit_id))


@login_required
@require_POST
def replace_document(request: HttpRequest, unit_id: int, document_id: int) -> HttpResponse:
    document = _document_for_change(request, unit_id, document_id)
    try:
        services.replace_document(
            document,
            actor=request.user,
            reason=request.POST.get("reason", ""),
            **_fields(request),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Dokumen diganti dengan versi baru."))
    return redirect(_page_url(unit_id))


def _file_for_user(user: Any, document_id: int) -> UnitDocument:
    return get_object_or_404(UnitDocument.objects.for_user(user).exclude(file=""), pk=document_id)


@login_required
@require_GET
def download_document(request: HttpRequest, document_id: int) -> FileResponse:
    document = _file_for_user(request.user, document_id)
    name = document.original_name or f"dokumen-{document.pk}{document.extension}"
    return private_file_response(document.file, document.content_type, name)


@login_required
@require_GET
def document_thumbnail(request: HttpRequest, document_id: int) -> FileResponse:
    document = _file_for_user(request.user, document_id)
    return private_file_response(
        document.thumbnail, "image/jpeg", f"thumbnail-{document.pk}.jpg", inline=True
    )


@login_required
@require_GET
def comparison(request: HttpRequest, year: int, region_code: str) -> HttpResponse:
    """Self vs official and Ombudsman vs PEKPPP for one government and year."""
    government = get_object_or_404(
        Government.objects.for_user(request.user).select_related("province"),
        region_code=region_code,
    )
    if not can_see_comparison(request.user, government):
        raise PermissionDenied(_("Perbandingan ini untuk koordinator pemda dan petugas Ombudsman."))
    cycles = list(
        Cycle.objects.for_user(request.user)
        .filter(year=year)
        .filter(Q(province=government.province_id) | Q(province__isnull=True))
        .order_by("instrument_code", "pk")
    )
    context = {
        "year": year,
        "government": government,
        "cycles": cycles,
        "self_vs_official": [self_vs_official(cycle, government) for cycle in cycles],
        "programmes": ombudsman_vs_pekppp(cycles, government),
    }
    return render(request, "locker/comparison.html", context)
