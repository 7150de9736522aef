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
KIND_SLUGS = {"skm": SurveyKind.SKM, "persepsi": SurveyKind.PERCEPTION, "f03": SurveyKind.F03}
SLUG_OF = {kind: slug for slug, kind in KIND_SLUGS.items()}
CYCLE_PARAM = "siklus"
"""``?siklus=<id>``: the cycle a form or a list is for, when the unit is in more than one
(an Ombudsman cycle and a PEKPPP cycle of the same year)."""


def _unit(region_code: str, unit_code: str) -> ServiceUnit:
    return get_object_or_404(
        ServiceUnit.objects.select_related("government", "government__province"),
        government__region_code=region_code,
        code=unit_code,
    )


def _offers(unit: ServiceUnit) -> list[dict[str, Any]]:
    """Each cycle the unit's survey page offers, with its instrument and its forms."""
    from patuh.scoring import load_instrument

    default = services.current_cycle(unit)
    offers = []
    for cycle in services.survey_cycles(unit):
        kinds = services.kinds_for(cycle)
        query = "" if cycle == default else f"?{CYCLE_PARAM}={cycle.pk}"
        offers.append(
            {
                "cycle": cycle,
                "instrument": load_instrument(cycle.instrument_code),
                "forms": [
                    {"kind": kind, "slug": SLUG_OF[kind], "label": SurveyKind(kind).label}
                    for kind in kinds
                ],
                "query": query,
            }
        )
    return offers


