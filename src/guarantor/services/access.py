"""Who may do what. Every use case of the portal calls these before touching data, so
permissions hold for pages and API alike (templates only hide links, they decide nothing)."""

from __future__ import annotations

from guarantor.model.portal import User


class Forbidden(Exception):
    """The user may not do this. Deliberately the same for "not yours" and "not there", so
    a capital cannot learn whether another capital has answered."""

    def __init__(self, action: str) -> None:
        self.action = action
        super().__init__(action)


def can_read_submission(user: User, country: str) -> bool:
    """Raw national answers: the coordinator, the capital itself, an analyst if granted."""
    if user.disabled:
        return False
    if user.role == "coordinator":
        return True
    if user.role == "capital":
        return user.country == country
    return user.raw_access


def can_write_submission(user: User, country: str) -> bool:
    """Only a capital writes, and only its own answers."""
    return not user.disabled and user.role == "capital" and user.country == country


def can_see_round_status(user: User) -> bool:
    """Who has answered: the coordinator, and analysts granted raw access."""
    return not user.disabled and (
        user.role == "coordinator" or (user.role == "analyst" and user.raw_access)
    )


def can_see_assessment(user: User) -> bool:
    """Aggregated figures: the coordinator and analysts. Not capitals: the package is built
    from every capital's offers, so it would reveal other capitals' answers."""
    return not user.disabled and user.role in ("coordinator", "analyst")


def can_see_negotiation(user: User) -> bool:
    """The negotiation analysis (deals, red lines, what-ifs): the coordinator and analysts.
    Not capitals: it weighs the positions of every party, the coalition's included."""
    return not user.disabled and user.role in ("coordinator", "analyst")


def can_see_evidence(user: User) -> bool:
    """The stored news documents, who said what in them, and the trace of a datum (and
    adding documents): the coordinator and analysts. Not capitals: what the coalition reads
    and what its figures rest on is the coordination's working material."""
    return not user.disabled and user.role in ("coordinator", "analyst")


def can_administer(user: User) -> bool:
    """Open rounds, invite capitals, grant access, read the audit trail."""
    return not user.disabled and user.role == "coordinator"


def require(allowed: bool, action: str) -> None:
    """Raise :class:`Forbidden` unless ``allowed``."""
    if not allowed:
        raise Forbidden(action)
