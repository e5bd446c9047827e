"""Whether a rental's fee is paid, from the amounts received (DESIGN §3)."""
from __future__ import annotations

import enum
from collections.abc import Iterable


class PaymentState(enum.StrEnum):
    UNPAID = "unpaid"
    PARTLY_PAID = "partly_paid"
    PAID = "paid"


def payment_state(fee_idr: int, amounts: Iterable[int]) -> PaymentState:
    """Paid once the amounts reach the fee (a fee of 0 owes nothing)."""
    paid = sum(amounts)
    if paid >= fee_idr:
        return PaymentState.PAID
    return PaymentState.PARTLY_PAID if paid else PaymentState.UNPAID
