"""Diagnostics: what a named check or a parser found wrong, as data, never as prose.

The engines emit :class:`Diagnostic` records with a stable ``code`` and ``params``; only
``report`` (and later ``web``) turns them into Arabic or English sentences.

(The design calls these ``Issue``; the negotiation model also has an ``Issue`` (a topic on
the table), so this type is named ``Diagnostic`` to keep one name per idea.)
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from typing import Any

from pydantic import Field

from guarantor.model.base import Frozen

PathPart = str | int


class Severity(StrEnum):
    """How bad a diagnostic is."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


class Diagnostic(Frozen):
    """One finding: a code, a severity, where (a field path), and the values involved."""

    code: str
    severity: Severity = Severity.ERROR
    path: tuple[PathPart, ...] = ()
    params: dict[str, Any] = Field(default_factory=dict)

    def path_text(self) -> str:
        """The path as ``answers.offers[2].units``."""
        return format_path(self.path)


def format_path(path: Iterable[PathPart]) -> str:
    """Join path parts: keys with dots, list indices in brackets."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else part
    return out or "(document)"


class InvalidInput(Exception):
    """Raised at an edge when input fails validation; carries every diagnostic found."""

    def __init__(self, diagnostics: Iterable[Diagnostic]) -> None:
        self.diagnostics: tuple[Diagnostic, ...] = tuple(diagnostics)
        codes = ", ".join(f"{d.path_text()}: {d.code}" for d in self.diagnostics[:5])
        super().__init__(f"{len(self.diagnostics)} problem(s): {codes}")


def errors(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Only the diagnostics of severity error."""
    return [d for d in diagnostics if d.severity is Severity.ERROR]
