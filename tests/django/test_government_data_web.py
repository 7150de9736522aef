"""The "Data tingkat pemerintah" pages of a 2025+ cycle and ``patuh government-data``: who
reads and who enters a government's figures, saving row by row (htmx or a plain POST),
conflicts, clearing with a reason, and the all-or-nothing import from CSV/XLSX and back."""

from __future__ import annotations

import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.utils import timezone
from openpyxl import Workbook
from personas import persona

from patuh.accounts.roles import Role
from patuh.assessments.government_data import record_government_answer
from patuh.assessments.government_import import (
    GovernmentImportError,
    check_file,
    export_rows,
    import_file,
)
from patuh.assessments.models import (
    Assessment,
    AssessmentKind,
    AssessorAssignment,
    Cycle,
    GovernmentAnswer,
)
from patuh.assessments.services import prepare_assessments
from patuh.core.models import AuditEvent
from patuh.orgs.models import Government, Province
from patuh.results.models import ResultSnapshot

pytestmark = pytest.mark.django_db

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "government-data-2026.csv"
HEADER = "government,indicator,value,year,source,note\n"


@pytest.fixture
def cycle_2025(sumut, langkat, labuhanbatu) -> Cycle:
    """A Sumatera Utara cycle on opini-2025 with official assessments for Langkat,
    Labuhanbatu and Medan."""
    cycle = Cycle.objects.create(
        year=2025, name="Penilaian 2025 uji", instrument_code="opini-2025", province=sumut
    )
    medan = Government.objects.get(region_code="12.71")
    Assessment.objects.bulk_create(
        [
            Assessment(cycle=cycle, service_unit=unit, kind=AssessmentKind.OFFICIAL)
            for government in (langkat, labuhanbatu, medan)
            for unit in government.units.all()[:2]
        ]
    )
    prepare_assessments(list(Assessment.objects.filter(cycle=cycle)))
    return cycle


@pytest.fixture
def people(
    cycle_2025, langkat, labuhanbatu, sumut, regional_admin, verifier, coordinator, outsider
):
    assigned = persona("asri.penilai", Role.ASSESSOR, province=sumut)
    AssessorAssignment.objects.create(cycle=cycle_2025, government=langkat, assessor=assigned)
    other = persona("oto.penilai", Role.ASSESSOR, province=sumut)
    AssessorAssignment.objects.create(cycle=cycle_2025, government=labuhanbatu, assessor=other)
    return {
        "national_admin": persona("nina.nasional", Role.NATIONAL_ADMIN),
        "regional_admin": regional_admin,
        "assigned_assessor": assigned,
        "other_assessor": other,
        "verifier": verifier,
        "coordinator": coordinator,
        "other_coordinator": outsider,
        "aceh_admin": persona(
            "ahmad.aceh",
            Role.REGIONAL_OFFICE_ADMIN,
            province=Province.objects.get(region_code="11"),
        ),
        "operator": persona(
            "opi.dinsos", Role.UNIT_OPERATOR, service_unit=langkat.units.get(code="dinsos")
        ),
    }


def _page(cycle: Cycle, code: str = "12.05") -> str:
    return f"/cycles/manage/{cycle.pk}/governments/{code}/data/"


READ = {
    "national_admin": 200,
    "regional_admin": 200,
    "assigned_assessor": 200,
    "other_assessor": 404,  # sees only Labuhanbatu
    "verifier": 200,
    "coordinator": 200,
    "other_coordinator": 404,
    "aceh_admin": 404,
    "operator": 403,
}
WRITE = {
    "national_admin": 302,
    "regional_admin": 302,
    "assigned_assessor": 302,
    "other_assessor": 404,
    "verifier": 403,
    "coordinator": 403,
    "other_coordinator": 404,
    "aceh_admin": 404,
    "operator": 403,
}


