"""Data every installation starts with: the 10 sample sites and the 2024 election calendar."""
from datetime import date

from .elections import save_election
from .extensions import db
from .models import Election
from .sites import parse_sites, save_sites, shipped_sites_csv

ELECTIONS_2024 = (
    dict(name="Pemilu 2024", campaign_start_on=date(2023, 11, 28),
         campaign_end_on=date(2024, 2, 10), quiet_start_on=date(2024, 2, 11),
         quiet_end_on=date(2024, 2, 13), polling_on=date(2024, 2, 14)),
    dict(name="Pilkada 2024", campaign_start_on=date(2024, 9, 25),
         campaign_end_on=date(2024, 11, 23), quiet_start_on=date(2024, 11, 24),
         quiet_end_on=date(2024, 11, 26), polling_on=date(2024, 11, 27)),
)


def seed_sites() -> int:
    """Add the shipped sample sites that are missing; never overwrite an edited site."""
    created, _ = save_sites(parse_sites(shipped_sites_csv()), overwrite=False)
    return created


def seed_elections() -> int:
    """Add the 2024 elections and their masa tenang blackouts, once; never overwrite an edit."""
    known = {name.lower() for name in db.session.scalars(db.select(Election.name))}
    missing = [fields for fields in ELECTIONS_2024 if fields["name"].lower() not in known]
    for fields in missing:
        save_election(Election(**fields))
    return len(missing)
