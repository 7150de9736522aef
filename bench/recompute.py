"""Recomputing results at national size, each against a raw SQL aggregate of the same answers.

- national recompute: every government's result of this year's national cycle (every unit,
  dimension score, category and opinion, through the scoring core; the per-indicator points
  and the what-if plans follow when read) and the ranking
  per peer group, against ONE SQL query computing the per-unit dimension means of the same
  answers (the limit: the database reads and averages everything once, nothing else);
- one answer change: an answer saved through the service, then the unit's and the
  government's new result and the government's new place in the national ranking, against
  the same SQL aggregate restricted to that government.

Run by ``bench/run.py`` on the national demo; importable on its own after Django is set up.
"""

from __future__ import annotations

from typing import Any

from common import Table, ms, ratio, secs, timed

# per unit and dimension (the indicator code's prefix): the mean of the answers, a list of
# answers (one per official, product or respondent) counting as its own mean, N/A left out
SQL = {
    "sqlite": """
        SELECT a.service_unit_id,
               substr(an.indicator_code, 1, instr(an.indicator_code, '-') - 1) AS dimension,
               AVG(CASE json_type(an.value)
                     WHEN 'array' THEN (SELECT AVG(j.value) FROM json_each(an.value) AS j)
                     WHEN 'integer' THEN CAST(an.value AS REAL)
                     WHEN 'real' THEN CAST(an.value AS REAL)
                   END)
        FROM assessments_answer an
        JOIN assessments_assessment a ON a.id = an.assessment_id
        JOIN orgs_serviceunit u ON u.id = a.service_unit_id
        WHERE a.cycle_id = %s AND a.kind = 'official' AND a.status <> 'dropped' {government}
        GROUP BY a.service_unit_id, dimension
    """,
    "postgresql": """
        SELECT a.service_unit_id,
               split_part(an.indicator_code, '-', 1) AS dimension,
               AVG(CASE jsonb_typeof(an.value)
                     WHEN 'array' THEN (SELECT AVG(e::numeric)
                                        FROM jsonb_array_elements_text(an.value) AS e)
                     WHEN 'number' THEN (an.value #>> '{{}}')::numeric
                   END)
        FROM assessments_answer an
        JOIN assessments_assessment a ON a.id = an.assessment_id
        JOIN orgs_serviceunit u ON u.id = a.service_unit_id
        WHERE a.cycle_id = %s AND a.kind = 'official' AND a.status <> 'dropped' {government}
        GROUP BY a.service_unit_id, dimension
    """,
}


def dimension_means(cycle: Any, government_id: int | None = None) -> list[tuple[Any, ...]]:
    from django.db import connection

    sql = SQL["postgresql" if connection.vendor == "postgresql" else "sqlite"]
    params: list[Any] = [cycle.pk]
    restrict = ""
    if government_id is not None:
        restrict = "AND u.government_id = %s"
        params.append(government_id)
    with connection.cursor() as cursor:
        cursor.execute(sql.format(government=restrict), params)
        return cursor.fetchall()


def national_recompute(table: Table, cycle: Any, repeat: int = 3) -> Any:
    from patuh.results.services import LiveRanking, cycle_results

    def recompute() -> Any:
        rows = cycle_results(cycle)
        ranking = LiveRanking(rows)
        ranking.groups()
        return rows, ranking

    dimension_means(cycle)  # warm the database's cache for both
    baseline, means = timed(lambda: dimension_means(cycle), repeat)
    value, (rows, ranking) = timed(recompute, repeat)
    units = sum(len(row.result.units) for row in rows)
    table.add(
        f"national recompute: {len(rows)} governments, {units} units, ranking",
        secs(value),
        f"{secs(baseline)} (SQL: {len(means)} unit×dimension means)",
        ratio(value, baseline),
        "≤ 3× and < 5 s",
        value <= 3 * baseline and value < 5,
        note=f"median of {repeat}; each government scored by the scoring core (units, "
        "dimension scores, category, opinion), then ranked per peer group; the points per "
        "indicator and the what-if plans are built when something reads them",
    )
    return rows, ranking


def one_change(table: Table, cycle: Any, ranking: Any, region_code: str, repeat: int = 5) -> None:
    from django.contrib.auth import get_user_model

    from patuh.assessments.models import Answer, Assessment, AssessmentKind
    from patuh.assessments.services import AnswerChange, save_answer, score_assessments
    from patuh.orgs.models import Government

    government = Government.objects.get(region_code=region_code)
    assessment = (
        Assessment.objects.filter(
            cycle=cycle, service_unit__government=government, kind=AssessmentKind.OFFICIAL
        )
        .select_related("cycle", "service_unit__government")
        .order_by("service_unit__code")
        .first()
    )
    answer = (
        Answer.objects.filter(assessment=assessment, indicator_code__startswith="IN-S")
        .order_by("indicator_code")
        .first()
    )
    actor = get_user_model().objects.get(username="admin")
    values = [0, 1, 2, 3]
    saves, recomputes = [], []
    places = []
    for number in range(repeat):
        value = (
            values[(values.index(answer.value) + 1 + number) % 4]
            if isinstance(answer.value, int)
            else values[number % 4]
        )
        save, _ = timed(
            lambda value=value: save_answer(
                assessment, answer.indicator_code, AnswerChange(value=value), actor=actor
            )
        )

        def recompute() -> Any:
            result = score_assessments(cycle, government, AssessmentKind.OFFICIAL)
            unit = next(u for u in result.units if u.code == assessment.service_unit.code)
            ranking.update(government, result)
            return unit, result, ranking.place_of(region_code)

        seconds, (_, _, place) = timed(recompute)
        saves.append(save)
        recomputes.append(seconds)
        places.append(place.rank)
    baseline, _ = timed(lambda: dimension_means(cycle, government.pk), repeat)
    value = sorted(recomputes)[len(recomputes) // 2]
    table.add(
        f"one answer change ({region_code}): unit + government + ranking",
        ms(value),
        f"{ms(baseline)} (SQL means of the government's units)",
        ratio(value, baseline),
        "< 50 ms",
        value < 0.050,
        note=f"median of {repeat} changes; the save itself (validation, row lock, audit row) "
        f"took a median {ms(sorted(saves)[len(saves) // 2])} more; places seen: {places}",
    )
