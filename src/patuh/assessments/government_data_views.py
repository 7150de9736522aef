"""The "Data tingkat pemerintah" pages of a 2025+ cycle: one government's figures (entered row
by row, saved with htmx or a plain POST), and the cycle's overview with the file import.

Every view finds the cycle and the government through ``for_user`` (404 outside the user's
scope, or for a cycle whose instrument has no government-level figures), then asks
:func:`can_read_government_data` / :func:`can_edit_government_data` (403 with the reason).
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from patuh.assessments import government_import
from patuh.assessments.access import (
    can_edit_government_data,
    can_manage_cycle,
    can_read_government_data,
)
from patuh.assessments.government_data import (
    GOVERNMENT_ANSWER_CLEARED,
    GOVERNMENT_ANSWER_SAVED,
    GovernmentAnswerConflict,
    clear_government_answer,
    compliance_facts,
    has_government_answers,
    instrument_of,
    record_government_answer,
)
from patuh.assessments.models import AssessmentKind, Cycle, GovernmentAnswer
from patuh.assessments.services import score_assessments
from patuh.core.models import AuditEvent
from patuh.core.uploads import upload_refusal
from patuh.orgs.models import Government
from patuh.results.models import ResultSnapshot
from patuh.scoring.model import GovernmentIndicator

IMPORT_SALT = "patuh.government-data.import"
IMPORT_MAX_AGE = 3600
"""Seconds a checked file may wait for its confirmation."""
HISTORY_SHOWN = 30


def get_cycle_for_user(user: Any, cycle_id: int) -> Cycle:
    """The cycle if the user may see it and it has government-level figures, or 404."""
    cycle = get_object_or_404(Cycle.objects.for_user(user).select_related("province"), pk=cycle_id)
    if not has_government_answers(cycle):
        raise Http404("Siklus ini tidak memiliki data tingkat pemerintah")
    return cycle


def get_government_for_user(user: Any, cycle_id: int, region_code: str) -> tuple[Cycle, Government]:
    """The cycle and one of its governments if the user may read its figures: 404 when
    either is outside the user's scope or the government outside the cycle, 403 for a user
    who sees them but has no part in the figures."""
    cycle = get_cycle_for_user(user, cycle_id)
    government = get_object_or_404(
        Government.objects.for_user(user).select_related("province"), region_code=region_code
    )
    if cycle.province_id is not None and government.province_id != cycle.province_id:
        raise Http404("Pemerintah tidak termasuk siklus ini")
    if not can_read_government_data(user, cycle, government):
        raise PermissionDenied(
            _(
                "Data tingkat pemerintah dibuka oleh admin perwakilan, penilai yang ditugaskan, "
                "verifikator dan koordinator pemerintah ini."
            )
        )
    return cycle, government


@dataclass
class FigureRow:
    """One government-level indicator on the page: its figure and what the last save did."""

    indicator: GovernmentIndicator
    answer: GovernmentAnswer | None
    posted: dict[str, str] | None = None
    """What the user sent, shown again after a refusal."""
    error: str = ""
    conflict: GovernmentAnswerConflict | None = None
    saved: bool = False
    cleared: bool = False

    @property
    def code(self) -> str:
        return self.indicator.code

    @property
    def version(self) -> int:
        return self.answer.version if self.answer is not None else 0

    def shown(self, name: str) -> str:
        if self.posted is not None and self.conflict is None:
            return self.posted.get(name, "")
        if self.answer is None:
            return ""
        value = getattr(self.answer, name)
        if name == "value":
            return government_import.figure_text(value)
        return "" if value is None else str(value)

    @property
    def stored_value(self) -> str:
        return government_import.figure_text(self.answer.value) if self.answer else ""

    @property
    def form_value(self) -> str:
        return self.shown("value")

    @property
    def form_year(self) -> str:
        return self.shown("year")

    @property
    def form_source(self) -> str:
        return self.shown("source")

    @property
    def form_note(self) -> str:
        return self.shown("note")


def _rows(cycle: Cycle, government: Government) -> dict[str, FigureRow]:
    answers = {
        answer.indicator_code: answer
        for answer in GovernmentAnswer.objects.filter(
            cycle=cycle, government=government
        ).select_related("updated_by")
    }
    return {
        code: FigureRow(indicator, answers.get(code))
        for code, indicator in instrument_of(cycle).government_indicators.items()
    }


def _is_published(cycle: Cycle, government: Government) -> bool:
    return ResultSnapshot.objects.published().filter(cycle=cycle, government=government).exists()


def _history(cycle: Cycle, government: Government) -> list[AuditEvent]:
    """The latest saves and clearings of the government's figures in the cycle."""
    code = government.region_code
    return list(
        AuditEvent.objects.filter(
            context_type="assessments.cycle",
            context_id=str(cycle.pk),
            action__in=(GOVERNMENT_ANSWER_SAVED, GOVERNMENT_ANSWER_CLEARED),
        )
        .filter(Q(new__government=code) | Q(old__government=code))
        .select_related("actor")
        .order_by("-created_at", "-pk")[:HISTORY_SHOWN]
    )


