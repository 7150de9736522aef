import io

from django.core.management import call_command

from patuh.orgs.models import CodeSystem, Government, Province
from patuh.orgs.regions import load_regions


def test_it_loads_38_provinces_and_514_kabupaten_kota(db):
    assert Province.objects.count() == 38
    assert Government.objects.filter(kind="provinsi").count() == 38
    assert Government.objects.filter(kind="kabupaten").count() == 416
    assert Government.objects.filter(kind="kota").count() == 98


def test_sumatera_utara_has_25_kabupaten_and_8_kota(sumut):
    governments = Government.objects.filter(province=sumut)
    assert sumut.name == "Sumatera Utara"
    assert governments.filter(kind="kabupaten").count() == 25
    assert governments.filter(kind="kota").count() == 8
    assert governments.get(kind="provinsi").name == "Provinsi Sumatera Utara"


def test_it_names_the_kemendagri_codes_of_the_story_governments(langkat, labuhanbatu):
    assert (langkat.name, langkat.kind) == ("Kabupaten Langkat", "kabupaten")
    assert labuhanbatu.name == "Kabupaten Labuhanbatu"
    assert langkat.code_system == labuhanbatu.code_system == CodeSystem.KEMENDAGRI
    assert Government.objects.get(region_code="12.71").name == "Kota Medan"


def test_loading_again_changes_nothing(db):
    counts = load_regions()
    assert counts.created == {"province": 0, "government": 0}
    assert counts.updated == {"province": 0, "government": 0}
    assert counts.total == {"province": 38, "provinsi": 38, "kabupaten": 416, "kota": 98}


def test_loading_restores_a_changed_name(langkat):
    Government.objects.filter(pk=langkat.pk).update(name="Langkat (salah ketik)")
    counts = load_regions()
    assert counts.updated["government"] == 1
    langkat.refresh_from_db()
    assert langkat.name == "Kabupaten Langkat"


def test_the_regions_command_reports_counts(db):
    out = io.StringIO()
    call_command("regions", "load", stdout=out)
    text = out.getvalue()
    assert "Provinsi: 38" in text
    assert "38 provinsi, 416 kabupaten, 98 kota" in text
