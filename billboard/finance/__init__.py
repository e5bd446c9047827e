"""Bakeuda's money (DESIGN §3): tariffs with history, the value of a use, report figures.

It knows sites, faces and bookings as rows and nothing of requests or HTTP; refusals are
:class:`~billboard.domain_errors.DomainError`\\ s.
"""
from .payments import PaymentState, payment_state
from .reports import (
    FACE_KEYS,
    ORGANIZATION_KEYS,
    ReportError,
    UsageReport,
    usage_report,
)
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
    "FACE_KEYS", "FIRST_DAY", "ORGANIZATION_KEYS", "PaymentState", "Rate", "ReportError",
    "TariffError", "UsageReport", "days_in", "days_inside", "payment_state", "prorated", "rate_on",
    "rates_on", "remove_tariff", "round_half_up", "schedules", "set_tariff", "tariffs_of",
    "usage_report", "use_value", "value_of_use",
]
