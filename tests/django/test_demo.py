import io
from datetime import date
from decimal import Decimal

from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.test import RequestFactory

from patuh.accounts.models import Membership
from patuh.assessments.models import Answer, Assessment, Cycle, CycleStage, GovernmentAnswer
from patuh.core.models import AuditEvent
from patuh.demo.load import DEMO_PASSWORD, DEMO_USERS
from patuh.orgs.models import Government, Province, ServiceProduct, ServiceUnit

MODELS = (
    Province,
    Government,
    ServiceUnit,
    ServiceProduct,
    Cycle,
    CycleStage,
    Assessment,
    Answer,
    GovernmentAnswer,
    Membership,
    AuditEvent,
    get_user_model(),
)


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def _run_demo() -> str:
    out = io.StringIO()
    call_command("demo", stdout=out)
    return out.getvalue()


def test_demo_is_idempotent(db):
    before = _counts()
    first = _run_demo()
    second = _run_demo()
    assert _counts() == before
    # 2022 and 2023: 33 × 7 official + Langkat's 6 self (2023); the cycle in progress: 231 + 7
    assert "penilaian: 706 (baru 0)" in first
    assert "(baru 0)" in second
    assert "jawaban:" in second
    # 33 governments × 5 figures, less Labuhanbatu's public-trust index
    assert "data tingkat pemerintah: 164 (baru 0)" in second


def test_a_second_run_keeps_this_years_products_and_figures(langkat, cycle_current):
    from patuh.followup.models import OmbudsmanProduct

    products = sorted(
        OmbudsmanProduct.objects.values_list("government__region_code", "reference", "issued_on")
    )
    figures = sorted(
        GovernmentAnswer.objects.values_list("government_id", "indicator_code", "value", "version")
    )
    _run_demo()
    assert products == sorted(
        OmbudsmanProduct.objects.values_list("government__region_code", "reference", "issued_on")
    )
    assert figures == sorted(
        GovernmentAnswer.objects.values_list("government_id", "indicator_code", "value", "version")
    )


def test_demo_covers_every_sumut_kabupaten_and_kota(sumut):
    governments = Government.objects.filter(province=sumut, kind__in=["kabupaten", "kota"])
    assert governments.count() == 33
    for government in governments:
        assert government.units.count() == 7
        for year in (2022, 2023):
            assert (
                Assessment.objects.filter(
                    cycle__year=year, service_unit__government=government, kind="official"
                ).count()
                == 7
            )


def test_langkat_assessed_itself_in_the_six_units_the_sekda_monitored(langkat, cycle_2023):
    self_assessed = Assessment.objects.filter(
        cycle=cycle_2023, kind="self", service_unit__government=langkat
    )
    assert set(self_assessed.values_list("service_unit__name", flat=True)) == {
        "Dinas Kesehatan",
        "Dinas Sosial",
        "DPMPTSP",
        "Disdukcapil",
        "Puskesmas Karang Rejo",
        "Puskesmas Tanjung Beringin",
    }
    official = Assessment.objects.filter(
        cycle=cycle_2023, kind="official", service_unit__government=langkat
    )
    assert official.count() == 7
    assert official.filter(service_unit__name="Dinas Pendidikan").exists()


def test_the_demo_agrees_with_the_published_results(langkat, labuhanbatu, cycle_2022, cycle_2023):
    from patuh.results.models import PublishedResult, ResultSnapshot
    from patuh.results.services import cycle_results

    live = {row.government.region_code: row for row in cycle_results(cycle_2023)}
    assert live["12.05"].result.band.category == "A"  # published: 91.40 A
    assert abs(live["12.05"].result.rounded - Decimal("91.40")) <= 1
    snapshot = ResultSnapshot.objects.get(
        cycle=cycle_2022, government=labuhanbatu, published_at__isnull=False
    )
    assert snapshot.category == "C"  # published: 59.94 C
    assert abs(snapshot.score - Decimal("59.94")) <= 1
    langkat_2022 = ResultSnapshot.objects.get(
        cycle=cycle_2022, government=langkat, published_at__isnull=False
    )
    assert langkat_2022.category == "B"  # published: 87.80 B
    assert abs(langkat_2022.score - Decimal("87.80")) <= 1
    # the published figures themselves are loaded beside the demo's own results
    assert PublishedResult.objects.filter(year=2022, government=labuhanbatu).exists()


def test_invented_unit_names_say_they_are_illustrative(labuhanbatu, langkat):
    names = set(labuhanbatu.units.filter(type="puskesmas").values_list("name", flat=True))
    assert names == {"Puskesmas Sigambal (ilustratif)", "Puskesmas Aek Paing (ilustratif)"}
    assert not langkat.units.filter(name__contains="ilustratif").exists()


