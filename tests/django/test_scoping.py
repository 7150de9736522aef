import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError

from patuh.accounts.models import Membership
from patuh.accounts.roles import Role
from patuh.assessments.models import Assessment, Cycle
from patuh.orgs.models import Government, Province, ServiceProduct, ServiceUnit


def test_an_anonymous_user_sees_nothing(db):
    anonymous = AnonymousUser()
    for model in (Province, Government, ServiceUnit, ServiceProduct, Cycle, Assessment):
        assert not model.objects.for_user(anonymous).exists()


def test_national_roles_and_staff_see_everything(verifier, admin_user):
    for user in (verifier, admin_user):
        assert Government.objects.for_user(user).count() == Government.objects.count()
        assert Assessment.objects.for_user(user).count() == Assessment.objects.count()


def test_an_assessor_sees_the_governments_it_is_assigned_to(assessor, sumut, langkat):
    assert list(Government.objects.for_user(assessor)) == [langkat]
    assert list(Province.objects.for_user(assessor)) == [sumut]
    assert Cycle.objects.for_user(assessor).filter(program="ombudsman").count() == 3
    assert set(
        Assessment.objects.for_user(assessor).values_list("service_unit__government", flat=True)
    ) == {langkat.pk}


def test_a_regional_office_admin_sees_its_province(regional_admin, sumut):
    governments = Government.objects.for_user(regional_admin)
    assert governments.count() == 34  # 25 kabupaten, 8 kota and the province itself
    assert set(governments.values_list("province", flat=True)) == {sumut.pk}


def test_an_assessor_without_an_assignment_sees_nothing(sumut, django_user_model):
    user = django_user_model.objects.create_user("belum.ditugaskan", password="x")
    Membership.objects.create(user=user, role=Role.ASSESSOR, province=sumut)
    assert not Government.objects.for_user(user).exists()
    assert not Assessment.objects.for_user(user).exists()


def test_a_coordinator_sees_its_government_and_its_units(coordinator, langkat):
    assert list(Government.objects.for_user(coordinator)) == [langkat]
    assert ServiceUnit.objects.for_user(coordinator).count() == 7
    assert ServiceProduct.objects.for_user(coordinator).count() == 14
    # official 2022, 2023 and in progress; self-assessment 2023 (the six units the Sekda
    # monitored) and in progress
    ombudsman = Assessment.objects.for_user(coordinator).filter(cycle__program="ombudsman")
    assert ombudsman.count() == 5 * 7 - 1
    assert Province.objects.for_user(coordinator).get().region_code == "12"


def test_it_rejects_other_pemda_in_querysets(outsider, langkat):
    assert not Government.objects.for_user(outsider).filter(pk=langkat.pk).exists()
    assert not ServiceUnit.objects.for_user(outsider).filter(government=langkat).exists()
    assert (
        not Assessment.objects.for_user(outsider).filter(service_unit__government=langkat).exists()
    )


def test_a_unit_operator_sees_its_unit_and_its_government(operator, langkat, langkat_dinkes):
    assert list(ServiceUnit.objects.for_user(operator)) == [langkat_dinkes]
    assert list(Government.objects.for_user(operator)) == [langkat]
    assert set(Assessment.objects.for_user(operator).values_list("service_unit", flat=True)) == {
        langkat_dinkes.pk
    }


def test_a_user_without_a_role_sees_nothing(django_user_model):
    user = django_user_model.objects.create_user("tamu", password="x")
    assert not Government.objects.for_user(user).exists()
    assert not Cycle.objects.for_user(user).exists()


@pytest.mark.parametrize(
    ("role", "scope", "valid"),
    [
        (Role.NATIONAL_ADMIN, {}, True),
        (Role.NATIONAL_ADMIN, {"province": True}, False),
        (Role.REGIONAL_OFFICE_ADMIN, {"province": True}, True),
        (Role.REGIONAL_OFFICE_ADMIN, {}, False),
        (Role.ASSESSOR, {"government": True}, True),
        (Role.ASSESSOR, {"province": True, "government": True}, False),
        (Role.GOVERNMENT_COORDINATOR, {"government": True}, True),
        (Role.GOVERNMENT_COORDINATOR, {"service_unit": True}, False),
        (Role.UNIT_OPERATOR, {"service_unit": True}, True),
    ],
)
def test_a_membership_names_exactly_the_scope_its_role_needs(
    django_user_model, sumut, langkat, langkat_dinkes, role, scope, valid
):
    objects = {"province": sumut, "government": langkat, "service_unit": langkat_dinkes}
    user = django_user_model.objects.create_user("anggota", password="x")
    membership = Membership(user=user, role=role, **{name: objects[name] for name in scope})
    if valid:
        membership.full_clean()
    else:
        with pytest.raises(ValidationError):
            membership.full_clean()
