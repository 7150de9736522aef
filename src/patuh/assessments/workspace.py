"""The assessment workspace's page model: each indicator with its answer, parts, evidence and
comments, and the live result beside them. Reads only; the verbs live in ``services.py``,
``evidence.py`` and ``comments.py``."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from patuh.assessments.access import AssessmentAccess
from patuh.assessments.models import (
    Answer,
    Assessment,
    AssessmentStatus,
    Comment,
    Evidence,
    ProductObservation,
    Respondent,
    RespondentGroup,
)
from patuh.assessments.services import effective_parts, score_assessments
from patuh.scoring import GovernmentResult, Indicator, Instrument, UnitResult, load_instrument
from patuh.scoring.answers import is_na
from patuh.standards.components import anchor, component_for_indicator
from patuh.standards.links import public_unit_url

REVIEWABLE = frozenset(
    {
        AssessmentStatus.SUBMITTED,
        AssessmentStatus.VERIFIED,
        AssessmentStatus.CHANGES_REQUESTED,
    }
)
"""Statuses in which a verifier may ask for an indicator to be changed."""


@dataclass
class Level:
    value: int
    text: str
    selected: bool


@dataclass
class Part:
    """One respondent's or one product's answer to a per-part indicator."""

    key: str
    label: str
    value: Any
    levels: list[Level]

    @property
    def is_na(self) -> bool:
        return is_na(self.value)


@dataclass
class Thread:
    root: Comment
    replies: list[Comment]

    @property
    def resolved(self) -> bool:
        return self.root.resolved_at is not None


@dataclass
class IndicatorView:
    indicator: Indicator
    answer: Answer | None
    applicable: bool
    levels: list[Level]
    parts: list[Part]
    result: Any
    """The scoring core's IndicatorResult (points, points lost, mean value)."""
    evidence: list[Evidence] = field(default_factory=list)
    threads: list[Thread] = field(default_factory=list)
    editable: bool = False
    """Whether the viewing user may change this indicator now."""
    standard_links: list[tuple[str, str]] = field(default_factory=list)
    """(product name, link) to the unit's published service standard, for PR-01…PR-06."""
    change_requests: list[Any] = field(default_factory=list)
    can_request_changes: bool = False
    html: str = ""
    """The rendered card, when the page renders its cards ahead (:mod:`.cards`)."""

    @property
    def code(self) -> str:
        return self.indicator.code

    @property
    def version(self) -> int:
        return self.answer.version if self.answer is not None else 0

    @property
    def value(self) -> Any:
        return self.answer.value if self.answer is not None else None

    @property
    def is_na(self) -> bool:
        return is_na(self.value)

    @property
    def answered(self) -> bool:
        return self.value is not None

    @property
    def per_part(self) -> bool:
        return bool(self.parts) or self.indicator.answered_per in ("respondent", "product")

    @property
    def open_threads(self) -> int:
        return sum(1 for thread in self.threads if not thread.resolved)

    @property
    def evidence_to_confirm(self) -> int:
        return sum(1 for item in self.evidence if item.needs_confirmation)


def _levels(indicator: Indicator, selected: Any) -> list[Level]:
    chosen = None
    if isinstance(selected, int | float | Decimal) and not isinstance(selected, bool):
        chosen = Decimal(str(selected))
    return [
        Level(level, text, chosen is not None and chosen == level)
        for level, text in sorted(indicator.rubric.items())
    ]


def _part_labels(
    assessment: Assessment, respondents: list[Respondent], observations: list[ProductObservation]
) -> dict[str, dict[str, str]]:
    labels: dict[str, dict[str, str]] = defaultdict(dict)
    group_labels = dict(RespondentGroup.choices)
    for respondent in respondents:
        name = respondent.title or f"{group_labels[respondent.group]} {respondent.position}"
        labels[respondent.group][respondent.part_key] = name
    for observation in observations:
        labels["product"][f"p{observation.product_id}"] = observation.product.name
    return labels


