"""The operators page of a government (invite, remove, import from XLSX) and the invitation
link an invitee opens (see :mod:`patuh.accounts.invitations`)."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_safe

from patuh.accounts import invitations
from patuh.accounts.forms import AcceptInvitationForm, InviteOperatorForm
from patuh.accounts.models import Invitation, Membership
from patuh.accounts.operator_import import OperatorImportError, import_operators, template_rows
from patuh.accounts.roles import Role
from patuh.core.files import private_bytes_response
from patuh.core.uploads import upload_refusal
from patuh.orgs.models import Government

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _get_government_for_manager(user: Any, region_code: str) -> Government:
    """The government if the user may manage its operators; 404 if the user cannot see it,
    403 if the user sees it without managing it (its unit operators, its assessors)."""
    government = get_object_or_404(Government.objects.for_user(user), region_code=region_code)
    if not invitations.may_manage_operators(user, government):
        raise PermissionDenied(_("Hanya koordinator pemerintah ini yang mengelola operator."))
    return government


def _page_url(government: Government) -> str:
    return reverse("operators", args=[government.region_code])


@login_required
@require_http_methods(["GET", "POST"])
def operators(request: HttpRequest, region_code: str) -> HttpResponse:
    """Every unit of the government with its operators and pending invitations."""
    government = _get_government_for_manager(request.user, region_code)
    form = InviteOperatorForm(government=government)
    if request.method == "POST":
        too_large = upload_refusal(request)
        if too_large:
            messages.error(request, too_large)
            return redirect(_page_url(government))
        action = request.POST.get("action", "")
        if action == "invite":
            form = InviteOperatorForm(request.POST, government=government)
            if form.is_valid():
                return _invite(request, government, form)
        elif action == "remove":
            membership = get_object_or_404(
                Membership,
                pk=request.POST.get("id") or 0,
                role=Role.UNIT_OPERATOR,
                service_unit__government=government,
            )
            invitations.end_membership(
                membership, actor=request.user, reason=request.POST.get("reason", "")[:500]
            )
            messages.success(
                request,
                _("%(user)s bukan lagi operator %(unit)s.")
                % {"user": membership.user.get_username(), "unit": membership.service_unit.name},
            )
            return redirect(_page_url(government))
        elif action == "revoke":
            invitation = get_object_or_404(
                Invitation.objects.pending(),
                pk=request.POST.get("id") or 0,
                service_unit__government=government,
            )
            invitations.revoke_invitation(invitation, actor=request.user)
            messages.success(
                request, _("Undangan untuk %(email)s dibatalkan.") % {"email": invitation.email}
            )
            return redirect(_page_url(government))
        elif action == "import":
            return _import(request, government)
        else:
            messages.error(request, _("Tindakan tidak dikenal."))
            return redirect(_page_url(government))
    return render(request, "accounts/operators.html", _context(government, form))


def _context(government: Government, form: InviteOperatorForm) -> dict[str, Any]:
    units = list(government.units.order_by("name"))
    memberships = (
        Membership.objects.filter(role=Role.UNIT_OPERATOR, service_unit__government=government)
        .select_related("user")
        .order_by("user__username")
    )
    pending = (
        Invitation.objects.pending().filter(service_unit__government=government).order_by("email")
    )
    by_unit: dict[int, dict[str, list]] = {u.pk: {"members": [], "invitations": []} for u in units}
    for membership in memberships:
        by_unit[membership.service_unit_id]["members"].append(membership)
    for invitation in pending:
        by_unit[invitation.service_unit_id]["invitations"].append(invitation)
    return {
        "government": government,
        "rows": [(unit, by_unit[unit.pk]) for unit in units],
        "form": form,
        "now": timezone.now(),
        "invitation_days": invitations.lifetime().days,
    }


def _invite(request: HttpRequest, government: Government, form: InviteOperatorForm) -> HttpResponse:
    data = form.cleaned_data
    result = invitations.invite_operator(
        data["unit"],
        email=data["email"],
        full_name=data["full_name"],
        actor=request.user,
        resend=True,
        request=request,
    )
    values = {"email": invitations.normal_email(data["email"]), "unit": data["unit"].name}
    if result.outcome == invitations.ALREADY_OPERATOR:
        messages.info(request, _("%(email)s sudah menjadi operator %(unit)s.") % values)
    elif result.outcome == invitations.RESENT:
        messages.success(request, _("Undangan baru dikirim ke %(email)s (%(unit)s).") % values)
    else:
        messages.success(request, _("Undangan dikirim ke %(email)s (%(unit)s).") % values)
    return redirect(_page_url(government))


def _import(request: HttpRequest, government: Government) -> HttpResponse:
    upload = request.FILES.get("file")
    if upload is None or Path(upload.name or "").suffix.lower() != ".xlsx":
        messages.error(request, _("Pilih berkas Excel (.xlsx)."))
        return redirect(_page_url(government))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "operator.xlsx"
        with path.open("wb") as handle:
            for chunk in upload.chunks():
                handle.write(chunk)
        try:
            summary = import_operators(path, government, actor=request.user, request=request)
        except OperatorImportError as error:
            return render(
                request,
                "accounts/operators.html",
                {
                    **_context(government, InviteOperatorForm(government=government)),
                    "import_problems": [str(problem) for problem in error.problems],
                },
                status=422,
            )
    messages.success(
        request,
        _("%(rows)s baris diperiksa: %(invited)s undangan dikirim, %(unchanged)s tidak berubah.")
        % {
            "rows": summary.rows,
            "invited": len(summary.invited),
            "unchanged": len(summary.unchanged),
        },
    )
    return redirect(_page_url(government))


@login_required
@require_safe
def operators_sheet(request: HttpRequest, region_code: str) -> HttpResponse:
    """The operators as an XLSX in the import's columns: fill it in and import it back."""
    import openpyxl

    government = _get_government_for_manager(request.user, region_code)
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "operator"
    for row in template_rows(government):
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return private_bytes_response(
        buffer.getvalue(),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        f"operator-{government.region_code}.xlsx",
    )


