"""Assessment verbs: record an answer, score a government's or a cycle's assessments.

Every change goes through a verb here (one transaction, one audit row); every score shown
comes from :mod:`patuh.scoring` through :func:`score_assessments` or :func:`score_cycle`.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import orjson
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from patuh.assessments.models import (
    LOCKED_STATUSES,
    OPEN_STATUSES,
    Answer,
    Assessment,
    AssessmentKind,
    AssessmentStatus,
    Cycle,
    ProductObservation,
    Respondent,
)
from patuh.core.services import record_event
from patuh.orgs.models import Government, ServiceProduct
from patuh.scoring import (
    NA,
    GovernmentAnswers,
    GovernmentResult,
    Indicator,
    Instrument,
    UnitAnswers,
    check_value,
    load_instrument,
    score_government,
)
from patuh.scoring.answers import is_na
from patuh.scoring.pekppp import PekpppResult, survey_parts

ANSWER_RECORDED = "answer.recorded"


def normalise_value(value: Any) -> Any:
    """The JSON form of an answer value: an int or float, a list of them, or ``"na"``."""
    if is_na(value):
        return NA
    if isinstance(value, list | tuple):
        return [normalise_value(item) for item in value]
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def validate_answer(instrument: Instrument, indicator_code: str, value: Any, unit_type: str) -> Any:
    """Return the normalised value, or raise :class:`ValidationError` saying why it is wrong."""
    indicator = instrument.indicators.get(indicator_code)
    if indicator is None:
        raise ValidationError(
            _("Indikator '%(code)s' tidak ada di instrumen %(instrument)s.")
            % {"code": indicator_code, "instrument": instrument.code},
            code="unknown_indicator",
        )
    if not indicator.applies_to_unit_type(unit_type):
        raise ValidationError(
            _("Indikator %(code)s tidak berlaku untuk jenis unit ini.") % {"code": indicator_code},
            code="not_applicable_to_unit",
        )
    if isinstance(value, list | tuple) and not value:
        raise ValidationError(
            _("%(code)s: daftar nilai kosong.") % {"code": indicator_code}, code="empty"
        )
    reason = check_value(indicator, value)
    if reason:
        raise ValidationError(f"{indicator_code}: {reason}.", code="invalid_value")
    return normalise_value(value)


class _Unset:
    def __repr__(self) -> str:
        return "UNSET"


UNSET: Any = _Unset()


@dataclass(frozen=True)
class AnswerChange:
    """What one save changes: the value (or one respondent's/product's part), the reason for
    N/A, the note. Fields left as ``UNSET``/``None`` keep what is stored."""

    value: Any = UNSET
    part: str | None = None
    na_reason: str | None = None
    note: str | None = None

    @property
    def has_value(self) -> bool:
        return self.value is not UNSET


class AnswerConflict(Exception):
    """The answer changed since the user loaded it: nothing was saved."""

    def __init__(self, answer: Answer | None, attempted: AnswerChange) -> None:
        super().__init__("answer changed since it was read")
        self.answer = answer
        self.attempted = attempted


def part_keys(assessment: Assessment, indicator: Indicator) -> list[str]:
    """The parts of a per-respondent or per-product indicator, in the order of the list value."""
    if indicator.answered_per == "respondent":
        return [
            respondent.part_key
            for respondent in assessment.respondents.filter(group=indicator.respondents).order_by(
                "position"
            )
        ]
    if indicator.answered_per == "product":
        return [
            f"p{observation.product_id}"
            for observation in assessment.product_observations.order_by("product__name", "pk")
        ]
    return []


def ensure_open(assessment: Assessment) -> None:
    """Refuse any change to a submitted, verified, final, published or dropped assessment.

    Final and published ones change only after :func:`patuh.assessments.workflow.transition`
    ``reopen`` (reason required, audited)."""
    status = Assessment.objects.filter(pk=assessment.pk).values_list("status", flat=True).first()
    if status in OPEN_STATUSES:
        return
    if status in LOCKED_STATUSES:
        raise ValidationError(
            _("Penilaian sudah final; perubahan hanya lewat pembukaan kembali yang beralasan."),
            code="locked",
        )
    raise ValidationError(
        _("Penilaian berstatus %(status)s; jawaban tidak dapat diubah.")
        % {"status": AssessmentStatus(status).label if status else "-"},
        code="not_open",
    )


def effective_parts(answer: Answer | None, keys: list[str]) -> dict[str, Any]:
    """The answer's parts; a list value saved without parts (an import, the demo) is read
    as one item per respondent/product in order."""
    if answer is None:
        return {}
    if answer.parts:
        return dict(answer.parts)
    if isinstance(answer.value, list) and len(answer.value) <= len(keys):
        return dict(zip(keys, answer.value, strict=False))
    return {}


def _answer_state(answer: Answer | None) -> dict[str, Any] | None:
    if answer is None:
        return None
    state: dict[str, Any] = {"value": answer.value}
    if answer.parts:
        state["parts"] = answer.parts
    if answer.na_reason:
        state["na_reason"] = answer.na_reason
    state["note"] = answer.note
    return state


def save_answer(
    assessment: Assessment,
    indicator_code: str,
    change: AnswerChange,
    *,
    actor: Any,
    expected_version: int | None = None,
    reason: str = "",
) -> Answer:
    """Validate ``change`` against the cycle's instrument and save it with an audit row.

    ``expected_version`` is the version the user saw (0 for an indicator not answered yet);
    when another save came first, :class:`AnswerConflict` is raised and nothing changes.
    Saving what is already stored changes nothing and writes no audit row.
    """
    instrument = load_instrument(assessment.cycle.instrument_code)
    indicator = instrument.indicators.get(indicator_code)
    unit_type = assessment.service_unit.type
    if indicator is None:
        raise ValidationError(
            _("Indikator '%(code)s' tidak ada di instrumen %(instrument)s.")
            % {"code": indicator_code, "instrument": instrument.code},
            code="unknown_indicator",
        )
    if not indicator.applies_to_unit_type(unit_type):
        raise ValidationError(
            _("Indikator %(code)s tidak berlaku untuk jenis unit ini.") % {"code": indicator_code},
            code="not_applicable_to_unit",
        )
    with transaction.atomic():
        # the assessment row first: a save and a finalise never interleave
        Assessment.objects.select_for_update().filter(pk=assessment.pk).exists()
        ensure_open(assessment)
        answer = (
            Answer.objects.select_for_update()
            .filter(assessment=assessment, indicator_code=indicator_code)
            .order_by()
            .first()
        )
        current_version = answer.version if answer is not None else 0
        if expected_version is not None and expected_version != current_version:
            raise AnswerConflict(answer, change)
        old = _answer_state(answer)
        value = answer.value if answer is not None else None
        parts = dict(answer.parts) if answer is not None else {}
        na_reason = answer.na_reason if answer is not None else ""
        note = answer.note if answer is not None else ""
        if change.part is not None:
            keys = part_keys(assessment, indicator)
            if change.part not in keys:
                raise ValidationError(
                    _("%(code)s: responden/produk '%(part)s' tidak ada di penilaian ini.")
                    % {"code": indicator_code, "part": change.part},
                    code="unknown_part",
                )
            if isinstance(value, list) and not parts and len(value) > len(keys):
                raise ValidationError(
                    _(
                        "%(code)s: nilai tersimpan berisi %(stored)s jawaban, lebih banyak dari "
                        "%(parts)s responden/produk yang tercatat; tambahkan responden/produk "
                        "terlebih dahulu."
                    )
                    % {"code": indicator_code, "stored": len(value), "parts": len(keys)},
                    code="parts_mismatch",
                )
            parts = effective_parts(answer, keys)
            problem = check_value(indicator, change.value)
            if problem or isinstance(change.value, list | tuple):
                detail = problem or _("satu nilai per responden/produk")
                raise ValidationError(f"{indicator_code}: {detail}.", code="invalid_value")
            parts[change.part] = normalise_value(change.value)
            value = [parts[key] for key in keys if key in parts]
            na_reason = ""
        elif change.value is not UNSET:
            if is_na(change.value):
                na_reason = (change.na_reason or "").strip()
                if not na_reason:
                    raise ValidationError(
                        _("%(code)s: alasan wajib diisi untuk 'tidak berlaku'.")
                        % {"code": indicator_code},
                        code="na_reason_required",
                    )
                value = NA
            else:
                value = validate_answer(instrument, indicator_code, change.value, unit_type)
                na_reason = ""
                parts = {}  # a whole value replaces the per-respondent/product items
        if change.note is not None:
            note = change.note.strip()
        new = {"value": value, "parts": parts, "na_reason": na_reason, "note": note}
        if answer is not None and all(
            getattr(answer, field) == new[field]
            for field in ("value", "parts", "na_reason", "note")
        ):
            return answer
        if answer is None:
            answer = Answer(assessment=assessment, indicator_code=indicator_code, version=0)
        for field, field_value in new.items():
            setattr(answer, field, field_value)
        answer.version += 1
        answer.updated_by = actor if getattr(actor, "is_authenticated", False) else None
        if answer.pk is None:
            try:
                with transaction.atomic():  # a savepoint: another first save may have won
                    answer.save()
            except IntegrityError:
                winner = Answer.objects.filter(
                    assessment=assessment, indicator_code=indicator_code
                ).first()
                raise AnswerConflict(winner, change) from None
        else:
            answer.save()
        record_event(
            actor=actor,
            action=ANSWER_RECORDED,
            obj=answer,
            old=old,
            new=_answer_state(answer),
            reason=reason,
            context=assessment,
        )
    return answer


def record_answer(
    assessment: Assessment,
    indicator_code: str,
    value: Any,
    actor: Any,
    reason: str = "",
    note: str | None = None,
    na_reason: str | None = None,
) -> Answer:
    """Save a whole value (a number, a list of numbers or ``"na"``) without a version check:
    for imports and scripts. Saving the same value and note again writes no audit row."""
    if is_na(value) and na_reason is None:
        na_reason = reason or "tidak berlaku"
    return save_answer(
        assessment,
        indicator_code,
        AnswerChange(value=value, na_reason=na_reason, note=note),
        actor=actor,
        reason=reason,
    )


# -- scoring ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class CycleRow:
    """One assessed government of a cycle with its result."""

    government: Government
    result: GovernmentResult
    synthetic: bool
    pekppp: PekpppResult | None = None
    """Each unit's and the government's F-03 index and composite, when the cycle's
    instrument has a users' questionnaire (PEKPPP)."""


