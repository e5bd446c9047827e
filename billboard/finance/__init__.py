"""Bakeuda's money (DESIGN §3): tariffs with history, the value of a use, report figures.

It knows sites, faces and bookings as rows and nothing of requests or HTTP; refusals are
:class:`~billboard.domain_errors.DomainError`\\ s.
"""
from .tariffs import (
    FIRST_DAY,
    TariffError,
    rates_on,
    remove_tariff,
    schedules,
    set_tariff,
    tariffs_of,
    use_value,
)
from .value import Rate, days_in, days_inside, prorated, rate_on, round_half_up, value_of_use

__all__ = [
    "FIRST_DAY", "Rate", "TariffError", "days_in", "days_inside", "prorated", "rate_on",
    "rates_on", "remove_tariff", "round_half_up", "schedules", "set_tariff", "tariffs_of",
    "use_value", "value_of_use",
]
