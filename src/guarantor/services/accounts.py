"""Accounts: passwords (argon2), logins with lockout, API tokens, one-time invitations."""

from __future__ import annotations

import contextlib
import datetime as dt
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from guarantor.model.diagnostics import Diagnostic, InvalidInput
from guarantor.model.portal import Actor, Role, User
from guarantor.services.access import Forbidden, can_administer, require
from guarantor.services.portal import Portal
from guarantor.store.audit import now

HASHER = PasswordHasher()
MIN_PASSWORD = 10
# Verifying against this when the user does not exist keeps the timing the same.
_DUMMY_HASH = HASHER.hash("not-a-real-password")


class LoginRefused(Exception):
    """A login that did not succeed; ``code`` says why (invalid, locked)."""

    def __init__(self, code: str) -> None:
        self.code = code
        super().__init__(code)


def hash_password(password: str) -> str:
    """An argon2id hash, after checking the password is long enough."""
    if len(password) < MIN_PASSWORD:
        raise InvalidInput(
            [
                Diagnostic(
                    code="password.too_short", path=("password",), params={"limit": MIN_PASSWORD}
                )
            ]
        )
    return HASHER.hash(password)


def _check_user_fields(portal: Portal, username: str, role: Role, country: str | None) -> None:
    problems = []
    if (
        not username
        or len(username) > 100
        or not username.replace("-", "").replace("_", "").replace(".", "").isalnum()
    ):
        problems.append(
            Diagnostic(code="username.invalid", path=("username",), params={"value": username})
        )
    if role == "capital" and (country is None or country not in portal.reference.countries):
        problems.append(
            Diagnostic(code="country.unknown", path=("country",), params={"value": country})
        )
    if problems:
        raise InvalidInput(problems)


def add_user(
    portal: Portal, username: str, password: str, role: Role, country: str | None, actor: Actor
) -> User:
    """Create a user (the admin CLI; the web adds capitals through invitations)."""
    _check_user_fields(portal, username, role, country)
    return portal.accounts.add_user(
        username, hash_password(password), role, country if role == "capital" else None, actor
    )


def login(portal: Portal, username: str, password: str, actor: Actor) -> User:
    """Check a password. Locks the account after ``login_attempts`` failures in a row."""
    found = portal.accounts.find(username) if len(username) <= 100 else None
    if found is None:
        username = username[:100]
        with contextlib.suppress(VerificationError):
            HASHER.verify(_DUMMY_HASH, password)
        portal.accounts.login_failed(username, None, actor)
        raise LoginRefused("login.invalid")
    user, password_hash, failures, locked_until = found
    if locked_until is not None and locked_until > now():
        portal.accounts.login_failed(username, locked_until, actor)
        raise LoginRefused("login.locked")
    if locked_until is not None:
        failures = 0  # the lock has expired: count afresh
    try:
        HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        lock = None
        if failures + 1 >= portal.settings.login_attempts:
            lock = now() + dt.timedelta(minutes=portal.settings.lockout_minutes)
        portal.accounts.login_failed(username, lock, actor)
        raise LoginRefused("login.locked" if lock else "login.invalid") from None
    if user.disabled:
        raise LoginRefused("login.invalid")
    portal.accounts.login_succeeded(username, actor)
    return user


def create_token(portal: Portal, username: str, label: str, actor: Actor) -> str:
    """A new API token for a user; shown once, stored only as a hash."""
    found = portal.accounts.find(username)
    if found is None:
        raise InvalidInput(
            [Diagnostic(code="user.unknown", path=("username",), params={"username": username})]
        )
    secret = "gt_" + secrets.token_urlsafe(32)
    portal.accounts.add_token(found[0].id, secret, label, actor)
    return secret


def invite(
    portal: Portal, user: User, round_id: str, country: str, actor: Actor, days: int = 14
) -> tuple[str, dt.datetime]:
    """A one-time invitation for a capital; returns the secret for the link and its expiry."""
    require(can_administer(user), "invite")
    if country not in portal.reference.countries:
        raise InvalidInput(
            [Diagnostic(code="country.unknown", path=("country",), params={"value": country})]
        )
    info = portal.revisions.round(round_id)
    if info.invited and country not in info.invited:
        raise InvalidInput(
            [
                Diagnostic(
                    code="invitation.not_invited",
                    path=("country",),
                    params={"value": country, "round": round_id},
                )
            ]
        )
    secret = secrets.token_urlsafe(32)
    expires = portal.accounts.add_invitation(
        secret, round_id, country, dt.timedelta(days=days), actor
    )
    return secret, expires


def accept_invitation(
    portal: Portal, secret: str, username: str, password: str, actor: Actor
) -> User:
    """Create the invited capital's account; the link works once."""
    found = portal.accounts.invitation(secret)
    if found is None:
        raise Forbidden("invitation")
    _check_user_fields(portal, username, "capital", found[1])
    return portal.accounts.accept_invitation(secret, username, hash_password(password), actor)