def _government_answers(
    government: Government,
    assessments: Iterable[Assessment],
    answers: dict[int, dict[str, Any]],
    products_followed_up: bool | None = None,
    government_level: dict[str, Any] | None = None,
    surveys: dict[int, list[dict[str, int]]] | None = None,
) -> GovernmentAnswers:
    """``surveys``: the F-03 respondents by service unit id (:func:`patuh.surveys.services.
    f03_answers`), only for an instrument with a users' questionnaire."""
    units = [
        UnitAnswers(
            code=a.service_unit.code,
            name=a.service_unit.name,
            type=a.service_unit.type,
            answers=answers.get(a.pk, {}),
            products=a.product_count,
            synthetic=a.is_synthetic,
            **({"survey": surveys.get(a.service_unit_id, ())} if surveys is not None else {}),
        )
        for a in assessments
    ]
    return GovernmentAnswers(
        code=government.region_code,
        name=government.name,
        kind=government.kind,
        units=units,
        synthetic=any(unit.synthetic for unit in units),
        ombudsman_products_followed_up=products_followed_up,
        answers=government_level or {},
    )


def recorded_values(
    assessment_ids: list[int] | None = None, *, cycle: Cycle | None = None, kind: str = ""
) -> dict[int, dict[str, Any]]:
    """The recorded value of every answer of the given assessments (or of every ``kind``
    assessment of ``cycle`` that is not dropped), as ``{assessment id: {indicator code:
    value}}``. The database builds one JSON object per assessment, so Python decodes a few
    objects instead of every answer; answers holding only a note are left out."""
    from django.db import connection

    quote = connection.ops.quote_name
    answer_table = quote(Answer._meta.db_table)
    assessment_table = quote(Assessment._meta.db_table)
    if connection.vendor == "postgresql":
        aggregate = "jsonb_object_agg(an.indicator_code, an.value)"
        present = "jsonb_typeof(an.value) <> 'null'"
    else:
        # SQLite keeps a JSONField as its JSON text: the object is joined from the texts as
        # they are, without SQLite parsing each value again (json_group_object would)
        aggregate = (
            "'{' || group_concat(json_quote(an.indicator_code) || ':' || an.value, ',') || '}'"
        )
        present = "an.value IS NOT NULL AND an.value <> 'null'"
    if assessment_ids is not None:
        if not assessment_ids:
            return {}
        marks = ", ".join(["%s"] * len(assessment_ids))
        source = f"{answer_table} an"
        where, params = f"an.assessment_id IN ({marks})", list(assessment_ids)
    else:
        if cycle is None or not kind:
            raise ValueError("recorded_values needs assessment ids, or a cycle and a kind")
        source = f"{answer_table} an JOIN {assessment_table} a ON a.id = an.assessment_id"
        where = "a.cycle_id = %s AND a.kind = %s AND a.status <> %s"
        params = [cycle.pk, kind, AssessmentStatus.DROPPED]
    answers: dict[int, dict[str, Any]] = {}
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT an.assessment_id, {aggregate} FROM {source} WHERE {where} AND {present} "
            "GROUP BY an.assessment_id",
            params,
        )
        for assessment_id, values in cursor.fetchall():
            answers[assessment_id] = (
                _json_object(values) if isinstance(values, str | bytes) else values
            )
    return answers


