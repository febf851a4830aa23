"""The interface language: saved per user, staff screens in en/fr only, clients in four."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from tests.factories import UserFactory
from tests.helpers import sign_in

pytestmark = pytest.mark.django_db


def page_language(response) -> str:
    return response.headers["Content-Language"]


def test_haitian_creole_is_registered_with_django():
    info = translation.get_language_info("ht")
    assert (info["name"], info["name_local"], info["bidi"]) == (
        "Haitian Creole", "Kreyòl ayisyen", False)
    assert Template("{% load i18n %}{{ 'ht'|language_name_local }}").render(Context()) \
        == "Kreyòl ayisyen"
    with translation.override("ht"):
        assert translation.get_language() == "ht"
        assert translation.gettext("Preferred language") == "Lang ou pi renmen"


def test_languages_setting_lists_four_and_staff_two():
    assert [code for code, _ in settings.LANGUAGES] == ["en", "fr", "es", "ht"]
    assert [code for code, _ in settings.STAFF_LANGUAGES] == ["en", "fr"]


def test_signed_in_user_sees_their_saved_language_whatever_the_browser_says(client):
    user = UserFactory(counsellor=True, preferred_language="fr")
    sign_in(client, user)
    response = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en")
    assert page_language(response) == "fr"
    assert '<html lang="fr">' in response.content.decode()
    assert "Accueil" in response.content.decode()


def test_switching_language_is_saved_on_the_account_and_follows_to_another_device(client):
    user = UserFactory(coordinator=True, preferred_language="en")
    sign_in(client, user)
    response = client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    assert (response.status_code, response.url) == (302, "/")
    user.refresh_from_db()
    assert user.preferred_language == "fr"

    other_device = client.__class__()
    sign_in(other_device, user)
    assert page_language(other_device.get(reverse("home"))) == "fr"


def test_staff_cannot_pick_a_client_only_language(client):
    user = UserFactory(counsellor=True, preferred_language="fr")
    sign_in(client, user)
    response = client.post(reverse("set_language"), {"language": "es", "next": "/"},
                           follow=True)
    user.refresh_from_db()
    assert user.preferred_language == "fr"
    assert settings.LANGUAGE_COOKIE_NAME not in response.client.cookies
    assert page_language(response) == "fr"
    assert "Cette langue n’est pas disponible pour les écrans du personnel." \
        in response.content.decode()


def test_switcher_offers_staff_languages_only(client):
    sign_in(client, UserFactory(counsellor=True))
    html = client.get(reverse("home")).content.decode()
    assert '<option value="en"' in html and '<option value="fr"' in html
    assert 'value="es"' not in html and 'value="ht"' not in html


@pytest.mark.parametrize(("browser", "cookie", "expected"), [
    ("es", None, "en"), ("ht", None, "fr"), ("fr-CA,fr;q=0.9", None, "fr"), ("en", "es", "en"),
])
def test_sign_in_page_stays_in_a_staff_language(client, browser, cookie, expected):
    if cookie:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = cookie
    response = client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE=browser)
    assert response.status_code == 200
    assert page_language(response) == expected


def test_client_facing_pages_keep_any_of_the_four_languages(client, settings):
    settings.CLIENT_LANGUAGE_PATHS = ("/accounts/login/",)
    url = reverse("account_login")
    for code in ("es", "ht", "fr", "en"):
        response = client.get(url, HTTP_ACCEPT_LANGUAGE=code)
        assert page_language(response) == code
        assert f'<html lang="{code}">' in response.content.decode()
