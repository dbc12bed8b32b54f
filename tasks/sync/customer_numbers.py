"""The customer numbers lexoffice assigns to the contacts a run created, learned in bulk.

lexoffice gives every new customer contact a number the create answer does not carry. The
system wants it at once (and the link's base must hold it, or the next run would see a
change). Reading each new contact back costs one request per create — 10,000 extra requests,
83 minutes at 2 requests/s, for a first sync of 10,000 customers — so after the creates the
run reads whichever is cheaper: each new contact, or the customer listing once (250 per page).

A contact a user changed since lexsync created it (its version moved on) is left alone: its
number, like the user's edit, reaches the system through the next run's three-way diff.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from connectors.fieldservice import queries
from connectors.fieldservice.models import SyncEntity
from connectors.lexoffice.client import LexofficeClient
from connectors.lexoffice.errors import CredentialsError, LexofficeError
from connectors.lexoffice.models import ActionResult
from tasks import error_text
from tasks.report import Problem, SectionReport
from tasks.sync.entities import raw
from tasks.sync.journal import store_link

PAGE_SIZE = 250


@dataclass
class _Created:
    local_id: int
    lexoffice_id: str
    version: int | None


@dataclass
class CustomerNumbers:
    """Contacts created in this run whose customer number is not known yet."""

    waiting: dict[str, _Created] = field(default_factory=dict)

    def created(self, local_id: int, result: ActionResult) -> None:
        self.waiting[result.id] = _Created(local_id, result.id, result.version)

    def learn(
        self,
        client: LexofficeClient,
        sessions: sessionmaker[Session],
        listed_before: int,
        section: SectionReport,
    ) -> None:
        """Read the numbers (one GET each, or one listing) and store them in system and link."""
        if not self.waiting:
            return
        pages = math.ceil((listed_before + len(self.waiting)) / PAGE_SIZE)
        try:
            if len(self.waiting) > pages:
                contacts = (raw(contact) for contact in client.iter_contacts(customer=True))
            else:
                contacts = (raw(client.get_contact(id_)) for id_ in list(self.waiting))
            for contact in contacts:
                self._store(sessions, contact)
        except CredentialsError:
            raise
        except LexofficeError as error:
            section.add_problem(
                Problem(
                    "skip",
                    "Kundennummern",
                    "die von lexoffice vergebenen Nummern waren nicht lesbar "
                    f"({error_text.reason(error)}); der "
                    "nächste Lauf übernimmt sie ins System",
                )
            )
        self.waiting.clear()

    def _store(self, sessions: sessionmaker[Session], contact: dict[str, Any]) -> None:
        created = self.waiting.get(str(contact.get("id")))
        number = ((contact.get("roles") or {}).get("customer") or {}).get("number")
        if created is None or number is None or contact.get("version") != created.version:
            return
        with sessions.begin() as session:
            queries.update_customers(session, [{"id": created.local_id, "customer_number": number}])
            entity = SyncEntity.CUSTOMER
            store_link(
                session,
                entity,
                created.local_id,
                created.lexoffice_id,
                created.version,
                {"customer_number": str(number)},
            )
