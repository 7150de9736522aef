"""A visit checklist collected offline comes back from a KoboToolbox XLSX export: answers per
indicator, per interviewee and per product, and photos as evidence, each audited."""

import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook
from PIL import Image

from patuh.assessments.models import Answer, Assessment, Evidence
from patuh.core.models import AuditEvent
from patuh.fieldforms.xlsform import checklist_fields
from patuh.scoring import load_instrument


@pytest.fixture
def official(cycle_current, langkat_dinkes):
    return Assessment.objects.get(cycle=cycle_current, service_unit=langkat_dinkes, kind="official")


def kobo_export(path, instrument_code, *, level="2", bad=None):
    """What KoboToolbox exports for one submission of ``patuh xlsform checklist``: group
    paths in the headers, one sheet per repeat linked by ``_parent_index``."""
    instrument = load_instrument(instrument_code)
    refs = checklist_fields(instrument, "dinkes")
    dimension = instrument.dimensions[0]
    photo = f"photo_{dimension.code}_{dimension.variables[-1].code}"
    top = [ref for ref in refs if ref.repeat is None]
    workbook = Workbook()
    main = workbook.active
    main.title = "patuh_checklist"
    header = [
        "start",
        "unit_code",
        *[f"dim_x/{ref.field}" for ref in top],
        f"dim_x/{photo}",
        "_index",
    ]
    values = ["2026-11-24", "dinkes", *[level for _ in top], "papan.jpg", 1]
    if bad:
        values[header.index(f"dim_x/{bad}")] = "9"
    main.append(header)
    main.append(values)
    for repeat, rows, extra in (
        ("rep_implementers", 4, ["implementer_position"]),
        ("rep_complaint_officials", 2, ["complaint_official_position"]),
        ("rep_service_users", 3, []),
        ("rep_products", 2, ["product_name"]),
    ):
        fields = [ref for ref in refs if ref.repeat == repeat]
        sheet = workbook.create_sheet(repeat)
        sheet.append([*extra, *[ref.field for ref in fields], "_parent_index"])
        for number in range(rows):
            cells = [f"Jabatan {number + 1}"] if extra else []
            cells += [
                "yes"
                if ref.answer == "yes_no" and number == 0
                else ("no" if ref.answer == "yes_no" else "3")
                for ref in fields
            ]
            sheet.append([*cells, 1])
    workbook.save(path)
    return refs