def test_story_units_are_those_of_the_seed_stories(langkat, labuhanbatu):
    assert set(langkat.units.values_list("name", flat=True)) == {
        "Dinas Kesehatan",
        "Dinas Sosial",
        "DPMPTSP",
        "Disdukcapil",
        "Dinas Pendidikan",
        "Puskesmas Karang Rejo",
        "Puskesmas Tanjung Beringin",
    }
    assert labuhanbatu.units.filter(type="puskesmas").count() == 2
    for unit in ServiceUnit.objects.filter(government__in=[langkat, labuhanbatu]):
        assert unit.products.count() == 2
    assert ServiceProduct.objects.filter(
        unit__government=langkat, name="Penerbitan KTP-el"
    ).exists()


def test_cycles_use_the_story_instruments_and_dates(sumut):
    cycle_2022 = Cycle.objects.get(year=2022, province=sumut)
    cycle_2023 = Cycle.objects.get(year=2023, province=sumut)
    assert cycle_2022.instrument_code == "ombudsman-2022"
    assert cycle_2023.instrument_code == "ombudsman-2023"
    stages_2022 = {s.stage: s for s in cycle_2022.stages.all()}
    assert stages_2022["sosialisasi"].starts_on == date(2022, 8, 1)
    assert stages_2022["self_assessment"].starts_on == date(2022, 8, 4)
    assert date(2022, 8, 15) <= stages_2022["data_collection"].starts_on <= date(2022, 8, 21)
    stages_2023 = {s.stage: s for s in cycle_2023.stages.all()}
    assert "B/1673/PC.02/V/2023" in stages_2023["sosialisasi"].note
    assert stages_2023["sosialisasi"].starts_on == date(2023, 5, 31)
    assert stages_2023["pre_evaluation"].starts_on == date(2023, 6, 26)
    assert (stages_2023["self_assessment"].starts_on, stages_2023["self_assessment"].ends_on) == (
        date(2023, 7, 18),
        date(2023, 7, 20),
    )
    assert (stages_2023["data_collection"].starts_on, stages_2023["data_collection"].ends_on) == (
        date(2023, 7, 1),
        date(2023, 10, 31),
    )
    assert "25 Juli 2023" in stages_2023["data_collection"].note
    assert stages_2022["data_collection"].note.startswith("Direncanakan")
    assert stages_2022["self_assessment"].note.startswith("Terlaksana")


def test_only_langkat_has_self_assessments_in_2023_and_the_cycle_in_progress(
    langkat, cycle_current
):
    self_assessments = Assessment.objects.filter(kind="self")
    assert self_assessments.count() == 13
    assert set(self_assessments.values_list("cycle__year", flat=True)) == {
        2023,
        cycle_current.year,
    }
    assert {a.service_unit.government_id for a in self_assessments} == {langkat.pk}


def test_the_cycle_in_progress_has_its_windows_open_and_the_assessor_assigned(cycle_current):
    from patuh.assessments.stages import window

    assert cycle_current.instrument_code == "opini-2025"
    assert window(cycle_current, "self_assessment").is_open
    assert window(cycle_current, "data_collection").is_open
    assert not window(cycle_current, "verification").is_open
    assert set(
        cycle_current.assignments.values_list("assessor__username", "government__region_code")
    ) == {("penilai.sumut", "12.05"), ("penilai.sumut", "12.10"), ("penilai.sumut", "12.71")}
    official = Assessment.objects.filter(cycle=cycle_current, kind="official")
    assert official.count() == 231
    assert not official.filter(answers__isnull=False).exists()
    dinkes = Assessment.objects.get(
        cycle=cycle_current,
        kind="self",
        service_unit__code="dinkes",
        service_unit__government__region_code="12.05",
    )
    assert dinkes.respondents.filter(group="implementers").count() == 4
    assert dinkes.respondents.filter(group="complaint_officials").count() == 2
    assert dinkes.product_observations.count() == 2
    assert dinkes.answers.exists()


def test_every_demo_unit_interviewed_9_to_16_service_users(cycle_2022, cycle_2023, cycle_current):
    from patuh.assessments.models import Respondent

    counts = {}
    for assessment in Assessment.objects.filter(cycle__in=[cycle_2022, cycle_2023]):
        users = assessment.respondents.filter(group="service_users").count()
        assert 9 <= users <= 16, assessment
        counts[(assessment.cycle_id, assessment.service_unit_id, assessment.kind)] = users
    assert len(set(counts.values())) >= 5
    # the demo's perception answers have one value per service user
    answers = Answer.objects.filter(
        assessment__cycle=cycle_2023, indicator_code="OU-1", assessment__kind="official"
    ).select_related("assessment")
    for answer in answers:
        if isinstance(answer.value, list):
            key = (cycle_2023.pk, answer.assessment.service_unit_id, "official")
            assert len(answer.value) == counts[key]
    # the cycle in progress starts with its default: none, added one by one
    assert not Respondent.objects.filter(
        assessment__cycle=cycle_current, group="service_users"
    ).exists()