# --- the invitee's side ---------------------------------------------------------------------


@sensitive_post_parameters("password1", "password2")
@never_cache
@require_http_methods(["GET", "POST"])
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """Accept an invitation: a new account (username and password), or an existing one."""
    found = invitations.find_invitation(token)
    if found is None:
        return _refused(request, _("Tautan undangan ini tidak dikenal. Periksa tautannya."), 404)
    problem = invitations.unusable_because(found)
    if problem:
        return _refused(request, problem, 410)
    existing = invitations.account_with_email(found.email)
    context: dict[str, Any] = {"invitation": found, "unit": found.service_unit}
    if existing is not None:
        if request.user.is_authenticated and request.user.pk == existing.pk:
            if request.method == "POST":
                return _accept(request, found, request.user)
            return render(request, "accounts/invitation.html", {**context, "accept_as": existing})
        if request.user.is_authenticated:
            context["other_account"] = True
        login_url = reverse("login") + "?" + urlencode({"next": request.path})
        return render(request, "accounts/invitation.html", {**context, "login_url": login_url})
    model = AcceptInvitationForm.Meta.model
    first, _sep, last = found.full_name.partition(" ")
    account = model(email=found.email, first_name=first[:150], last_name=last[:150])
    form = AcceptInvitationForm(
        request.POST or None,
        instance=account,
        initial={"username": found.email.split("@")[0][:150]},
    )
    if request.method == "POST" and form.is_valid():
        return _accept(request, found, form.save(commit=False))
    return render(request, "accounts/invitation.html", {**context, "form": form})


def _accept(request: HttpRequest, found: Invitation, user: Any) -> HttpResponse:
    try:
        membership = invitations.accept_invitation(found, user, request=request)
    except invitations.InvitationUnusable as error:
        return _refused(request, str(error), 410)
    if not request.user.is_authenticated:
        login(request, user, backend=MODEL_BACKEND)
    messages.success(
        request,
        _("Selamat datang. Anda sekarang operator %(unit)s.")
        % {"unit": membership.service_unit.name},
    )
    return redirect("home")


def _refused(request: HttpRequest, reason: str, status: int) -> HttpResponse:
    return render(request, "accounts/invitation_refused.html", {"reason": reason}, status=status)
