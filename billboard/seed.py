"""Data every installation starts with: the 10 sample sites and the 2024 election calendar."""
from datetime import date

from .extensions import db
from .models import Blackout, Category, Election
from .sites import parse_sites, save_sites, shipped_sites_csv

ELECTIONS_2024 = (
    Election(name="Pemilu 2024", campaign_start_on=date(2023, 11, 28),
             campaign_end_on=date(2024, 2, 10), quiet_start_on=date(2024, 2, 11),
             quiet_end_on=date(2024, 2, 13), polling_on=date(2024, 2, 14)),
    Election(name="Pilkada 2024", campaign_start_on=date(2024, 9, 25),
             campaign_end_on=date(2024, 11, 23), quiet_start_on=date(2024, 11, 24),
             quiet_end_on=date(2024, 11, 26), polling_on=date(2024, 11, 27)),
)


def seed_sites() -> int:
    """Add the shipped sample sites that are missing; never overwrite an edited site."""
    created, _ = save_sites(parse_sites(shipped_sites_csv()), overwrite=False)
    return created


def seed_elections() -> int:
    """Add the 2024 elections and their masa tenang blackouts, once."""
    known = set(db.session.scalars(db.select(Election.name)))
    added = 0
    for template in ELECTIONS_2024:
        if template.name in known:
            continue
        election = Election(**{c.key: getattr(template, c.key)
                               for c in Election.__table__.columns if c.key != "id"})
        db.session.add(election)
        db.session.add(Blackout(
            name=f"Masa tenang {election.name}", election=election,
            category=Category.FACILITATED_CAMPAIGN,
            start_on=election.quiet_start_on, end_on=election.quiet_end_on,
        ))
        added += 1
    db.session.flush()
    return added
