"""What-ifs: relax or add a red line, change a weight or a reservation value, and see what
opens or closes. Changes are applied to the negotiation's data, so a what-if runs through
exactly the same checks and solvers as the base case."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from guarantor.model.base import Text
from guarantor.model.diagnostics import Diagnostic, InvalidInput
from guarantor.model.negotiation import Condition, Negotiation, Position, RedLine
from guarantor.model.provenance import Figure

ChangeKind = Literal["relax", "forbid", "weight", "reservation"]


@dataclass(frozen=True)
class Change:
    """One what-if: ``relax`` drops a red line; ``forbid`` adds one (the party refuses these
    options of an issue); ``weight`` and ``reservation`` set a number."""

    kind: ChangeKind
    party: str
    target: str = ""
    """The red line (relax), the issue (forbid, weight); empty for reservation."""
    options: tuple[str, ...] = ()
    value: float | None = None

    def text(self) -> str:
        """The change as the command line writes it."""
        if self.kind == "relax":
            return f"relax {self.party}.{self.target}"
        if self.kind == "forbid":
            return f"forbid {self.party}.{self.target}={','.join(self.options)}"
        if self.kind == "weight":
            return f"weight {self.party}.{self.target}={self.value:g}"
        return f"reservation {self.party}={self.value:g}"


_DOTTED = re.compile(r"^(?P<party>[A-Za-z][\w-]*)\.(?P<target>[A-Za-z][\w-]*)$")
_ASSIGN = re.compile(r"^(?P<party>[A-Za-z][\w-]*)(\.(?P<target>[A-Za-z][\w-]*))?=(?P<rhs>.+)$")


def parse_change(kind: ChangeKind, text: str) -> Change:
    """``RUS.nato_membership`` (relax), ``UKR.territory_donetsk=cede_rest,freeze`` (forbid),
    ``RUS.nato_membership=30`` (weight), ``RUS=40`` (reservation)."""
    path = (f"--{kind}",)
    if kind == "relax":
        match = _DOTTED.match(text)
        if match:
            return Change("relax", match["party"], match["target"])
        raise InvalidInput(
            [
                Diagnostic(
                    code="whatif.syntax",
                    path=path,
                    params={"value": text, "form": "PARTY.RED_LINE"},
                )
            ]
        )
    match = _ASSIGN.match(text)
    if kind == "forbid" and match and match["target"]:
        return Change("forbid", match["party"], match["target"], tuple(match["rhs"].split(",")))
    if kind in ("weight", "reservation") and match and bool(match["target"]) == (kind == "weight"):
        try:
            value = float(match["rhs"])
        except ValueError:
            value = None
        if value is not None:
            return Change(kind, match["party"], match["target"] or "", value=value)
    forms = {
        "forbid": "PARTY.ISSUE=OPTION[,OPTION]",
        "weight": "PARTY.ISSUE=NUMBER",
        "reservation": "PARTY=NUMBER",
    }
    raise InvalidInput(
        [Diagnostic(code="whatif.syntax", path=path, params={"value": text, "form": forms[kind]})]
    )


def _what_if(value: float) -> Figure:
    return Figure(value=value, unit="utility", assumption=True, reliability="A", note="what-if")


def _apply(position: Position, change: Change, negotiation: Negotiation) -> Position:
    path = (f"--{change.kind}",)
    if change.kind == "relax":
        known = [r.id for r in position.red_lines]
        if change.target not in known:
            raise InvalidInput(
                [
                    Diagnostic(
                        code="whatif.unknown_red_line",
                        path=path,
                        params={"value": change.target, "party": change.party, "known": known},
                    )
                ]
            )
        return position.model_copy(
            update={"red_lines": tuple(r for r in position.red_lines if r.id != change.target)}
        )
    issues = {i.id: i for i in negotiation.issues}
    if change.kind in ("forbid", "weight") and change.target not in issues:
        raise InvalidInput(
            [
                Diagnostic(
                    code="issue.unknown",
                    path=path,
                    params={"value": change.target, "known": list(issues)},
                )
            ]
        )
    if change.kind == "forbid":
        known = [o.id for o in issues[change.target].options]
        unknown = [o for o in change.options if o not in known]
        if unknown:
            raise InvalidInput(
                [
                    Diagnostic(
                        code="option.unknown",
                        path=path,
                        params={"value": unknown[0], "issue": change.target, "known": known},
                    )
                ]
            )
        taken = {r.id for r in position.red_lines}
        base = f"whatif_{change.target}"
        # A second forbid on the same issue gets a red line of its own, with its own id.
        name = next(
            f"{base}_{k}" if k else base
            for k in range(len(taken) + 1)
            if (f"{base}_{k}" if k else base) not in taken
        )
        red_line = RedLine(
            id=name,
            label=Text(
                en=f"what-if: no {', '.join(change.options)} on {change.target}",
                ar=f"افتراض: لا {'، '.join(change.options)} في {change.target}",
            ),
            when=(Condition.model_validate({"issue": change.target, "in": list(change.options)}),),
            assumption=True,
            note="what-if",
        )
        return position.model_copy(update={"red_lines": (*position.red_lines, red_line)})
    if change.kind == "weight":
        return position.model_copy(
            update={
                "weights": {**position.weights, change.target: _what_if(float(change.value or 0))}
            }
        )
    return position.model_copy(update={"reservation": _what_if(float(change.value or 0))})


def apply_changes(negotiation: Negotiation, changes: tuple[Change, ...]) -> Negotiation:
    """The negotiation with every change made (a new object; the input is untouched)."""
    positions = {p.party: p for p in negotiation.positions}
    for change in changes:
        if change.party not in positions:
            raise InvalidInput(
                [
                    Diagnostic(
                        code="party.unknown",
                        path=(f"--{change.kind}",),
                        params={"value": change.party, "known": list(positions)},
                    )
                ]
            )
        positions[change.party] = _apply(positions[change.party], change, negotiation)
    return negotiation.model_copy(
        update={"positions": tuple(positions[p.party] for p in negotiation.positions)}
    )
