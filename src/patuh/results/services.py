"""Taking, publishing and reading result snapshots; ranking a cycle's results."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from patuh.assessments.models import Assessment, AssessmentKind, AssessmentStatus, Cycle
from patuh.core.services import record_event
from patuh.results.models import ResultSnapshot
from patuh.scoring.ranking import Entry, Ranked, rank_by_group, ranks_of

FINAL_STATUSES = (AssessmentStatus.FINAL, AssessmentStatus.PUBLISHED)


def _payload(result: Any, answers: dict[str, dict[str, Any]]) -> str:
    from patuh.commands import dumps_with_decimals, result_to_json

    data = result_to_json(result)
    data["answers"] = answers
    return dumps_with_decimals(data)


def all_final(cycle: Cycle, government: Any) -> bool:
    statuses = set(
        Assessment.objects.filter(
            cycle=cycle, service_unit__government=government, kind=AssessmentKind.OFFICIAL
        )
        .exclude(status=AssessmentStatus.DROPPED)
        .values_list("status", flat=True)
    )
    return bool(statuses) and statuses <= set(FINAL_STATUSES)


def take_snapshot(cycle: Cycle, government: Any, *, actor: Any) -> ResultSnapshot:
    """Freeze the government's official result of ``cycle``; a current snapshot with the same
    numbers is kept, a different one is superseded (kept, marked replaced)."""
    from patuh.assessments.services import score_assessments

    result = score_assessments(cycle, government, AssessmentKind.OFFICIAL)
    if result is None:
        raise ValueError("no official assessment to snapshot")
    answers: dict[str, dict[str, Any]] = {}
    for code, indicator, value in (
        Assessment.objects.filter(
            cycle=cycle, service_unit__government=government, kind=AssessmentKind.OFFICIAL
        )
        .exclude(status=AssessmentStatus.DROPPED)
        .values_list("service_unit__code", "answers__indicator_code", "answers__value")
        .order_by("service_unit__code", "answers__indicator_code")
    ):
        if indicator is not None and value is not None:
            answers.setdefault(code, {})[indicator] = value
    payload = _payload(result, answers)
    checksum = hashlib.sha256(payload.encode()).hexdigest()
    with transaction.atomic():
        current = (
            ResultSnapshot.objects.select_for_update(of=("self",))
            .current()
            .filter(cycle=cycle, government=government)
            .order_by("-taken_at", "-pk")
            .first()
        )
        if current is not None and current.checksum == checksum:
            return current
        if current is not None:
            current.superseded_at = timezone.now()
            current.save(update_fields=["superseded_at"])
        snapshot = ResultSnapshot.objects.create(
            cycle=cycle,
            government=government,
            instrument_code=result.instrument.code,
            instrument_version=result.instrument.version,
            instrument_sha256=result.instrument.source_sha256,
            score=result.rounded,
            category=result.band.category,
            opinion=result.opinion,
            zone=result.band.zone or "",
            payload=payload,
            checksum=checksum,
            taken_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        record_event(
            actor=actor,
            action="result.snapshot_taken",
            obj=snapshot,
            old={"checksum": current.checksum} if current else None,
            new={"checksum": checksum, "score": str(snapshot.score)},
            context=cycle,
        )
    return snapshot


def publish_snapshot(cycle: Cycle, government: Any, *, actor: Any) -> ResultSnapshot:
    snapshot = ResultSnapshot.objects.current().filter(
        cycle=cycle, government=government
    ).first() or take_snapshot(cycle, government, actor=actor)
    if snapshot.published_at is None:
        with transaction.atomic():
            snapshot.published_at = timezone.now()
            snapshot.save(update_fields=["published_at"])
            record_event(
                actor=actor,
                action="result.published",
                obj=snapshot,
                new={"checksum": snapshot.checksum},
                context=cycle,
            )
    return snapshot


# -- rankings ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Ranking:
    cycle: Cycle
    groups: dict[str, list[Ranked]]
    previous_cycle: Cycle | None
    comparable: bool
    """Whether the previous cycle used the same instrument (else ranks only, plainly flagged)."""
    snapshots: dict[str, ResultSnapshot]


def _entries(snapshots: list[ResultSnapshot]) -> list[Entry]:
    return [
        Entry(
            key=s.government.region_code,
            name=s.government.name,
            score=Decimal(s.score),
            group=s.government.kind,
            category=s.category,
            zone=s.zone or None,
        )
        for s in snapshots
    ]


def _snapshots(cycle: Cycle, published_only: bool, province: Any = None) -> list[ResultSnapshot]:
    """One snapshot per government: the current one, or for the public the latest published."""
    snapshots = ResultSnapshot.objects.filter(cycle=cycle)
    if published_only:
        snapshots = snapshots.filter(published_at__isnull=False).order_by(
            "government_id", "-published_at", "-taken_at"
        )
    else:
        snapshots = snapshots.current().order_by("government_id")
    if province is not None:
        snapshots = snapshots.filter(government__province=province)
    chosen: dict[int, ResultSnapshot] = {}
    for snapshot in snapshots.select_related("government", "cycle"):
        chosen.setdefault(snapshot.government_id, snapshot)
    return list(chosen.values())


def previous_cycle_of(cycle: Cycle) -> Cycle | None:
    return (
        Cycle.objects.filter(year__lt=cycle.year, province=cycle.province).order_by("-year").first()
    )


def ranking(cycle: Cycle, *, published_only: bool = True, province: Any = None) -> Ranking:
    """The cycle's ranking per peer group from its snapshots (a fixed number of queries)."""
    snapshots = _snapshots(cycle, published_only, province)
    previous = previous_cycle_of(cycle)
    previous_ranks: dict[str, dict[str, int]] = {}
    if previous is not None:
        for group, ranked in rank_by_group(
            _entries(_snapshots(previous, published_only, province))
        ).items():
            previous_ranks[group] = ranks_of(ranked)
    comparable = previous is not None and previous.instrument_code == cycle.instrument_code
    return Ranking(
        cycle=cycle,
        groups=rank_by_group(_entries(snapshots), previous_ranks),
        previous_cycle=previous,
        comparable=comparable,
        snapshots={s.government.region_code: s for s in snapshots},
    )


def latest_published(year: int, region_code: str) -> ResultSnapshot | None:
    """The latest published snapshot of a government for ``year`` (a later reopen and a new,
    unpublished snapshot do not hide what was published)."""
    return (
        ResultSnapshot.objects.filter(
            cycle__year=year,
            government__region_code=region_code,
            published_at__isnull=False,
        )
        .select_related("government", "cycle")
        .order_by("-published_at", "-taken_at")
        .first()
    )
