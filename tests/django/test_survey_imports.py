"""Importing survey responses: all rows checked first, every bad row named, nothing written
unless all are good, and the same file imported twice changes nothing."""

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from patuh.surveys.models import SurveyResponse

HEADER = ["respondent_id", *[f"U{n}" for n in range(1, 10)], "age_group"]


def _csv(path, rows, header=HEADER):
    path.write_text("\n".join(",".join(map(str, r)) for r in [header, *rows]) + "\n")
    return path


def _import(path, kind="skm"):
    out = io.StringIO()
    call_command(
        "survey",
        "import",
        str(path),
        "--unit",
        "12.05/dinkes",
        "--cycle",
        "2023",
        "--kind",
        kind,
        stdout=out,
    )
    return out.getvalue()


def test_an_import_is_idempotent(tmp_path, langkat_dinkes, cycle_2023):
    path = _csv(tmp_path / "skm.csv", [["a1", *[4] * 9, "30-39"], ["a2", *[3] * 9, ""]])
    assert "2 jawaban baru, 0 sudah ada" in _import(path)
    assert "0 jawaban baru, 2 sudah ada" in _import(path)
    rows = SurveyResponse.objects.filter(unit=langkat_dinkes, cycle=cycle_2023)
    assert sorted(rows.values_list("respondent_id", flat=True)) == ["a1", "a2"]
    assert rows.get(respondent_id="a1").profile == {"age_group": "30-39"}
    assert {row.channel for row in rows} == {"import"}


def test_rows_without_ids_get_stable_ids(tmp_path, langkat_dinkes, cycle_2023):
    header = [f"U{n}" for n in range(1, 10)]
    rows = [[4] * 9, [4] * 9, [3] * 9]  # two identical respondents stay two
    path = _csv(tmp_path / "tanpa-id.csv", rows, header)
    assert "3 jawaban baru" in _import(path)
    assert "0 jawaban baru, 3 sudah ada" in _import(path)


def test_bad_rows_are_all_named_and_nothing_is_imported(tmp_path, langkat_dinkes):
    rows = [
        ["a1", *[4] * 9, ""],
        ["a2", 5, *[3] * 8, ""],
        ["a3", *[3] * 8, "", ""],
        ["a1", *[4] * 9, ""],
    ]
    with pytest.raises(CommandError) as raised:
        _import(_csv(tmp_path / "salah.csv", rows))
    message = str(raised.value)
    assert "baris 3, kolom B (U1): jawaban '5' harus 1, 2, 3 atau 4" in message
    assert "baris 4, kolom J (U9): kosong" in message
    assert "baris 5: ID responden 'a1' muncul dua kali" in message
    assert raised.value.returncode == 2
    assert not SurveyResponse.objects.filter(unit=langkat_dinkes).exists()


def test_a_kobo_style_xlsx_export_of_the_perception_form_imports(tmp_path, langkat_dinkes):
    workbook = Workbook()
    sheet = workbook.active
    codes = ["OU-1", "OU-2", "OU-3", "OU-4", "OU-5"]
    sheet.append(["start", *[f"persepsi/{code}" for code in codes], "_uuid", "_submission_time"])
    sheet.append(["2023-07-01", "yes", "no", "no", "no", "no", "u-1", "2023-07-01"])
    sheet.append(["2023-07-01", "tidak", "ya", "Tidak", "tidak", "tidak", "u-2", "2023-07-01"])
    workbook.save(tmp_path / "kobo.xlsx")
    assert "2 jawaban baru" in _import(tmp_path / "kobo.xlsx", kind="perception")
    answers = dict(
        SurveyResponse.objects.filter(kind="perception").values_list("respondent_id", "answers")
    )
    assert answers["u-1"]["OU-1"] == "ya"
    assert answers["u-2"]["OU-2"] == "ya"
    assert answers["u-2"]["OU-3"] == "tidak"


