"""Public survey pages (no login, phone first), the unit's results, the counter poster, and
the staff list of responses with voiding."""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from patuh.assessments.access import is_assigned_assessor
from patuh.core.net import client_address
from patuh.core.uploads import upload_refusal
from patuh.orgs.models import ServiceUnit
from patuh.surveys import services
from patuh.surveys.models import Channel, SurveyKind, SurveyResponse

DEVICE_COOKIE = "patuh_perangkat"
HONEYPOT = "situs_web"
KIND_SLUGS = {"skm": SurveyKind.SKM, "persepsi": SurveyKind.PERCEPTION}


def _unit(region_code: str, unit_code: str) -> ServiceUnit:
    return get_object_or_404(
        ServiceUnit.objects.select_related("government", "government__province"),
        government__region_code=region_code,
        code=unit_code,
    )


def _cycle(unit: ServiceUnit) -> Any:
    cycle = services.current_cycle(unit)
    if cycle is None:
        raise Http404("Belum ada siklus penilaian untuk unit ini")
    return cycle


def survey_home(request: HttpRequest, region_code: str, unit_code: str) -> HttpResponse:
    unit = _unit(region_code, unit_code)
    cycle = _cycle(unit)
    # the 2025+ method has no unit-level perception indicators: no perception survey to offer
    asks_perception = bool(services.questions(SurveyKind.PERCEPTION, cycle))
    return render(
        request,
        "surveys/home.html",
        {"unit": unit, "cycle": cycle, "asks_perception": asks_perception},
    )


def _rate_limited(address_hash: str) -> bool:
    key = f"patuh:survey-rate:{address_hash}"
    cache.add(key, 0, timeout=3600)
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=3600)
        count = 1
    return count > settings.PATUH_SURVEY_RATE_PER_HOUR


def survey_form(
    request: HttpRequest, region_code: str, unit_code: str, kind_slug: str
) -> HttpResponse:
    kind = KIND_SLUGS.get(kind_slug)
    if kind is None:
        raise Http404("Survei tidak dikenal")
    unit = _unit(region_code, unit_code)
    cycle = _cycle(unit)
    questions = services.questions(kind, cycle)
    if not questions:
        raise Http404(_("Siklus penilaian unit ini tidak memakai survei ini."))
    products = list(unit.products.values_list("name", flat=True))
    enumerator = is_assigned_assessor(request.user, cycle.pk, unit.government_id)
    device = request.COOKIES.get(DEVICE_COOKIE) or secrets.token_urlsafe(24)
    context: dict[str, Any] = {
        "unit": unit,
        "cycle": cycle,
        "kind": kind,
        "kind_slug": kind_slug,
        "kind_label": SurveyKind(kind).label,
        "questions": questions,
        "profile_choices": services.PROFILE_CHOICES,
        "profile_labels": services.PROFILE_LABELS,
        "products": products,
        "enumerator": enumerator,
        "honeypot": HONEYPOT,
        "posted": request.POST,
    }
    status = 200
    if request.method == "POST":
        if request.POST.get(HONEYPOT):
            # a form filled by a robot: thank it and store nothing
            return render(request, "surveys/thanks.html", {"unit": unit, "kind_slug": kind_slug})
        address = services.fingerprint(client_address(request))
        if not enumerator and _rate_limited(address):
            context["error"] = _("Terlalu banyak kiriman dari jaringan ini. Coba lagi nanti.")
            status = 429
        elif not request.POST.get("consent") and not enumerator:
            context["error"] = _("Mohon setujui pernyataan persetujuan terlebih dahulu.")
            status = 422
        else:
            try:
                answers = services.clean_answers(kind, cycle, request.POST)
                services.submit(
                    unit,
                    cycle,
                    kind,
                    answers,
                    services.clean_profile(request.POST, products),
                    channel=Channel.ENUMERATOR if enumerator else Channel.WEB,
                    device_hash="" if enumerator else services.fingerprint(device),
                    address_hash=address,
                    entered_by=request.user if enumerator else None,
                )
            except ValidationError as error:
                context["error"] = " ".join(error.messages)
                status = 422
            else:
                response = render(
                    request,
                    "surveys/thanks.html",
                    {"unit": unit, "kind_slug": kind_slug, "enumerator": enumerator},
                )
                response.set_cookie(
                    DEVICE_COOKIE, device, max_age=400 * 24 * 3600, httponly=True, samesite="Lax"
                )
                return response
    response = render(request, "surveys/form.html", context, status=status)
    response.set_cookie(
        DEVICE_COOKIE, device, max_age=400 * 24 * 3600, httponly=True, samesite="Lax"
    )
    return response


