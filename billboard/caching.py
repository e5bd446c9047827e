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

from flask import Config, Flask, Request, Response, current_app, make_response, request, session
from flask.sessions import SessionMixin
from flask_login import COOKIE_NAME

from . import clock, i18n, versioning

MAX_ENTRIES = 256
# What a kept response carries besides its body; the rest is added per response. A page's
# Content-Security-Policy names the hashes of its inline scripts, so it belongs to its bytes.
KEPT_HEADERS = ("Content-Type", "Content-Disposition", "Content-Security-Policy")


@dataclass(frozen=True)
class Kept:
    body: bytes
    etag: str
    # What a 304 repeats (the validator and how to cache), and what a 200 adds to it.
    validators: tuple[tuple[str, str], ...]
    headers: tuple[tuple[str, str], ...]


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


def _same_for_everyone(visitor: Request, visit: SessionMixin, config: Config) -> bool:
    # Asked of the session itself, not of Flask-Login: its session protection would hash the
    # address and browser of every request (a third of a cached response's time).
    return (visitor.method in ("GET", "HEAD") and "_user_id" not in visit
            and "_flashes" not in visit
            and config.get("REMEMBER_COOKIE_NAME", COOKIE_NAME) not in visitor.cookies)


def _keep(response: Response) -> Kept:
    body = response.get_data()
    etag = hashlib.blake2b(body, digest_size=16).hexdigest()
    # Always ask again (an approval shows at once), and keep one copy per language choice,
    # which lives in the session cookie.
    validators = (("ETag", f'"{etag}"'), ("Cache-Control", "no-cache"), ("Vary", "Cookie"))
    content = tuple((name, response.headers[name]) for name in KEPT_HEADERS
                    if name in response.headers)
    return Kept(body, etag, validators, content + validators)


def _serve(kept: Kept, visitor: Request) -> Response:
    if kept.etag in visitor.if_none_match:
        return Response(status=304, headers=kept.validators)
    return Response(kept.body, headers=kept.headers)


def public(view):
    """Serve ``view``'s successful responses from the worker's store when they are the same
    for every visitor."""

    @functools.wraps(view)
    def cached_view(**kwargs):
        # Each of Flask's context objects looked up once: through its proxy each lookup cost
        # more than reading the version (a third of what a 304 adds to /healthz).
        app, visitor = current_app._get_current_object(), request._get_current_object()
        visit = session._get_current_object()
        if not _same_for_everyone(visitor, visit, app.config):
            return view(**kwargs)
        key = (visitor.full_path, i18n.locale_of(visit, app.config), versioning.current(app),
               clock.today_wib())
        store: ResponseStore = app.extensions["public_responses"]
        kept = store.get(key)
        if kept is None:
            response = make_response(view(**kwargs))
            if response.status_code != 200:
                return response
            kept = _keep(response)
            store.put(key, kept)
        return _serve(kept, visitor)

    return cached_view


def init_app(app: Flask) -> None:
    app.extensions["public_responses"] = ResponseStore()