def test_an_operator_uploads_a_file_from_the_web(login, operator, outsider, tmp_path):
    path = _csv(tmp_path / "skm.csv", [["w1", *[4] * 9, ""]])
    url = "/survei/12.05/dinkes/jawaban/"
    upload = SimpleUploadedFile("skm.csv", path.read_bytes(), content_type="text/csv")
    response = login(operator).post(url, {"kind": "skm", "file": upload}, follow=True)
    assert "1 jawaban baru" in response.content.decode()
    assert SurveyResponse.objects.filter(respondent_id="w1").exists()
    assert login(outsider).get(url).status_code == 404


def test_an_export_of_the_generated_perception_form_imports_back(tmp_path, langkat_dinkes):
    """The column names of ``patuh xlsform perception`` (as ODK Central exports them, groups
    joined with '-') are what the import reads."""
    from patuh.fieldforms.xlsform import perception_fields
    from patuh.scoring import load_instrument

    fields = perception_fields(load_instrument("ombudsman-2023"))
    header = ["consent", *[f"persepsi-{ref.field}" for ref in fields], "meta-instanceID"]
    rows = [
        ["yes", "yes", "no", "no", "no", "no", "uuid:1"],
        ["no", "", "", "", "", "", "uuid:2"],  # declined: not a respondent
        ["yes", "no", "no", "no", "no", "yes", "uuid:3"],
    ]
    path = tmp_path / "odk.csv"
    path.write_text("\n".join(",".join(r) for r in [header, *rows]) + "\n")
    assert "2 baris; 2 jawaban baru" in _import(path, kind="perception")
    answers = dict(
        SurveyResponse.objects.filter(kind="perception").values_list("respondent_id", "answers")
    )
    assert answers["uuid:1"]["OU-1"] == "ya"
    assert answers["uuid:3"]["OU-5"] == "ya"


def test_an_upload_over_the_cap_is_stopped_and_the_operator_told_the_limit(
    login, operator, settings
):
    settings.PATUH_UPLOAD_MAX_BYTES = 1024 * 1024
    rows = "\n".join(f"big{n},4,4,4,4,4,4,4,4,4," for n in range(60_000))
    upload = SimpleUploadedFile("besar.csv", (",".join(HEADER) + "\n" + rows).encode())
    before = SurveyResponse.objects.count()
    response = login(operator).post(
        "/survei/12.05/dinkes/jawaban/", {"kind": "skm", "file": upload}, follow=True
    )
    assert response.status_code == 200
    assert "Berkas terlalu besar (maks. 1 MB)" in response.content.decode()
    assert SurveyResponse.objects.count() == before


def test_a_windows_1252_upload_says_how_it_was_read(login, operator):
    text = ",".join([*HEADER, "service"]) + "\nw1252,4,4,4,4,4,4,4,4,4,,Café\n"
    upload = SimpleUploadedFile("skm.csv", text.encode("cp1252"), content_type="text/csv")
    response = login(operator).post(
        "/survei/12.05/dinkes/jawaban/", {"kind": "skm", "file": upload}, follow=True
    )
    page = response.content.decode()
    assert "1 jawaban baru" in page
    assert "1252" in page
    assert SurveyResponse.objects.get(respondent_id="w1252").profile["service"] == "Café"


@pytest.fixture
def large_from(settings, tmp_path):
    """Every upload counts as large: it becomes a background job."""
    settings.PATUH_SURVEY_IMPORT_INLINE_BYTES = 10
    settings.MEDIA_ROOT = tmp_path / "media"


def _upload(client, path):
    upload = SimpleUploadedFile(path.name, path.read_bytes(), content_type="text/csv")
    return client.post("/survei/12.05/dinkes/jawaban/", {"kind": "skm", "file": upload})