def _page_context(
    request: HttpRequest, cycle: Cycle, government: Government, rows: dict[str, FigureRow]
) -> dict[str, Any]:
    instrument = instrument_of(cycle)
    result = score_assessments(cycle, government, AssessmentKind.OFFICIAL)
    scores = {element.code: element for element in result.elements} if result else {}
    facts = compliance_facts(cycle, [government.pk]).get(government.pk)
    published = _is_published(cycle, government)
    return {
        "cycle": cycle,
        "government": government,
        "instrument": instrument,
        "elements": [
            {
                "element": element,
                "result": scores.get(element.code),
                "rows": [rows[indicator.code] for indicator in element.indicators],
            }
            for element in instrument.government_elements
        ],
        "result": result,
        "compliance": instrument.compliance,
        "facts": facts,
        "published": published,
        "can_edit": can_edit_government_data(request.user, cycle, government) and not published,
        "can_manage": can_manage_cycle(request.user, cycle),
        "history": _history(cycle, government),
    }


def _posted(request: HttpRequest) -> dict[str, str]:
    return {
        name: request.POST.get(name, "").strip() for name in ("value", "year", "source", "note")
    }


def _year(text: str) -> int | None:
    if not text:
        return None
    try:
        return int(text)
    except ValueError as error:
        raise ValidationError(
            _("Tahun data '%(year)s' harus bilangan bulat, mis. 2025.") % {"year": text[:20]}
        ) from error


def _apply(request: HttpRequest, cycle: Cycle, government: Government, row: FigureRow) -> int:
    """Save or clear the posted row; returns the HTTP status of the answer."""
    action = request.POST.get("action", "save")
    reason = request.POST.get("reason", "").strip()
    if action == "clear":
        try:
            if clear_government_answer(
                cycle, government, row.code, actor=request.user, reason=reason
            ):
                row.answer, row.cleared = None, True
            else:
                row.error = _("Belum ada nilai untuk dihapus.")
                return 422
        except ValidationError as error:
            row.error = " ".join(error.messages)
            return 422
        return 200
    if action != "save":
        row.error = _("Tindakan tidak dikenal.")
        return 422
    posted = _posted(request)
    row.posted = posted
    try:
        expected = int(request.POST.get("version", ""))
    except ValueError:
        expected = None
    try:
        if not posted["value"]:
            raise ValidationError(
                _("Isi nilainya; untuk menghapus nilai yang sudah ada pakai tombol Hapus.")
            )
        row.answer = record_government_answer(
            cycle,
            government,
            row.code,
            posted["value"],
            year=_year(posted["year"]),
            source=posted["source"],
            note=posted["note"],
            actor=request.user,
            reason=reason,
            expected_version=expected,
        )
    except GovernmentAnswerConflict as conflict:
        row.conflict, row.answer = conflict, conflict.answer
        row.error = _("Nilai ini sudah diubah orang lain; nilai Anda belum disimpan.")
        return 409
    except ValidationError as error:
        row.error = " ".join(error.messages)
        return 422
    row.posted, row.saved = None, True
    return 200