def _json_object(text: str | bytes) -> dict[str, Any]:
    """orjson where it can (a third of the time of :mod:`json`), :mod:`json` for what it
    refuses (an integer beyond 64 bits)."""
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return json.loads(text)


def _load(
    cycle: Cycle, kind: str, governments: Any
) -> dict[int, tuple[Government, GovernmentAnswers]]:
    """Answers of every government in ``governments`` for ``cycle``: three queries in all
    (assessments, answers, Ombudsman products), and one more for the F-03 respondents when
    the cycle's instrument has a users' questionnaire."""
    # the product count as a subquery per row: no GROUP BY over every selected column
    products = (
        ServiceProduct.objects.filter(unit=OuterRef("service_unit"))
        .order_by()
        .values("unit")
        .annotate(count=Count("id"))
        .values("count")
    )
    assessments = list(
        Assessment.objects.filter(cycle=cycle, kind=kind, service_unit__government__in=governments)
        .exclude(status=AssessmentStatus.DROPPED)
        .select_related("service_unit__government")
        .annotate(product_count=Coalesce(Subquery(products, output_field=IntegerField()), 0))
        .order_by("service_unit__government__region_code", "service_unit__code")
    )
    answers = recorded_values([a.pk for a in assessments])
    by_government: dict[int, list[Assessment]] = defaultdict(list)
    for assessment in assessments:
        by_government[assessment.service_unit.government_id].append(assessment)
    from patuh.assessments.government_data import government_level_answers
    from patuh.followup.services import products_followed_up

    followed = products_followed_up(list(by_government), dt.date(cycle.year, 12, 31))
    government_level = government_level_answers(cycle, list(by_government))
    surveys = None
    if load_instrument(cycle.instrument_code).user_survey is not None:
        from patuh.surveys.services import f03_answers

        surveys = f03_answers(cycle, [a.service_unit_id for a in assessments])
    result = {}
    for government_id, items in by_government.items():
        government = items[0].service_unit.government
        result[government_id] = (
            government,
            _government_answers(
                government,
                items,
                answers,
                followed.get(government_id),
                government_level.get(government_id),
                surveys,
            ),
        )
    return result