@pytest.mark.parametrize("role", sorted(READ))
def test_each_role_reads_and_enters_langkats_figures_as_it_should(cycle_2025, people, login, role):
    client = login(people[role])
    response = client.get(_page(cycle_2025))
    assert response.status_code == READ[role]
    if response.status_code == 200:
        assert "Data tingkat pemerintah" in response.content.decode()
    saved = client.post(
        _page(cycle_2025),
        {"action": "save", "indicator": "KM-IKM", "value": "66.5", "version": "0"},
    )
    assert saved.status_code == WRITE[role]
    stored = GovernmentAnswer.objects.filter(cycle=cycle_2025, indicator_code="KM-IKM")
    assert stored.exists() == (WRITE[role] == 302)


def test_anonymous_is_sent_to_sign_in(cycle_2025, client):
    response = client.get(_page(cycle_2025))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_coordinator_reads_without_forms_and_a_regional_admin_sees_them(
    cycle_2025, people, login
):
    read_only = login(people["coordinator"]).get(_page(cycle_2025)).content.decode()
    assert "data-read-only" in read_only
    assert "data-save-form" not in read_only
    editable = login(people["regional_admin"]).get(_page(cycle_2025)).content.decode()
    assert "data-save-form" in editable


def test_a_cycle_without_government_elements_has_no_such_page(cycle_2023, regional_admin, login):
    client = login(regional_admin)
    assert client.get(_page(cycle_2023)).status_code == 404
    assert client.get(f"/cycles/manage/{cycle_2023.pk}/government-data/").status_code == 404


def test_a_government_outside_the_cycle_is_not_found(cycle_2025, people, login):
    aceh = Government.objects.filter(province__region_code="11").first()
    client = login(people["national_admin"])
    assert client.get(_page(cycle_2025, aceh.region_code)).status_code == 404


def test_the_page_shows_every_indicator_its_provisional_note_compliance_and_scores(
    cycle_2025, people, login
):
    page = login(people["regional_admin"]).get(_page(cycle_2025)).content.decode()
    for code in ("OU-IPP", "OU-IPM", "OU-SPM", "OU-RPJMD", "KM-IKM"):
        assert f'id="fig-{code}"' in page
    assert "Seri usulan; seri resmi Output 2025 belum dipublikasikan." in page
    assert "data-provisional" in page
    assert "data-compliance-level" in page
    assert "Patuh menurunkannya dari produk Ombudsman" in page  # the derivation note
    assert f"/cycles/{cycle_2025.year}/governments/12.05/follow-up/#ombudsman-products" in page
    assert 'data-element="OU"' in page
    assert 'data-element="KM"' in page


def test_a_plain_post_saves_audits_and_shows_the_new_element_score(cycle_2025, people, login):
    client = login(people["assigned_assessor"])
    response = client.post(
        _page(cycle_2025),
        {
            "action": "save",
            "indicator": "OU-IPM",
            "value": "71,5",
            "year": "2024",
            "source": "BPS",
            "note": "rilis BPS",
            "version": "0",
        },
    )
    assert response.status_code == 302
    assert response["Location"].endswith("#fig-OU-IPM")
    answer = GovernmentAnswer.objects.get(cycle=cycle_2025, indicator_code="OU-IPM")
    assert (answer.value, answer.year, answer.source) == (Decimal("71.5"), 2024, "BPS")
    event = AuditEvent.objects.filter(action="government_answer.saved").latest("pk")
    assert event.actor == people["assigned_assessor"]
    assert Decimal(event.new["value"]) == answer.value
    page = client.get(_page(cycle_2025)).content.decode()
    assert "71.5" in page