@login_required
def government_data(request: HttpRequest, cycle_id: int, region_code: str) -> HttpResponse:
    """One government's figures in one cycle: read, entered row by row, cleared with a reason."""
    cycle, government = get_government_for_user(request.user, cycle_id, region_code)
    rows = _rows(cycle, government)
    status = 200
    if request.method == "POST":
        if not can_edit_government_data(request.user, cycle, government):
            raise PermissionDenied(
                _("Hanya admin perwakilan wilayah ini, admin nasional dan penilai yang ditugaskan.")
            )
        row = rows.get(request.POST.get("indicator", ""))
        if row is None:
            raise Http404("Indikator tidak ditemukan")
        status = _apply(request, cycle, government, row)
        url = reverse("assessments:government_data", args=[cycle.pk, government.region_code])
        if request.htmx:
            context = _page_context(request, cycle, government, rows) | {"row": row, "oob": True}
            return render(
                request, "assessments/government_data/row_response.html", context, status=status
            )
        if status == 200:
            if row.saved:
                messages.success(request, _("%(code)s tersimpan.") % {"code": row.code})
            else:
                messages.success(request, _("%(code)s dihapus.") % {"code": row.code})
            return redirect(f"{url}#fig-{row.code}")
    context = _page_context(request, cycle, government, rows)
    return render(request, "assessments/government_data/page.html", context, status=status)


# -- the cycle's overview and the file import ----------------------------------------------


def _manage(request: HttpRequest, cycle_id: int) -> Cycle:
    cycle = get_cycle_for_user(request.user, cycle_id)
    if not can_manage_cycle(request.user, cycle):
        raise PermissionDenied(_("Hanya admin perwakilan wilayah ini atau admin nasional."))
    return cycle


def cycle_overview(cycle: Cycle) -> list[dict[str, Any]]:
    """Per assessed government: how many of the instrument's figures are entered."""
    codes = list(instrument_of(cycle).government_indicators)
    entered = dict(
        GovernmentAnswer.objects.filter(cycle=cycle, indicator_code__in=codes)
        .values("government_id")
        .annotate(n=Count("id"))
        .values_list("government_id", "n")
    )
    return [
        {"government": government, "entered": entered.get(government.pk, 0), "total": len(codes)}
        for government in government_import.assessed_governments(cycle)
    ]


def _download(text: str, name: str) -> HttpResponse:
    """The cycle's figures as a private CSV attachment (never cached, never sniffed)."""
    from patuh.core.files import protect

    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return protect(response)


@login_required
def government_data_template(request: HttpRequest, cycle_id: int) -> HttpResponse:
    cycle = _manage(request, cycle_id)
    rows = government_import.template_rows(cycle)
    return _download(government_import.csv_text(rows), f"data-pemerintah-{cycle.pk}-templat.csv")


@login_required
def government_data_export(request: HttpRequest, cycle_id: int) -> HttpResponse:
    cycle = _manage(request, cycle_id)
    rows = government_import.export_rows(cycle)
    return _download(government_import.csv_text(rows), f"data-pemerintah-{cycle.pk}.csv")


def _salt(cycle: Cycle, request: HttpRequest) -> str:
    return f"{IMPORT_SALT}:{cycle.pk}:{request.user.pk}"


