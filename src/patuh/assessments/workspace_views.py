"""The assessment workspace: entry page, saves as you go (htmx), evidence, comments, history.

Every view finds the assessment through ``Assessment.objects.for_user`` (404 outside the user's
scope) and asks :class:`AssessmentAccess` before changing anything (403 with the reason).
Every POST works without JavaScript too: it redirects back to the indicator.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from patuh.assessments import comments as comment_verbs
from patuh.assessments import evidence as evidence_verbs
from patuh.assessments.access import AssessmentAccess
from patuh.assessments.cards import render_cards
from patuh.assessments.models import (
    Answer,
    Assessment,
    Comment,
    Evidence,
    ProductObservation,
    Respondent,
    RespondentGroup,
)
from patuh.assessments.services import (
    UNSET,
    AnswerChange,
    AnswerConflict,
    add_respondent,
    observe_product,
    rename_respondent,
    save_answer,
    submit_assessment,
)
from patuh.assessments.workspace import (
    apply_access,
    indicator_views,
    live_result,
    page_context,
)
from patuh.core.files import private_file_response
from patuh.core.models import AuditEvent
from patuh.core.uploads import upload_refusal
from patuh.scoring import load_instrument


def get_assessment_for_user(user: Any, pk: int) -> Assessment:
    """The assessment if the user may see it, or 404 (never 403: its existence stays private)."""
    return get_object_or_404(
        Assessment.objects.for_user(user).select_related(
            "cycle", "cycle__province", "service_unit", "service_unit__government"
        ),
        pk=pk,
    )


def _require_edit(access: AssessmentAccess, code: str | None = None) -> None:
    if not access.can_edit:
        raise PermissionDenied(access.edit_refusal)
    if code is not None and not access.can_edit_indicator(code):
        raise PermissionDenied(_("Hanya indikator yang diminta perbaikannya yang dapat diubah."))


def _back(assessment: Assessment, code: str = "") -> HttpResponse:
    url = reverse("assessments:assessment", args=[assessment.pk])
    return redirect(f"{url}#ind-{code}" if code else url)


def _indicator_response(
    request: HttpRequest,
    assessment: Assessment,
    access: AssessmentAccess,
    code: str,
    *,
    status: int = 200,
    error: str = "",
    conflict: AnswerConflict | None = None,
    saved: bool = False,
) -> HttpResponse:
    instrument = load_instrument(assessment.cycle.instrument_code)
    live = live_result(assessment)
    views = indicator_views(assessment, instrument, live.unit, [code])
    apply_access(views, access)
    view = views[code]
    context = {
        "assessment": assessment,
        "access": access,
        "instrument": instrument,
        "view": view,
        "live": live,
        "result": live.government,
        "error": error,
        "conflict": conflict,
        "saved": saved,
        "oob": True,
    }
    return render(request, "assessments/workspace/indicator_response.html", context, status=status)


def _after_change(
    request: HttpRequest, assessment: Assessment, access: AssessmentAccess, code: str, **kwargs: Any
) -> HttpResponse:
    if request.htmx:
        return _indicator_response(request, assessment, access, code, **kwargs)
    if kwargs.get("error"):
        from django.contrib import messages

        messages.error(request, f"{code}: {kwargs['error']}")
    return _back(assessment, code)


@login_required
def assessment_page(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_assessment_for_user(request.user, pk)
    access = AssessmentAccess(request.user, assessment)
    context = page_context(assessment, access)  # creates the interviewees and products missing
    render_cards(request, context, context["views"])
    return render(request, "assessments/workspace/page.html", context)


@login_required
def result_panel(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_assessment_for_user(request.user, pk)
    live = live_result(assessment)
    return render(
        request,
        "assessments/workspace/result_panel.html",
        {"assessment": assessment, "live": live, "result": live.government},
    )


def _parse_level(raw: str) -> Any:
    raw = raw.strip()
    if raw.lower() == "na":
        return "na"
    try:
        number = float(raw.replace(",", "."))
    except ValueError as error:
        raise ValidationError(_("Nilai '%(raw)s' bukan angka.") % {"raw": raw}) from error
    return int(number) if number.is_integer() else number


@login_required
@require_POST
def save_indicator(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    assessment = get_assessment_for_user(request.user, pk)
    access = AssessmentAccess(request.user, assessment)
    if code not in load_instrument(assessment.cycle.instrument_code).indicators:
        raise Http404("Indikator tidak ditemukan")
    _require_edit(access, code)
    try:
        expected = int(request.POST.get("version", ""))
    except ValueError:
        expected = None
    try:
        change = AnswerChange(
            value=_parse_level(request.POST["value"]) if "value" in request.POST else UNSET,
            part=request.POST.get("part") or None,
            na_reason=request.POST.get("na_reason"),
            note=request.POST.get("note"),
        )
        save_answer(
            assessment,
            code,
            change,
            actor=request.user,
            expected_version=expected,
            reason=request.POST.get("reason", ""),
        )
    except AnswerConflict as conflict:
        return _after_change(
            request,
            assessment,
            access,
            code,
            status=409,
            conflict=conflict,
            error=_("Indikator ini sudah diubah orang lain; nilai Anda belum disimpan."),
        )
    except ValidationError as error:
        return _after_change(
            request, assessment, access, code, status=422, error=" ".join(error.messages)
        )
    return _after_change(request, assessment, access, code, saved=True)


@login_required
@require_POST
def save_people(request: HttpRequest, pk: int) -> HttpResponse:
    """Respondents' positions and the sampled products' publication, one form for the block."""
    assessment = get_assessment_for_user(request.user, pk)
    access = AssessmentAccess(request.user, assessment)
    _require_edit(access)
    for respondent in assessment.respondents.all():
        field = f"title-{respondent.pk}"
        if field in request.POST:
            rename_respondent(respondent, request.POST[field], actor=request.user)
    for observation in assessment.product_observations.all():
        if f"seen-{observation.pk}" in request.POST:
            observe_product(
                observation,
                published_physically=f"physical-{observation.pk}" in request.POST,
                published_electronically=f"electronic-{observation.pk}" in request.POST,
                note=request.POST.get(f"note-{observation.pk}", observation.note),
                actor=request.user,
            )
    group = request.POST.get("add_respondent")
    if group in RespondentGroup.values:
        add_respondent(assessment, group, actor=request.user)
    if request.htmx:
        response = render(
            request,
            "assessments/workspace/people_state.html",
            {
                "observations": assessment.product_observations.order_by("product__name"),
            },
        )
        if group:
            response["HX-Refresh"] = "true"  # new respondent rows in every per-respondent card
        return response
    return _back(assessment)


@login_required
@require_POST
def add_evidence(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    assessment = get_assessment_for_user(request.user, pk)
    access = AssessmentAccess(request.user, assessment)
    _require_edit(access, code)
    title = request.POST.get("title", "")
    too_large = upload_refusal(request, settings.PATUH_EVIDENCE_MAX_BYTES)
    try:
        if too_large:
            raise ValidationError(too_large, code="too_large")
        if request.FILES.get("file"):
            evidence_verbs.add_file(
                assessment, code, request.FILES["file"], actor=request.user, title=title
            )
        elif request.POST.get("url", "").strip():
            evidence_verbs.add_link(
                assessment, code, request.POST["url"], actor=request.user, title=title
            )
        else:
            raise ValidationError(_("Pilih berkas atau isi tautan."))
    except ValidationError as error:
        return _after_change(
            request, assessment, access, code, status=422, error=" ".join(error.messages)
        )
    return _after_change(request, assessment, access, code, saved=True)


@login_required
@require_POST
def carry_evidence(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    assessment = get_assessment_for_user(request.user, pk)
    access = AssessmentAccess(request.user, assessment)
    _require_edit(access, code)
    carried = evidence_verbs.carry_forward(assessment, code, actor=request.user)
    error = ""
    if not carried:
        previous = evidence_verbs.previous_assessment(assessment)
        had_evidence = (
            previous is not None
            and previous.evidence.filter(indicator_code=code, removed_at__isnull=True).exists()
        )
        error = (
            _("Semua bukti siklus sebelumnya untuk indikator ini sudah dibawa.")
            if had_evidence
            else _("Tidak ada bukti siklus sebelumnya untuk indikator ini.")
        )
    return _after_change(request, assessment, access, code, error=error, saved=bool(carried))


def _evidence_of(assessment: Assessment, evidence_id: int) -> Evidence:
    return get_object_or_404(Evidence, pk=evidence_id, assessment=assessment)


@login_required
@require_POST
def confirm_evidence(request: HttpRequest, pk: int, evidence_id: int) -> HttpResponse:
    assessment = get_assessment_for_user(request.user, pk)
    access = AssessmentAccess(request.user, assessment)
    evidence = _evidence_of(assessment, evidence_id)
    _require_edit(access, evidence.indicator_code)
    evidence_verbs.confirm(evidence, actor=request.user)
    return _after_change(request, assessment, access, evidence.indicator_code, saved=True)


@login_required
@require_POST
def remove_evidence(request: HttpRequest, pk: int, evidence_id: int) -> HttpResponse:
    assessment = get_assessment_for_user(request.user, pk)
    access = AssessmentAccess(request.user, assessment)
    evidence = _evidence_of(assessment, evidence_id)
    _require_edit(access, evidence.indicator_code)
    try:
        evidence_verbs.remove(evidence, actor=request.user, reason=request.POST.get("reason", ""))
    except ValidationError as error:
        return _after_change(
            request,
            assessment,
            access,
            evidence.indicator_code,
            status=422,
            error=" ".join(error.messages),
        )
    return _after_change(request, assessment, access, evidence.indicator_code, saved=True)


def _evidence_for_user(user: Any, evidence_id: int) -> Evidence:
    return get_object_or_404(
        Evidence.objects.filter(assessment__in=Assessment.objects.for_user(user)),
        pk=evidence_id,
        kind="file",
    )


@login_required
def download_evidence(request: HttpRequest, evidence_id: int) -> FileResponse:
    evidence = _evidence_for_user(request.user, evidence_id)
    name = evidence.original_name or f"bukti-{evidence.pk}{evidence.extension}"
    return private_file_response(evidence.file, evidence.content_type, name)


@login_required
def evidence_thumbnail(request: HttpRequest, evidence_id: int) -> FileResponse:
    evidence = _evidence_for_user(request.user, evidence_id)
    return private_file_response(
        evidence.thumbnail, "image/jpeg", f"thumbnail-{evidence.pk}.jpg", inline=True
    )


@login_required
@require_POST
def add_comment(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    assessment = get_assessment_for_user(request.user, pk)
    access = AssessmentAccess(request.user, assessment)
    if not access.can_comment:
        raise PermissionDenied
    parent = None
    if request.POST.get("parent"):
        parent = get_object_or_404(
            Comment, pk=request.POST["parent"], assessment=assessment, indicator_code=code
        )
    try:
        comment_verbs.add_comment(
            assessment, code, request.POST.get("body", ""), actor=request.user, parent=parent
        )
    except ValidationError as error:
        return _after_change(
            request, assessment, access, code, status=422, error=" ".join(error.messages)
        )
    return _after_change(request, assessment, access, code, saved=True)


@login_required
@require_POST
def resolve_comment(request: HttpRequest, pk: int, comment_id: int) -> HttpResponse:
    assessment = get_assessment_for_user(request.user, pk)
    access = AssessmentAccess(request.user, assessment)
    if not access.can_comment:
        raise PermissionDenied
    comment = get_object_or_404(Comment, pk=comment_id, assessment=assessment)
    comment_verbs.set_resolved(
        comment, request.POST.get("resolved", "1") == "1", actor=request.user
    )
    return _after_change(request, assessment, access, comment.indicator_code, saved=True)


@login_required
@require_POST
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_assessment_for_user(request.user, pk)
    access = AssessmentAccess(request.user, assessment)
    if not access.can_submit:
        raise PermissionDenied(access.edit_refusal)
    from django.contrib import messages

    try:
        submit_assessment(assessment, actor=request.user, note=request.POST.get("note", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Penilaian diajukan. Jawaban kini terkunci."))
    return _back(assessment)


HISTORY_OBJECTS = {
    "assessments.answer": Answer,
    "assessments.evidence": Evidence,
    "assessments.comment": Comment,
    "assessments.respondent": Respondent,
    "assessments.productobservation": ProductObservation,
}


@login_required
def history(request: HttpRequest, pk: int) -> HttpResponse:
    """Every recorded change of the assessment, newest first: who, when, old, new, why."""
    assessment = get_assessment_for_user(request.user, pk)
    events = list(
        AuditEvent.objects.filter(
            Q(context_type="assessments.assessment", context_id=str(assessment.pk))
            | Q(object_type="assessments.assessment", object_id=str(assessment.pk))
        ).select_related("actor")
    )
    answer_codes = dict(
        Answer.objects.filter(assessment=assessment).values_list("pk", "indicator_code")
    )
    indicator = request.GET.get("indikator", "").strip()
    rows = []
    for event in events:
        code = ""
        if event.object_type == "assessments.answer":
            code = answer_codes.get(int(event.object_id), "")
        elif isinstance(event.new, dict) and event.new.get("indicator"):
            code = event.new["indicator"]
        elif isinstance(event.old, dict) and event.old.get("indicator"):
            code = event.old["indicator"]
        if indicator and code != indicator:
            continue
        rows.append({"event": event, "indicator": code})
    return render(
        request,
        "assessments/workspace/history.html",
        {"assessment": assessment, "rows": rows, "indicator": indicator},
    )


@login_required
@require_POST
def apply_perception(request: HttpRequest, pk: int) -> HttpResponse:
    """Write the unit's perception-survey responses into the Output indicators (audited)."""
    from django.contrib import messages

    from patuh.surveys.services import apply_perception as apply

    assessment = get_assessment_for_user(request.user, pk)
    access = AssessmentAccess(request.user, assessment)
    _require_edit(access)
    try:
        written = apply(assessment, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if written:
            messages.success(
                request,
                _("%(count)s indikator Output diisi dari survei persepsi.") % {"count": written},
            )
        else:
            messages.error(request, _("Belum ada jawaban survei persepsi untuk unit ini."))
    return _back(assessment)
