"""allauth adapters: sign-up is closed (accounts come from invitations) and MFA secrets are
encrypted with our keyring instead of allauth's default (derived from SECRET_KEY), so they
rotate with the other keys and a leaked SECRET_KEY does not expose them."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter

from northstar.security.crypto import decrypt_text, encrypt_text

MFA_ASSOCIATED_DATA = "mfa.authenticator.secret"


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        return False


class MFAAdapter(DefaultMFAAdapter):
    def encrypt(self, text: str) -> str:
        return encrypt_text(text, MFA_ASSOCIATED_DATA)

    def decrypt(self, encrypted_text: str) -> str:
        return decrypt_text(encrypted_text, MFA_ASSOCIATED_DATA)