def test_a_large_upload_is_imported_by_the_worker_with_a_progress_bar(
    login, operator, large_from, tmp_path
):
    from patuh.core.models import AuditEvent
    from patuh.reports.models import JobStatus, ReportJob

    path = _csv(tmp_path / "besar.csv", [["b1", *[4] * 9, ""], ["b2", *[3] * 9, "30-39"]])
    client = login(operator)
    response = _upload(client, path)
    job = ReportJob.objects.get(kind="survey_import")
    assert response["Location"] == f"/jobs/{job.pk}/"
    assert not SurveyResponse.objects.filter(respondent_id__in=["b1", "b2"]).exists()
    page = client.get(response["Location"]).content.decode()
    assert 'hx-trigger="every 2s"' in page
    assert "<progress" in page
    assert "besar.csv" in page
    assert AuditEvent.objects.filter(action="survey.import_queued", object_id=str(job.pk)).exists()
    stored = job.source.path

    call_command("jobs", "work", "--once", stdout=io.StringIO())

    job.refresh_from_db()
    assert (job.status, job.done, job.total) == (JobStatus.DONE, 2, 2)
    assert set(
        SurveyResponse.objects.filter(respondent_id__in=["b1", "b2"]).values_list(
            "entered_by", flat=True
        )
    ) == {operator.pk}
    progress = client.get(f"/jobs/{job.pk}/progress/").content.decode()
    assert "every 2s" not in progress
    assert "2 baris: 2 jawaban baru, 0 sudah ada sebelumnya." in progress
    assert not job.source
    assert not Path(stored).exists()  # the upload is not kept
    assert "Semua baris benar; jawaban disimpan" in progress
    listed = client.get("/survei/12.05/dinkes/jawaban/").content.decode()
    assert f'href="/jobs/{job.pk}/"' in listed


def test_a_large_upload_with_bad_rows_names_them_on_the_job_page_and_imports_nothing(
    login, operator, outsider, large_from, tmp_path
):
    from patuh.reports.models import JobStatus, ReportJob

    rows = [["c1", *[4] * 9, ""], ["c2", 5, *[4] * 8, ""], ["c3", *[4] * 8, "", ""]]
    client = login(operator)
    _upload(client, _csv(tmp_path / "salah.csv", rows))
    call_command("jobs", "work", "--once", stdout=io.StringIO())

    job = ReportJob.objects.get(kind="survey_import")
    assert job.status == JobStatus.FAILED
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert "Tidak ada yang diimpor" in page
    assert "data-job-problems" in page
    assert "baris 3, kolom B (U1): jawaban &#x27;5&#x27; harus 1, 2, 3 atau 4" in page
    assert "baris 4, kolom J (U9): kosong" in page
    assert not SurveyResponse.objects.filter(respondent_id__startswith="c").exists()
    assert login(outsider).get(f"/jobs/{job.pk}/").status_code == 404


def test_a_small_upload_still_imports_at_once(login, operator, settings, tmp_path):
    from patuh.reports.models import ReportJob

    settings.PATUH_SURVEY_IMPORT_INLINE_BYTES = 256 * 1024
    path = _csv(tmp_path / "kecil.csv", [["k1", *[4] * 9, ""]])
    response = _upload(login(operator), path)
    assert response["Location"] == "/survei/12.05/dinkes/jawaban/"
    assert SurveyResponse.objects.filter(respondent_id="k1").exists()
    assert not ReportJob.objects.filter(kind="survey_import").exists()


def test_a_background_import_checks_every_row_before_writing_any(
    tmp_path, langkat_dinkes, cycle_2023, monkeypatch
):
    from patuh.surveys import imports

    monkeypatch.setattr(imports, "PROGRESS_EVERY", 2)
    path = _csv(tmp_path / "skm.csv", [[f"p{n}", *[4] * 9, ""] for n in range(5)])
    reported = []

    def progress(rows):
        reported.append(
            (rows, SurveyResponse.objects.filter(respondent_id__startswith="p").count())
        )

    summary = imports.import_file(path, langkat_dinkes, cycle_2023, "skm", progress=progress)
    assert summary.created == 5
    assert reported == [(2, 0), (4, 0), (5, 0)]  # nothing written while checking
    assert imports.count_rows(path) == 5