def indicator_views(
    assessment: Assessment,
    instrument: Instrument,
    unit_result: UnitResult | None,
    codes: list[str] | None = None,
) -> dict[str, IndicatorView]:
    """One view per indicator of the instrument (or of ``codes``), with a fixed number of
    queries whatever the number of indicators."""
    wanted = codes or list(instrument.indicators)
    answers = {
        answer.indicator_code: answer
        for answer in Answer.objects.filter(assessment=assessment, indicator_code__in=wanted)
    }
    respondents = list(assessment.respondents.order_by("group", "position"))
    observations = list(
        assessment.product_observations.select_related("product").order_by("product__name", "pk")
    )
    labels = _part_labels(assessment, respondents, observations)
    evidence: dict[str, list[Evidence]] = defaultdict(list)
    for item in assessment.evidence.filter(
        indicator_code__in=wanted, removed_at__isnull=True
    ).select_related("uploaded_by"):
        evidence[item.indicator_code].append(item)
    threads: dict[str, list[Thread]] = defaultdict(list)
    by_root: dict[int, Thread] = {}
    for comment in assessment.comments.filter(indicator_code__in=wanted).select_related(
        "author", "resolved_by"
    ):
        if comment.parent_id is None:
            thread = Thread(comment, [])
            by_root[comment.pk] = thread
            threads[comment.indicator_code].append(thread)
        elif comment.parent_id in by_root:
            by_root[comment.parent_id].replies.append(comment)
    unit_type = assessment.service_unit.type
    standard_base = public_unit_url(assessment.service_unit)
    views = {}
    for code in wanted:
        indicator = instrument.indicators[code]
        answer = answers.get(code)
        if indicator.answered_per == "respondent":
            part_labels = labels.get(indicator.respondents or "", {})
        elif indicator.answered_per == "product":
            part_labels = labels.get("product", {})
        else:
            part_labels = {}
        stored_parts = effective_parts(answer, list(part_labels))
        parts = [
            Part(key, label, stored_parts.get(key), _levels(indicator, stored_parts.get(key)))
            for key, label in part_labels.items()
        ]
        views[code] = IndicatorView(
            indicator=indicator,
            answer=answer,
            applicable=indicator.applies_to_unit_type(unit_type),
            levels=_levels(indicator, answer.value if answer is not None else None),
            parts=parts,
            result=unit_result.indicators.get(code) if unit_result is not None else None,
            evidence=evidence.get(code, []),
            threads=threads.get(code, []),
            standard_links=[
                (o.product.name, f"{standard_base}#{anchor(o.product_id, component)}")
                for o in observations
            ]
            if (component := component_for_indicator(code))
            else [],
        )
    return views


@dataclass
class LiveResult:
    government: GovernmentResult | None
    unit: UnitResult | None

    @property
    def unit_what_if_steps(self) -> list[Any]:
        return list(self.unit.what_if.steps) if self.unit is not None else []

    @property
    def top_losses(self) -> list[Any]:
        return self.unit.explanation[:8] if self.unit is not None else []


def live_result(assessment: Assessment) -> LiveResult:
    """The unit's and its government's current result for this kind of assessment."""
    government = score_assessments(
        assessment.cycle, assessment.service_unit.government, assessment.kind
    )
    unit = None
    if government is not None:
        unit = next((u for u in government.units if u.code == assessment.service_unit.code), None)
    return LiveResult(government, unit)


def apply_access(views: dict[str, IndicatorView], access: AssessmentAccess) -> None:
    """What the viewing user may do on each card: change it, or ask for it to be changed."""
    requesting = access.can_verify and access.assessment.status in REVIEWABLE
    for code, view in views.items():
        view.editable = access.can_edit_indicator(code)
        view.change_requests = access.open_change_requests.get(code, [])
        view.can_request_changes = requesting


def page_context(assessment: Assessment, access: AssessmentAccess) -> dict[str, Any]:
    instrument = load_instrument(assessment.cycle.instrument_code)
    live = live_result(assessment)
    views = indicator_views(assessment, instrument, live.unit)
    apply_access(views, access)
    dimensions = [
        {
            "dimension": dimension,
            "result": live.unit.dimensions.get(dimension.code) if live.unit else None,
            "variables": [
                {"variable": variable, "indicators": [views[i.code] for i in variable.indicators]}
                for variable in dimension.variables
            ],
        }
        for dimension in instrument.dimensions
    ]
    applicable = [view for view in views.values() if view.applicable]
    return {
        "assessment": assessment,
        "access": access,
        "instrument": instrument,
        "live": live,
        "result": live.government,
        "dimensions": dimensions,
        "views": views,
        "respondents": list(assessment.respondents.order_by("group", "position")),
        "observations": list(
            assessment.product_observations.select_related("product").order_by("product__name")
        ),
        "change_request_count": sum(len(v) for v in access.open_change_requests.values()),
        "progress": {
            "answered": sum(1 for view in applicable if view.answered),
            "applicable": len(applicable),
            "with_evidence": sum(1 for view in applicable if view.evidence),
            "open_threads": sum(view.open_threads for view in views.values()),
        },
    }