def test_a_cycle_prepares_the_service_users_it_is_set_to(cycle_2023, cycle_current):
    from patuh.assessments.services import prepare_assessments

    assessment = Assessment.objects.filter(cycle=cycle_2023, kind="official").first()
    assessment.respondents.filter(group="service_users").delete()
    prepare_assessments([assessment])
    assert not assessment.respondents.filter(group="service_users").exists()  # default 0
    cycle_2023.service_users_per_unit = 10
    cycle_2023.save()
    assessment.refresh_from_db()
    prepare_assessments([assessment])
    assert assessment.respondents.filter(group="service_users").count() == 10
    assert assessment.respondents.filter(group="implementers").count() == 4
    # the 2025+ method asks no service users at a unit: the number set changes nothing
    current = Assessment.objects.filter(cycle=cycle_current, kind="official").first()
    cycle_current.service_users_per_unit = 10
    cycle_current.save()
    current.refresh_from_db()
    prepare_assessments([current])
    assert not current.respondents.filter(group="service_users").exists()
    assert current.respondents.filter(group="implementers").count() == 4


def test_every_demo_record_is_labelled_synthetic(db):
    assert not Cycle.objects.filter(is_synthetic=False).exists()
    assert not Assessment.objects.filter(is_synthetic=False).exists()
    assert not ServiceUnit.objects.filter(is_synthetic=False).exists()


def test_it_creates_the_demo_users_with_their_roles(db):
    expected = {
        "admin": "national_admin",
        "perwakilan.sumut": "regional_office_admin",
        "penilai.sumut": "assessor",
        "verifikator": "verifier",
        "koordinator.langkat": "government_coordinator",
        "operator.dinkes.langkat": "unit_operator",
        "pengaduan.dinkes.langkat": "complaint_officer",
        "frontoffice.dinkes.langkat": "front_office",
        "koordinator.labuhanbatu": "government_coordinator",
    }
    assert {user.username: user.role for user in DEMO_USERS} == expected
    for username, role in expected.items():
        request = RequestFactory().post("/accounts/login/")
        user = authenticate(request, username=username, password=DEMO_PASSWORD)
        assert user is not None, username
        assert list(user.memberships.values_list("role", flat=True)) == [role]
    admin = get_user_model().objects.get(username="admin")
    assert admin.is_superuser
    assert admin.is_staff
    operator = get_user_model().objects.get(username="operator.dinkes.langkat")
    unit = operator.memberships.get().service_unit
    assert (unit.government.region_code, unit.code) == ("12.05", "dinkes")


def test_it_prints_the_logins_and_the_address(db):
    text = _run_demo()
    for user in DEMO_USERS:
        assert user.username in text
    assert "patuh-demo" in text
    assert "Koordinator pemda" in text
    assert text.rstrip().endswith("http://127.0.0.1:8000/")


# -- the cycle in progress on the 2025+ method ----------------------------------------------


def test_the_cycle_in_progress_uses_the_2025_method(cycle_current, langkat):
    from patuh.scoring import load_instrument

    instrument = load_instrument(cycle_current.instrument_code)
    assert instrument.code == "opini-2025"
    assert [d.code for d in instrument.dimensions] == ["IN", "PR", "PG"]
    assert [e.code for e in instrument.government_elements] == ["OU", "KM"]
    answered = Answer.objects.filter(
        assessment__cycle=cycle_current, assessment__service_unit__government=langkat
    )
    dimensions = {
        instrument.indicators[code].dimension_code
        for code in answered.values_list("indicator_code", flat=True)
    }
    assert dimensions == {"IN", "PR"}  # Pengaduan still open; Output is not a unit's
    dinkes = answered.filter(assessment__service_unit__code="dinkes")
    assert {code.split("-")[0] for code in dinkes.values_list("indicator_code", flat=True)} == {
        "IN"
    }