def test_an_htmx_save_answers_with_the_row_and_the_scores(cycle_2025, people, login):
    client = login(people["regional_admin"])
    response = client.post(
        _page(cycle_2025),
        {"action": "save", "indicator": "KM-IKM", "value": "80", "version": "0"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="fig-KM-IKM"' in body
    assert "data-saved" in body
    assert 'id="government-data-scores" hx-swap-oob="true"' in body
    assert ">80.00<" in body  # the trust element's score on 0–100


def test_a_bad_figure_is_refused_by_name_and_kept_in_the_form(cycle_2025, people, login):
    client = login(people["regional_admin"])
    plain = client.post(
        _page(cycle_2025),
        {"action": "save", "indicator": "OU-IPM", "value": "140", "year": "2024", "version": "0"},
    )
    assert plain.status_code == 422
    body = plain.content.decode()
    assert "di luar skala" in body
    assert 'value="140"' in body
    htmx = client.post(
        _page(cycle_2025),
        {"action": "save", "indicator": "OU-SPM", "value": "70", "version": "0"},
        HTTP_HX_REQUEST="true",
    )
    assert htmx.status_code == 422
    assert "tahun data sumber" in htmx.content.decode()
    assert not GovernmentAnswer.objects.filter(cycle=cycle_2025).exists()


def test_a_stale_form_shows_the_newer_figure_and_does_not_overwrite(
    cycle_2025, langkat, people, login
):
    record_government_answer(
        cycle_2025, langkat, "KM-IKM", 61, actor=people["national_admin"], expected_version=0
    )
    response = login(people["regional_admin"]).post(
        _page(cycle_2025),
        {"action": "save", "indicator": "KM-IKM", "value": "75", "version": "0"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 409
    body = response.content.decode()
    assert "data-conflict" in body
    assert "data-stored-value>61<" in body
    assert 'data-version="1"' in body
    assert GovernmentAnswer.objects.get(cycle=cycle_2025, indicator_code="KM-IKM").value == 61
    plain = login(people["regional_admin"]).post(
        _page(cycle_2025),
        {"action": "save", "indicator": "KM-IKM", "value": "75", "version": "0"},
    )
    assert plain.status_code == 409
    assert "data-conflict" in plain.content.decode()


def test_changing_a_figure_records_the_reason(cycle_2025, langkat, people, login):
    record_government_answer(cycle_2025, langkat, "KM-IKM", 61, actor=people["regional_admin"])
    login(people["regional_admin"]).post(
        _page(cycle_2025),
        {
            "action": "save",
            "indicator": "KM-IKM",
            "value": "62",
            "version": "1",
            "reason": "hasil survei final",
        },
    )
    event = AuditEvent.objects.filter(action="government_answer.saved").latest("pk")
    assert (Decimal(event.old["value"]), event.reason) == (61, "hasil survei final")


def test_clearing_needs_a_reason_and_is_audited(cycle_2025, langkat, people, login):
    record_government_answer(cycle_2025, langkat, "KM-IKM", 61, actor=people["regional_admin"])
    client = login(people["regional_admin"])
    refused = client.post(
        _page(cycle_2025), {"action": "clear", "indicator": "KM-IKM", "reason": "  "}
    )
    assert refused.status_code == 422
    assert GovernmentAnswer.objects.filter(cycle=cycle_2025).exists()
    cleared = client.post(
        _page(cycle_2025), {"action": "clear", "indicator": "KM-IKM", "reason": "salah ketik"}
    )
    assert cleared.status_code == 302
    assert not GovernmentAnswer.objects.filter(cycle=cycle_2025).exists()
    event = AuditEvent.objects.filter(action="government_answer.cleared").latest("pk")
    assert event.reason == "salah ketik"
    history = client.get(_page(cycle_2025)).content.decode()
    assert 'data-action="government_answer.cleared"' in history
    assert "salah ketik" in history
    other = client.get(_page(cycle_2025, "12.10")).content.decode()
    assert "salah ketik" not in other


def test_an_unknown_indicator_in_the_form_is_not_found(cycle_2025, people, login):
    response = login(people["regional_admin"]).post(
        _page(cycle_2025), {"action": "save", "indicator": "KP", "value": "1"}
    )
    assert response.status_code == 404


def test_a_published_result_is_read_only_on_the_page(cycle_2025, langkat, people, login):
    ResultSnapshot.objects.create(
        cycle=cycle_2025,
        government=langkat,
        instrument_code="opini-2025",
        instrument_version="x",
        instrument_sha256="",
        score=Decimal("70.00"),
        category="C",
        opinion="Kualitas Sedang",
        payload="{}",
        checksum="0" * 64,
        published_at=timezone.now(),
    )
    client = login(people["regional_admin"])
    page = client.get(_page(cycle_2025)).content.decode()
    assert "data-published" in page
    assert "data-save-form" not in page
    response = client.post(
        _page(cycle_2025), {"action": "save", "indicator": "KM-IKM", "value": "70"}
    )
    assert response.status_code == 422
    assert not GovernmentAnswer.objects.filter(cycle=cycle_2025).exists()


# -- links ---------------------------------------------------------------------------------


def test_the_cycle_page_lists_governments_with_their_counts(cycle_2025, langkat, people, login):
    record_government_answer(cycle_2025, langkat, "KM-IKM", 61, actor=people["regional_admin"])
    page = login(people["regional_admin"]).get(f"/cycles/manage/{cycle_2025.pk}/").content.decode()
    assert 'id="government-data"' in page
    assert _page(cycle_2025) in page
    assert "1 dari 5" in page
    assert "0 dari 5" in page  # Labuhanbatu, Medan


def test_a_cycle_without_government_elements_gets_no_section(cycle_2023, regional_admin, login):
    page = login(regional_admin).get(f"/cycles/manage/{cycle_2023.pk}/")
    assert page.status_code == 200
    assert 'id="government-data"' not in page.content.decode()


def test_the_government_result_page_links_for_those_who_may_read(cycle_2025, people, login):
    # the 2025 demo cycle of Sumatera Utara is this one, by year and province
    url = f"/cycles/{cycle_2025.year}/governments/12.05/"
    page = login(people["coordinator"]).get(url).content.decode()
    assert "data-government-data-link" in page
    assert _page(cycle_2025) in page
    operator_page = login(people["operator"]).get(url)
    assert operator_page.status_code == 200
    assert "data-government-data-link" not in operator_page.content.decode()
    older = login(people["coordinator"]).get("/cycles/2023/governments/12.05/")
    assert "data-government-data-link" not in older.content.decode()


# -- import --------------------------------------------------------------------------------


def _csv(tmp_path: Path, text: str, name: str = "data.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


GOOD = (
    HEADER
    + "12.05,OU-IPM,71.5,2024,BPS,\n"
    + "12.05,KM-IKM,68.2,,,survei 2025\n"
    + "12.10,OU-IPP,3.4,2024,KemenPAN-RB,\n"
)


def test_a_good_file_saves_every_figure_and_again_changes_nothing(
    cycle_2025, regional_admin, tmp_path
):
    path = _csv(tmp_path, GOOD)
    summary = import_file(cycle_2025, path, actor=regional_admin, reason="data BPS 2024")
    assert (summary.saved, summary.unchanged) == (3, 0)
    assert GovernmentAnswer.objects.filter(cycle=cycle_2025).count() == 3
    events = AuditEvent.objects.filter(
        action="government_answer.saved", context_id=str(cycle_2025.pk)
    )
    assert events.count() == 3
    assert set(events.values_list("reason", flat=True)) == {"data BPS 2024"}
    again = import_file(cycle_2025, path, actor=regional_admin)
    assert (again.saved, again.unchanged) == (0, 3)
    assert events.count() == 3


def test_indonesian_headers_and_empty_values_are_accepted(cycle_2025, regional_admin, tmp_path):
    path = _csv(
        tmp_path,
        "pemerintah,indikator,nilai,tahun,sumber,catatan\n"
        '12.05,OU-IPM,"71,5",2024,BPS,\n'
        "12.05,OU-SPM,,,,\n",
    )
    summary = import_file(cycle_2025, path, actor=regional_admin)
    assert (summary.saved, summary.skipped) == (1, 1)


@pytest.mark.parametrize(
    ("row", "column", "reason"),
    [
        ("99.99,OU-IPM,70,2024,BPS,", "A (government)", "tidak dikenal"),
        ("11.01,OU-IPM,70,2024,BPS,", "A (government)", "di luar wilayah siklus"),
        ("12.05,OU-GINI,70,2024,BPS,", "B (indicator)", "tidak dikenal"),
        ("12.05,KP,1,,,", "B (indicator)", "diturunkan dari produk Ombudsman"),
        ("12.05,OU-IPM,140,2024,BPS,", "C (value)", "di luar skala"),
        ("12.05,OU-IPM,tujuh,2024,BPS,", "C (value)", "bukan angka"),
        ("12.05,OU-IPM,70.123456,2024,BPS,", "C (value)", "paling banyak 4 angka"),
        ("12.05,OU-IPM,70,,BPS,", "D (year)", "tahun data wajib"),
        ("12.05,OU-IPM,70,20x4,BPS,", "D (year)", "tidak valid"),
        ("12.05,OU-IPM,70,2024,,", "E (source)", "sumber data wajib"),
        ("12.05,OU-IPM,72,2024,BPS,", "B (indicator)", "sudah ada di baris 2"),
    ],
)
def test_a_bad_row_is_named_and_nothing_is_saved(
    cycle_2025, regional_admin, tmp_path, row, column, reason
):
    path = _csv(tmp_path, HEADER + "12.05,OU-IPM,71,2024,BPS,\n12.10,KM-IKM,60,,,\n" + row + "\n")
    with pytest.raises(GovernmentImportError) as error:
        import_file(cycle_2025, path, actor=regional_admin)
    message = error.value.message()
    assert f"baris 4, kolom {column}" in message
    assert reason in message
    assert not GovernmentAnswer.objects.filter(cycle=cycle_2025).exists()
    assert not AuditEvent.objects.filter(
        action="government_answer.saved", context_id=str(cycle_2025.pk)
    ).exists()


def test_a_missing_or_unknown_column_is_named(cycle_2025, regional_admin, tmp_path):
    with pytest.raises(GovernmentImportError) as error:
        import_file(cycle_2025, _csv(tmp_path, "government,value\n12.05,70\n"), actor=None)
    assert "kolom wajib tidak ada: indicator" in error.value.message()
    with pytest.raises(GovernmentImportError) as error:
        import_file(
            cycle_2025,
            _csv(tmp_path, HEADER.strip() + ",bobot\n12.05,KM-IKM,70,,,,1\n"),
            actor=None,
        )
    assert "kolom 'bobot' tidak dikenal" in error.value.message()


def test_an_xlsx_file_imports_like_a_csv(cycle_2025, regional_admin, tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["pemerintah", "indikator", "nilai", "tahun", "sumber", "catatan"])
    sheet.append(["12.05", "OU-IPM", 71.5, 2024, "BPS", None])
    sheet.append(["12.71", "KM-IKM", 74, None, None, "uji"])
    sheet.append([12.1, "KM-IKM", 66, None, None, "kode yang diubah Excel menjadi angka"])
    path = tmp_path / "data.xlsx"
    workbook.save(path)
    summary = import_file(cycle_2025, path, actor=regional_admin)
    assert summary.saved == 3
    assert GovernmentAnswer.objects.filter(government__region_code="12.10").exists()
    answer = GovernmentAnswer.objects.get(cycle=cycle_2025, indicator_code="OU-IPM")
    assert (answer.value, answer.year) == (Decimal("71.5"), 2024)


def test_an_export_imports_again_unchanged_and_the_template_too(
    cycle_2025, regional_admin, tmp_path
):
    import_file(cycle_2025, _csv(tmp_path, GOOD), actor=regional_admin)
    GovernmentAnswer.objects.filter(indicator_code="KM-IKM").update(note="=SUM(1+1)")
    out = io.StringIO()
    call_command("government-data", "export", "--cycle", str(cycle_2025.pk), stdout=out)
    exported = out.getvalue()
    assert exported.splitlines()[0] == HEADER.strip()
    assert "'=SUM(1+1)" in exported  # never run as a formula in a spreadsheet
    before = export_rows(cycle_2025)
    summary = import_file(cycle_2025, _csv(tmp_path, exported, "export.csv"), actor=regional_admin)
    assert (summary.saved, summary.unchanged) == (0, 3)
    assert export_rows(cycle_2025) == before
    template = io.StringIO()
    call_command("government-data", "template", "--cycle", str(cycle_2025.pk), stdout=template)
    lines = template.getvalue().splitlines()
    assert len(lines) == 1 + 3 * 5  # three assessed governments × five indicators
    assert "12.71,OU-RPJMD,,,," in lines
    checked = check_file(cycle_2025, _csv(tmp_path, template.getvalue(), "templat.csv"))
    assert (len(checked.figures), checked.unchanged, checked.skipped) == (3, 3, 12)


def test_a_json_export_lists_the_same_figures(cycle_2025, regional_admin, tmp_path):
    import_file(cycle_2025, _csv(tmp_path, GOOD), actor=regional_admin)
    out = io.StringIO()
    call_command("government-data", "export", "--cycle", "2025/12", "--format", "json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["instrument"] == "opini-2025"
    assert data["figures"] == export_rows(cycle_2025)
    path = _csv(tmp_path, out.getvalue(), "export.json")
    assert import_file(cycle_2025, path, actor=regional_admin).unchanged == 3


def test_the_example_file_imports_cleanly(cycle_2025, regional_admin):
    summary = import_file(cycle_2025, EXAMPLE, actor=regional_admin)
    assert summary.saved == 15
    assert set(
        GovernmentAnswer.objects.filter(cycle=cycle_2025).values_list(
            "government__region_code", flat=True
        )
    ) == {"12.05", "12.10", "12.71"}


# -- the command ---------------------------------------------------------------------------


def _command(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("government-data", *args, stdout=out, stderr=err)
    except CommandError as error:
        return error.returncode, out.getvalue(), str(error)
    return 0, out.getvalue(), err.getvalue()


def test_the_command_imports_with_exit_0_and_says_how_many(cycle_2025, regional_admin, tmp_path):
    path = _csv(tmp_path, GOOD)
    code, out, _err = _command("import", str(path), "--cycle", str(cycle_2025.pk), "--dry-run")
    assert code == 0
    assert "periksa saja" in out
    assert not GovernmentAnswer.objects.filter(cycle=cycle_2025).exists()
    code, out, _err = _command(
        "import",
        str(path),
        "--cycle",
        str(cycle_2025.pk),
        "--reason",
        "rilis BPS",
        "--actor",
        regional_admin.username,
    )
    assert code == 0
    assert "3 nilai disimpan, 0 tidak berubah" in out
    assert (
        AuditEvent.objects.filter(
            action="government_answer.saved", actor=regional_admin, reason="rilis BPS"
        ).count()
        == 3
    )


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--cycle", "999999"], "siklus '999999' tidak dikenal"),
        (["--cycle", "{pk}", "--actor", "tidak.ada"], "pengguna 'tidak.ada' tidak dikenal"),
    ],
)
def test_the_command_refuses_bad_options_with_exit_2(cycle_2025, tmp_path, args, says):
    path = _csv(tmp_path, GOOD)
    args = [a.replace("{pk}", str(cycle_2025.pk)) for a in args]
    code, _out, err = _command("import", str(path), *args)
    assert code == 2
    assert says in err


def test_the_command_names_the_bad_row_with_exit_2(cycle_2025, tmp_path):
    path = _csv(tmp_path, GOOD + "12.05,OU-IPM,140,2024,BPS,\n")
    code, _out, err = _command("import", str(path), "--cycle", str(cycle_2025.pk))
    assert code == 2
    assert "baris 5, kolom C (value)" in err
    assert "baris 5, kolom B (indicator)" in err  # and the duplicate
    assert not GovernmentAnswer.objects.filter(cycle=cycle_2025).exists()


def test_the_command_refuses_a_cycle_without_government_data(cycle_2023, tmp_path):
    code, _out, err = _command("export", "--cycle", str(cycle_2023.pk))
    assert code == 2
    assert "tidak memiliki data tingkat pemerintah" in err


def test_a_missing_file_is_bad_input(cycle_2025, tmp_path):
    code, _out, err = _command("import", str(tmp_path / "x.csv"), "--cycle", str(cycle_2025.pk))
    assert code == 2
    assert "berkas tidak ada" in err


# -- the web import ------------------------------------------------------------------------


def _upload(text: str, name: str = "data.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def test_the_web_import_checks_first_then_saves_on_confirmation(cycle_2025, people, login):
    client = login(people["regional_admin"])
    url = f"/cycles/manage/{cycle_2025.pk}/government-data/"
    preview = client.post(url, {"step": "check", "file": _upload(GOOD)})
    assert preview.status_code == 200
    body = preview.content.decode()
    assert "data-import-preview" in body
    assert not GovernmentAnswer.objects.filter(cycle=cycle_2025).exists()
    payload = preview.context["payload"]
    saved = client.post(url, {"step": "confirm", "payload": payload, "reason": "rilis"})
    assert saved.status_code == 302
    assert GovernmentAnswer.objects.filter(cycle=cycle_2025).count() == 3
    assert AuditEvent.objects.filter(action="government_answer.saved", reason="rilis").count() == 3


def test_the_web_import_lists_every_bad_row_and_saves_nothing(cycle_2025, people, login):
    client = login(people["regional_admin"])
    url = f"/cycles/manage/{cycle_2025.pk}/government-data/"
    bad = GOOD + "12.05,OU-IPM,140,2024,BPS,\n11.01,KM-IKM,50,,,\n"
    response = client.post(url, {"step": "check", "file": _upload(bad)})
    assert response.status_code == 400
    body = response.content.decode()
    assert "baris 5, kolom C (value)" in body
    assert "baris 6, kolom A (government)" in body
    assert "data-import-preview" not in body
    assert not GovernmentAnswer.objects.filter(cycle=cycle_2025).exists()


def test_a_tampered_or_stale_confirmation_saves_nothing(cycle_2025, langkat, people, login):
    client = login(people["regional_admin"])
    url = f"/cycles/manage/{cycle_2025.pk}/government-data/"
    tampered = client.post(url, {"step": "confirm", "payload": "x:y:z"})
    assert tampered.status_code == 400
    preview = client.post(url, {"step": "check", "file": _upload(GOOD)})
    record_government_answer(
        cycle_2025, langkat, "OU-IPM", 70, year=2024, source="BPS", actor=people["national_admin"]
    )
    stale = client.post(url, {"step": "confirm", "payload": preview.context["payload"]})
    assert stale.status_code == 400
    assert "diubah orang lain" in stale.content.decode()
    assert GovernmentAnswer.objects.filter(cycle=cycle_2025).count() == 1


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("national_admin", 200),
        ("regional_admin", 200),
        ("aceh_admin", 404),
        ("assigned_assessor", 403),
        ("verifier", 403),
        ("coordinator", 403),
        ("other_coordinator", 403),
    ],
)
def test_only_the_cycles_managers_import_and_download(cycle_2025, people, login, role, status):
    client = login(people[role])
    base = f"/cycles/manage/{cycle_2025.pk}/government-data/"
    assert client.get(base).status_code == status
    assert client.get(base + "template.csv").status_code == status
    assert client.get(base + "export.csv").status_code == status
    response = client.post(base, {"step": "check", "file": _upload(GOOD)})
    assert response.status_code == (200 if status == 200 else status)
    assert not GovernmentAnswer.objects.filter(cycle=cycle_2025).exists()


def test_the_example_imports_into_the_demos_cycle_in_progress_once_on_opini_2025(cycle_current):
    Cycle.objects.filter(pk=cycle_current.pk).update(instrument_code="opini-2025")
    code, out, err = _command(
        "import", str(EXAMPLE), "--cycle", f"{cycle_current.year}/12", "--dry-run"
    )
    assert code == 0, err
    assert "15 nilai sah" in out