def score_assessments(
    cycle: Cycle, government: Government, kind: str = AssessmentKind.OFFICIAL
) -> GovernmentResult | None:
    """The scoring core's result for ``government``'s assessments of ``kind`` in ``cycle``.

    ``None`` when the government has no assessment of that kind in the cycle.
    """
    loaded = _load(cycle, kind, [government.pk]).get(government.pk)
    if loaded is None:
        return None
    return score_government(load_instrument(cycle.instrument_code), loaded[1])


def score_pekppp(
    cycle: Cycle, government: Government, kind: str = AssessmentKind.OFFICIAL
) -> PekpppResult | None:
    """:func:`score_assessments` with each unit's and the government's F-03 index and
    composite (from the units' F-03 respondents). ``None`` when the cycle's instrument has
    no users' questionnaire or the government has no assessment of that kind."""
    instrument = load_instrument(cycle.instrument_code)
    if instrument.user_survey is None:
        return None
    loaded = _load(cycle, kind, [government.pk]).get(government.pk)
    if loaded is None:
        return None
    return survey_parts(instrument, loaded[1], score_government(instrument, loaded[1]))


def score_cycle(
    cycle: Cycle, governments: Any, kind: str = AssessmentKind.OFFICIAL
) -> list[CycleRow]:
    """Every government of ``governments`` (a queryset) assessed in ``cycle``, best score
    first: :func:`patuh.results.services.cycle_results` restricted to them."""
    from patuh.results.services import cycle_results

    return cycle_results(cycle, kind, governments)


def assessment_kinds(cycle: Cycle, government: Government) -> list[str]:
    """The kinds of assessment ``government`` has in ``cycle``, official first."""
    present = set(
        Assessment.objects.filter(cycle=cycle, service_unit__government=government)
        .values_list("kind", flat=True)
        .distinct()
    )
    return [kind for kind in AssessmentKind.values[::-1] if kind in present]


# -- the assessment's people, products and submission --------------------------------------

