"""Whether a rental's fee is paid, from the amount received (DESIGN §3)."""
from __future__ import annotations

import enum


class PaymentState(enum.StrEnum):
    UNPAID = "unpaid"
    PARTLY_PAID = "partly_paid"
    PAID = "paid"


def payment_state(fee_idr: int, paid_idr: int) -> PaymentState:
    """Paid once what was received reaches the fee (a fee of 0 owes nothing)."""
    if paid_idr >= fee_idr:
        return PaymentState.PAID
    return PaymentState.PARTLY_PAID if paid_idr else PaymentState.UNPAID
