"""The booking rules of DESIGN §3, one module per seam; callers write ``booking.approve(...)``.

- ``rules``: plain checks and derived states (no query),
- ``reads``: availability, occupancy, the queue, the timeline and lookups (no change),
- ``changes``: the transitions; they flush, audit and queue mail, the caller commits,
- ``decisions``: deciding a request as a whole (and one item, a decision of one),
- ``rentals``: Bakeuda's own entries (rentals, maintenance) and the payments of rentals,
- ``files``: the kept versions of a request's files and Bakeuda's signed scans,
- ``handover``: the BAST of handing an approved face over and of its return, and the chain
  approved → handed over → installed → returned derived from them,
- ``notify``: the emails a change queues in the outbox.

Nothing here knows about HTTP: refusals are :class:`~billboard.domain_errors.DomainError`\\ s.
"""
from ..clock import today_wib
from .changes import (
    cancel,
    record_photo,
    submit_request,
    withdraw_item,
    withdraw_request,
)
from .decisions import approve, decide, is_internal_use, reject
from .desk import DeskCounts, desk_counts
from .files import (
    SIGNED_SCANS,
    add_scan,
    add_version,
    attach_files,
    seen_by_decisions,
    version_of,
    versions,
)
from .handover import (
    can_hand_over,
    can_record_return,
    handover_of,
    handover_stage,
    is_overdue,
    overdue_returns,
    record_handover,
    record_return,
)
from .reads import (
    Busy,
    QueueFilter,
    QueueItem,
    Suggestion,
    availability,
    check_items,
    conflicts_for,
    current_occupants,
    history,
    nearest_use,
    occupancy,
    pending_count,
    pending_mail,
    request_for,
    requests_page,
    review_queue,
    suggestions,
    timeline,
    visible_request,
)
from .rentals import (
    PaymentState,
    RentalFilter,
    add_occupancy,
    block_site,
    can_change,
    change_dates,
    end_or_cancel,
    entries,
    entry,
    is_rental,
    is_started,
    owes_payment,
    payment_state,
    record_payment,
    starts_unpaid,
    tariff_fee,
)
from .rules import (
    MAX_ITEMS_PER_REQUEST,
    REQUEST_CATEGORIES,
    BookingError,
    Clash,
    ItemCheck,
    ItemInput,
    WrongState,
    days_in,
    files_can_change,
    files_frozen,
    overlaps,
    request_status,
    shared_reasons,
    suggestion_text,
    where_problem,
    withdrawable,
)

__all__ = [
    "SIGNED_SCANS", "add_scan", "add_version", "files_frozen",
    "seen_by_decisions", "version_of", "versions",
    "BookingError", "Busy", "can_hand_over", "can_record_return", "handover_of",
    "handover_stage", "is_overdue", "overdue_returns", "record_handover", "record_return",
    "Clash", "DeskCounts", "ItemCheck", "ItemInput",
    "MAX_ITEMS_PER_REQUEST", "REQUEST_CATEGORIES", "PaymentState", "QueueFilter", "QueueItem",
    "RentalFilter",
    "WrongState", "add_occupancy", "approve", "attach_files", "availability", "block_site",
    "can_change", "cancel", "change_dates", "check_items", "conflicts_for", "current_occupants",
    "days_in", "desk_counts", "end_or_cancel", "entries", "entry", "files_can_change", "history",
    "is_rental", "is_started", "nearest_use", "occupancy", "overlaps", "owes_payment",
    "payment_state", "pending_count", "pending_mail", "record_payment", "record_photo", "reject",
    "request_for", "request_status", "shared_reasons", "Suggestion", "suggestion_text",
    "suggestions", "where_problem", "requests_page", "review_queue",
    "starts_unpaid", "submit_request", "tariff_fee", "timeline", "visible_request",
    "today_wib", "withdraw_item", "withdraw_request", "withdrawable",
    "decide", "is_internal_use",
]
