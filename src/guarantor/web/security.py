"""Sessions, CSRF tokens, login rate limiting and who the current user is.

Sessions live in a signed cookie (Starlette's SessionMiddleware: HttpOnly, SameSite=Lax,
Secure when configured); the session holds the user id, a random session id for the audit
trail and the CSRF token. The API does not use cookies: it takes bearer tokens, so it needs
no CSRF protection.
"""

from __future__ import annotations

import datetime as dt
import hmac
import secrets
import threading
import time
from collections import defaultdict, deque

from fastapi import Request

from guarantor.model.portal import Actor, User
from guarantor.services.portal import Portal

CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"


class NotAuthenticated(Exception):
    """No valid session or token."""


class CsrfFailed(Exception):
    """A state-changing request without the session's CSRF token."""


class RateLimited(Exception):
    """Too many attempts from one client."""


class RateLimiter:
    """At most ``limit`` events per ``window`` seconds per key (in memory, per process)."""

    def __init__(self, limit: int, window: float) -> None:
        self.limit = limit
        self.window = window
        self._events: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def hit(self, key: str) -> bool:
        """Record an attempt; ``False`` when the key is over its limit."""
        now = time.monotonic()
        with self._lock:
            events = self._events[key]
            while events and events[0] <= now - self.window:
                events.popleft()
            if len(events) >= self.limit:
                return False
            events.append(now)
            return True


def csrf_token(request: Request) -> str:
    """The session's CSRF token (created on first use)."""
    token = request.session.get("csrf")
    if not token:
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return str(token)


async def check_csrf(request: Request) -> None:
    """Refuse a state-changing request whose form field or header does not carry the token."""
    expected = request.session.get("csrf")
    sent = request.headers.get(CSRF_HEADER)
    if sent is None:
        form = await request.form()
        value = form.get(CSRF_FIELD)
        sent = value if isinstance(value, str) else None
    if not expected or not sent or not hmac.compare_digest(str(expected), sent):
        raise CsrfFailed()


SESSION_HOURS = 8


def start_session(request: Request, portal: Portal, user: User) -> str:
    """A fresh session for a user who just logged in (new id and CSRF token: no fixation).
    The id is registered in this portal's database, so a cookie is worth nothing on another
    portal and nothing after logging out."""
    request.session.clear()
    session_id = secrets.token_hex(16)
    portal.accounts.start_session(session_id, user.id)
    request.session.update(
        {"sid": session_id, "lang": user.lang, "csrf": secrets.token_urlsafe(32)}
    )
    return session_id


def end_session(request: Request, portal: Portal) -> None:
    """Log out: end the registered session and clear the cookie."""
    sid = request.session.get("sid")
    if isinstance(sid, str):
        portal.accounts.end_session(sid)
    request.session.clear()


def safe_next(target: str) -> str:
    """Only paths on this site: ``/x`` yes, ``//host`` or ``/\\host`` (other sites) no."""
    if target.startswith("/") and not target.startswith(("//", "/\\")):
        return target
    return "/"


def session_user(request: Request, portal: Portal) -> User | None:
    """The logged-in user of a page request: the session must be registered, not ended, not
    expired, and its user not disabled."""
    sid = request.session.get("sid")
    if not isinstance(sid, str):
        return None
    user = portal.accounts.session_user(sid, dt.timedelta(hours=SESSION_HOURS))
    if user is None:
        request.session.clear()
    return user


def bearer_user(request: Request, portal: Portal) -> User:
    """The user of an API request, from ``Authorization: Bearer <token>``."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise NotAuthenticated()
    user = portal.accounts.user_for_token(token.strip())
    if user is None:
        raise NotAuthenticated()
    return user


def actor(request: Request, user: User | None, *, api: bool = False) -> Actor:
    """Who is writing, from which session, for the audit trail."""
    if api:
        return Actor(name=user.username if user else "anonymous", session="api")
    sid = request.session.get("sid") or "anonymous"
    client = request.client.host if request.client else "unknown"
    return Actor(name=user.username if user else f"anonymous@{client}", session=str(sid))
