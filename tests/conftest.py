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


def reset_producer_pool(app) -> None:
    """Drop pooled broker connections so the next send uses the current broker URL."""
    from kombu import pools

    if app._pool is not None:
        app._pool.force_close_all()
        app._pool = None
    app.amqp._producer_pool = None
    pools.reset()


@pytest.fixture
def celery_worker_process(transactional_db, redis_url, settings):
    """A real Celery worker (a separate process) consuming a queue of its own, on the test
    database, with the Redis broker. Tasks sent by the test go through Redis to it."""
    import subprocess
    import sys
    import uuid
    from pathlib import Path

    from django.db import connection

    from northstar.celery import app

    queue = f"test-{uuid.uuid4().hex[:8]}"
    database = connection.settings_dict
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "northstar.settings.test",
           "CELERY_QUEUE": queue, "REDIS_URL": redis_url}
    if connection.vendor == "postgresql":
        env["DATABASE_URL"] = (f"postgres://{database['USER']}@{database['HOST']}:"
                               f"{database['PORT']}/{database['NAME']}")
    else:
        env["DATABASE_URL"] = f"sqlite:///{database['NAME']}"
    root = Path(__file__).resolve().parents[1]
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "northstar", "worker", "-Q", queue,
         "--concurrency=2", "--loglevel=WARNING", "--without-gossip", "--without-mingle"],
        cwd=root, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    previous = (app.conf.task_always_eager, app.conf.broker_url, app.conf.task_default_queue)
    app.conf.task_always_eager = False
    app.conf.broker_url = redis_url
    app.conf.task_default_queue = queue
    reset_producer_pool(app)
    try:
        yield process
    finally:
        app.conf.task_always_eager, app.conf.broker_url, app.conf.task_default_queue = previous
        reset_producer_pool(app)
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