def _check_upload(request: HttpRequest, cycle: Cycle) -> tuple[Any, list[str], str]:
    """The uploaded file checked: (summary or None, problems, signed rows to confirm)."""
    file = request.FILES.get("file")
    suffix = Path(getattr(file, "name", "") or "").suffix.lower()
    refusal = upload_refusal(request)
    if refusal:
        return None, [refusal], ""
    if file is None:
        return None, [_("Pilih berkas data (.csv atau .xlsx).")], ""
    if suffix not in (".csv", ".xlsx"):
        return None, [_("Berkas harus .csv atau .xlsx.")], ""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"data{suffix}"
        with path.open("wb") as handle:
            for chunk in file.chunks():
                handle.write(chunk)
        try:
            table = government_import.read_table(path)
            figures, skipped = government_import.check_table(cycle, table, file.name)
        except government_import.GovernmentImportError as error:
            return None, [str(problem) for problem in error.problems], ""
    summary = government_import.ImportSummary(figures, skipped=skipped, dry_run=True)
    summary.unchanged = sum(1 for figure in figures if figure.status == "unchanged")
    payload = {
        "name": file.name,
        "rows": [(figure.row, figure.as_row(), figure.stored_version) for figure in figures],
    }
    return summary, [], signing.dumps(payload, salt=_salt(cycle, request), compress=True)


def _confirm(request: HttpRequest, cycle: Cycle) -> tuple[Any, list[str], str]:
    try:
        payload = signing.loads(
            request.POST.get("payload", ""), salt=_salt(cycle, request), max_age=IMPORT_MAX_AGE
        )
    except signing.BadSignature:
        return None, [_("Pemeriksaan berkas sudah kedaluwarsa; unggah berkasnya lagi.")], ""
    columns = {name: (index, name) for index, name in enumerate(government_import.COLUMNS)}
    table = [(number, cells | {"_columns": columns}) for number, cells, _v in payload["rows"]]
    seen = {number: version for number, _cells, version in payload["rows"]}
    try:
        figures, _skipped = government_import.check_table(cycle, table, payload["name"])
        stale = [figure for figure in figures if figure.stored_version != seen[figure.row]]
        if stale:
            return (
                None,
                [
                    _(
                        "baris %(row)s: %(code)s %(government)s diubah orang lain sejak "
                        "berkas diperiksa; tidak ada yang disimpan. Periksa berkasnya lagi."
                    )
                    % {
                        "row": figure.row,
                        "code": figure.indicator,
                        "government": figure.government.region_code,
                    }
                    for figure in stale
                ],
                "",
            )
        summary = government_import.save_figures(
            cycle,
            figures,
            actor=request.user,
            reason=request.POST.get("reason", "").strip(),
            source=payload["name"],
        )
    except government_import.GovernmentImportError as error:
        return None, [str(problem) for problem in error.problems], ""
    messages.success(
        request,
        _("Impor selesai: %(saved)s nilai disimpan, %(unchanged)s tidak berubah.")
        % {"saved": summary.saved, "unchanged": summary.unchanged},
    )
    return summary, [], ""


@login_required
def government_data_cycle(request: HttpRequest, cycle_id: int) -> HttpResponse:
    """The cycle's figures per government, and the import: a file is checked first (every bad
    row listed, nothing saved), then saved whole on confirmation."""
    cycle = _manage(request, cycle_id)
    summary, problems, payload, status = None, [], "", 200
    if request.method == "POST":
        if request.POST.get("step") == "confirm":
            summary, problems, payload = _confirm(request, cycle)
            if not problems:
                return redirect(reverse("assessments:government_data_cycle", args=[cycle.pk]))
        else:
            summary, problems, payload = _check_upload(request, cycle)
        status = 400 if problems else 200
    context = {
        "cycle": cycle,
        "instrument": instrument_of(cycle),
        "overview": cycle_overview(cycle),
        "summary": summary,
        "problems": problems,
        "payload": payload,
        "columns": government_import.COLUMNS,
    }
    return render(request, "assessments/government_data/cycle.html", context, status=status)