def unit_results(request: HttpRequest, region_code: str, unit_code: str) -> HttpResponse:
    """Per cycle: SKM respondents, NRR, IKM, index and category, the sample's adequacy, and
    the share of respondents reporting each form of maladministration."""
    unit = _unit(region_code, unit_code)
    cycles = SurveyResponse.objects.filter(unit=unit).values_list("cycle", flat=True).distinct()
    from patuh.assessments.models import Cycle

    periods = []
    for cycle in Cycle.objects.filter(pk__in=cycles).order_by("-year"):
        periods.append(
            {
                "cycle": cycle,
                "skm": services.skm_summary(unit, cycle),
                "perception": services.perception_summary(unit, cycle),
            }
        )
    from patuh.reports.charts import bar_chart, zone_bars

    trend = [
        (str(p["cycle"].year), p["skm"].result.index, None, p["skm"].result.band.category)
        for p in reversed(periods)
        if p["skm"].result is not None
    ]
    return render(
        request,
        "surveys/results.html",
        {
            "unit": unit,
            "periods": periods,
            "trend_chart": bar_chart(zone_bars(trend), label_width=90) if len(trend) > 1 else "",
        },
    )


def poster(request: HttpRequest, region_code: str, unit_code: str) -> HttpResponse:
    """An A4 poster for the service counter: the unit's name and a QR code to its surveys."""
    import segno
    from django.template.loader import render_to_string
    from weasyprint import HTML

    from patuh.reports.rapor import FONTS_DIR

    unit = _unit(region_code, unit_code)
    url = getattr(settings, "PATUH_SITE_URL", "").rstrip("/") + reverse(
        "surveys:home", args=[region_code, unit_code]
    )
    html = render_to_string(
        "surveys/poster.html",
        {
            "unit": unit,
            "url": url,
            "qr_svg": segno.make(url, error="m").svg_inline(scale=10),
            "fonts_dir": FONTS_DIR.as_uri(),
        },
    )
    pdf = HTML(string=html, base_url=str(FONTS_DIR)).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="poster-survei-{unit.code}.pdf"'
    return response


