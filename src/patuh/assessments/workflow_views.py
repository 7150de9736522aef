"""Workflow actions from the web: on one assessment, on one indicator, on a whole government.

Plain POST forms that redirect back (a status change reshapes the whole page)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from patuh.assessments import workflow
from patuh.assessments.access import AssessmentAccess
from patuh.assessments.models import Assessment, AssessmentKind
from patuh.assessments.programs import cycle_url
from patuh.assessments.views import _get_government_for_user
from patuh.assessments.workspace_views import get_assessment_for_user

ASSESSMENT_VERBS = {
    "verify": "can_verify",
    "finalise": "can_verify",
    "reopen": "can_verify",
    "return_to_draft": "can_return_self_assessment",
    "drop": "can_drop",
    "restore": "can_drop",
}
"""verb → the AssessmentAccess property that allows it."""

DONE = {
    "verify": _("Penilaian diverifikasi."),
    "finalise": _("Penilaian difinalkan dan terkunci."),
    "reopen": _("Penilaian dibuka kembali; penilai dapat memperbaiki indikator yang diminta."),
    "return_to_draft": _("Penilaian mandiri dikembalikan ke draf."),
    "drop": _("Unit dikeluarkan dari kampanye penilaian."),
    "restore": _("Unit dikembalikan ke kampanye penilaian."),
}


def _page(assessment: Assessment, anchor: str = "") -> HttpResponse:
    url = reverse("assessments:assessment", args=[assessment.pk])
    return redirect(f"{url}#{anchor}" if anchor else url)


@login_required
@require_POST
def assessment_transition(request: HttpRequest, pk: int, verb: str) -> HttpResponse:
    if verb not in ASSESSMENT_VERBS:
        raise Http404("Tindakan tidak dikenal")
    assessment = get_assessment_for_user(request.user, pk)
    access = AssessmentAccess(request.user, assessment)
    if not getattr(access, ASSESSMENT_VERBS[verb]):
        raise PermissionDenied(_("Anda tidak berwenang untuk tindakan ini."))
    reason = request.POST.get("reason", "")
    if verb == "reopen" and not reason.strip():
        messages.error(request, _("Alasan membuka kembali penilaian final wajib diisi."))
        return _page(assessment)
    try:
        if verb == "reopen":
            workflow.reopen(assessment, actor=request.user, reason=reason)
        else:
            workflow.transition(assessment, verb, actor=request.user, reason=reason)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, DONE[verb])
    return _page(assessment)


@login_required
@require_POST
def request_changes(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    assessment = get_assessment_for_user(request.user, pk)
    if not AssessmentAccess(request.user, assessment).can_request_changes:
        raise PermissionDenied(_("Hanya verifikator yang dapat meminta perbaikan."))
    try:
        workflow.request_changes(
            assessment, [(code, request.POST.get("note", ""))], actor=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if assessment.kind == AssessmentKind.SELF:
            done = _("Perbaikan %(code)s diminta; isian kembali ke unit.")
        else:
            done = _("Perbaikan %(code)s diminta; penilaian kembali ke penilai.")
        messages.success(request, done % {"code": code})
    return _page(assessment, f"ind-{code}")


GOVERNMENT_VERBS = ("verify", "finalise", "publish")


@login_required
@require_POST
def government_transition(
    request: HttpRequest, year: int, region_code: str, verb: str, program: str = "ombudsman"
) -> HttpResponse:
    """Verify every submitted unit, finalise every verified unit, or publish the government's
    results (every unit final) — the official assessments of one government in one cycle."""
    if verb not in GOVERNMENT_VERBS:
        raise Http404("Tindakan tidak dikenal")
    cycle, government = _get_government_for_user(request.user, year, region_code, program)
    sample = (
        Assessment.objects.for_user(request.user)
        .filter(cycle=cycle, service_unit__government=government, kind=AssessmentKind.OFFICIAL)
        .select_related("cycle", "service_unit")
        .first()
    )
    if sample is None:
        raise Http404("Penilaian tidak ditemukan")
    if not AssessmentAccess(request.user, sample).can_verify:
        raise PermissionDenied(_("Hanya verifikator yang dapat melakukan ini."))
    assessments = Assessment.objects.filter(
        cycle=cycle, service_unit__government=government, kind=AssessmentKind.OFFICIAL
    ).order_by("service_unit__code")
    try:
        if verb == "publish":
            moved = workflow.publish_government(cycle, government, actor=request.user)
            if cycle.program == "pekppp":
                done = _("%(count)s penilaian F-02 %(government)s dipublikasikan.")
            else:
                done = _(
                    "%(count)s penilaian %(government)s dipublikasikan; tindak lanjut rapor dibuat."
                )
            messages.success(request, done % {"count": moved, "government": government.name})
        else:
            target = {"verify": "verify", "finalise": "finalise"}[verb]
            moved, skipped = workflow.transition_many(assessments, target, actor=request.user)
            messages.success(
                request,
                _("%(moved)s penilaian diproses, %(skipped)s dilewati karena statusnya.")
                % {"moved": moved, "skipped": skipped},
            )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    url = cycle_url("government", cycle, government.region_code)
    return redirect(f"{url}?jenis=official#workflow")
