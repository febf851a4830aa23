from tests.private_services import private_postgres  # noqa: F401 — a fixture
from tests.referrals.test_outbox import fault_rig  # noqa: F401 — a fixture
