"""The handoff packet: share profiles as data, the minimum by default, a snapshot encrypted at
rest, a preview in the client's language, and a send refused when the case changed after the
preview."""

from __future__ import annotations

import json
import re

import pytest
from django.db import connection
from django.test import Client

from referrals import packets
from referrals.models import Referral, ServiceType
from referrals.models import ReferralStatus as S
from referrals.selectors import draft_preview
from referrals.services import ReferralRefused, referral_send
from tests.factories import UserFactory
from tests.helpers import sign_in
from tests.referrals.referral_helpers import (
    draft_for,
    give_consent,
    make_case,
    make_partner,
    make_world,
    send,
)

pytestmark = pytest.mark.django_db


def test_every_service_type_has_a_profile_of_known_fields():
    profiles = packets.share_profiles()
    assert set(profiles) == set(ServiceType.values)
    for profile in profiles.values():
        assert profile.minimum and set(profile.allowed) <= set(packets.PACKET_FIELDS)
        assert not set(profile.minimum) & set(profile.optional)
        assert "first_name" in profile.minimum and "contact_method" in profile.minimum
        assert not {"contact_details", "code_word"} & set(profile.minimum)
    shelter = profiles["shelter"]
    assert shelter.minimum == ("first_name", "household_size", "languages", "urgency",
                               "arrival_date", "contact_method")
    assert "family_name" not in shelter.allowed and "date_of_birth" not in shelter.allowed
    assert len(profiles["legal_aid"].allowed) > len(shelter.allowed)
    assert set(profiles["medical"].minimum) == {"first_name", "age", "languages", "urgency",
                                                "contact_method"}


def test_a_profile_naming_an_unknown_or_contact_field_as_minimum_is_refused(tmp_path,
                                                                           monkeypatch):
    data = json.loads(packets.PROFILES_PATH.read_text())
    data["work_permit"]["minimum"].append("code_word")
    broken = tmp_path / "profiles.json"
    broken.write_text(json.dumps(data))
    monkeypatch.setattr(packets, "PROFILES_PATH", broken)
    packets.share_profiles.cache_clear()
    try:
        with pytest.raises(packets.ShareProfileError, match="contact fields"):
            packets.share_profiles()
        data["work_permit"]["minimum"][-1] = "client_home_address"
        broken.write_text(json.dumps(data))
        packets.share_profiles.cache_clear()
        with pytest.raises(packets.ShareProfileError, match="unknown"):
            packets.share_profiles()
    finally:
        monkeypatch.undo()
        packets.share_profiles.cache_clear()


def test_only_profile_fields_can_be_chosen():
    assert packets.chosen_fields("shelter", ["family_name", "notes", "alias", "code_word"]) == [
        "first_name", "household_size", "languages", "urgency", "arrival_date",
        "contact_method", "alias", "code_word"]


def test_a_draft_starts_with_the_minimum_and_unknown_choices_are_ignored(client):
    world = make_world()
    referral = draft_for(world.case, world.partner, world.coordinator)
    assert referral.packet_fields == list(packets.share_profile("shelter").minimum)
    sign_in(client, world.coordinator)
    client.post(f"/referrals/{referral.reference}/fields/",
                {"fields": ["household_members", "family_name"], "coordinator_note": ""})
    referral.refresh_from_db()
    assert referral.packet_fields == list(packets.share_profile("shelter").minimum)  # invalid
    client.post(f"/referrals/{referral.reference}/fields/",
                {"fields": ["household_members"], "coordinator_note": ""})
    referral.refresh_from_db()
    assert referral.packet_fields[-1] == "household_members"


def test_packet_values_are_read_from_the_case():
    world = make_world("legal_aid")
    referral = send(draft_for(world.case, world.partner, world.coordinator,
                              ["relatives_in_canada", "household_members", "prior_claims"]),
                    world.coordinator)
    fields = dict(referral.packet["fields"])
    assert fields["first_name"] == "Marisol" and fields["family_name"] == "Testcase"
    assert fields["languages"] == ["es", "en"]
    assert fields["citizenships"] == ["HN"]
    assert fields["arrival_date"] == "2026-12-10"
    assert fields["relatives_in_canada"] == [{"relationship": "brother",
                                              "status": "permanent_resident",
                                              "province": "QC"}]
    assert fields["household_members"][0]["relationship"] == "son"
    assert "name" not in fields["household_members"][0]  # never the names of others
    assert referral.packet["withheld"] == []
    assert referral.packet["built_at"]


def test_the_packet_is_encrypted_at_rest():
    world = make_world()
    referral = send(draft_for(world.case, world.partner, world.coordinator), world.coordinator)
    with connection.cursor() as cursor:
        cursor.execute("SELECT packet, packet_fields FROM referrals_referral WHERE id = %s",
                       [referral.pk])
        packet, fields = cursor.fetchone()
    assert "Marisol" not in packet and "first_name" not in packet
    assert "first_name" in (fields if isinstance(fields, str) else json.dumps(fields))


def test_a_case_changed_after_the_preview_is_not_sent():
    world = make_world()
    referral = draft_for(world.case, world.partner, world.coordinator)
    fingerprint = draft_preview(referral)["fingerprint"]
    client = world.case.client
    client.given_name = "Changed"
    client.save()
    fresh = Referral.objects.get(pk=referral.pk)
    with pytest.raises(ReferralRefused) as refused:
        referral_send(actor=world.coordinator, referral=fresh, preview_fingerprint=fingerprint)
    assert refused.value.code == "preview_changed"
    assert Referral.objects.get(pk=referral.pk).status == S.DRAFT
    sent = referral_send(actor=world.coordinator, referral=fresh,
                         preview_fingerprint=draft_preview(fresh)["fingerprint"])
    assert dict(sent.packet["fields"])["first_name"] == "Changed"


@pytest.mark.parametrize(("preferred", "language", "spanish_name"), [
    ("es", "es", "Español"), ("fr", "fr", "espagnol"), ("ht", "ht", "Panyòl"),
    ("de", "en", "Spanish"), ("", "en", "Spanish")])
def test_the_printable_preview_is_in_the_clients_language(preferred, language, spanish_name):
    coordinator = UserFactory(coordinator=True)
    case = make_case(coordinator, preferred_language=preferred, languages=["es"])
    partner = make_partner()
    give_consent(case, coordinator, partner=partner)
    referral = draft_for(case, partner, coordinator)
    page = sign_in(Client(), coordinator).get(f"/referrals/{referral.reference}/preview/")
    html = page.content.decode()
    assert page.status_code == 200
    assert f'<html lang="{language}">' in html
    assert re.search(rf"<li>{spanish_name}</li>", html, re.IGNORECASE), html
    assert "data-packet-field=\"first_name\"" in html
    assert "Testcase" not in html  # not in the shelter profile
    # The rest of the site stays in the coordinator's language.
    assert '<html lang="en">' in sign_in(Client(), coordinator).get(
        f"/referrals/{referral.reference}/").content.decode()
