"""Result snapshots, rankings and the public results site."""

import hashlib
import itertools
from decimal import Decimal
from importlib import resources

import pytest

from patuh.assessments import workflow
from patuh.assessments.models import Assessment
from patuh.assessments.services import AnswerChange, save_answer, score_assessments
from patuh.results.models import ResultSnapshot
from patuh.results.services import ranking
from patuh.scoring import format_score, load_instrument


@pytest.fixture
def langkat_2023(cycle_2023, langkat):
    return list(
        Assessment.objects.filter(
            cycle=cycle_2023, service_unit__government=langkat, kind="official"
        )
    )


def _finalise(assessments, actor):
    workflow.transition_many(assessments, "verify", actor=actor)
    workflow.transition_many(
        Assessment.objects.filter(pk__in=[a.pk for a in assessments]), "finalise", actor=actor
    )


def test_the_last_unit_to_become_final_freezes_the_governments_result(
    cycle_2023, langkat, langkat_2023, verifier
):
    assert not ResultSnapshot.objects.filter(cycle=cycle_2023, government=langkat).exists()
    _finalise(langkat_2023, verifier)
    snapshot = ResultSnapshot.objects.current().get(cycle=cycle_2023, government=langkat)
    live = score_assessments(cycle_2023, langkat)
    assert snapshot.score == live.rounded
    assert (snapshot.category, snapshot.opinion) == (live.band.category, live.opinion)
    assert snapshot.checksum == hashlib.sha256(snapshot.payload.encode()).hexdigest()
    data = snapshot.data
    assert data["instrument"] == "ombudsman-2023"
    assert {unit["code"]: unit["score"] for unit in data["units"]} == {
        unit.code: Decimal(format_score(unit.score)) for unit in live.units
    }
    assert data["answers"]["dinkes"]["IN-S1"] is not None
    instrument_file = resources.files("patuh.scoring") / "instruments" / "ombudsman-2023.yaml"
    assert snapshot.instrument_sha256 == hashlib.sha256(instrument_file.read_bytes()).hexdigest()


def test_a_final_snapshot_does_not_change_when_the_instrument_file_is_edited(
    cycle_2023, langkat, langkat_2023, verifier, tmp_path, monkeypatch
):
    _finalise(langkat_2023, verifier)
    snapshot = ResultSnapshot.objects.current().get(cycle=cycle_2023, government=langkat)
    frozen = (snapshot.payload, snapshot.score, snapshot.checksum)
    # the instrument file is edited afterwards: Input weighs more, Pengaduan less
    original = (
        resources.files("patuh.scoring") / "instruments" / "ombudsman-2023.yaml"
    ).read_text()
    edited = original.replace("weight: 21.85", "weight: 31.85", 1).replace(
        "weight: 21.54", "weight: 11.54", 1
    )
    assert edited != original
    (tmp_path / "ombudsman-2023.yaml").write_text(edited, encoding="utf-8")
    monkeypatch.setenv("PATUH_INSTRUMENTS_DIR", str(tmp_path))
    load_instrument.cache_clear()
    try:
        live = score_assessments(cycle_2023, langkat)
        assert live.rounded != snapshot.score  # today's formula gives another number
        snapshot.refresh_from_db()
        assert (snapshot.payload, snapshot.score, snapshot.checksum) == frozen
        assert ResultSnapshot.objects.filter(cycle=cycle_2023, government=langkat).count() == 1
    finally:
        monkeypatch.delenv("PATUH_INSTRUMENTS_DIR")
        load_instrument.cache_clear()


