import pytest
from django.core.exceptions import ImproperlyConfigured

from northstar.security.keyring import get_keyring, parse_keyring

GOOD = "dGVzdC1rZXktbm9ydGhzdGFyLTAwMDAwMDAwMDAwMDI="


def test_first_key_is_active_unless_named():
    keyring = parse_keyring(f"a:{GOOD},b:{GOOD}", "")
    assert keyring.active_id == "a"
    assert parse_keyring(f"a:{GOOD},b:{GOOD}", "b").active_id == "b"


@pytest.mark.parametrize(
    ("spec", "active", "message"),
    [
        ("", "", "Set the FIELD_ENCRYPTION_KEYS environment variable"),
        ("nokey", "", "each entry must be 'kid:base64key'"),
        ("a:c2hvcnQ=", "", "keys must be 32 bytes"),
        ("a:%%%notbase64", "", "FIELD_ENCRYPTION_KEYS"),
        (f"a:{GOOD},a:{GOOD}", "", "appears twice"),
        (f"a:{GOOD}", "zz", "FIELD_ENCRYPTION_ACTIVE_KEY_ID 'zz' is not in"),
    ],
)
def test_bad_keyrings_are_refused_with_the_variable_named(spec, active, message):
    with pytest.raises(ImproperlyConfigured, match=message.replace("(", r"\(")):
        parse_keyring(spec, active)


def test_settings_keyring_has_both_test_keys():
    assert set(get_keyring().keys) == {"test1", "test2"}
