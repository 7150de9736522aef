"""Operators of a government's units imported from an XLSX sheet, all rows or none.

The first sheet's first row names the columns ``kode unit``, ``nama lengkap`` and ``e-mail``
(in any order, any case; ``unit``, ``nama`` and ``email`` too); each further row is one
operator of one unit. Every row is checked before anything is written: an unknown unit, an
empty name, an address that is no e-mail, or the same person twice for one unit is reported
by row and column, and then nothing is imported. A person already operator of the unit, or
invited and not yet expired, is left as is, so importing the same sheet again changes nothing;
everyone else gets an invitation (:func:`patuh.accounts.invitations.invite_operator`).
Nobody is removed by an import.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from patuh.accounts import invitations
from patuh.scoring.errors import Problem, ScoringError
from patuh.scoring.spreadsheets import check_size, open_xlsx, safe_row, sheet_rows, shown
from patuh.scoring.survey_files import _column_letter

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
FULL_NAME_LENGTH = 150
EMAIL_LENGTH = 254

COLUMNS = {
    "unit": ("kodeunit", "unit", "unitcode", "kode"),
    "full_name": ("namalengkap", "nama", "fullname", "name"),
    "email": ("email", "surel", "alamatemail"),
}
HEADERS = {"unit": "kode unit", "full_name": "nama lengkap", "email": "e-mail"}
"""The column titles Patuh writes (the template) and names in its messages."""


class OperatorImportError(ScoringError):
    """The sheet cannot be imported; ``problems`` names every row and column at fault."""


@dataclass(frozen=True)
class Row:
    number: int
    unit: Any
    full_name: str
    email: str


@dataclass
class ImportSummary:
    rows: int = 0
    invited: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


def _key(title: Any) -> str:
    return "".join(ch for ch in str(title or "").lower() if ch.isalnum())


def _text(row: tuple, index: int) -> str:
    value = row[index] if index < len(row) else None
    return "" if value is None else str(value).replace("\x00", "").strip()


def read_rows(path: Path, government: Any) -> list[Row]:
    """The sheet's rows, each checked against ``government``'s units; every problem raised
    together as :class:`OperatorImportError`."""
    source = path.name
    check_size(path, OperatorImportError, MAX_FILE_BYTES)
    workbook = open_xlsx(path, OperatorImportError)
    try:
        sheet = workbook.worksheets[0] if workbook.worksheets else None
        rows = list(sheet_rows(sheet, source, OperatorImportError)) if sheet is not None else []
    finally:
        workbook.close()
    if not rows:
        raise OperatorImportError(source, [Problem("", _("lembar pertama kosong"))])
    header = [_key(title) for title in rows[0]]
    index: dict[str, int] = {}
    problems = []
    for name, aliases in COLUMNS.items():
        found = next((i for i, title in enumerate(header) if title in aliases), None)
        if found is None:
            problems.append(
                Problem(
                    _("baris 1"),
                    _("kolom '%(column)s' tidak ada di baris judul") % {"column": HEADERS[name]},
                )
            )
        else:
            index[name] = found
    if problems:
        raise OperatorImportError(source, problems)
    if len(rows) - 1 > MAX_ROWS:
        raise OperatorImportError(
            source,
            [Problem("", _("paling banyak %(rows)s baris per berkas") % {"rows": MAX_ROWS})],
        )

    units = {unit.code.lower(): unit for unit in government.units.all()}
    seen: dict[tuple[int, str], int] = {}
    checked = []
    for number, row in enumerate(rows[1:], start=2):
        values = {name: _text(row, i) for name, i in index.items()}
        if not any(values.values()):
            continue

        def where(name: str, number: int = number) -> str:
            return _("baris %(row)s, kolom %(letter)s (%(column)s)") % {
                "row": number,
                "letter": _column_letter(index[name]),
                "column": HEADERS[name],
            }

        unit = units.get(values["unit"].lower())
        if not values["unit"]:
            problems.append(Problem(where("unit"), _("kode unit kosong")))
        elif unit is None:
            problems.append(
                Problem(
                    where("unit"),
                    _("unit '%(code)s' tidak ada di %(government)s")
                    % {"code": shown(values["unit"]), "government": government.name},
                )
            )
        if not values["full_name"]:
            problems.append(Problem(where("full_name"), _("nama lengkap kosong")))
        elif len(values["full_name"]) > FULL_NAME_LENGTH:
            problems.append(
                Problem(
                    where("full_name"),
                    _("nama lengkap terlalu panjang (paling banyak %(n)s karakter)")
                    % {"n": FULL_NAME_LENGTH},
                )
            )
        email = invitations.normal_email(values["email"])
        if not email:
            problems.append(Problem(where("email"), _("alamat e-mail kosong")))
        else:
            try:
                if len(email) > EMAIL_LENGTH:
                    raise ValidationError("too long")
                validate_email(email)
            except ValidationError:
                problems.append(
                    Problem(
                        where("email"),
                        _("'%(value)s' bukan alamat e-mail yang sah")
                        % {"value": shown(values["email"])},
                    )
                )
                email = ""
        if unit is not None and email:
            first = seen.setdefault((unit.pk, email), number)
            if first != number:
                problems.append(
                    Problem(
                        where("email"),
                        _("%(email)s sudah tercantum untuk unit ini di baris %(first)s")
                        % {"email": email, "first": first},
                    )
                )
        if unit is not None and email and values["full_name"]:
            checked.append(Row(number, unit, values["full_name"][:FULL_NAME_LENGTH], email))
    if problems:
        raise OperatorImportError(source, problems)
    if not checked:
        raise OperatorImportError(source, [Problem("", _("tidak ada baris berisi operator"))])
    return checked


def import_operators(
    path: Path, government: Any, *, actor: Any, request: HttpRequest | None = None
) -> ImportSummary:
    """Check every row, then invite the new operators in one transaction (see module doc)."""
    rows = read_rows(path, government)
    summary = ImportSummary(rows=len(rows))
    with transaction.atomic():
        for row in rows:
            result = invitations.invite_operator(
                row.unit, email=row.email, full_name=row.full_name, actor=actor, request=request
            )
            label = f"{row.email} ({row.unit.code})"
            if result.outcome == invitations.INVITED_NOW:
                summary.invited.append(label)
            else:
                summary.unchanged.append(label)
    return summary


def template_rows(government: Any) -> list[list[Any]]:
    """The sheet as it stands: a header and one row per operator and pending invitation, so
    that importing it unchanged changes nothing."""
    from patuh.accounts.models import Invitation, Membership
    from patuh.accounts.roles import Role

    rows = [[HEADERS["unit"], HEADERS["full_name"], HEADERS["email"]]]
    memberships = (
        Membership.objects.filter(role=Role.UNIT_OPERATOR, service_unit__government=government)
        .exclude(user__email="")
        .select_related("user", "service_unit")
        .order_by("service_unit__code", "user__email")
    )
    for membership in memberships:
        user = membership.user
        name = user.get_full_name() or user.get_username()
        rows.append(safe_row([membership.service_unit.code, name, user.email]))
    pending = (
        Invitation.objects.pending()
        .filter(service_unit__government=government)
        .select_related("service_unit")
        .order_by("service_unit__code", "email")
    )
    for invitation in pending:
        rows.append(
            safe_row([invitation.service_unit.code, invitation.full_name, invitation.email])
        )
    return rows
