from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from northstar.languages import STAFF_LANGUAGES


class Role(models.TextChoices):
    COUNSELLOR = "counsellor", _("Intake counsellor")
    COORDINATOR = "coordinator", _("Coordinator")
    PARTNER = "partner", _("Partner user")
    ADMIN = "admin", _("Administrator")


CASE_ROLES = frozenset({Role.COUNSELLOR, Role.COORDINATOR})
ROLE_FLAGS = {
    Role.COUNSELLOR: "is_counsellor",
    Role.COORDINATOR: "is_coordinator",
    Role.PARTNER: "is_partner",
    Role.ADMIN: "is_network_admin",
}


class Organisation(models.Model):
    """The network itself, or a partner organisation in Canada."""

    class Kind(models.TextChoices):
        NETWORK = "network", _("The network")
        PARTNER = "partner", _("Partner organisation")

    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind"], condition=Q(kind="network"), name="single_network_organisation"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_partner(self) -> bool:
        return self.kind == self.Kind.PARTNER


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields):
        if not email:
            raise ValueError("A user needs an e-mail address")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields):
        """An operator's account (``manage.py createsuperuser``). Its address is recorded for
        allauth, as accepting an invitation records a user's; otherwise allauth's e-mail page
        would write the missing row on the operator's first GET of it."""
        from allauth.account.models import EmailAddress

        fields.update(is_staff=True, is_superuser=True)
        user = self.create_user(email, password, **fields)
        EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
        return user


class User(AbstractBaseUser, PermissionsMixin):
    """A staff or partner account. Logs in by e-mail; roles are flags (a user may hold several).

    A partner user belongs to exactly one partner organisation and holds no other role; the
    other roles belong to the network's staff (checked by ``accounts.services``).
    """

    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="users"
    )
    is_counsellor = models.BooleanField(_("intake counsellor"), default=False)
    is_coordinator = models.BooleanField(_("coordinator"), default=False)
    is_partner = models.BooleanField(_("partner user"), default=False)
    is_network_admin = models.BooleanField(_("administrator"), default=False)
    preferred_language = models.CharField(_("language"), max_length=8, choices=STAFF_LANGUAGES,
                                          default="en")
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("Django admin access"), default=False)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
            models.CheckConstraint(
                condition=Q(is_partner=False)
                | Q(is_counsellor=False, is_coordinator=False, is_network_admin=False),
                name="partner_role_is_exclusive",
            ),
            models.CheckConstraint(
                condition=Q(is_partner=False) | Q(organisation__isnull=False),
                name="partner_user_has_organisation",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    @property
    def roles(self) -> frozenset[Role]:
        return frozenset(role for role in ROLE_FLAGS if self.has_role(role))

    def has_role(self, role: Role) -> bool:
        if role == Role.PARTNER:
            return self.acts_for_active_partner
        return bool(getattr(self, ROLE_FLAGS[role]))

    @property
    def acts_for_active_partner(self) -> bool:
        """A partner user acts for their organisation only while the network keeps it active:
        once an organisation is deactivated (the partnership ended, an account there is
        suspected compromised) its users reach nothing, whatever sessions they still hold."""
        return (self.is_partner and self.organisation_id is not None
                and self.organisation.is_active)

    @property
    def has_case_role(self) -> bool:
        return self.is_counsellor or self.is_coordinator


class Invitation(models.Model):
    """A single-use, expiring invitation to create an account. Only the token's hash is kept."""

    email = models.EmailField(_("e-mail address"))
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    roles = models.JSONField(_("roles"), default=list)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, related_name="invitations_sent"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_user = models.OneToOneField(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="invitation"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Invitation #{self.pk}"

    def is_usable(self, now=None) -> bool:
        now = now or timezone.now()
        return self.accepted_at is None and self.revoked_at is None and self.expires_at > now
