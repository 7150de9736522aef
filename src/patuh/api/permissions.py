"""Who may see and change what through the API: the web app's two rules, reused.

Seeing: every queryset starts from the model's ``for_user`` (built on
:mod:`patuh.accounts.scopes`); an object outside it is a **404**. Changing:
:class:`patuh.assessments.access.AssessmentAccess` decides, and a refusal is a **403** whose
``detail`` is the same sentence the web page shows.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from rest_framework import exceptions

from patuh.accounts.scopes import scope_for
from patuh.assessments.access import AssessmentAccess
from patuh.assessments.models import Assessment, Cycle
from patuh.assessments.workspace_views import get_assessment_for_user
from patuh.orgs.models import ServiceUnit
from patuh.surveys.models import SurveyResponse


def assessment_for(user: Any, pk: int) -> Assessment:
    """The assessment if ``user`` may see it, else 404 (the web workspace's own helper)."""
    return get_assessment_for_user(user, pk)


def survey_responses_for(user: Any) -> QuerySet[SurveyResponse]:
    """The survey responses of the units and cycles ``user`` sees (the web's responses page
    shows a unit's responses to everyone who sees the unit)."""
    responses = SurveyResponse.objects.all()
    if scope_for(user).everything:
        return responses
    return responses.filter(
        unit__in=ServiceUnit.objects.for_user(user), cycle__in=Cycle.objects.for_user(user)
    )


class EditRefused(exceptions.PermissionDenied):
    default_code = "edit_refused"


def require_edit(access: AssessmentAccess, indicator_code: str | None = None) -> None:
    """Raise a 403 carrying the web page's reason unless the user may change the assessment
    (and, while changes are requested, this indicator) now."""
    if not access.can_edit:
        raise EditRefused(access.edit_refusal)
    if indicator_code is not None and not access.can_edit_indicator(indicator_code):
        raise EditRefused(_("Hanya indikator yang diminta perbaikannya yang dapat diubah."))
