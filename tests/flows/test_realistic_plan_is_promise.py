"""A plan entry is a promise: for random (seeded) accounts, the dry run's report is what the
real run straight after it does, entry by entry (every count and every problem)."""

from __future__ import annotations

import random
from collections import Counter
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker

from connectors.fieldservice import queries
from connectors.lexoffice.sandbox.server import SandboxServer
from flows.master_data import sync_master_data
from tasks.connection import LexsyncConnection
from tasks.report import RunReport
from tests.flows.conftest import connection_name, edit_in_lexoffice, seed
from tests.support.builders import (
    add_activity,
    add_customer,
    add_product,
    lex_article,
    lex_company,
    lex_person,
)

GOOD_GTIN, BAD_GTIN = "4006381333931", "4006381333932"
SEEDS = [3, 17, 42]


def _entries(report: RunReport) -> tuple[Counter[Any], Counter[Any]]:
    """Every non-zero count and every problem, by entity and direction."""
    counts: Counter[Any] = Counter()
    problems: Counter[Any] = Counter()
    for section in report.sections:
        where = (section.entity, section.direction)
        counts.update({(*where, k): v for k, v in section.counts.items() if v})
        problems.update(
            (*where, p.kind, p.record, p.field, p.message, str(p.system_value),
             str(p.lexoffice_value))
            for p in section.problems
        )  # fmt: skip
    return counts, problems


@pytest.mark.parametrize("scenario_seed", SEEDS)
def test_dry_run_plan_is_what_the_run_then_does(
    sandbox: SandboxServer,
    connection_block: LexsyncConnection,
    sessions: sessionmaker[Session],
    scenario_seed: int,
) -> None:
    rng = random.Random(scenario_seed)
    name = connection_name(connection_block)
    article_ids = _seed_lexoffice(sandbox, rng)
    _seed_system(sessions, rng)
    sync_master_data(connection=name)
    _change_both_sides(sandbox, sessions, rng, article_ids)

    planned = sync_master_data(connection=name, dry_run=True)
    done = sync_master_data(connection=name)

    planned_counts, planned_problems = _entries(planned)
    done_counts, done_problems = _entries(done)
    assert planned_problems == done_problems
    assert planned_counts == done_counts
    assert sum(planned_counts.values()) > 0


def _seed_lexoffice(sandbox: SandboxServer, rng: random.Random) -> list[str]:
    contacts: list[dict[str, Any]] = []
    for i in range(rng.randint(4, 9)):
        contact = (
            lex_person(f"Person {i}", f"p{i}@example.de")
            if rng.random() < 0.6
            else lex_company(f"Firma {i} GmbH", emailAddresses={"business": [f"f{i}@example.de"]})
        )
        if rng.random() < 0.2:
            contact["archived"] = True
        if rng.random() < 0.2:
            contact["emailAddresses"] = {"business": [f"a{i}@example.de", f"b{i}@example.de"]}
        contacts.append(contact)
    seed(sandbox, "contacts", contacts)
    articles = []
    for i in range(rng.randint(4, 9)):
        gtin = rng.choice([None, GOOD_GTIN, BAD_GTIN])
        extra: dict[str, Any] = {"articleNumber": f"N-{i}"}
        if gtin:
            extra["gtin"] = gtin
        if rng.random() < 0.2:
            extra["archived"] = True
        articles.append(lex_article(f"Ware {i}", **extra))
    for i in range(rng.randint(2, 5)):
        articles.append(lex_article(rng.choice(["Montage", "Wartung", f"Dienst {i}"]), "SERVICE"))
    return seed(sandbox, "articles", articles)


def _seed_system(sessions: sessionmaker[Session], rng: random.Random) -> None:
    for i in range(rng.randint(2, 6)):
        email = rng.choice([f"p{i}@example.de", f"lokal{i}@example.de", "kaputt", None])
        add_customer(sessions, last_name=f"Lokal {i}", email=email)
    for i in range(rng.randint(2, 5)):
        number = rng.choice([f"N-{i}", f"L-{i}"])
        rate = rng.choice([Decimal("19"), Decimal("19"), Decimal("5")])
        add_product(sessions, f"Eigen {i}", article_number=number, tax_rate=rate)
    for name in rng.sample(["Montage", "Beratung", "Notdienst"], 2):
        add_activity(sessions, name)


def _change_both_sides(
    sandbox: SandboxServer, sessions: sessionmaker[Session], rng: random.Random, ids: list[str]
) -> None:
    """Edits, archivals, deletions and new records on both sides after a first sync."""
    for article_id in rng.sample(ids, min(3, len(ids))):
        action = rng.choice(["title", "price", "archive", "delete"])
        if action == "delete":
            sandbox.control.delete(f"/articles/{article_id}").raise_for_status()
        elif action == "archive":
            edit_in_lexoffice(sandbox, "articles", article_id, {"archived": True})
        elif action == "title":
            edit_in_lexoffice(sandbox, "articles", article_id, {"title": f"Neu {article_id[:4]}"})
        else:
            price = {"leadingPrice": "NET", "netPrice": rng.choice([5.5, 99.0]), "taxRate": 19}
            edit_in_lexoffice(sandbox, "articles", article_id, {"price": price})
    new = [lex_article("Spät", articleNumber="Z-1", gtin=rng.choice([GOOD_GTIN, BAD_GTIN]))]
    new.append(lex_article(rng.choice(["Montage", "Nachtrag"]), "SERVICE"))
    seed(sandbox, "articles", new)
    with sessions.begin() as session:
        rows = queries.product_rows(session)
        picked = rng.sample(rows, min(2, len(rows)))
        queries.update_products(
            session, [{"id": r["id"], "name": f"{r['name']} B"} for r in picked]
        )
    add_customer(sessions, last_name="Später", email=rng.choice(["s@example.de", "kaputt"]))