def survey_home(request: HttpRequest, region_code: str, unit_code: str) -> HttpResponse:
    unit = _unit(region_code, unit_code)
    offers = _offers(unit)
    if not offers:
        raise Http404("Belum ada siklus penilaian untuk unit ini")
    return render(
        request,
        "surveys/home.html",
        {"unit": unit, "cycle": offers[0]["cycle"], "offers": offers},
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
    chosen = request.GET.get(CYCLE_PARAM)
    cycle = services.cycle_for(unit, kind, chosen)
    if cycle is None:
        raise Http404("Survei ini tidak diminta untuk unit ini")
    questions = services.questions(kind, cycle)
    if not questions:
        raise Http404("Survei ini tidak diminta untuk unit ini")
    query = f"?{CYCLE_PARAM}={cycle.pk}" if chosen else ""
    products = list(unit.products.values_list("name", flat=True))
    enumerator = is_assigned_assessor(request.user, cycle.pk, unit.government_id)
    device = request.COOKIES.get(DEVICE_COOKIE) or secrets.token_urlsafe(24)
    context: dict[str, Any] = {
        "unit": unit,
        "cycle": cycle,
        "kind": kind,
        "kind_slug": kind_slug,
        "kind_label": SurveyKind(kind).label,
        "query": query,
        "questions": questions,
        "scale_low": services.F03_LOW,
        "scale_high": services.F03_HIGH,
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
            return render(
                request,
                "surveys/thanks.html",
                {"unit": unit, "kind_slug": kind_slug, "query": query},
            )
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
                    {
                        "unit": unit,
                        "kind_slug": kind_slug,
                        "enumerator": enumerator,
                        "query": query,
                    },
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
    the share of respondents reporting each form of maladministration; for a PEKPPP cycle
    the F-03 respondents, item means and index instead."""
    unit = _unit(region_code, unit_code)
    cycles = SurveyResponse.objects.filter(unit=unit).values_list("cycle", flat=True).distinct()
    from patuh.assessments.models import Cycle

    periods = []
    for cycle in Cycle.objects.filter(pk__in=cycles).order_by("-year"):
        f03 = services.f03_summary(unit, cycle)
        if f03 is not None:
            periods.append({"cycle": cycle, "f03": f03})
            continue
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
        if "skm" in p and p["skm"].result is not None
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
    kinds = {kind for cycle in services.survey_cycles(unit) for kind in services.kinds_for(cycle)}
    html = render_to_string(
        "surveys/poster.html",
        {
            "unit": unit,
            "asks_ombudsman": SurveyKind.SKM in kinds,
            "asks_f03": SurveyKind.F03 in kinds,
            "url": url,
            "qr_svg": segno.make(url, error="m").svg_inline(scale=10),
            "fonts_dir": FONTS_DIR.as_uri(),
        },
    )
    pdf = HTML(string=html, base_url=str(FONTS_DIR)).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="poster-survei-{unit.code}.pdf"'
    return response


def _list_cycle(request: HttpRequest, unit: ServiceUnit) -> Any:
    """The cycle of the list of responses: ``?siklus=`` (a cycle covering the unit), else
    the current Ombudsman cycle, else the unit's PEKPPP cycle."""
    chosen = request.GET.get(CYCLE_PARAM)
    if chosen:
        cycle = next(
            (
                cycle
                for kind in (SurveyKind.F03, SurveyKind.SKM)
                if (cycle := services.cycle_for(unit, kind, chosen)) is not None
            ),
            None,
        )
    else:
        cycle = services.current_cycle(unit) or services.survey_cycle(unit)
    if cycle is None:
        raise Http404("Belum ada siklus penilaian untuk unit ini")
    return cycle


def _list_url(unit: ServiceUnit, cycle: Any) -> str:
    url = reverse("surveys:responses", args=[unit.government.region_code, unit.code])
    return url if cycle == services.current_cycle(unit) else f"{url}?{CYCLE_PARAM}={cycle.pk}"


@login_required
def responses(request: HttpRequest, region_code: str, unit_code: str) -> HttpResponse:
    """The responses of the unit in one cycle (its current one unless ``?siklus=``),
    flagged ones first; assessors void."""
    unit = get_object_or_404(
        ServiceUnit.objects.for_user(request.user).select_related("government"),
        government__region_code=region_code,
        code=unit_code,
    )
    cycle = _list_cycle(request, unit)
    back = _list_url(unit, cycle)
    may_void = is_assigned_assessor(request.user, cycle.pk, unit.government_id)
    may_import = may_void or _keeps_unit(request.user, unit)
    too_large = upload_refusal(request) if request.method == "POST" else ""
    if too_large:
        if not may_import:
            raise PermissionDenied(_("Anda tidak dapat mengimpor jawaban untuk unit ini."))
        messages.error(request, too_large)
        return redirect(back)
    if request.method == "POST" and request.FILES.get("file"):
        if not may_import:
            raise PermissionDenied(_("Anda tidak dapat mengimpor jawaban untuk unit ini."))
        return _import_upload(request, unit, cycle, back)
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
        return redirect(back)
    rows = (
        SurveyResponse.objects.filter(unit=unit, cycle=cycle)
        .select_related("duplicate_of", "entered_by", "voided_by")
        .order_by("duplicate_of", "-submitted_at")
    )
    cycles = services.survey_cycles(unit)
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
            "import_kinds": [(kind, SurveyKind(kind).label) for kind in services.kinds_for(cycle)],
            "other_cycles": [(other, _list_url(unit, other)) for other in cycles if other != cycle],
            "f03": services.f03_summary(unit, cycle),
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


def _import_upload(request: HttpRequest, unit: ServiceUnit, cycle: Any, back: str) -> HttpResponse:
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
    asked = services.kinds_for(cycle)
    kind = request.POST.get("kind", asked[0])
    if kind not in SurveyKind.values:
        kind = asked[0]
    if kind not in asked:
        messages.error(
            request,
            _("Siklus %(cycle)s tidak memakai %(kind)s.")
            % {"cycle": cycle.name, "kind": SurveyKind(kind).label},
        )
        return redirect(back)
    suffix = Path(upload.name or "").suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        messages.error(request, _("Berkas harus .csv atau .xlsx."))
        return redirect(back)
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
    return redirect(back)