@login_required
def responses(request: HttpRequest, region_code: str, unit_code: str) -> HttpResponse:
    """The responses of the unit in its current cycle, flagged ones first; assessors void."""
    unit = get_object_or_404(
        ServiceUnit.objects.for_user(request.user).select_related("government"),
        government__region_code=region_code,
        code=unit_code,
    )
    cycle = _cycle(unit)
    may_void = is_assigned_assessor(request.user, cycle.pk, unit.government_id)
    may_import = may_void or _keeps_unit(request.user, unit)
    too_large = upload_refusal(request) if request.method == "POST" else ""
    if too_large:
        if not may_import:
            raise PermissionDenied(_("Anda tidak dapat mengimpor jawaban untuk unit ini."))
        messages.error(request, too_large)
        return redirect(reverse("surveys:responses", args=[region_code, unit_code]))
    if request.method == "POST" and request.FILES.get("file"):
        if not may_import:
            raise PermissionDenied(_("Anda tidak dapat mengimpor jawaban untuk unit ini."))
        return _import_upload(request, unit, cycle)
    if request.method == "POST":
        if not may_void:
            raise PermissionDenied(_("Hanya penilai yang ditugaskan yang dapat membatalkan."))
        response = get_object_or_404(
            SurveyResponse, pk=request.POST.get("id") or 0, unit=unit, cycle=cycle
        )
        try:
            services.void(response, actor=request.user, reason=request.POST.get("reason", ""))
            messages.success(request, _("Jawaban dibatalkan."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect(reverse("surveys:responses", args=[region_code, unit_code]))
    rows = (
        SurveyResponse.objects.filter(unit=unit, cycle=cycle)
        .select_related("duplicate_of", "entered_by", "voided_by")
        .order_by("duplicate_of", "-submitted_at")
    )
    return render(
        request,
        "surveys/responses.html",
        {
            "unit": unit,
            "cycle": cycle,
            "rows": rows[:500],
            "total": rows.count(),
            "may_void": may_void,
            "may_import": may_import,
            "import_jobs": _import_jobs(request.user, unit, cycle) if may_import else [],
        },
    )


def _import_jobs(user: Any, unit: ServiceUnit, cycle: Any) -> list[Any]:
    """The user's latest background imports for the unit, linked from the upload form."""
    from patuh.reports.models import JobKind, ReportJob

    return list(
        ReportJob.objects.filter(
            kind=JobKind.SURVEY_IMPORT, service_unit=unit, cycle=cycle, created_by=user
        ).order_by("-created_at")[:5]
    )


def _keeps_unit(user: Any, unit: ServiceUnit) -> bool:
    """The unit's operators and its government's coordinators keep its survey records."""
    from patuh.accounts.roles import Role
    from patuh.assessments.access import roles_of
    from patuh.followup.access import is_coordinator_of

    return is_coordinator_of(user, unit.government) or any(
        m.role == Role.UNIT_OPERATOR and m.service_unit_id == unit.pk for m in roles_of(user)
    )


def _import_upload(request: HttpRequest, unit: ServiceUnit, cycle: Any) -> HttpResponse:
    """An uploaded CSV/XLSX imported whole or not at all; every bad row is listed.

    A small file (up to ``PATUH_SURVEY_IMPORT_INLINE_BYTES``) imports during the request and
    the page says what happened; a larger one becomes a background job run by ``patuh jobs
    work``, and the uploader is taken to its page (progress bar, then the counts or every
    bad row), so no request waits on a file of many thousand rows."""
    import tempfile
    from pathlib import Path

    from patuh.scoring.errors import ScoringError
    from patuh.surveys.imports import import_file

    upload = request.FILES["file"]
    kind = request.POST.get("kind", SurveyKind.SKM)
    if kind not in SurveyKind.values:
        kind = SurveyKind.SKM
    suffix = Path(upload.name or "").suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        messages.error(request, _("Berkas harus .csv atau .xlsx."))
        return redirect(reverse("surveys:responses", args=[unit.government.region_code, unit.code]))
    if upload.size > settings.PATUH_SURVEY_IMPORT_INLINE_BYTES:
        from patuh.reports.jobs import queue_survey_import

        job = queue_survey_import(unit, cycle, kind, upload, actor=request.user)
        return redirect(reverse("reports:job", args=[job.pk]))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"jawaban{suffix}"
        with path.open("wb") as handle:
            for chunk in upload.chunks():
                handle.write(chunk)
        try:
            summary = import_file(path, unit, cycle, kind, entered_by=request.user)
        except ScoringError as error:
            messages.error(
                request,
                _("Tidak ada yang diimpor: %(problems)s")
                % {"problems": "; ".join(str(p) for p in error.problems)},
            )
        else:
            messages.success(
                request,
                _("%(rows)s baris: %(new)s jawaban baru, %(old)s sudah ada sebelumnya.")
                % {"rows": summary.rows, "new": summary.created, "old": summary.already_there},
            )
            for note in summary.notes:
                messages.info(request, note)
    return redirect(reverse("surveys:responses", args=[unit.government.region_code, unit.code]))
