"""Fill a database with realistic published listings, through the service layer.

    TECHMATCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/tm_bench \
        python bench/load.py --offers 20000 --needs 2000

The database must be migrated (``techmatch db upgrade``) with a department account
(``techmatch create-admin``). Texts come from ``Corpus`` in ``bench/engine.py`` (the engine
benchmark's generator: Zipf-distributed Vietnamese technical vocabulary, 10 % typed without
diacritics); each batch of an organisation's listings is created and submitted with review
off by ``listings.service.create_many`` (the API's validation, rules and change feed, in a
constant number of statements per batch). Prints one JSON line.
"""

import argparse
import json
import os
import sys
import time
from collections.abc import Iterator
from itertools import islice
from typing import Any

from engine import Corpus  # bench/engine.py (run as a script: bench/ is on sys.path)
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.auth.actor import ORG_ADMIN, Actor
from app.auth.models import User
from app.db import make_engine, make_session_factory, session_scope
from app.listings import service as listings
from app.matching.engine import NeedRecord, OfferRecord
from app.needs.models import Need
from app.needs.schemas import NeedIn
from app.needs.spec import check_need
from app.offers.models import Offer
from app.offers.schemas import OfferIn
from app.offers.spec import check_offer
from app.organizations import service as organizations
from app.organizations.schemas import OrganizationIn
from app.organizations.tax_code import check_digit

BATCH = 100  # listings per organisation and transaction
FIELDS = {"1", "2", "3", "4", "5", "6"}


def tax_codes(start: int) -> Iterator[str]:
    serial = start
    while True:
        serial += 1
        stem = f"27{serial:07d}"
        digit = check_digit(stem)
        if digit is not None:
            yield f"{stem}{digit}"


def common(record: OfferRecord | NeedRecord) -> dict[str, Any]:
    summary = record.description.split(". ")[0][:480].rstrip(".") + "."
    return {
        "title": record.title[:200],
        "summary": summary,
        "description": record.description,
        "keywords": list(record.keywords)[:20],
        "field_code": record.field_code if record.field_code in FIELDS else "2",
        "province_code": record.province_code or "25",
        "transfer_forms": list(record.transfer_forms),
    }


def organizations_of(session: Session, kind: str, n: int, codes: Iterator[str]) -> list[Actor]:
    """``n`` verified organisations of ``kind``, each with its admin as the acting user."""
    actors = []
    for i in range(n):
        org = organizations.create(
            session,
            body=OrganizationIn(
                name=f"{'Viện' if kind == 'institute' else 'Công ty'} thử tải {i + 1}",
                kind=kind,
                tax_code=next(codes),
                province_code="25",
            ),
        )
        organizations.verify(session, organization_id=org.id)
        user = User(
            organization_id=org.id,
            email=f"load-{org.id[:8]}@example.vn",
            password_hash="!",  # cannot log in: these accounts only own generated listings
            full_name="Người dùng thử tải",
            role=ORG_ADMIN,
        )
        session.add(user)
        session.flush()
        actors.append(Actor(organization_id=org.id, role=ORG_ADMIN, user_id=user.id))
    return actors


def publish(session: Session, actor: Actor, model: Any, bodies: list[Any], check: Any) -> None:
    listings.create_many(
        session, model, actor=actor, bodies=bodies, check=check, submit=True, review_required=False
    )


def load(url: str, n_offers: int, n_needs: int, seed: int) -> dict[str, Any]:
    factory = make_session_factory(make_engine(url))
    corpus = Corpus(seed)
    started = time.perf_counter()
    for session in session_scope(factory):
        existing = session.scalar(select(Offer.id).limit(1)) or session.scalar(
            select(Need.id).limit(1)
        )
        codes = tax_codes(int(time.time()) % 1_000_000)
        institutes = organizations_of(session, "institute", max(1, n_offers // BATCH), codes)
        enterprises = organizations_of(session, "enterprise", max(1, n_needs // 20), codes)
    done = 0
    offers = corpus.offers(n_offers)
    while chunk := list(islice(offers, BATCH)):
        bodies = [
            OfferIn(
                **common(record),
                trl=record.trl,
                price_min_vnd=record.price_min_vnd,
                price_max_vnd=record.price_max_vnd,
                price_type="indicative",
            )
            for record in chunk
        ]
        for session in session_scope(factory):  # each batch: one organisation's listings
            publish(
                session, institutes[(done // BATCH) % len(institutes)], Offer, bodies, check_offer
            )
        done += len(chunk)
        print(f"offers {done}/{n_offers}", file=sys.stderr, end="\r")
    done = 0
    needs = corpus.needs(n_needs)
    while chunk := list(islice(needs, BATCH)):
        bodies = [
            NeedIn(
                **common(record),
                desired_trl_min=record.desired_trl_min,
                budget_max_vnd=record.budget_max_vnd,
                confidential=(done + i) % 10 == 0,
            )
            for i, record in enumerate(chunk)
        ]
        for session in session_scope(factory):
            publish(
                session, enterprises[(done // BATCH) % len(enterprises)], Need, bodies, check_need
            )
        done += len(chunk)
        print(f"needs {done}/{n_needs}  ", file=sys.stderr, end="\r")
    if url.startswith("postgresql"):  # fresh statistics, as autovacuum would give later
        with factory() as session:
            session.connection().exec_driver_sql("ANALYZE")
            session.commit()
    seconds = time.perf_counter() - started
    return {
        "bench": "load",
        "database": url.split(":")[0],
        "offers": n_offers,
        "needs": n_needs,
        "organizations": len(institutes) + len(enterprises),
        "had_listings_before": existing is not None,
        "seconds": round(seconds, 1),
        "listings_per_second": round((n_offers + n_needs) / seconds, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--offers", type=int, required=True)
    parser.add_argument("--needs", type=int, required=True)
    parser.add_argument("--seed", type=int, default=8)
    args = parser.parse_args()
    url = os.environ.get("TECHMATCH_DATABASE_URL", "sqlite:///./techmatch.db")
    print(json.dumps(load(url, args.offers, args.needs, args.seed)), flush=True)


if __name__ == "__main__":
    main()
