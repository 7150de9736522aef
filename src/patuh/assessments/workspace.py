"""The assessment workspace's page model: each indicator with its answer, parts, evidence and
comments, and the live result beside them. Reads only; the verbs live in ``services.py``,
``evidence.py`` and ``comments.py``."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import Any

from patuh.assessments.access import AssessmentAccess
from patuh.assessments.models import (
    Answer,
    Assessment,
    AssessmentKind,
    AssessmentStatus,
    Comment,
    Evidence,
    ProductObservation,
    Program,
    Respondent,
    RespondentGroup,
)
from patuh.assessments.services import (
    effective_parts,
    prepare_assessments,
    score_assessments,
)
from patuh.complaints.stats import COMPLAINT_VARIABLES, card_evidence
from patuh.orgs.models import ServiceProduct
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
"""Statuses in which a verifier (or a PEKPPP evaluator, on the unit's F-01) may ask for an
indicator to be changed."""


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
    part_labels: dict[str, str]
    """Key → label of each respondent or product this indicator is answered for."""
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
    complaint_evidence: Any = None
    """The unit's complaint register figures for the cycle's period, on the Pengaduan cards
    (:func:`patuh.complaints.stats.card_evidence`)."""
    unit_documents: list[Any] = field(default_factory=list)
    """The unit's locker documents whose kind this indicator asks for ("Dari dokumen unit")."""
    html: str = ""
    """The rendered card, when the page renders its cards ahead (:mod:`.cards`)."""

    @property
    def code(self) -> str:
        return self.indicator.code

    @cached_property
    def levels(self) -> list[Level]:
        """The rubric's levels, the answer's one selected (built when a card is rendered)."""
        return _levels(self.indicator, self.answer.value if self.answer is not None else None)

    @cached_property
    def parts(self) -> list[Part]:
        stored = effective_parts(self.answer, list(self.part_labels))
        return [
            Part(key, label, stored.get(key), _levels(self.indicator, stored.get(key)))
            for key, label in self.part_labels.items()
        ]

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


def people_of(assessment: Assessment) -> tuple[list[Respondent], list[ProductObservation]]:
    """The assessment's interviewed officials and its observed products, in page order."""
    return (
        list(assessment.respondents.order_by("group", "position")),
        list(
            assessment.product_observations.select_related("product").order_by(
                "product__name", "pk"
            )
        ),
    )


def prepared_people(
    assessment: Assessment, instrument: Instrument
) -> tuple[list[Respondent], list[ProductObservation]]:
    """:func:`people_of`, after :func:`prepare_assessments` created whatever entry needs and is
    missing (the default interviewees of each group, an observation per product of the unit);
    one query more than reading them when nothing is missing, as on almost every view."""
    respondents, observations = people_of(assessment)
    groups = {
        ind.respondents
        for ind in instrument.indicators.values()
        if ind.respondents and assessment.cycle.respondents_per_unit().get(ind.respondents, 0)
    }
    products = set(
        ServiceProduct.objects.filter(unit_id=assessment.service_unit_id).values_list(
            "pk", flat=True
        )
    )
    if groups - {r.group for r in respondents} or products - {o.product_id for o in observations}:
        prepare_assessments([assessment])
        return people_of(assessment)
    return respondents, observations


def indicator_views(
    assessment: Assessment,
    instrument: Instrument,
    unit_result: UnitResult | None,
    codes: list[str] | None = None,
    people: tuple[list[Respondent], list[ProductObservation]] | None = None,
) -> dict[str, IndicatorView]:
    """One view per indicator of the instrument (or of ``codes``), with a fixed number of
    queries whatever the number of indicators. ``people``: the assessment's
    :func:`people_of`, when the caller has read them already."""
    wanted = codes or list(instrument.indicators)

    def of_wanted(rows: Any) -> Any:
        # the whole page reads every row of the assessment: no 45-code IN list to build
        return rows.filter(indicator_code__in=codes) if codes else rows

    answers = {
        answer.indicator_code: answer
        for answer in of_wanted(Answer.objects.filter(assessment=assessment)).order_by()
    }
    respondents, observations = people if people is not None else people_of(assessment)
    labels = _part_labels(assessment, respondents, observations)
    evidence: dict[str, list[Evidence]] = defaultdict(list)
    for item in (
        of_wanted(assessment.evidence.filter(removed_at__isnull=True))
        .select_related("uploaded_by")
        .order_by("uploaded_at", "id")
    ):
        evidence[item.indicator_code].append(item)
    threads: dict[str, list[Thread]] = defaultdict(list)
    by_root: dict[int, Thread] = {}
    for comment in (
        of_wanted(assessment.comments.all())
        .select_related("author", "resolved_by")
        .order_by("created_at", "id")
    ):
        if comment.parent_id is None:
            thread = Thread(comment, [])
            by_root[comment.pk] = thread
            threads[comment.indicator_code].append(thread)
        elif comment.parent_id in by_root:
            by_root[comment.parent_id].replies.append(comment)
    unit_type = assessment.service_unit.type
    complaint_evidence = None
    if any(instrument.indicators[c].variable_code in COMPLAINT_VARIABLES for c in wanted):
        complaint_evidence = card_evidence(assessment.service_unit, assessment.cycle)
    standard_base = public_unit_url(assessment.service_unit)
    unit_documents = _unit_documents(assessment, [instrument.indicators[c] for c in wanted])
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
        views[code] = IndicatorView(
            indicator=indicator,
            answer=answer,
            applicable=indicator.applies_to_unit_type(unit_type),
            part_labels=part_labels,
            result=unit_result.indicators.get(code) if unit_result is not None else None,
            evidence=evidence.get(code, []),
            threads=threads.get(code, []),
            standard_links=[
                (o.product.name, f"{standard_base}#{anchor(o.product_id, component)}")
                for o in observations
            ]
            if (component := component_for_indicator(code))
            else [],
            complaint_evidence=complaint_evidence
            if indicator.variable_code in COMPLAINT_VARIABLES
            else None,
            unit_documents=[
                d for kind in indicator.documents for d in unit_documents.get(kind, [])
            ],
        )
    return views


def _unit_documents(assessment: Assessment, indicators: list[Indicator]) -> dict[str, list[Any]]:
    """The unit's current locker documents by kind: one query, and none when no indicator
    shown maps a document kind."""
    if not any(indicator.documents for indicator in indicators):
        return {}
    from patuh.locker.models import UnitDocument

    by_kind: dict[str, list[Any]] = defaultdict(list)
    for document in UnitDocument.objects.filter(
        service_unit_id=assessment.service_unit_id, removed_at__isnull=True
    ).order_by("kind", "-uploaded_at", "-id"):
        by_kind[document.kind].append(document)
    return by_kind


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

    @cached_property
    def layers(self) -> dict[str, Any] | None:
        """The government result's layers (2025+: quality label, award, elements, compliance)."""
        from patuh.results.layers import live_layers

        return live_layers(self.government)

    @property
    def has_zones(self) -> bool:
        return self.government is not None and self.government.instrument.has_zones


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
    requesting = access.can_request_changes and access.assessment.status in REVIEWABLE
    for code, view in views.items():
        view.editable = access.can_edit_indicator(code)
        view.change_requests = access.open_change_requests.get(code, [])
        view.can_request_changes = requesting


def page_context(assessment: Assessment, access: AssessmentAccess) -> dict[str, Any]:
    instrument = load_instrument(assessment.cycle.instrument_code)
    live = live_result(assessment)
    respondents, observations = prepared_people(assessment, instrument)
    views = indicator_views(assessment, instrument, live.unit, people=(respondents, observations))
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
    counterpart = (
        Assessment.objects.for_user(access.user)
        .filter(
            cycle_id=assessment.cycle_id,
            service_unit_id=assessment.service_unit_id,
            kind=AssessmentKind.OFFICIAL
            if assessment.kind == AssessmentKind.SELF
            else AssessmentKind.SELF,
        )
        .only("pk", "kind")
        .first()
        if assessment.cycle.program == Program.PEKPPP
        else None
    )
    ipp = None
    if assessment.cycle.program == Program.PEKPPP:
        from patuh.assessments.ipp import ipp_view

        view = ipp_view(
            assessment.cycle,
            assessment.service_unit.government,
            assessment.kind,
            {assessment.service_unit.code},
            with_place=False,
        )
        ipp = view.units[0] if view is not None and view.units else None
    return {
        "ipp_unit": ipp,
        "counterpart": counterpart,
        "assessment": assessment,
        "access": access,
        "instrument": instrument,
        "live": live,
        "result": live.government,
        "dimensions": dimensions,
        "views": views,
        "respondents": respondents,
        "observations": observations,
        "change_request_count": sum(len(v) for v in access.open_change_requests.values()),
        "progress": {
            "answered": sum(1 for view in applicable if view.answered),
            "applicable": len(applicable),
            "with_evidence": sum(1 for view in applicable if view.evidence or view.unit_documents),
            "open_threads": sum(view.open_threads for view in views.values()),
        },
    }
