"""The PEKPPP users' questionnaire (F-03) in the surveys app: the public form of a PEKPPP cycle
beside the Ombudsman cycle's SKM and perception forms, enumerator entry, file import, the
unit's F-03 summary, and the respondents flowing into the scored IPP's F-03 and composite."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from patuh.assessments.models import Assessment, AssessmentKind, AssessorAssignment, Cycle
from patuh.assessments.services import record_answer, score_pekppp
from patuh.core.models import AuditEvent
from patuh.results.services import cycle_results
from patuh.scoring import load_instrument
from patuh.surveys import services
from patuh.surveys.models import SurveyKind, SurveyResponse

pytestmark = pytest.mark.django_db

F03_URL = "/survei/12.05/dinkes/f03/"
ITEMS = [f"F3-{n:02d}" for n in range(1, 15)]
ALL_FOUR = dict.fromkeys(ITEMS, 4)


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def pekppp(sumut, langkat, langkat_dinkes) -> Cycle:
    """A PEKPPP 2024 cycle for North Sumatra with official assessments of Langkat's Dinas
    Kesehatan and one more Langkat unit."""
    cycle = Cycle.objects.create(
        year=2024, name="PEKPPP 2024 uji", instrument_code="pekppp-2024", province=sumut
    )
    other = langkat.units.exclude(pk=langkat_dinkes.pk).order_by("code").first()
    for unit in (langkat_dinkes, other):
        Assessment.objects.create(cycle=cycle, service_unit=unit, kind=AssessmentKind.OFFICIAL)
    return cycle


@pytest.fixture
def other_unit(pekppp, langkat_dinkes):
    return (
        Assessment.objects.filter(cycle=pekppp).exclude(service_unit=langkat_dinkes).get()
    ).service_unit


@pytest.fixture
def outside_unit(langkat, pekppp):
    """A Langkat unit that is not in the PEKPPP cycle."""
    return langkat.units.exclude(assessments__cycle=pekppp).order_by("code").first()


def _url(cycle: Cycle, base: str = F03_URL) -> str:
    return f"{base}?siklus={cycle.pk}"


def _post(client, cycle, **answers):
    data = {"consent": "1", "age_group": "30-39", **{k: str(v) for k, v in ALL_FOUR.items()}}
    data.update({k: str(v) for k, v in answers.items()})
    return client.post(_url(cycle), data)


def _respondent(values: list[int]) -> dict[str, int]:
    return dict(zip(ITEMS, values, strict=True))


def test_the_public_form_shows_the_14_items_on_a_phone_sized_page(client, pekppp):
    response = client.get(F03_URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="viewport" content="width=device-width' in html
    assert "survey-narrow" in html
    for code in ITEMS:
        assert f'data-question="{code}"' in html
        for level in range(6):
            assert f'name="{code}" id="{code}-{level}" value="{level}"' in html
        assert f'name="{code}" id="{code}-6"' not in html
    assert html.count("data-question=") == 14
    assert "Persyaratan pelayanan mudah dipenuhi" in html  # F3-01, first
    assert html.index('data-question="F3-01"') < html.index('data-question="F3-14"')
    assert "sangat tidak sesuai/buruk" in html
    assert "sangat sesuai/baik" in html
    assert "Kebijakan Pelayanan" in html  # the aspect headings
    for field in ("nama", "name", "telepon", "phone", "hp"):
        assert f'name="{field}"' not in html
    # the same page chosen explicitly by its cycle
    assert client.get(_url(pekppp)).status_code == 200


def test_a_submission_is_saved_for_the_pekppp_cycle_and_audited(client, pekppp, langkat_dinkes):
    response = _post(client, pekppp, **{"F3-02": 0, "F3-14": 5})
    assert response.status_code == 200
    assert "data-thanks" in response.content.decode()
    saved = SurveyResponse.objects.get(unit=langkat_dinkes, kind=SurveyKind.F03)
    assert saved.cycle == pekppp
    assert saved.answers == {**ALL_FOUR, "F3-02": 0, "F3-14": 5}
    assert saved.channel == "web"
    assert saved.profile == {"age_group": "30-39"}
    event = AuditEvent.objects.get(action="survey.response_submitted", object_id=str(saved.pk))
    assert event.new["kind"] == "f03"
    assert event.new["cycle"] == pekppp.pk
    assert event.new["answers"]["F3-02"] == 0
    assert event.actor is None


def test_a_value_off_the_scale_or_a_missing_item_is_refused_naming_the_item(
    client, pekppp, langkat_dinkes
):
    response = _post(client, pekppp, **{"F3-03": 6})
    assert response.status_code == 422
    assert "F3-03" in response.content.decode()
    assert "0 sampai 5" in response.content.decode()
    data = {"consent": "1", **{k: "3" for k in ITEMS if k != "F3-14"}}
    response = client.post(_url(pekppp), data)
    assert response.status_code == 422
    html = response.content.decode()
    assert "F3-14" in html
    assert 'id="F3-01-3" value="3" aria-label="3" checked' in html  # the answers are kept
    assert not SurveyResponse.objects.filter(unit=langkat_dinkes).exists()


def test_an_assigned_assessor_enters_f03_answers_as_an_enumerator(
    login, assessor, pekppp, langkat, langkat_dinkes
):
    client = login(assessor)
    # assigned to the Ombudsman cycle only: a citizen's form here
    assert "data-enumerator" not in client.get(F03_URL).content.decode()
    AssessorAssignment.objects.create(cycle=pekppp, government=langkat, assessor=assessor)
    page = client.get(F03_URL).content.decode()
    assert "data-enumerator" in page
    data = dict.fromkeys(ITEMS, "5")
    thanks = client.post(_url(pekppp), data)
    assert f'/survei/12.05/dinkes/f03/?siklus={pekppp.pk}"' in thanks.content.decode()
    client.post(_url(pekppp), data)
    rows = SurveyResponse.objects.filter(unit=langkat_dinkes, kind=SurveyKind.F03)
    assert rows.count() == 2
    assert {row.channel for row in rows} == {"enumerator"}
    assert {row.entered_by for row in rows} == {assessor}
    assert not any(row.flagged for row in rows)


def test_the_home_page_offers_the_forms_of_each_cycle_the_unit_is_in(
    client, pekppp, cycle_current, outside_unit
):
    html = client.get("/survei/12.05/dinkes/").content.decode()
    assert 'href="/survei/12.05/dinkes/skm/" data-survey="skm"' in html
    # the cycle in progress runs the 2025+ method: no unit-level perception survey
    assert 'data-survey="persepsi"' not in html
    assert f'href="/survei/12.05/dinkes/f03/?siklus={pekppp.pk}" data-survey="f03"' in html
    assert cycle_current.name in html
    assert "PEKPPP 2024 uji" in html
    assert load_instrument("pekppp-2024").name in html
    # a unit outside the PEKPPP cycle: the Ombudsman forms only, no F-03 form
    base = f"/survei/12.05/{outside_unit.code}/"
    assert 'data-survey="f03"' not in client.get(base).content.decode()
    assert client.get(base + "f03/").status_code == 404
    assert client.get(_url(pekppp, base + "f03/")).status_code == 404


def test_the_skm_and_perception_forms_are_unchanged(client, pekppp, cycle_current, langkat_dinkes):
    # an instrument with the unit-level perception survey (the 2025 transitional one)
    cycle_current.instrument_code = "ombudsman-2025"
    cycle_current.save(update_fields=["instrument_code"])
    skm = client.get("/survei/12.05/dinkes/skm/").content.decode()
    assert 'name="U9"' in skm
    assert "F3-01" not in skm
    assert 'name="OU-1"' in client.get("/survei/12.05/dinkes/persepsi/").content.decode()
    data = {"consent": "1", **{f"U{n}": "3" for n in range(1, 10)}}
    assert client.post("/survei/12.05/dinkes/skm/", data).status_code == 200
    assert SurveyResponse.objects.get(kind=SurveyKind.SKM, unit=langkat_dinkes).cycle == (
        cycle_current
    )
    # the PEKPPP cycle asks neither; the Ombudsman cycle asks no F-03
    assert client.get(_url(pekppp, "/survei/12.05/dinkes/skm/")).status_code == 404
    assert client.get(_url(pekppp, "/survei/12.05/dinkes/persepsi/")).status_code == 404
    assert client.get(_url(cycle_current)).status_code == 404
    assert client.get(F03_URL + "?siklus=abc").status_code == 404
    assert services.kinds_for(cycle_current) == ["skm", "perception"]
    assert services.kinds_for(pekppp) == ["f03"]
    cycle_current.instrument_code = "opini-2025"
    assert services.kinds_for(cycle_current) == ["skm"]


def test_the_poster_names_the_f03_questionnaire(client, pekppp, monkeypatch):
    import django.template.loader as loader

    seen = {}
    original = loader.render_to_string

    def spy(name, context=None, *args, **kwargs):
        seen.update(context or {})
        return original(name, context, *args, **kwargs)

    monkeypatch.setattr(loader, "render_to_string", spy)
    response = client.get("/survei/12.05/dinkes/poster.pdf")
    assert response.content.startswith(b"%PDF")
    assert seen["asks_f03"]
    assert seen["asks_ombudsman"]


def _csv(path, rows, header):
    path.write_text("\n".join(",".join(map(str, r)) for r in [header, *rows]) + "\n")
    return path


def _import(path):
    out = io.StringIO()
    call_command(
        "survey",
        "import",
        str(path),
        "--unit",
        "12.05/dinkes",
        "--cycle",
        "2024",
        "--kind",
        "f03",
        stdout=out,
    )
    return out.getvalue()


def test_an_f03_file_imports_and_a_bad_row_or_column_is_named(tmp_path, pekppp, langkat_dinkes):
    header = ["respondent_id", *ITEMS]
    good = _csv(tmp_path / "f03.csv", [["r1", *[4] * 14], ["r2", *[0] * 13, 5]], header)
    assert "2 jawaban baru, 0 sudah ada" in _import(good)
    assert "0 jawaban baru, 2 sudah ada" in _import(good)  # the same file again
    rows = SurveyResponse.objects.filter(unit=langkat_dinkes, kind=SurveyKind.F03)
    assert {row.cycle for row in rows} == {pekppp}
    assert rows.get(respondent_id="r2").answers["F3-14"] == 5
    assert {row.channel for row in rows} == {"import"}
    assert AuditEvent.objects.filter(action="survey.responses_imported").count() == 1

    bad = _csv(tmp_path / "salah.csv", [["r3", *[4] * 14], ["r4", *[4] * 4, 7, *[4] * 9]], header)
    with pytest.raises(CommandError) as raised:
        _import(bad)
    assert "baris 3, kolom F (F3-05): jawaban '7' harus 0, 1, 2, 3, 4 atau 5" in str(raised.value)
    assert raised.value.returncode == 2
    missing = _csv(tmp_path / "kurang.csv", [["r5", *[4] * 13]], header[:-1])
    with pytest.raises(CommandError) as raised:
        _import(missing)
    assert "kolom tidak ada: F3-14" in str(raised.value)
    assert rows.count() == 2  # nothing of the bad files saved


def test_the_f03_import_needs_a_cycle_asking_it(tmp_path, pekppp):
    path = _csv(tmp_path / "f03.csv", [["r1", *[4] * 14]], ["respondent_id", *ITEMS])
    out = io.StringIO()
    with pytest.raises(CommandError) as raised:
        call_command(
            "survey",
            "import",
            str(path),
            "--unit",
            "12.05/dinkes",
            "--cycle",
            "2023",
            "--kind",
            "f03",
            stdout=out,
        )
    assert raised.value.returncode == 2
    assert "Kuesioner F-03" in str(raised.value)


def test_an_operator_uploads_f03_answers_on_the_cycles_list(
    login, operator, pekppp, langkat_dinkes, tmp_path
):
    client = login(operator)
    path = _csv(tmp_path / "f03.csv", [["w1", *[3] * 14]], ["respondent_id", *ITEMS])
    url = _url(pekppp, "/survei/12.05/dinkes/jawaban/")
    page = client.get(url).content.decode()
    assert '<option value="f03">' in page
    assert '<option value="skm">' not in page
    upload = SimpleUploadedFile("f03.csv", path.read_bytes(), content_type="text/csv")
    response = client.post(url, {"kind": "f03", "file": upload})
    assert response.status_code == 302
    assert response["Location"] == url
    assert SurveyResponse.objects.get(respondent_id="w1").cycle == pekppp
    # an F-03 file sent to the Ombudsman cycle's list is refused, not read as SKM
    upload = SimpleUploadedFile("f03.csv", path.read_bytes(), content_type="text/csv")
    followed = client.post(
        "/survei/12.05/dinkes/jawaban/", {"kind": "f03", "file": upload}, follow=True
    )
    assert "tidak memakai" in followed.content.decode()
    assert SurveyResponse.objects.filter(kind=SurveyKind.F03).count() == 1


RESPONDENTS = [
    [4] * 14,  # mean 4
    [3] * 14,  # mean 3
    [5] * 5 + [2] * 9,  # mean 43/14
]


def _answer_f03(unit, cycle, respondents):
    return [services.submit(unit, cycle, SurveyKind.F03, _respondent(r), {}) for r in respondents]


def test_the_f03_summary_and_index_are_computed_as_by_hand(
    client, login, assessor, pekppp, langkat, langkat_dinkes
):
    saved = _answer_f03(langkat_dinkes, pekppp, [*RESPONDENTS, [0] * 14])
    services.void(saved[-1], actor=assessor, reason="uji")  # a voided one does not count
    summary = services.f03_summary(langkat_dinkes, pekppp)
    assert summary.respondents == 3
    means = {item.code: item.mean for item in summary.items}
    assert means["F3-01"] == Decimal(4 + 3 + 5) / 3
    assert means["F3-14"] == Decimal(3)
    # the index: the mean of the respondents' means, (4 + 3 + 43/14) / 3 = 141/42
    assert abs(summary.index - Decimal(141) / 42) < Decimal("1e-20")
    assert summary.rounded == Decimal("3.36")
    assert summary.composite.evaluator_weight == Decimal("0.75")
    assert summary.composite_provisional
    assert summary.provisional_note

    html = client.get("/survei/12.05/dinkes/hasil/").content.decode()
    assert "data-f03-index>3.36<" in html
    assert "data-f03-respondents>3<" in html
    assert "data-composite-provisional" in html
    assert "data-f03-provisional" in html
    assert 'data-f03-item="F3-14"' in html

    AssessorAssignment.objects.create(cycle=pekppp, government=langkat, assessor=assessor)
    listing = login(assessor).get(_url(pekppp, "/survei/12.05/dinkes/jawaban/"))
    html = listing.content.decode()
    assert "data-f03-index>3.36<" in html
    assert html.count("data-response=") == 4  # the voided one listed too
    assert "data-composite-provisional" in html


def test_f03_answers_gives_the_valid_respondents_in_one_query(
    pekppp, langkat_dinkes, other_unit, assessor, django_assert_num_queries
):
    saved = _answer_f03(langkat_dinkes, pekppp, RESPONDENTS)
    _answer_f03(other_unit, pekppp, [[1] * 14])
    services.void(saved[1], actor=assessor, reason="uji")
    with django_assert_num_queries(1):
        found = services.f03_answers(pekppp, [langkat_dinkes.pk, other_unit.pk])
    assert found[langkat_dinkes.pk] == [_respondent(RESPONDENTS[0]), _respondent(RESPONDENTS[2])]
    assert found[other_unit.pk] == [_respondent([1] * 14)]


def _answer_f02(cycle, unit, level, actor):
    assessment = Assessment.objects.get(cycle=cycle, service_unit=unit)
    for code in load_instrument(cycle.instrument_code).indicators:
        record_answer(assessment, code, level, actor)


def test_the_scored_result_carries_f03_and_the_composite(
    pekppp, langkat, langkat_dinkes, other_unit, assessor
):
    _answer_f02(pekppp, langkat_dinkes, 4, assessor)  # IPP 4
    _answer_f02(pekppp, other_unit, 3, assessor)  # IPP 3
    _answer_f03(langkat_dinkes, pekppp, RESPONDENTS)  # F-03 141/42
    _answer_f03(other_unit, pekppp, [[5] * 14, [1] * 14])  # F-03 3

    (row,) = cycle_results(pekppp)
    assert row.government == langkat
    parts = row.pekppp
    dinkes, other = parts.units[langkat_dinkes.code], parts.units[other_unit.code]
    f03_dinkes = Decimal(141) / 42
    assert (dinkes.respondents, other.respondents) == (3, 2)
    assert abs(dinkes.f03 - f03_dinkes) < Decimal("0.01")
    assert abs(dinkes.composite - (Decimal("0.75") * 4 + Decimal("0.25") * f03_dinkes)) < Decimal(
        "0.01"
    )
    assert abs(dinkes.composite - Decimal("3.84")) < Decimal("0.01")
    assert other.f03 == 3
    assert abs(other.composite - 3) < Decimal("0.01")
    # the government: the mean of the units (IPP 3.5, F-03 (141/42 + 3) / 2)
    f03_government = (f03_dinkes + 3) / 2
    assert abs(row.result.score - Decimal("3.5")) < Decimal("0.01")
    assert abs(parts.government.f03 - f03_government) < Decimal("0.01")
    assert abs(
        parts.government.composite - (Decimal("0.75") * Decimal("3.5") + f03_government / 4)
    ) < Decimal("0.01")
    # the assessments' own scoring path gives the same
    same = score_pekppp(pekppp, langkat)
    assert same.units[langkat_dinkes.code].composite == dinkes.composite
    assert same.government.composite == parts.government.composite


def test_an_ombudsman_cycles_results_carry_no_f03(cycle_2023):
    rows = cycle_results(cycle_2023)
    assert rows
    assert all(row.pekppp is None for row in rows)
    assert score_pekppp(cycle_2023, rows[0].government) is None


def test_the_list_of_another_cycle_stays_within_the_users_scope(login, outsider, operator, pekppp):
    url = _url(pekppp, "/survei/12.05/dinkes/jawaban/")
    assert login(outsider).get(url).status_code == 404
    assert login(operator).get("/survei/12.05/dinkes/jawaban/?siklus=999999").status_code == 404
    # a cycle the unit is not in is not a list of that unit
    assert login(operator).get(_url(pekppp, "/survei/12.10/dinkes/jawaban/")).status_code == 404