def test_a_reopen_and_a_new_final_supersede_the_snapshot_but_keep_it(
    cycle_2022, labuhanbatu, verifier, client
):
    published = ResultSnapshot.objects.current().get(cycle=cycle_2022, government=labuhanbatu)
    dinkes = Assessment.objects.get(
        cycle=cycle_2022, service_unit__government=labuhanbatu, service_unit__code="dinkes"
    )
    workflow.reopen(dinkes, actor=verifier, reason="Keberatan diterima")
    save_answer(dinkes, "IN-S1", AnswerChange(value=0), actor=verifier)
    save_answer(dinkes, "IN-S2", AnswerChange(value=0), actor=verifier)
    workflow.transition(dinkes, "submit", actor=verifier)
    workflow.transition(dinkes, "verify", actor=verifier)
    workflow.transition(dinkes, "finalise", actor=verifier)
    published.refresh_from_db()
    assert published.superseded_at is not None
    current = ResultSnapshot.objects.current().get(cycle=cycle_2022, government=labuhanbatu)
    assert current.score < published.score
    assert current.published_at is None
    # the public still sees what was published, until the new result is published
    html = client.get("/publik/2022/12.10/").content.decode()
    assert f"data-score>{format_score(published.score)}<" in html
    assert published.checksum in html


def test_the_public_sees_only_published_results(client, cycle_2023):
    assert client.get("/publik/2022/12.10/").status_code == 200
    assert ResultSnapshot.objects.filter(cycle=cycle_2023, published_at__isnull=True).exists()
    assert client.get("/publik/2023/12.02/").status_code == 404  # final, not published
    assert client.get("/publik/2023/12.05/").status_code == 404  # at verification
    # 2023 has figures the Ombudsman published, but no Patuh result of 2023 is public yet
    ranking = client.get("/publik/2023/")
    assert ranking.status_code == 200
    html = ranking.content.decode()
    assert "data-cycle=" not in html
    assert "/publik/2023/12.05/" not in html
    search = client.get("/publik/?q=Langkat").content.decode()
    assert "/publik/2022/12.05/" in search
    assert "/publik/2023/12.05/" not in search


def test_the_public_result_page_shows_the_snapshot(client, cycle_2022, labuhanbatu):
    snapshot = ResultSnapshot.objects.current().get(cycle=cycle_2022, government=labuhanbatu)
    html = client.get("/publik/2022/12.10/").content.decode()
    assert f"data-score>{format_score(snapshot.score)}<" in html
    assert snapshot.opinion in html
    assert snapshot.checksum in html
    for unit in snapshot.data["units"]:
        assert f'data-unit="{unit["code"]}"' in html
        assert f"/publik/unit/12.10/{unit['code']}/" in html


def test_the_ranking_groups_kabupaten_and_kota_and_shares_ties(client, cycle_2022):
    result = ranking(cycle_2022)
    assert set(result.groups) == {"kabupaten", "kota"}
    assert sum(len(group) for group in result.groups.values()) == 33
    for group in result.groups.values():
        scores = [item.entry.score for item in group]
        assert scores == sorted(scores, reverse=True)
        for earlier, later in itertools.pairwise(group):
            assert (later.rank == earlier.rank) == (later.entry.score == earlier.entry.score)
    html = client.get("/publik/2022/").content.decode()
    top = result.groups["kota"][0]
    assert f'data-government="{top.entry.key}" data-rank="1"' in html


def test_rank_changes_across_instruments_are_flagged(cycle_2022, cycle_2023, verifier, client):
    for government_code in ("12.02", "12.03"):
        ResultSnapshot.objects.current().filter(
            cycle=cycle_2023, government__region_code=government_code
        ).update(published_at=cycle_2023.stages.first().cycle.snapshots.first().taken_at)
    result = ranking(cycle_2023)
    assert result.previous_cycle == cycle_2022
    assert not result.comparable
    assert all(item.change is not None for group in result.groups.values() for item in group)
    html = client.get("/publik/2023/").content.decode()
    assert "data-not-comparable" in html


def test_the_ranking_page_reads_a_fixed_number_of_queries(
    db, client, django_assert_max_num_queries
):
    client.get("/publik/2022/")
    with django_assert_max_num_queries(6):
        assert client.get("/publik/2022/").status_code == 200


def test_the_staff_ranking_labels_live_results_as_draft(login, verifier):
    html = login(verifier).get("/cycles/2023/").content.decode()
    rows = html.split("<tr>")
    langkat = next(row for row in rows if "/governments/12.05/" in row)
    other = next(row for row in rows if "/governments/12.02/" in row)
    assert "data-draft" in langkat
    assert "data-draft" not in other
