"""Blind-index values for a client's names with their birth date."""

from __future__ import annotations

import datetime

from intake.models import Client
from northstar.security.blind_index import blind_index

NAME_INDEX_PURPOSE = "client-name-dob"


def name_index_values(names: list[str], date_of_birth: datetime.date | None) -> set[str]:
    if date_of_birth is None:
        return set()
    return {blind_index(NAME_INDEX_PURPOSE, name, date_of_birth.isoformat())
            for name in names if name.strip()}


def client_names(client: Client) -> list[str]:
    return [client.display_name, *client.aliases]