def test_an_export_fills_the_assessment_with_answers_and_photos(
    official, assessor, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    media = tmp_path / "lampiran"
    media.mkdir()
    Image.new("RGB", (64, 48), (10, 120, 200)).save(media / "papan.jpg")
    path = tmp_path / "kobo.xlsx"
    refs = kobo_export(path, official.cycle.instrument_code)
    out = io.StringIO()
    call_command(
        "checklist",
        "import",
        str(path),
        "--unit",
        "12.05/dinkes",
        "--cycle",
        str(official.cycle.year),
        "--media",
        str(media),
        "--user",
        assessor.username,
        stdout=out,
    )
    answers = dict(
        Answer.objects.filter(assessment=official).values_list("indicator_code", "value")
    )
    assert answers["IN-K1"] == [3, 3, 3, 3]  # four interviewed implementers
    assert answers["PG-7"] == [3, 3]  # two complaint officials
    # the 2025+ method asks no service users at a unit: Output is the government's
    assert not [code for code in answers if code.startswith(("OU", "KM"))]
    assert answers["IN-S1"] == 2
    first_product = next(ref.indicator for ref in refs if ref.repeat == "rep_products")
    assert answers[first_product] == [3, 3]
    assert "dan 1 foto dicatat" in out.getvalue()
    photo = Evidence.objects.get(assessment=official)
    assert photo.content_type == "image/jpeg"
    assert photo.thumbnail
    positions = list(
        official.respondents.filter(group="implementers").values_list("title", flat=True)
    )
    assert positions == ["Jabatan 1", "Jabatan 2", "Jabatan 3", "Jabatan 4"]
    events = AuditEvent.objects.filter(context_id=str(official.pk), actor=assessor)
    assert events.filter(action="answer.recorded").count() == len(answers)
    assert events.filter(action="evidence.added").count() == 1


def test_a_bad_cell_is_named_and_nothing_is_written(official, tmp_path):
    path = tmp_path / "kobo.xlsx"
    kobo_export(path, official.cycle.instrument_code, bad="ind_IN_S1")
    with pytest.raises(CommandError) as raised:
        call_command(
            "checklist",
            "import",
            str(path),
            "--unit",
            "12.05/dinkes",
            "--cycle",
            str(official.cycle.year),
        )
    assert "lembar patuh_checklist, baris 2" in str(raised.value)
    assert "(ind_IN_S1): jawaban '9' bukan tingkat rubrik" in str(raised.value)
    assert not Answer.objects.filter(assessment=official).exists()


def test_a_missing_photo_refuses_the_whole_import(official, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    path = tmp_path / "kobo.xlsx"
    kobo_export(path, official.cycle.instrument_code)
    with pytest.raises(CommandError, match=r"papan\.jpg"):
        call_command(
            "checklist",
            "import",
            str(path),
            "--unit",
            "12.05/dinkes",
            "--cycle",
            str(official.cycle.year),
            "--media",
            str(tmp_path / "kosong"),
        )
    assert not Answer.objects.filter(assessment=official).exists()


def test_an_odk_central_zip_of_csv_files_with_its_media_imports(official, tmp_path, settings):
    """ODK Central exports a ZIP: the submissions CSV, one CSV per repeat linked by KEY and
    PARENT_KEY, group paths joined with '-', and the photos under media/."""
    import csv
    import zipfile

    from openpyxl import load_workbook

    settings.MEDIA_ROOT = tmp_path / "media"
    kobo = tmp_path / "kobo.xlsx"
    kobo_export(kobo, official.cycle.instrument_code)
    workbook = load_workbook(kobo)
    archive_path = tmp_path / "odk.zip"
    photo = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(photo, format="JPEG")
    with zipfile.ZipFile(archive_path, "w") as archive:
        for sheet in workbook.worksheets:
            rows = [list(r) for r in sheet.iter_rows(values_only=True)]
            header = [str(h).replace("dim_x/", "dim_x-") for h in rows[0]]
            if sheet.title == "patuh_checklist":
                header = [("KEY" if h == "_index" else h) for h in header]
                rows[1][header.index("KEY")] = "uuid:abc"
                name = "patuh_checklist.csv"
            else:
                header = [("PARENT_KEY" if h == "_parent_index" else h) for h in header]
                for row in rows[1:]:
                    row[header.index("PARENT_KEY")] = "uuid:abc"
                name = f"patuh_checklist-{sheet.title}.csv"
            text = io.StringIO()
            csv.writer(text).writerows([header, *rows[1:]])
            archive.writestr(name, text.getvalue())
        archive.writestr("media/papan.jpg", photo.getvalue())
    call_command(
        "checklist",
        "import",
        str(archive_path),
        "--unit",
        "12.05/dinkes",
        "--cycle",
        str(official.cycle.year),
        stdout=io.StringIO(),
    )
    answers = dict(
        Answer.objects.filter(assessment=official).values_list("indicator_code", "value")
    )
    assert answers["IN-K1"] == [3, 3, 3, 3]
    assert answers["PG-7"] == [3, 3]
    assert Evidence.objects.get(assessment=official).content_type == "image/jpeg"


def test_the_service_users_answers_import_where_the_instrument_asks_them(
    sumut, langkat_dinkes, tmp_path, settings
):
    from patuh.assessments.models import Cycle
    from patuh.assessments.services import prepare_assessments

    cycle = Cycle.objects.create(
        year=2024, name="Siklus uji 2024", instrument_code="ombudsman-2023", province=sumut
    )
    official = Assessment.objects.create(cycle=cycle, service_unit=langkat_dinkes, kind="official")
    prepare_assessments([official])
    settings.MEDIA_ROOT = tmp_path / "media"
    media = tmp_path / "lampiran"
    media.mkdir()
    Image.new("RGB", (64, 48), (10, 120, 200)).save(media / "papan.jpg")
    path = tmp_path / "kobo.xlsx"
    kobo_export(path, cycle.instrument_code)
    call_command(
        "checklist",
        "import",
        str(path),
        "--unit",
        "12.05/dinkes",
        "--cycle",
        "2024",
        "--media",
        str(media),
        stdout=io.StringIO(),
    )
    answers = dict(
        Answer.objects.filter(assessment=official).values_list("indicator_code", "value")
    )
    assert answers["OU-1"] == [0, 3, 3]  # one of three users reported it
    assert answers["IN-K1"] == [3, 3, 3, 3]