def test_every_government_of_the_cycle_has_its_figures_with_year_and_source(cycle_current, sumut):
    from patuh.demo.stories import SYNTHETIC_FIGURE_NOTE

    governments = Government.objects.filter(
        units__assessments__cycle=cycle_current, units__assessments__kind="official"
    ).distinct()
    assert governments.count() == 33
    figures = GovernmentAnswer.objects.filter(cycle=cycle_current)
    for government in governments:
        codes = set(figures.filter(government=government).values_list("indicator_code", flat=True))
        expected = {"OU-IPP", "OU-IPM", "OU-SPM", "OU-RPJMD", "KM-IKM"}
        if government.region_code == "12.10":
            expected.discard("KM-IKM")  # Labuhanbatu's public-trust survey is not in yet
        assert codes == expected, government.region_code
    sources = {
        "OU-IPP": "KemenPAN-RB",
        "OU-IPM": "BPS",
        "OU-SPM": "Kemendagri",
        "OU-RPJMD": "Bappenas",
        "KM-IKM": "Survei Kepercayaan Masyarakat",
    }
    for figure in figures:
        assert figure.note == SYNTHETIC_FIGURE_NOTE
        assert sources[figure.indicator_code] in figure.source
        data_year = cycle_current.year - (0 if figure.indicator_code == "KM-IKM" else 1)
        assert figure.year == data_year
        assert str(data_year) in figure.source
    ipp = figures.filter(indicator_code="OU-IPP").values_list("value", flat=True)
    assert all(Decimal(1) <= value <= Decimal(5) for value in ipp)
    assert len(set(ipp)) > 10  # not one number for every government


def test_the_figures_were_entered_through_the_audited_service(cycle_current, langkat):
    figure = GovernmentAnswer.objects.get(
        cycle=cycle_current, government=langkat, indicator_code="OU-IPM"
    )
    event = AuditEvent.objects.get(
        action="government_answer.saved",
        object_type="assessments.governmentanswer",
        object_id=str(figure.pk),
    )
    assert event.actor.username == "admin"
    assert event.old is None
    assert Decimal(event.new["value"]) == figure.value
    assert event.new["note"] == "Data sintetis untuk demonstrasi"


def test_compliance_levels_differ_by_government(cycle_current):
    from patuh.assessments.government_data import compliance_facts

    by_code = dict(Government.objects.values_list("region_code", "pk"))
    chosen = {"12.71": "tinggi", "12.05": "sedang", "12.10": "rendah", "12.07": "tanpa_produk"}
    facts = compliance_facts(cycle_current, [by_code[code] for code in chosen])
    levels = {code: facts[by_code[code]].level.code for code in chosen}
    assert levels == chosen
    medan = facts[by_code["12.71"]]
    assert (medan.issued, medan.followed_up) == (2, 2)
    # Langkat's 2023 LAHP is still pending; this year's suggestion is followed up
    langkat = facts[by_code["12.05"]]
    assert (langkat.issued, langkat.followed_up) == (2, 1)


def test_this_years_products_leave_the_past_cycles_alone(cycle_2022, cycle_2023, cycle_current):
    from patuh.followup.models import OmbudsmanProduct
    from patuh.followup.services import products_followed_up

    new = OmbudsmanProduct.objects.filter(issued_on__year=cycle_current.year)
    assert new.count() == 4
    assert not OmbudsmanProduct.objects.filter(
        issued_on__year__gt=2023, issued_on__year__lt=cycle_current.year
    ).exists()
    by_code = dict(Government.objects.values_list("region_code", "pk"))
    ids = [by_code["12.05"], by_code["12.10"], by_code["12.71"]]
    assert products_followed_up(ids, date(2022, 12, 31)) == {by_code["12.10"]: False}
    assert products_followed_up(ids, date(2023, 12, 31)) == {
        by_code["12.10"]: False,
        by_code["12.05"]: False,
    }


def test_the_past_cycles_keep_their_scores(cycle_2022, cycle_2023, langkat, labuhanbatu):
    from patuh.results.models import ResultSnapshot
    from patuh.results.services import cycle_results

    live = {row.government.region_code: row.result for row in cycle_results(cycle_2023)}
    assert (live["12.05"].rounded, live["12.05"].band.category) == (Decimal("91.37"), "A")
    published = {
        s.government.region_code: (s.score, s.category)
        for s in ResultSnapshot.objects.filter(cycle=cycle_2022, published_at__isnull=False)
    }
    assert published["12.05"] == (Decimal("87.82"), "B")
    assert published["12.10"] == (Decimal("59.94"), "C")


def test_the_live_results_of_the_cycle_in_progress_have_opinions_not_zones(cycle_current):
    from patuh.results.services import cycle_results

    live = {row.government.region_code: row.result for row in cycle_results(cycle_current)}
    langkat = live["12.05"]
    assert langkat.band.zone is None
    assert langkat.quality_label
    assert langkat.opinion.startswith("Kualitas ")
    assert langkat.compliance.code == "sedang"
    assert not langkat.opinion.endswith("Tanpa Maladministrasi")
    assert langkat.government_missing == []
    assert {e.code for e in langkat.elements} == {"OU", "KM"}
    assert live["12.71"].opinion.endswith("Tanpa Maladministrasi")  # all followed up
    assert live["12.10"].government_missing == ["KM-IKM"]
    assert all(result.band.zone is None for result in live.values())
