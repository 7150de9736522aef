"""The two programs a cycle can belong to, as the web app names and routes them.

The Ombudsman's cycles keep the year routes (``/cycles/<year>/…``); KemenPAN-RB's PEKPPP
cycles are served by the same views under ``/pekppp/<year>/…`` (the view receives
``program``). :func:`cycle_url` reverses the right one for a cycle, and :func:`kind_label`
names an assessment kind with the program's form names (PEKPPP: F-01 the unit's self-fill,
F-02 the evaluator's scoring).
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from patuh.assessments.models import AssessmentKind, Program

PROGRAM_ROUTES = ("cycle", "government", "readiness", "compare", "government_transition")
"""The year routes of ``assessments`` that also exist for a PEKPPP cycle (``pekppp_<name>``)."""

PEKPPP_KIND_LABELS = {
    AssessmentKind.SELF: _("F-01 Isian mandiri unit"),
    AssessmentKind.PRE_EVALUATION: _("Pra-evaluasi"),
    AssessmentKind.OFFICIAL: _("F-02 Penilaian evaluator"),
}


def route_name(name: str, program: str) -> str:
    """``assessments:<name>`` for the Ombudsman, ``assessments:pekppp_<name>`` for PEKPPP."""
    if program == Program.PEKPPP and name in PROGRAM_ROUTES:
        return f"assessments:pekppp_{name}"
    return f"assessments:{name}"


def cycle_url(name: str, cycle: Any, *args: Any) -> str:
    """The URL of ``name`` (a year route of ``assessments``) for ``cycle``'s program."""
    return reverse(route_name(name, cycle.program), args=[cycle.year, *args])


def kind_label(cycle: Any, kind: str) -> str:
    """The assessment kind as the cycle's program names it."""
    if cycle.program == Program.PEKPPP:
        return str(PEKPPP_KIND_LABELS[AssessmentKind(kind)])
    return str(AssessmentKind(kind).label)