ASSESSMENT_SUBMITTED = "assessment.submitted"
RESPONDENT_CHANGED = "respondent.changed"
PRODUCT_OBSERVED = "product_observation.changed"


def prepare_assessments(assessments: Iterable[Assessment]) -> None:
    """Create what entry needs and is missing: the interviewed officials of each respondent
    group the instrument uses (4 implementers, 2 complaint officials, the cycle's number of
    service users) and one observation per service product of the unit. A group that has
    respondents already is left as it is. Idempotent; a few queries for any number of
    assessments."""
    assessments = list(assessments)
    if not assessments:
        return
    by_cycle: dict[int, set[str]] = {}
    counts: dict[int, dict[str, int]] = {}
    for assessment in assessments:
        if assessment.cycle_id not in by_cycle:
            instrument = load_instrument(assessment.cycle.instrument_code)
            by_cycle[assessment.cycle_id] = {
                ind.respondents for ind in instrument.indicators.values() if ind.respondents
            }
            counts[assessment.cycle_id] = assessment.cycle.respondents_per_unit()
    have_respondents = set(
        Respondent.objects.filter(assessment__in=assessments).values_list("assessment_id", "group")
    )
    new_respondents = [
        Respondent(assessment=assessment, group=group, position=position)
        for assessment in assessments
        for group in sorted(by_cycle[assessment.cycle_id])
        if (assessment.pk, group) not in have_respondents
        for position in range(1, counts[assessment.cycle_id].get(group, 0) + 1)
    ]
    Respondent.objects.bulk_create(new_respondents, batch_size=2000)
    have_products = set(
        ProductObservation.objects.filter(assessment__in=assessments).values_list(
            "assessment_id", "product_id"
        )
    )
    products: dict[int, list[int]] = defaultdict(list)
    for unit_id, product_id in ServiceProduct.objects.filter(
        unit__in={a.service_unit_id for a in assessments}
    ).values_list("unit_id", "pk"):
        products[unit_id].append(product_id)
    ProductObservation.objects.bulk_create(
        [
            ProductObservation(assessment=assessment, product_id=product_id)
            for assessment in assessments
            for product_id in products[assessment.service_unit_id]
            if (assessment.pk, product_id) not in have_products
        ],
        batch_size=2000,
    )


def add_respondent(assessment: Assessment, group: str, *, actor: Any) -> Respondent:
    """One more respondent of ``group`` (e.g. another service user interviewed)."""
    ensure_open(assessment)
    with transaction.atomic():
        last = (
            Respondent.objects.select_for_update()
            .filter(assessment=assessment, group=group)
            .order_by("-position")
            .first()
        )
        respondent = Respondent.objects.create(
            assessment=assessment, group=group, position=(last.position + 1) if last else 1
        )
        record_event(
            actor=actor,
            action=RESPONDENT_CHANGED,
            obj=respondent,
            new={"group": group, "position": respondent.position},
            context=assessment,
        )
    return respondent


def rename_respondent(respondent: Respondent, title: str, *, actor: Any) -> Respondent:
    """Record the respondent's position (jabatan); names of persons are not asked."""
    title = title.strip()[:160]
    if title == respondent.title:
        return respondent
    ensure_open(respondent.assessment)
    with transaction.atomic():
        old = {"title": respondent.title}
        respondent.title = title
        respondent.save(update_fields=["title"])
        record_event(
            actor=actor,
            action=RESPONDENT_CHANGED,
            obj=respondent,
            old=old,
            new={"title": title},
            context=respondent.assessment,
        )
    return respondent


def observe_product(
    observation: ProductObservation,
    *,
    published_physically: bool,
    published_electronically: bool,
    note: str,
    actor: Any,
) -> ProductObservation:
    """Record where a sampled product's service standard is published."""
    new = {
        "published_physically": published_physically,
        "published_electronically": published_electronically,
        "note": note.strip(),
    }
    old = {field: getattr(observation, field) for field in new}
    if old == new:
        return observation
    ensure_open(observation.assessment)
    with transaction.atomic():
        for field, value in new.items():
            setattr(observation, field, value)
        observation.save(update_fields=list(new))
        record_event(
            actor=actor,
            action=PRODUCT_OBSERVED,
            obj=observation,
            old=old,
            new=new,
            context=observation.assessment,
        )
    return observation


def submit_assessment(assessment: Assessment, *, actor: Any, note: str = "") -> Assessment:
    """Hand the assessment over (see :mod:`patuh.assessments.workflow`); answers lock."""
    from patuh.assessments.workflow import transition

    return transition(assessment, "submit", actor=actor, reason=note)
