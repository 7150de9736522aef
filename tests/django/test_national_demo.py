"""The national synthetic demo (``patuh demo --scale national``).

The shared test database holds the Sumatera Utara demo, whose region codes the national demo
would reuse, so the loads here run in subprocesses on SQLite files of their own; what rows to
make is checked in plain Python at the full national size.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from patuh.demo import national

PATUH = str(Path(sys.executable).with_name("patuh"))
SMALL = ["--provinces", "1", "--ministries", "2", "--survey-responses", "300"]


def test_the_plan_covers_every_province_kabupaten_kota_and_39_ministries():
    plans = national.plan_governments(national.Params())
    kinds = [plan.kind for plan in plans]
    assert kinds.count("provinsi") == 38
    assert kinds.count("kabupaten") + kinds.count("kota") == 514
    assert kinds.count("kementerian") + kinds.count("lembaga") == 39
    assert len({plan.code for plan in plans}) == len(plans) == 591
    params = national.Params(seed=7)
    for plan in plans:
        units = national.units_of(plan, params)
        assert len(units) == national.UNITS_PER_GOVERNMENT
        assert all(len(unit.products) == national.PRODUCTS_PER_UNIT for unit in units)
    assert sum(national.skm_shares(1_000_000, 591 * 7)) == 1_000_000


def test_the_rows_depend_on_the_seed_only():
    plan = national.plan_governments(national.Params(provinces=1, ministries=0))[3]
    assert national.units_of(plan, national.Params(seed=7)) == national.units_of(
        plan, national.Params(seed=7)
    )
    assert national.units_of(plan, national.Params(seed=7)) != national.units_of(
        plan, national.Params(seed=8)
    )
    units = [("a", 0.2), ("b", 0.9)]
    first = list(national.skm_rows(national.Params(seed=7, survey_responses=101), units))
    again = list(national.skm_rows(national.Params(seed=7, survey_responses=101), units))
    other = list(national.skm_rows(national.Params(seed=8, survey_responses=101), units))
    assert first == again != other
    assert [row[0] for row in first].count(0) == 51
    answers = [json.loads(row[2]) for row in first]
    assert all(sorted(a) == [f"U{n}" for n in range(1, 10)] for a in answers)
    assert all(value in (1, 2, 3, 4) for a in answers for value in a.values())
    better = [sum(a.values()) for row, a in zip(first, answers, strict=True) if row[0] == 1]
    worse = [sum(a.values()) for row, a in zip(first, answers, strict=True) if row[0] == 0]
    assert sum(better) / len(better) > sum(worse) / len(worse)


def _environment(folder: Path) -> dict[str, str]:
    env = {**os.environ, "PATUH_VAR_DIR": str(folder), "DJANGO_SETTINGS_MODULE": "patuh.settings"}
    env.pop("DATABASE_URL", None)
    return env


def _run(folder: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [PATUH, *args],
        env=_environment(folder),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def _start(folder: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [PATUH, *args],
        env=_environment(folder),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _checksum(output: str) -> dict[str, str]:
    line = next(line for line in output.splitlines() if line.startswith('{"checksum"'))
    return json.loads(line)["checksum"]


@pytest.fixture(scope="module")
def migrated(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("national-empty")
    done = _run(folder, "migrate", "--noinput", "-v", "0")
    assert done.returncode == 0, done.stderr
    return folder / "patuh.sqlite3"


def _fresh(migrated: Path, folder: Path) -> Path:
    folder.mkdir()
    shutil.copy(migrated, folder / "patuh.sqlite3")
    return folder


def test_a_small_national_demo_is_deterministic_complete_and_labelled(migrated, tmp_path):
    first, second = _fresh(migrated, tmp_path / "a"), _fresh(migrated, tmp_path / "b")
    running = [  # two loads side by side, each in its own database
        _start(folder, "demo", "--scale", "national", "--seed", "7", *SMALL, "--checksum")
        for folder in (first, second)
    ]
    outputs = [process.communicate(timeout=300) for process in running]
    for process, (_, errors) in zip(running, outputs, strict=True):
        assert process.returncode == 0, errors
    assert _checksum(outputs[0][0]) == _checksum(outputs[1][0])
    assert "Data sintetis" in outputs[0][0]

    with sqlite3.connect(first / "patuh.sqlite3") as db:

        def one(sql: str) -> int:
            return db.execute(sql).fetchone()[0]

        # Aceh (1 province, 23 kabupaten/kota) and 2 ministries: 26 governments, 7 units each
        assert one("SELECT COUNT(*) FROM orgs_province") == 38
        assert one("SELECT COUNT(*) FROM orgs_government WHERE code_system = 'other'") == 2
        assert one("SELECT COUNT(*) FROM orgs_serviceunit") == 26 * 7
        assert one("SELECT COUNT(*) FROM orgs_serviceunit WHERE NOT is_synthetic") == 0
        assert one("SELECT COUNT(*) FROM orgs_serviceproduct") == 26 * 7 * 2
        assert one("SELECT COUNT(*) FROM assessments_cycle WHERE province_id IS NULL") == 3
        assert one("SELECT COUNT(*) FROM assessments_cycle WHERE NOT is_synthetic") == 0
        assert one("SELECT COUNT(*) FROM assessments_cycle WHERE name LIKE '%sintetis%'") == 3
        assert one("SELECT COUNT(*) FROM assessments_assessment") == 3 * 26 * 7
        assert one("SELECT COUNT(*) FROM assessments_assessment WHERE NOT is_synthetic") == 0
        # 4 interviewed officials (and 2 complaint officials) per assessment
        assert (
            one("SELECT COUNT(*) FROM assessments_respondent WHERE \"group\" = 'implementers'")
            == 3 * 26 * 7 * 4
        )
        assert one("SELECT COUNT(*) FROM assessments_productobservation") == 3 * 26 * 7 * 2
        # 30 perception respondents per government in the past cycles (the 2025+ method has
        # no unit-level perception indicators), and the SKM responses asked for
        assert (
            one("SELECT COUNT(*) FROM surveys_surveyresponse WHERE kind = 'perception'")
            == 2 * 26 * 30
        )
        # this year's cycle is on the 2025+ method, every government's figures entered
        assert (
            one("SELECT COUNT(*) FROM assessments_cycle WHERE instrument_code = 'opini-2025'") == 1
        )
        assert one("SELECT COUNT(*) FROM assessments_governmentanswer") == 26 * 5
        assert (
            one(
                "SELECT COUNT(*) FROM assessments_governmentanswer WHERE source = '' "
                "OR year IS NULL OR note != 'Data sintetis untuk demonstrasi'"
            )
            == 0
        )
        assert (
            one(
                "SELECT COUNT(DISTINCT government_id) FROM assessments_governmentanswer "
                "WHERE indicator_code = 'KM-IKM'"
            )
            == 26
        )
        assert one("SELECT COUNT(*) FROM surveys_surveyresponse WHERE kind = 'skm'") == 300
        # 2022 and 2023 published with their snapshots; this year's cycle in draft
        assert one(
            "SELECT COUNT(*) FROM results_resultsnapshot WHERE published_at IS NOT NULL"
        ) == (2 * 26)
        assert one("SELECT COUNT(*) FROM assessments_assessment WHERE status = 'draft'") == 26 * 7
        assert one("SELECT COUNT(*) FROM followup_followupaction") > 0
        answers = one("SELECT COUNT(*) FROM assessments_answer")

    again = _run(first, "demo", "--scale", "national", "--seed", "7", *SMALL)
    assert again.returncode == 0, again.stderr
    assert "tidak ada yang diubah" in again.stdout
    other = _run(first, "demo", "--scale", "national", "--seed", "8", *SMALL)
    assert other.returncode != 0
    assert "parameter lain" in other.stderr
    with sqlite3.connect(first / "patuh.sqlite3") as db:
        assert db.execute("SELECT COUNT(*) FROM assessments_answer").fetchone()[0] == answers


def test_it_refuses_a_database_with_other_assessment_data(migrated, tmp_path):
    folder = _fresh(migrated, tmp_path / "sumut")
    with sqlite3.connect(folder / "patuh.sqlite3") as db:
        db.execute(
            "INSERT INTO assessments_cycle (year, name, instrument_code, is_synthetic) "
            "VALUES (2023, 'Siklus lain', 'ombudsman-2023', 0)"
        )
    done = _run(folder, "demo", "--scale", "national", *SMALL)
    assert done.returncode != 0
    assert "basis data terpisah" in done.stderr
    with sqlite3.connect(folder / "patuh.sqlite3") as db:
        assert db.execute("SELECT COUNT(*) FROM orgs_serviceunit").fetchone()[0] == 0


def test_national_options_need_the_national_scale():
    with pytest.raises(CommandError, match="--seed"):
        call_command("demo", seed=3)
