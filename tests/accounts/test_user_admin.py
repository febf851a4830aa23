import pytest
from django.core.exceptions import ValidationError

from northstar.accounts import services
from northstar.accounts.models import Role
from northstar.audit.models import AuditEvent
from tests.factories import UserFactory
from tests.helpers import sign_in

pytestmark = pytest.mark.django_db


def test_admin_changes_roles_and_it_is_audited(client, admin_user):
    target = UserFactory(counsellor=True)
    sign_in(client, admin_user)
    response = client.post(f"/manage/users/{target.pk}/",
                           {"roles": ["counsellor", "coordinator"]})
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.roles == {Role.COUNSELLOR, Role.COORDINATOR}
    event = AuditEvent.objects.get(action="user.roles_changed")
    assert event.actor == admin_user
    assert event.details == {"before": ["counsellor"], "after": ["coordinator", "counsellor"]}


def test_partner_role_cannot_be_given_to_network_staff(client, admin_user):
    target = UserFactory(counsellor=True)
    sign_in(client, admin_user)
    response = client.post(f"/manage/users/{target.pk}/", {"roles": ["partner"]})
    assert response.status_code == 200
    assert "partner organisation" in response.content.decode()
    target.refresh_from_db()
    assert target.roles == {Role.COUNSELLOR}
    assert not AuditEvent.objects.filter(action="user.roles_changed").exists()


def test_partner_user_cannot_gain_a_case_role(admin_user, partner_user):
    with pytest.raises(ValidationError):
        services.user_roles_set(actor=admin_user, user=partner_user,
                                roles={Role.PARTNER, Role.COUNSELLOR})
    partner_user.refresh_from_db()
    assert partner_user.roles == {Role.PARTNER}


def test_admin_cannot_remove_own_admin_role_or_deactivate_self(admin_user):
    with pytest.raises(ValidationError):
        services.user_roles_set(actor=admin_user, user=admin_user, roles={Role.COUNSELLOR})
    with pytest.raises(ValidationError):
        services.user_set_active(actor=admin_user, user=admin_user, active=False)
    admin_user.refresh_from_db()
    assert admin_user.is_network_admin and admin_user.is_active


def test_deactivate_and_reactivate_through_the_page(client, admin_user):
    target = UserFactory(coordinator=True)
    sign_in(client, admin_user)
    client.post(f"/manage/users/{target.pk}/active/", {"active": "0"})
    target.refresh_from_db()
    assert not target.is_active
    client.post(f"/manage/users/{target.pk}/active/", {"active": "1"})
    target.refresh_from_db()
    assert target.is_active
    assert list(AuditEvent.objects.filter(object_id=str(target.pk))
                .order_by("id").values_list("action", flat=True)) == [
        "user.deactivated", "user.activated"]


def test_database_refuses_a_partner_with_other_roles(partner_org):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        UserFactory(partner=True, is_counsellor=True, organisation=partner_org)


def test_user_list_and_audit_log_pages_render(client, admin_user):
    UserFactory.create_batch(3, counsellor=True)
    sign_in(client, admin_user)
    page = client.get("/manage/users/")
    assert page.status_code == 200
    assert page.content.decode().count("<tr>") == 1 + 4
    services.user_set_active(actor=admin_user, user=UserFactory(), active=False)
    log = client.get("/audit/", {"action": "user."})
    assert log.status_code == 200
    assert "user.deactivated" in log.content.decode()
    bad_filter = client.get("/audit/", {"since": "not-a-date"})
    assert bad_filter.status_code == 200


def test_an_admin_cannot_give_themselves_a_case_role(client, admin_user):
    """Admins read case files only when someone else gives them a case role (PRODUCT.md)."""
    sign_in(client, admin_user)
    response = client.post(f"/manage/users/{admin_user.pk}/",
                           {"roles": ["admin", "counsellor"]})
    assert response.status_code == 200
    assert "another administrator has to" in response.content.decode()
    admin_user.refresh_from_db()
    assert admin_user.roles == {Role.ADMIN}
    assert client.get("/cases/").status_code == 403
    # Another administrator can, and the audit log says who.
    other = UserFactory(admin=True)
    services.user_roles_set(actor=other, user=admin_user, roles={Role.ADMIN, Role.COUNSELLOR})
    admin_user.refresh_from_db()
    assert admin_user.roles == {Role.ADMIN, Role.COUNSELLOR}
    assert AuditEvent.objects.filter(action="user.roles_changed", actor=other).exists()
    # Keeping or dropping one's own roles stays possible.
    services.user_roles_set(actor=admin_user, user=admin_user, roles={Role.ADMIN})
    admin_user.refresh_from_db()
    assert admin_user.roles == {Role.ADMIN}
