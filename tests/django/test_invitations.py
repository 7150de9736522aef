"""Invitations and the operators page: a coordinator invites, the invitee accepts once, a
coordinator removes an operator; who may reach the page; what each step writes to the audit."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.utils import timezone

from patuh.accounts import invitations
from patuh.accounts.models import Invitation, Membership
from patuh.accounts.roles import Role
from patuh.core.audit_chain import verify
from patuh.core.models import AuditEvent

PAGE = "/accounts/operators/12.05/"
STRONG = "Sungai-Wampu-2025"


def _inline_code(html: str) -> list[str]:
    return re.findall(r"<script(?![^>]*\bsrc=)[^>]*>|\son[a-z]+=|\sstyle=|<style", html)


def _invite(client: Client, unit, email="sari.dinkes@langkatkab.go.id", name="Sari Wulandari"):
    return client.post(
        PAGE, {"action": "invite", "unit": unit.pk, "full_name": name, "email": email}
    )


def _link(message) -> str:
    return re.search(r"https?://\S+/accounts/invitation/\S+/", message.body).group(0)


def _path(link: str) -> str:
    return "/" + link.split("/", 3)[3]


@pytest.fixture
def invited(login, coordinator, langkat_dinkes, django_capture_on_commit_callbacks):
    """Sari, invited by Langkat's coordinator to Dinas Kesehatan: (invitation, link path)."""
    with django_capture_on_commit_callbacks(execute=True):
        response = _invite(login(coordinator), langkat_dinkes)
    assert response.status_code == 302
    return Invitation.objects.get(email="sari.dinkes@langkatkab.go.id"), _path(
        _link(mail.outbox[-1])
    )


# --- inviting -------------------------------------------------------------------------------


