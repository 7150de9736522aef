"""The register pages: a unit's register with its figures, the walk-in form, a complaint with
the complaint officer's actions, and a government's figures per unit. Every view starts from
:mod:`patuh.complaints.access`."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from patuh.complaints import services
from patuh.complaints.access import (
    government_for_user,
    may_handle,
    may_log,
    require,
    sees_identity,
    unit_for_user,
)
from patuh.complaints.clock import timing
from patuh.complaints.forms import CloseForm, DisposeForm, FilterForm, FollowUpForm, WalkInForm
from patuh.complaints.imports import ComplaintImportError, import_export
from patuh.complaints.models import Complaint
from patuh.complaints.stats import Period, calendar_for, government_figures, unit_figures
from patuh.core.uploads import upload_refusal
from patuh.orgs.models import ServiceUnit

PER_PAGE = 50


def _year(form: FilterForm) -> int:
    if form.is_valid() and form.cleaned_data.get("year"):
        return form.cleaned_data["year"]
    return timezone.localdate().year


def _with_timing(complaints: list[Complaint], period: Period) -> list[tuple[Complaint, Any]]:
    calendar = calendar_for(period.years)
    return [(c, timing(services.dates_of(c), calendar)) for c in complaints]


@login_required
def register(request: HttpRequest, region_code: str, unit_code: str) -> HttpResponse:
    unit = unit_for_user(request.user, region_code, unit_code)
    form = FilterForm(request.GET or None)
    year = _year(form)
    period = Period.year(year)
    rows = Complaint.objects.filter(unit=unit).received_between(period.start, period.end)
    wanted = form.cleaned_data if form.is_valid() else {}
    if wanted.get("channel"):
        rows = rows.filter(channel=wanted["channel"])
    if wanted.get("complaint_class"):
        rows = rows.filter(complaint_class=wanted["complaint_class"])
    status = wanted.get("status")
    if status == "closed":
        rows = rows.filter(closed_on__isnull=False)
    elif status in ("open", "overdue"):
        rows = rows.filter(closed_on__isnull=True)
    listed = _with_timing(list(rows.order_by("-received_on", "-id")), period)
    today = timezone.localdate()
    if status == "overdue":
        listed = [(c, t) for c, t in listed if c.followed_up_on is None and t.follow_up_due < today]
    page = Paginator(listed, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "complaints/register.html",
        {
            "unit": unit,
            "form": form,
            "year": year,
            "period": period,
            "figures": unit_figures(unit, period),
            "page": page,
            "today": today,
            "may_log": may_log(request.user, unit),
            "may_import": may_handle(request.user, unit),
            "sees_identity": sees_identity(request.user, unit),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def walk_in(request: HttpRequest, region_code: str, unit_code: str) -> HttpResponse:
    unit = unit_for_user(request.user, region_code, unit_code)
    require(may_log(request.user, unit))
    form = WalkInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in WalkInForm.Meta.fields}
        try:
            complaint = services.log_complaint(actor=request.user, unit=unit, **fields)
        except ValidationError as error:
            for name, problems in error.message_dict.items():
                for problem in problems:
                    form.add_error(name if name in form.fields else None, problem)
        else:
            messages.success(
                request,
                _("Pengaduan %(number)s tercatat.") % {"number": complaint.tracking_id},
            )
            if may_handle(request.user, unit):
                return redirect("complaints:detail", region_code, unit_code, complaint.pk)
            return redirect("complaints:register", region_code, unit_code)
    return render(request, "complaints/walk_in.html", {"unit": unit, "form": form})


ACTIONS = {
    "dispose": (DisposeForm, services.dispose),
    "follow_up": (FollowUpForm, services.record_follow_up),
    "close": (CloseForm, services.close),
}


@login_required
@require_http_methods(["GET", "POST"])
def detail(request: HttpRequest, region_code: str, unit_code: str, pk: int) -> HttpResponse:
    unit = unit_for_user(request.user, region_code, unit_code)
    complaint = get_object_or_404(Complaint.objects.filter(unit=unit), pk=pk)
    handling = may_handle(request.user, unit)
    forms_by_action: dict[str, Any] = {name: form() for name, (form, _verb) in ACTIONS.items()}
    if request.method == "POST":
        require(handling)
        action = request.POST.get("action", "")
        if action not in ACTIONS:
            return HttpResponse(status=400)
        form_class, verb = ACTIONS[action]
        form = form_class(request.POST)
        forms_by_action[action] = form
        if form.is_valid():
            try:
                verb(complaint, actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                for name, problems in error.message_dict.items():
                    for problem in problems:
                        form.add_error(name if name in form.fields else None, problem)
            else:
                messages.success(request, _("Tersimpan."))
                return redirect("complaints:detail", region_code, unit_code, complaint.pk)
    period = Period.year(complaint.received_on.year)
    return render(
        request,
        "complaints/detail.html",
        {
            "unit": unit,
            "complaint": complaint,
            "timing": timing(services.dates_of(complaint), calendar_for(period.years)),
            "handling": handling,
            "sees_identity": sees_identity(request.user, unit),
            "forms": forms_by_action,
        },
    )


@login_required
@require_http_methods(["POST"])
def upload(request: HttpRequest, region_code: str, unit_code: str) -> HttpResponse:
    """An SP4N-LAPOR! export uploaded by the unit's complaint officer: imported whole or not
    at all, every bad row listed (the same import as ``patuh complaints import``)."""
    unit = unit_for_user(request.user, region_code, unit_code)
    require(may_handle(request.user, unit))
    refusal = upload_refusal(request)
    problems: list[str] = []
    file = request.FILES.get("file")
    suffix = Path(getattr(file, "name", "") or "").suffix.lower()
    if refusal:
        problems = [refusal]
    elif file is None:
        problems = [_("Pilih berkas ekspor SP4N-LAPOR! (.csv atau .xlsx).")]
    elif suffix not in (".csv", ".xlsx"):
        problems = [_("Berkas harus .csv atau .xlsx.")]
    else:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / f"ekspor{suffix}"
            with path.open("wb") as handle:
                for chunk in file.chunks():
                    handle.write(chunk)
            try:
                summary = import_export(path, unit, actor=request.user)
            except ComplaintImportError as error:
                problems = [str(problem) for problem in error.problems]
            else:
                messages.success(
                    request,
                    _(
                        "Impor selesai: %(rows)s baris; %(created)s baru, %(updated)s "
                        "diperbarui, %(unchanged)s tidak berubah."
                    )
                    % {
                        "rows": summary.rows,
                        "created": summary.created,
                        "updated": summary.updated,
                        "unchanged": summary.unchanged,
                    },
                )
                return redirect("complaints:register", region_code, unit_code)
    return render(
        request,
        "complaints/upload_problems.html",
        {"unit": unit, "problems": problems, "name": getattr(file, "name", "")},
        status=400,
    )


@login_required
def government(request: HttpRequest, region_code: str) -> HttpResponse:
    found = government_for_user(request.user, region_code)
    form = FilterForm(request.GET or None)
    year = _year(form)
    period = Period.year(year)
    return render(
        request,
        "complaints/government.html",
        {
            "government": found,
            "year": year,
            "period": period,
            "result": government_figures(
                found, period, units=ServiceUnit.objects.for_user(request.user)
            ),
        },
    )
