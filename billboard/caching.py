"""Public responses kept as bytes per (URL, language, data version, WIB day), with an ETag.

A public page changes only when the data does (``versioning``) or when the day turns (today's
occupants), so each worker renders it once per version and day and hands every other visitor
the same bytes; a browser that already holds them gets a 304. Nothing per visitor may be in
them: only anonymous visitors without a pending flash message are served from the cache (a
logged-in page carries the user's name and a CSRF token), and the security headers, added after
the view, stay per response.
"""
from __future__ import annotations

import functools
import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass

from flask import Flask, Response, current_app, make_response, request, session
from flask_babel import get_locale
from flask_login import current_user

from . import clock, versioning

MAX_ENTRIES = 256
# What a kept response carries besides its body; the rest is added per response.
KEPT_HEADERS = ("Content-Type", "Content-Disposition")


@dataclass(frozen=True)
class Kept:
    body: bytes
    headers: tuple[tuple[str, str], ...]
    etag: str


class ResponseStore:
    """The most recently used responses of one worker, at most ``size`` of them."""

    def __init__(self, size: int = MAX_ENTRIES):
        self._size = size
        self._entries: OrderedDict[tuple, Kept] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple) -> Kept | None:
        with self._lock:
            kept = self._entries.get(key)
            if kept is not None:
                self._entries.move_to_end(key)
            return kept

    def put(self, key: tuple, kept: Kept) -> None:
        with self._lock:
            self._entries[key] = kept
            self._entries.move_to_end(key)
            while len(self._entries) > self._size:
                self._entries.popitem(last=False)


def _same_for_everyone() -> bool:
    return (request.method in ("GET", "HEAD") and not current_user.is_authenticated
            and "_flashes" not in session)


def _keep(response: Response) -> Kept:
    body = response.get_data()
    return Kept(body, tuple((name, response.headers[name]) for name in KEPT_HEADERS
                            if name in response.headers),
                hashlib.blake2b(body, digest_size=16).hexdigest())


def _serve(kept: Kept) -> Response:
    response = Response(kept.body, headers=kept.headers)
    response.set_etag(kept.etag)
    # Always ask again (an approval shows at once), and keep one copy per language choice,
    # which lives in the session cookie.
    response.cache_control.no_cache = True
    response.vary.add("Cookie")
    return response.make_conditional(request)


def public(view):
    """Serve ``view``'s successful responses from the worker's store when they are the same
    for every visitor."""

    @functools.wraps(view)
    def cached_view(**kwargs):
        if not _same_for_everyone():
            return view(**kwargs)
        key = (request.full_path, str(get_locale()), versioning.current(), clock.today_wib())
        store: ResponseStore = current_app.extensions["public_responses"]
        kept = store.get(key)
        if kept is None:
            response = make_response(view(**kwargs))
            if response.status_code != 200:
                return response
            kept = _keep(response)
            store.put(key, kept)
        return _serve(kept)

    return cached_view


def init_app(app: Flask) -> None:
    app.extensions["public_responses"] = ResponseStore()
