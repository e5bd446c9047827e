"""The booking rules of DESIGN §3, one module per seam; callers write ``booking.approve(...)``.

- ``rules``: plain checks and derived states (no query),
- ``reads``: availability, occupancy, the queue, the timeline and lookups (no change),
- ``changes``: the transitions; they flush, audit and queue mail, the caller commits,
- ``notify``: the emails a change queues in the outbox.

Nothing here knows about HTTP: refusals are :class:`~billboard.domain_errors.DomainError`\\ s.
"""
from ..clock import today_wib
from .changes import (
    add_occupancy,
    approve,
    attach_files,
    cancel,
    record_photo,
    reject,
    submit_request,
    withdraw_request,
)
from .reads import (
    Busy,
    DeskCounts,
    QueueFilter,
    QueueItem,
    availability,
    check_items,
    conflicts_for,
    current_occupants,
    desk_counts,
    history,
    nearest_use,
    occupancy,
    pending_count,
    pending_mail,
    request_for,
    requests_of,
    requests_page,
    review_queue,
    timeline,
)
from .rules import (
    MAX_ITEMS_PER_REQUEST,
    BookingError,
    Clash,
    ItemCheck,
    ItemInput,
    WrongState,
    days_in,
    files_can_change,
    overlaps,
    request_status,
    withdrawable,
)

__all__ = [
    "MAX_ITEMS_PER_REQUEST", "BookingError", "Busy", "Clash", "ItemCheck", "ItemInput",
    "DeskCounts", "QueueFilter", "QueueItem", "WrongState", "add_occupancy", "approve",
    "attach_files", "availability", "cancel", "check_items", "conflicts_for", "current_occupants",
    "days_in", "desk_counts", "files_can_change", "history", "nearest_use", "occupancy",
    "overlaps", "pending_count", "pending_mail", "record_photo", "reject", "request_for",
    "request_status", "requests_of", "requests_page", "review_queue", "submit_request", "timeline",
    "today_wib", "withdraw_request", "withdrawable",
]
