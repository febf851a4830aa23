import os

import pytest
from django.core.cache import cache
from django.db import connection

from tests.factories import OrganisationFactory, UserFactory
from tests.helpers import require


@pytest.fixture(autouse=True)
def _isolated_cache():
    """Rate-limit counters and TOTP replay markers live in the cache: start each test clean."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def require_postgres(db):
    require(connection.vendor == "postgresql", "needs PostgreSQL (set DATABASE_URL)")


@pytest.fixture
def redis_url():
    url = os.environ.get("REDIS_URL", "")
    available = False
    if url:
        import redis

        try:
            available = bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
        except redis.RedisError:
            available = False
    require(available, "needs Redis (set REDIS_URL)")
    return url


@pytest.fixture
def partner_org(db):
    return OrganisationFactory()


@pytest.fixture
def counsellor(db):
    return UserFactory(counsellor=True)


@pytest.fixture
def coordinator(db):
    return UserFactory(coordinator=True)


@pytest.fixture
def admin_user(db):
    return UserFactory(admin=True)


@pytest.fixture
def partner_user(db, partner_org):
    return UserFactory(partner=True, organisation=partner_org)
