"""Users, API tokens, invitations and the audit trail. Secrets are stored only as hashes;
every write is audited in its own transaction."""

from __future__ import annotations

import datetime as dt
import hashlib
from contextlib import AbstractContextManager

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from guarantor.model.portal import Actor, AuditEntry, Role, User
from guarantor.store import audit
from guarantor.store.audit import aware, now
from guarantor.store.database import Database
from guarantor.store.repository import StoreError
from guarantor.store.tables import InvitationRow, SessionRow, TokenRow, UserRow


def digest(secret: str) -> str:
    """SHA-256 of a token: what the database keeps instead of the token."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def _user(row: UserRow) -> User:
    role: Role = (
        "coordinator"
        if row.role == "coordinator"
        else ("capital" if row.role == "capital" else "analyst")
    )
    return User(
        id=row.id,
        username=row.username,
        role=role,
        country=row.country,
        lang=row.lang,
        disabled=row.disabled,
        raw_access=row.raw_access,
    )


class AccountStore:
    """Repository of the people who use the portal and of what they did."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def _session(self, *, write: bool = False) -> AbstractContextManager[Session]:
        return self.db.session(write=write)

    def add_user(
        self,
        username: str,
        password_hash: str,
        role: Role,
        country: str | None,
        actor: Actor,
        lang: str = "en",
    ) -> User:
        """Create a user; usernames are unique."""
        try:
            with self._session(write=True) as session:
                row = UserRow(
                    username=username,
                    password_hash=password_hash,
                    role=role,
                    country=country,
                    lang=lang,
                    disabled=False,
                    raw_access=False,
                    failed_logins=0,
                    created_at=now(),
                )
                session.add(row)
                session.flush()
                audit.record(
                    session, actor, "user.add", f"user/{username}", role=role, country=country
                )
                return _user(row)
        except IntegrityError:
            raise StoreError("user.exists", username=username) from None

    def users(self) -> list[User]:
        """Every user, by name."""
        with self._session() as session:
            return [_user(r) for r in session.scalars(select(UserRow).order_by(UserRow.username))]

    def find(self, username: str) -> tuple[User, str, int, dt.datetime | None] | None:
        """A user with password hash, failed-login count and lock time, for logging in."""
        with self._session() as session:
            row = session.scalars(select(UserRow).where(UserRow.username == username)).first()
            if row is None:
                return None
            locked = aware(row.locked_until) if row.locked_until else None
            return _user(row), row.password_hash, row.failed_logins, locked

    def get(self, user_id: int) -> User | None:
        """A user by id."""
        with self._session() as session:
            row = session.get(UserRow, user_id)
            return _user(row) if row else None

    def _update(self, username: str, actor: Actor, action: str, **changes: object) -> User:
        with self._session(write=True) as session:
            row = session.scalars(select(UserRow).where(UserRow.username == username)).first()
            if row is None:
                raise StoreError("user.unknown", username=username)
            for key, value in changes.items():
                setattr(row, key, value)
            audit.record(
                session,
                actor,
                action,
                f"user/{username}",
                **{k: str(v) for k, v in changes.items() if k != "password_hash"},
            )
            return _user(row)

    def set_disabled(self, username: str, disabled: bool, actor: Actor) -> User:
        """Disable (or re-enable) a user."""
        return self._update(
            username, actor, "user.disable" if disabled else "user.enable", disabled=disabled
        )

    def set_lang(self, username: str, lang: str, actor: Actor) -> User:
        """Remember a user's language."""
        return self._update(username, actor, "user.lang", lang=lang)

    def set_raw_access(self, username: str, granted: bool, actor: Actor) -> User:
        """Grant or withdraw an analyst's access to raw national submissions."""
        return self._update(username, actor, "user.raw_access", raw_access=granted)

    def login_failed(self, username: str, locked_until: dt.datetime | None, actor: Actor) -> None:
        """Count a failed login, and lock the account until ``locked_until`` if given."""
        with self._session(write=True) as session:
            row = session.scalars(select(UserRow).where(UserRow.username == username)).first()
            if row is not None:
                row.failed_logins += 1
                row.locked_until = locked_until
            audit.record(
                session, actor, "login.failed", f"user/{username}", locked=locked_until is not None
            )

    def login_succeeded(self, username: str, actor: Actor) -> None:
        """Reset the failure count."""
        with self._session(write=True) as session:
            row = session.scalars(select(UserRow).where(UserRow.username == username)).first()
            if row is not None:
                row.failed_logins = 0
                row.locked_until = None
            audit.record(session, actor, "login", f"user/{username}")

    def start_session(self, session_id: str, user_id: int) -> None:
        """Register a login session (its id travels in the signed cookie)."""
        with self._session(write=True) as session:
            session.add(SessionRow(id=session_id, user_id=user_id, created_at=now()))

    def session_user(self, session_id: str, max_age: dt.timedelta) -> User | None:
        """The active user of a session that has not ended nor expired."""
        with self._session() as session:
            row = session.get(SessionRow, session_id)
            if row is None or row.ended_at is not None or aware(row.created_at) < now() - max_age:
                return None
            user = session.get(UserRow, row.user_id)
            return _user(user) if user is not None and not user.disabled else None

    def end_session(self, session_id: str) -> None:
        """Log a session out: its cookie, and any copy of it, stops working."""
        with self._session(write=True) as session:
            row = session.get(SessionRow, session_id)
            if row is not None and row.ended_at is None:
                row.ended_at = now()

    def record(self, actor: Actor, action: str, target: str, **details: object) -> None:
        """An audit entry for an act that changes nothing else (a logout, an export)."""
        with self._session(write=True) as session:
            audit.record(session, actor, action, target, **details)

    def add_token(self, user_id: int, secret: str, label: str, actor: Actor) -> None:
        """Store an API token (its hash) for a user."""
        with self._session(write=True) as session:
            owner = session.get(UserRow, user_id)
            session.add(
                TokenRow(
                    user_id=user_id,
                    token_hash=digest(secret),
                    label=label,
                    created_at=now(),
                    revoked=False,
                )
            )
            name = owner.username if owner else str(user_id)
            audit.record(session, actor, "token.add", f"user/{name}", label=label)

    def user_for_token(self, secret: str) -> User | None:
        """The active user a token belongs to, if the token is valid."""
        with self._session() as session:
            token = session.scalars(
                select(TokenRow).where(
                    TokenRow.token_hash == digest(secret), TokenRow.revoked.is_(False)
                )
            ).first()
            if token is None:
                return None
            row = session.get(UserRow, token.user_id)
            return _user(row) if row is not None and not row.disabled else None

    def add_invitation(
        self, secret: str, round_id: str, country: str, ttl: dt.timedelta, actor: Actor
    ) -> dt.datetime:
        """Store a one-time invitation (its hash); returns when it expires."""
        expires = now() + ttl
        with self._session(write=True) as session:
            session.add(
                InvitationRow(
                    token_hash=digest(secret),
                    round_id=round_id,
                    country=country,
                    created_by=actor.name,
                    created_at=now(),
                    expires_at=expires,
                )
            )
            audit.record(
                session,
                actor,
                "invitation.add",
                f"{round_id}/{country}",
                expires=expires.isoformat(),
            )
        return expires

    def invitation(self, secret: str) -> tuple[str, str] | None:
        """``(round, country)`` of a valid, unused, unexpired invitation."""
        with self._session() as session:
            row = session.scalars(
                select(InvitationRow).where(InvitationRow.token_hash == digest(secret))
            ).first()
            if row is None or row.used_at is not None or aware(row.expires_at) < now():
                return None
            return row.round_id, row.country

    def accept_invitation(
        self, secret: str, username: str, password_hash: str, actor: Actor
    ) -> User:
        """Use an invitation once: create the capital's account in the same transaction."""
        try:
            with self._session(write=True) as session:
                row = session.scalars(
                    select(InvitationRow).where(InvitationRow.token_hash == digest(secret))
                ).first()
                if row is None or row.used_at is not None or aware(row.expires_at) < now():
                    raise StoreError("invitation.invalid")
                row.used_at = now()
                row.used_by = username
                user = UserRow(
                    username=username,
                    password_hash=password_hash,
                    role="capital",
                    country=row.country,
                    lang="en",
                    disabled=False,
                    raw_access=False,
                    failed_logins=0,
                    created_at=now(),
                )
                session.add(user)
                session.flush()
                audit.record(
                    session,
                    actor,
                    "invitation.accept",
                    f"{row.round_id}/{row.country}",
                    username=username,
                )
                return _user(user)
        except IntegrityError:
            raise StoreError("user.exists", username=username) from None

    def audit_entries(self, target_prefix: str = "", limit: int = 500) -> list[AuditEntry]:
        """The newest audit entries."""
        with self._session() as session:
            return audit.entries(session, target_prefix, limit)
