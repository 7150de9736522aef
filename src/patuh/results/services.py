"""Taking, publishing and reading result snapshots; ranking a cycle's results."""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Count, Max, Q, Sum
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


def _replace_snapshot(
    cycle: Any,
    government: Any,
    result: Any,
    payload: str,
    checksum: str,
    previous: ResultSnapshot | None,
    actor: Any,
) -> ResultSnapshot:
    """Supersede ``previous`` (if any) with a new snapshot of ``result``; audited. Call it in
    the transaction that decided the result changed."""
    if previous is not None:
        previous.superseded_at = timezone.now()
        previous.save(update_fields=["superseded_at"])
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
        old={"checksum": previous.checksum} if previous else None,
        new={"checksum": checksum, "score": str(snapshot.score)},
        context=cycle,
    )
    return snapshot


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
        snapshot = _replace_snapshot(cycle, government, result, payload, checksum, current, actor)
    return snapshot


@contextmanager
def _cycle_collection_paused() -> Iterator[None]:
    """Python's cycle collector paused while a cycle's results are built: they are some
    hundred thousand small objects without a reference cycle, which the collector would
    otherwise walk again and again (about a third of a national recompute). Resumed after,
    whatever happens."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def cycle_results(
    cycle: Cycle, kind: str = AssessmentKind.OFFICIAL, governments: Any = None
) -> list[Any]:
    """Every assessed government's live result in ``cycle`` (or only those of the
    ``governments`` queryset, read as a subquery), best score first, as
    :class:`patuh.assessments.services.CycleRow` items. Set-based for a national cycle: five
    queries whatever the number of governments (governments, assessments, product counts,
    every answer as one JSON object per assessment, Ombudsman products), then the scoring
    core once per government."""
    with _cycle_collection_paused():
        return _cycle_results(cycle, kind, governments)


def _cycle_results(cycle: Cycle, kind: str, governments: Any) -> list[Any]:
    from django.db.models import Count

    from patuh.assessments.services import CycleRow, recorded_values
    from patuh.followup.services import products_followed_up
    from patuh.orgs.models import Government, ServiceProduct
    from patuh.scoring import GovernmentAnswers, UnitAnswers, load_instrument, score_government
    from patuh.scoring.pekppp import survey_parts

    instrument = load_instrument(cycle.instrument_code)
    chosen = Assessment.objects.filter(cycle=cycle, kind=kind)
    if governments is not None:
        chosen = chosen.filter(service_unit__government__in=governments)
    assessments = list(
        chosen.exclude(status=AssessmentStatus.DROPPED)
        .order_by("service_unit__government__region_code", "service_unit__code")
        .values_list(
            "pk",
            "is_synthetic",
            "service_unit_id",
            "service_unit__code",
            "service_unit__name",
            "service_unit__type",
            "service_unit__government_id",
        )
    )
    units_products = ServiceProduct.objects.filter(
        unit__assessments__cycle=cycle, unit__assessments__kind=kind
    )
    if governments is not None:
        units_products = units_products.filter(unit__government__in=governments)
    products = dict(
        units_products.values("unit_id")
        .annotate(count=Count("id", distinct=True))
        .values_list("unit_id", "count")
    )
    answers = (
        recorded_values(cycle=cycle, kind=kind)
        if governments is None
        else recorded_values([row[0] for row in assessments])
    )
    by_government: dict[int, list[tuple[Any, ...]]] = {}
    for row in assessments:
        by_government.setdefault(row[6], []).append(row)
    government_objects = Government.objects.in_bulk(list(by_government))
    from patuh.assessments.government_data import government_level_answers

    followed = products_followed_up(list(by_government), dt.date(cycle.year, 12, 31))
    government_level = government_level_answers(cycle, list(by_government))
    surveys = None
    if instrument.user_survey is not None:
        from patuh.surveys.services import f03_answers

        surveys = f03_answers(cycle, [row[2] for row in assessments])
    rows = []
    for government_id, items in by_government.items():
        government = government_objects[government_id]
        units = [
            UnitAnswers(
                code=code,
                name=name,
                type=type_,
                answers=answers.get(pk, {}),
                products=products.get(unit_id, 0),
                synthetic=synthetic,
                **({"survey": surveys.get(unit_id, ())} if surveys is not None else {}),
            )
            for pk, synthetic, unit_id, code, name, type_, _ in items
        ]
        government_answers = GovernmentAnswers(
            code=government.region_code,
            name=government.name,
            kind=government.kind,
            units=units,
            synthetic=any(unit.synthetic for unit in units),
            ombudsman_products_followed_up=followed.get(government_id),
            answers=government_level.get(government_id, {}),
        )
        result = score_government(instrument, government_answers)
        rows.append(
            CycleRow(
                government,
                result,
                government_answers.synthetic,
                survey_parts(instrument, government_answers, result)
                if surveys is not None
                else None,
            )
        )
    rows.sort(key=lambda row: (-row.result.score, row.government.region_code))
    return rows


def take_snapshots(
    cycle: Cycle, *, actor: Any, publish: bool = False, rows: list[Any] | None = None
) -> int:
    """:func:`take_snapshot` (and with ``publish`` :func:`publish_snapshot`) for every
    government whose official assessments in ``cycle`` are all final, with the same payloads,
    checksums and audit rows, in a fixed number of queries plus the writes. ``rows``: the
    cycle's :func:`cycle_results` when the caller has them already. Returns how many
    snapshots were taken."""
    statuses: dict[int, set[str]] = {}
    for government_id, status in (
        Assessment.objects.filter(cycle=cycle, kind=AssessmentKind.OFFICIAL)
        .exclude(status=AssessmentStatus.DROPPED)
        .values_list("service_unit__government_id", "status")
        .distinct()
    ):
        statuses.setdefault(government_id, set()).add(status)
    ready = {gid for gid, found in statuses.items() if found <= set(FINAL_STATUSES)}
    answers: dict[int, dict[str, dict[str, Any]]] = {}
    for government_id, code, indicator, value in (
        Assessment.objects.filter(
            cycle=cycle, kind=AssessmentKind.OFFICIAL, service_unit__government_id__in=ready
        )
        .exclude(status=AssessmentStatus.DROPPED)
        .values_list(
            "service_unit__government_id",
            "service_unit__code",
            "answers__indicator_code",
            "answers__value",
        )
        .order_by("service_unit__government_id", "service_unit__code", "answers__indicator_code")
        .iterator(chunk_size=5000)
    ):
        if indicator is not None and value is not None:
            answers.setdefault(government_id, {}).setdefault(code, {})[indicator] = value
    current = {
        s.government_id: s
        for s in ResultSnapshot.objects.current().filter(cycle=cycle, government_id__in=ready)
    }
    taken = 0
    for row in cycle_results(cycle) if rows is None else rows:
        if row.government.pk not in ready:
            continue
        result = row.result
        payload = _payload(result, answers.get(row.government.pk, {}))
        checksum = hashlib.sha256(payload.encode()).hexdigest()
        with transaction.atomic():
            previous = current.get(row.government.pk)
            snapshot = previous
            if previous is None or previous.checksum != checksum:
                snapshot = _replace_snapshot(
                    cycle, row.government, result, payload, checksum, previous, actor
                )
                taken += 1
            if publish and snapshot is not None and snapshot.published_at is None:
                _mark_published(cycle, snapshot, actor)
    return taken


def publish_snapshot(cycle: Cycle, government: Any, *, actor: Any) -> ResultSnapshot:
    snapshot = ResultSnapshot.objects.current().filter(
        cycle=cycle, government=government
    ).first() or take_snapshot(cycle, government, actor=actor)
    if snapshot.published_at is None:
        with transaction.atomic():
            _mark_published(cycle, snapshot, actor)
    return snapshot


def _mark_published(cycle: Cycle, snapshot: ResultSnapshot, actor: Any) -> None:
    snapshot.published_at = timezone.now()
    snapshot.save(update_fields=["published_at"])
    record_event(
        actor=actor,
        action="result.published",
        obj=snapshot,
        new={"checksum": snapshot.checksum},
        context=cycle,
    )


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
    # every number a ranking shows is a column: the payload (some 80 KB each) stays unread
    for snapshot in snapshots.select_related("government", "cycle").defer("payload"):
        chosen.setdefault(snapshot.government_id, snapshot)
    return list(chosen.values())


def snapshots_state(year: int, *, published_only: bool) -> tuple[int, str]:
    """How many snapshots a ranking of ``year`` reads (the published ones, or the current
    ones), and a fingerprint of every snapshot of ``year`` and the years before (whose ranks
    give the changes): one aggregate query answered from the ``results_snapshot_ranking``
    index. A snapshot taken, superseded, published or edited changes the fingerprint."""
    years = dict(Cycle.objects.filter(year__lte=year).values_list("pk", "year"))
    rows = list(
        ResultSnapshot.objects.filter(cycle_id__in=list(years))
        .order_by()
        .values("cycle_id")
        .annotate(
            count=Count("id"),
            ids=Sum("id"),
            governments=Sum("government_id"),
            scores=Sum("score"),
            superseded=Count("id", filter=Q(superseded_at__isnull=False)),
            published=Count("id", filter=Q(published_at__isnull=False)),
            last_published=Max("published_at"),
            last_taken=Max("taken_at"),
        )
        .order_by("cycle_id")
    )
    this_year = [row for row in rows if years[row["cycle_id"]] == year]
    if published_only:
        count = sum(row["published"] for row in this_year)
    else:
        count = sum(row["count"] - row["superseded"] for row in this_year)
    digest = hashlib.sha256(repr([sorted(row.items()) for row in rows]).encode()).hexdigest()
    return count, digest[:32]


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


def latest_published(year: int, region_code: str, *, payload: bool = True) -> ResultSnapshot | None:
    """The latest published snapshot of a government for ``year`` (a later reopen and a new,
    unpublished snapshot do not hide what was published). ``payload=False`` leaves the
    payload unread until :attr:`ResultSnapshot.data` asks for it."""
    snapshots = ResultSnapshot.objects.filter(
        cycle__year=year,
        government__region_code=region_code,
        published_at__isnull=False,
    ).select_related("government", "cycle")
    if not payload:
        snapshots = snapshots.defer("payload")
    return snapshots.order_by("-published_at", "-taken_at").first()


class LiveRanking:
    """A cycle's ranking of live (draft or final) results, kept up to date one government at
    a time: built once from :func:`cycle_results`, then :meth:`update` with a government's
    new result (after an answer changed) re-ranks only in memory."""

    def __init__(self, rows: list[Any]) -> None:
        self.entries: dict[str, Entry] = {}
        for row in rows:
            self.update(row.government, row.result)

    def update(self, government: Any, result: Any) -> None:
        self.entries[government.region_code] = Entry(
            key=government.region_code,
            name=government.name,
            score=result.rounded,
            group=government.kind,
            category=result.band.category,
            zone=result.band.zone,
        )

    def groups(self) -> dict[str, list[Ranked]]:
        return rank_by_group(self.entries.values())

    def place_of(self, region_code: str) -> Ranked | None:
        group = self.entries[region_code].group
        return next((r for r in self.groups()[group] if r.entry.key == region_code), None)


# -- published figures ----------------------------------------------------------------------
# Figures the Ombudsman RI or KemenPAN-RB published (PublishedResult), read for the public
# site and the dashboards: always shown apart from Patuh's own snapshots, with their source.

PUBLISHED_PROGRAMS = ("ombudsman", "pekppp")
PUBLISHED_PEER_GROUPS = ("provinsi", "kabupaten", "kota", "kementerian", "lembaga")
"""The peer groups of published governments, in the order the pages show them."""
PUBLISHED_APART_GROUPS = ("polres", "unit")
"""Shown after the governments, apart: they are not ranked with them."""

_HOST = re.compile(r"^(?:https?://)?([a-z0-9-]+(?:\.[a-z0-9-]+)+)(?:[/?#]\S*)?$", re.IGNORECASE)


@dataclass(frozen=True)
class SourceLink:
    """One source address as written in the dataset, and the link to follow ('' if none)."""

    text: str
    url: str


def source_links(text: str) -> list[SourceLink]:
    """The addresses of a source, as the dataset writes them (several joined by ``;``).

    An address that looks like one is linked (``https://`` added to a bare host); one
    shortened with ``…`` links to its host only, since the full path was not kept."""
    links = []
    for part in (piece.strip() for piece in text.split(";")):
        if not part:
            continue
        match = _HOST.match(part.replace("…", "x"))
        if match is None:
            links.append(SourceLink(part, ""))
            continue
        if "…" in part:
            url = f"https://{match.group(1)}/"
        else:
            url = part if part.lower().startswith(("http://", "https://")) else f"https://{part}"
        links.append(SourceLink(part, url))
    return links


def with_source_links(figures: list[Any]) -> list[Any]:
    """``figures`` each given ``source_links`` (:func:`source_links` of its address), for the
    templates."""
    for figure in figures:
        figure.source_links = source_links(figure.source_url)
    return figures


def published_state(*, year: int | None = None, region_code: str | None = None) -> str:
    """A fingerprint of the published figures a page shows (of ``year``, or of one
    government): their number, ids and last change, in one aggregate query. Adding,
    correcting or removing a figure changes it, so a cached page shows the change at once."""
    from patuh.results.models import PublishedResult

    figures = PublishedResult.objects.all()
    if year is not None:
        figures = figures.filter(year=year)
    if region_code is not None:
        figures = figures.filter(region_code=region_code)
    found = figures.order_by().aggregate(
        count=Count("id"), ids=Sum("id"), last=Max("updated_at"), scores=Sum("score")
    )
    return hashlib.sha256(repr(sorted(found.items())).encode()).hexdigest()[:32]


def published_province_code(figure: Any, codes_by_name: dict[str, str]) -> str:
    """The province (Kemendagri code) a figure belongs to: from its own region code, its
    government, or for a unit its parent government's code; '' when unknown (a polres)."""
    code = figure.region_code
    if not code and figure.government_id is not None:
        code = figure.government.region_code
    if not code and figure.parent_name:
        code = codes_by_name.get(figure.parent_name, "")
    return code.split(".")[0] if code and code[0].isdigit() else ""


def published_figures(year: int, province_code: str | None = None) -> list[Any]:
    """The figures published for ``year`` (with ``province_code``, only that province's
    governments and the units whose parent government is in it), in two queries at most."""
    from patuh.orgs.models import Government
    from patuh.results.models import PublishedResult

    figures = list(
        PublishedResult.objects.filter(year=year)
        .select_related("government")
        .order_by("program", "entity_kind", "-score", "entity_name")
    )
    with_source_links(figures)
    if province_code is None:
        return figures
    codes_by_name = {f.entity_name: f.region_code for f in figures if f.region_code}
    unknown = {
        f.parent_name
        for f in figures
        if f.parent_name and not f.region_code and f.government_id is None
    } - set(codes_by_name)
    if unknown:
        codes_by_name.update(
            Government.objects.filter(name__in=sorted(unknown)).values_list("name", "region_code")
        )
    return [f for f in figures if published_province_code(f, codes_by_name) == province_code]


def published_sections(figures: list[Any]) -> list[dict[str, Any]]:
    """``figures`` per program (the Ombudsman's first) and per peer group (governments in
    :data:`PUBLISHED_PEER_GROUPS` order, then polres and units apart), best score first."""
    sections = []
    for program in PUBLISHED_PROGRAMS:
        mine = [f for f in figures if f.program == program]
        if not mine:
            continue
        groups = []
        for kind in PUBLISHED_PEER_GROUPS + PUBLISHED_APART_GROUPS:
            rows = [f for f in mine if f.entity_kind == kind]
            if rows:
                rows.sort(
                    key=lambda f: (f.parent_name, f.score is None, -(f.score or 0), f.entity_name)
                )
                groups.append({"kind": kind, "rows": rows, "apart": kind in PUBLISHED_APART_GROUPS})
        sections.append({"program": program, "groups": groups, "count": len(mine)})
    return sections


def published_by_government(year: int, program: str = "ombudsman") -> dict[str, Any]:
    """The published figure of every government of ``year`` (one query), by region code:
    for the dashboards' "dipublikasikan" column."""
    from patuh.results.models import PublishedResult

    found: dict[str, Any] = {}
    for figure in (
        PublishedResult.objects.filter(year=year, program=program)
        .governments()
        .select_related("government")
        .order_by("pk")
    ):
        code = figure.region_code or (figure.government.region_code if figure.government else "")
        if code:
            found.setdefault(code, figure)
    with_source_links(list(found.values()))
    return found


def published_of(region_code: str) -> list[Any]:
    """Every figure published for one government (by region code, or through its
    government), oldest year first, the Ombudsman's before PEKPPP's in a year (one query)."""
    from patuh.results.models import PublishedResult

    return with_source_links(
        list(
            PublishedResult.objects.governments()
            .filter(Q(region_code=region_code) | Q(government__region_code=region_code))
            .order_by("year", "program", "pk")
        )
    )


def published_snapshots(year: int) -> dict[str, ResultSnapshot]:
    """Patuh's latest published snapshot of every government of ``year`` (one query, no
    payload), by region code: to show beside the published figures."""
    chosen: dict[str, ResultSnapshot] = {}
    for snapshot in (
        ResultSnapshot.objects.filter(cycle__year=year, published_at__isnull=False)
        .select_related("government", "cycle")
        .defer("payload")
        .order_by("government_id", "-published_at", "-taken_at")
    ):
        chosen.setdefault(snapshot.government.region_code, snapshot)
    return chosen