def test_a_coordinator_invites_an_operator_by_e_mail(
    login, coordinator, langkat_dinkes, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _invite(login(coordinator), langkat_dinkes, email="Sari.Dinkes@LangkatKab.go.id")
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.email == "sari.dinkes@langkatkab.go.id"
    assert invitation.service_unit == langkat_dinkes
    assert invitation.invited_by == coordinator
    assert invitation.expires_at - timezone.now() > dt.timedelta(days=6, hours=23)
    [message] = mail.outbox
    assert message.to == ["sari.dinkes@langkatkab.go.id"]
    assert "Dinas Kesehatan" in message.subject
    link = _link(message)
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert token not in invitation.token_hash
    assert len(invitation.token_hash) == 64
    assert invitations.find_invitation(token) == invitation
    event = AuditEvent.objects.get(action=invitations.INVITED)
    assert event.actor == coordinator
    assert event.new["service_unit"] == "dinkes"
    assert event.new["government"] == "12.05"
    assert token not in str(event.new)


def test_inviting_again_sends_a_new_link_and_the_old_one_stops_working(
    client, login, coordinator, langkat_dinkes, invited, django_capture_on_commit_callbacks
):
    first, old_path = invited
    with django_capture_on_commit_callbacks(execute=True):
        _invite(login(coordinator), langkat_dinkes)
    assert len(mail.outbox) == 2
    first.refresh_from_db()
    assert first.revoked_at is not None
    assert client.get(old_path).status_code == 410
    assert client.get(_path(_link(mail.outbox[-1]))).status_code == 200


def test_inviting_someone_already_operator_of_the_unit_changes_nothing(
    login, coordinator, operator, langkat_dinkes
):
    operator.email = "opi@langkatkab.go.id"
    operator.save()
    client = login(coordinator)  # (logging in is audited: before the count)
    before = AuditEvent.objects.count()
    response = client.post(
        PAGE,
        {
            "action": "invite",
            "unit": langkat_dinkes.pk,
            "full_name": "Opi",
            "email": "OPI@langkatkab.go.id",
        },
        follow=True,
    )
    assert "sudah menjadi operator" in response.content.decode()
    assert not Invitation.objects.exists()
    assert mail.outbox == []
    assert AuditEvent.objects.count() == before


def test_an_invitation_into_another_governments_unit_is_refused(login, coordinator, labuhanbatu):
    response = _invite(login(coordinator), labuhanbatu.units.get(code="dinkes"))
    assert response.status_code == 200
    assert "unit" in response.context["form"].errors
    assert not Invitation.objects.exists()


def test_a_bad_e_mail_is_named_and_nothing_is_sent(login, coordinator, langkat_dinkes):
    response = _invite(login(coordinator), langkat_dinkes, email="bukan-email")
    assert response.status_code == 200
    assert "email" in response.context["form"].errors
    assert not Invitation.objects.exists()
    assert mail.outbox == []


# --- who reaches the page -------------------------------------------------------------------


def test_the_operators_page_lists_each_unit_with_its_operators(login, coordinator, operator):
    response = login(coordinator).get(PAGE)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-operator="opi.operator"' in html
    assert _inline_code(html) == []


def test_only_the_governments_coordinator_and_national_admins_reach_the_page(
    login, outsider, operator, assessor, coordinator, client
):
    assert login(outsider).get(PAGE).status_code == 404
    assert login(outsider).post(PAGE, {"action": "invite"}).status_code == 404
    assert login(operator).get(PAGE).status_code == 403
    assert login(assessor).get(PAGE).status_code == 403
    assert client.get(PAGE).status_code == 302
    admin = get_user_model().objects.create_user("nina.nasional", password="x")
    Membership.objects.create(user=admin, role=Role.NATIONAL_ADMIN)
    assert login(admin).get(PAGE).status_code == 200
    assert login(coordinator).get(PAGE).status_code == 200


def test_the_government_page_links_to_the_operators_page_for_its_coordinator_only(
    login, coordinator, operator, cycle_2023
):
    url = f"/cycles/{cycle_2023.year}/governments/12.05/"
    assert "data-operators-link" in login(coordinator).get(url).content.decode()
    assert "data-operators-link" not in login(operator).get(url).content.decode()


# --- accepting ------------------------------------------------------------------------------


def test_the_invitee_chooses_a_username_and_password_and_is_logged_in(
    client, invited, langkat_dinkes
):
    invitation, path = invited
    page = client.get(path)
    assert page.status_code == 200
    assert _inline_code(page.content.decode()) == []
    assert page.context["form"]["username"].value() == "sari.dinkes"
    response = client.post(
        path, {"username": "sari.dinkes", "password1": STRONG, "password2": STRONG}
    )
    assert response.status_code == 302
    assert response["Location"] == "/"
    user = get_user_model().objects.get(username="sari.dinkes")
    assert user.email == "sari.dinkes@langkatkab.go.id"
    assert (user.first_name, user.last_name) == ("Sari", "Wulandari")
    assert user.check_password(STRONG)
    assert Membership.objects.filter(
        user=user, role=Role.UNIT_OPERATOR, service_unit=langkat_dinkes
    ).exists()
    assert client.get("/accounts/password/").status_code == 200  # logged in
    invitation.refresh_from_db()
    assert invitation.accepted_by == user
    event = AuditEvent.objects.get(action=invitations.INVITATION_ACCEPTED)
    assert event.actor == user
    assert event.new["new_account"] is True
    _count, breaks = verify(AuditEvent.objects.order_by("id").iterator())
    assert breaks == []


def test_a_weak_password_is_refused_with_the_projects_rules(client, invited):
    _invitation, path = invited
    response = client.post(
        path, {"username": "sari.dinkes", "password1": "sari12345", "password2": "sari12345"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["password2"]
    assert not get_user_model().objects.filter(username="sari.dinkes").exists()
    assert not Membership.objects.filter(user__username="sari.dinkes").exists()


def test_a_used_link_is_refused_with_a_clear_page(client, invited):
    _invitation, path = invited
    client.post(path, {"username": "sari.dinkes", "password1": STRONG, "password2": STRONG})
    other = Client()
    response = other.get(path)
    assert response.status_code == 410
    assert "sudah dipakai" in response.content.decode()
    response = other.post(path, {"username": "lain", "password1": STRONG, "password2": STRONG})
    assert response.status_code == 410
    assert not get_user_model().objects.filter(username="lain").exists()


def test_an_expired_link_is_refused(client, invited):
    invitation, path = invited
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - dt.timedelta(minutes=1)
    )
    response = client.get(path)
    assert response.status_code == 410
    assert "kedaluwarsa" in response.content.decode()


def test_an_unknown_link_is_a_404(client, db):
    response = client.get("/accounts/invitation/tidak-ada-token-seperti-ini/")
    assert response.status_code == 404
    assert "tidak dikenal" in response.content.decode()


def test_an_invitation_withdrawn_by_the_coordinator_no_longer_works(
    client, login, coordinator, invited
):
    invitation, path = invited
    response = login(coordinator).post(PAGE, {"action": "revoke", "id": invitation.pk})
    assert response.status_code == 302
    assert client.get(path).status_code == 410
    assert AuditEvent.objects.filter(action=invitations.INVITATION_REVOKED).count() == 1


def test_an_existing_account_with_the_e_mail_logs_in_and_accepts(login, invited, langkat_dinkes):
    invitation, path = invited
    sari = get_user_model().objects.create_user(
        "sari.lama", email="Sari.Dinkes@langkatkab.go.id", password="x"
    )
    stranger = get_user_model().objects.create_user("orang.lain", password="x")
    anonymous = Client().get(path)
    assert "/accounts/login/?next=" in anonymous.content.decode()
    assert "form" not in anonymous.context or anonymous.context.get("form") is None
    assert login(stranger).post(path).status_code == 200  # shown, nothing accepted
    assert not Membership.objects.filter(user=stranger).exists()
    client = login(sari)
    assert client.post(path).status_code == 302
    assert Membership.objects.filter(user=sari, service_unit=langkat_dinkes).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_by == sari


# --- removing -------------------------------------------------------------------------------


def test_removing_an_operator_ends_the_membership_and_keeps_the_account(
    login, coordinator, operator
):
    membership = Membership.objects.get(user=operator)
    response = login(coordinator).post(
        PAGE, {"action": "remove", "id": membership.pk, "reason": "pindah tugas"}
    )
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    operator.refresh_from_db()
    assert operator.is_active
    event = AuditEvent.objects.get(action=invitations.MEMBERSHIP_ENDED)
    assert event.actor == coordinator
    assert event.reason == "pindah tugas"
    assert event.old["service_unit"] == "dinkes"
    assert event.object_id == str(operator.pk)


def test_removing_another_governments_operator_through_this_page_is_a_404(
    login, coordinator, labuhanbatu
):
    lab_operator = get_user_model().objects.create_user("op.lab", password="x")
    membership = Membership.objects.create(
        user=lab_operator, role=Role.UNIT_OPERATOR, service_unit=labuhanbatu.units.first()
    )
    response = login(coordinator).post(PAGE, {"action": "remove", "id": membership.pk})
    assert response.status_code == 404
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_a_coordinator_cannot_be_removed_as_if_an_operator(login, coordinator):
    membership = Membership.objects.get(user=coordinator)
    response = login(coordinator).post(PAGE, {"action": "remove", "id": membership.pk})
    assert response.status_code == 404
    assert Membership.objects.filter(pk=membership.pk).exists()
