"""The negotiation analysis as tables, sentences, JSON and CSV, in Arabic or English."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

from rich.console import Group, RenderableType
from rich.text import Text

from guarantor.i18n import N_
from guarantor.model.negotiation import Negotiation
from guarantor.negotiate.analysis import Analysis, Deal, Difference
from guarantor.negotiate.solver import Constraint
from guarantor.report.tables import Justify, Labels, _table

SHOWN_IN_DETAIL = 3
"""Deals explained issue by issue in the table output (all of them are in JSON)."""


class Names:
    """Labels of a negotiation's parties, issues, options and red lines."""

    def __init__(self, negotiation: Negotiation, labels: Labels) -> None:
        lang = labels.lang
        self.labels = labels
        self.parties = {p.id: p.label.get(lang) for p in negotiation.parties}
        self.issues = {i.id: i.label.get(lang) for i in negotiation.issues}
        self.options = {
            (i.id, o.id): o.label.get(lang) for i in negotiation.issues for o in i.options
        }
        self.red_lines = {
            (p.party, r.id): r.label.get(lang) for p in negotiation.positions for r in p.red_lines
        }
        self.reservation = {
            p.party: float(p.reservation.value or 0.0) for p in negotiation.positions
        }

    def constraint(self, c: Constraint) -> str:
        party = self.parties.get(c.party, c.party)
        if c.kind == "reservation":
            return self.labels.t(N_("{party}'s reservation value ({value} of 100)")).format(
                party=party, value=self.labels.num(self.reservation.get(c.party), 0)
            )
        return self.labels.t(N_("{party}'s red line “{label}”")).format(
            party=party, label=self.red_lines.get((c.party, c.red_line or ""), c.red_line)
        )

    def block(self, members: Sequence[Constraint]) -> str:
        """A blocking set in words."""
        named = [self.constraint(c) for c in members]
        if len(named) == 1:
            return self.labels.t(N_("{a} alone rules out every deal")).format(a=named[0])
        if len(named) == 2:
            return self.labels.t(N_("{a} and {b} cannot both hold")).format(a=named[0], b=named[1])
        return self.labels.t(N_("{a} and {b} cannot all hold")).format(
            a=self.labels.sep.join(named[:-1]), b=named[-1]
        )


def km2_text(labels: Labels, deal: Deal) -> str:
    """Area passing to the occupier (negative: returned), with the range where sources
    disagree."""
    if not deal.transfers:
        return "–"
    total = sum(t.km2 for t in deal.transfers)
    low = sum(t.low for t in deal.transfers)
    high = sum(t.high for t in deal.transfers)
    if low == high:
        return labels.num(total, 0)
    return f"{labels.num(total, 0)} [{labels.num(low, 0)}–{labels.num(high, 0)}]"


def solution_marks(analysis: Analysis, deal: Deal, labels: Labels) -> str:
    """ "Nash", "egalitarian", both or neither."""
    marks = []
    if analysis.nash is not None and deal.options == analysis.nash.options:
        marks.append(labels.t(N_("Nash")))
    if analysis.egalitarian is not None and deal.options == analysis.egalitarian.options:
        marks.append(labels.t(N_("egalitarian")))
    return labels.sep.join(marks)


def term_cells(deal: Deal, labels: Labels) -> list[tuple[str, list[str]]]:
    """Per issue, (issue, each party's utility for the option with its best in brackets;
    "–" where the party gives the issue no weight)."""
    rows = []
    for term in deal.explained.terms:
        cells = []
        for utility, best, weight in zip(term.utility, term.best, term.weight, strict=True):
            cell = "–" if weight <= 0 else labels.num(utility, 0)
            if weight > 0 and utility < best:
                cell += f" ({labels.num(best, 0)})"
            cells.append(cell)
        rows.append((term.issue, cells))
    return rows


def overall_cells(deal: Deal, labels: Labels) -> list[str]:
    """Each party's overall utility with its reservation value in brackets."""
    return [
        f"{labels.num(u, 1)} ({labels.num(r, 0)})"
        for u, r in zip(deal.explained.utility, deal.explained.reservation, strict=True)
    ]


def _summary(analysis: Analysis, names: Names, labels: Labels) -> RenderableType:
    parties = analysis.problem.parties
    headers = [
        "#",
        *[names.parties[p] for p in parties],
        labels.t(N_("Acceptable under sampled utilities")),
        labels.t(N_("Territory to the occupier (km²)")),
        labels.t(N_("Solution")),
    ]
    rows = []
    for rank, deal in enumerate(analysis.deals, start=1):
        rows.append(
            [
                labels.num(rank, 0),
                *[labels.num(u, 1) for u in deal.explained.utility],
                labels.pct(deal.robust) if deal.robust is not None else "–",
                km2_text(labels, deal),
                solution_marks(analysis, deal, labels),
            ]
        )
    title = labels.t(
        N_("Pareto-optimal deals acceptable to every party, by Nash product ({shown} of {total})")
    ).format(
        shown=labels.num(len(analysis.deals), 0), total=labels.num(len(analysis.front.deals), 0)
    )
    numeric = [True] * (len(parties) + 3) + [False]
    return _table(labels, title, headers, rows, numeric)


def _detail(
    title: str, analysis: Analysis, deal: Deal, names: Names, labels: Labels
) -> RenderableType:
    parties = analysis.problem.parties
    headers = [
        labels.t(N_("Issue")),
        labels.t(N_("Settled as")),
        *[names.parties[p] for p in parties],
    ]
    rows = [
        [names.issues[issue], names.options[(issue, deal.options[issue])], *cells]
        for issue, cells in term_cells(deal, labels)
    ]
    rows.append([labels.t(N_("Overall (reservation)")), "", *overall_cells(deal, labels)])
    return _table(labels, title, headers, rows, [False, False, *[True] * len(parties)])


def _tracks(analysis: Analysis, names: Names, labels: Labels) -> RenderableType:
    track_labels = {t.id: t.label.get(labels.lang) for t in analysis.negotiation.tracks}
    headers = [
        labels.t(N_("Track")),
        labels.t(N_("Parties")),
        labels.t(N_("Can settle alone")),
        labels.t(N_("Its parties could agree")),
    ]
    rows = [
        [
            track_labels.get(view.track, view.track),
            labels.sep.join(names.parties.get(p, p) for p in view.parties),
            labels.sep.join(names.issues[i] for i in view.alone) or "–",
            labels.yes_no(view.agree),
        ]
        for view in analysis.tracks.tracks
    ]
    return _table(labels, labels.t(N_("Tracks")), headers, rows)


def negotiation_renderables(
    analysis: Analysis, difference: Difference | None, labels: Labels
) -> RenderableType:
    """Feasibility, the ranked deals, the blocking red lines, the tracks, the what-ifs."""
    names = Names(analysis.negotiation, labels)
    justify: Justify = "right" if labels.lang == "ar" else "left"
    head = Text(justify=justify)
    head.append(f"{analysis.negotiation.label.get(labels.lang)}\n", style="bold")
    head.append(
        labels.t(
            N_(
                "{deals} possible deals ({issues} issues, {parties} parties); "
                "{front} Pareto-optimal deals are acceptable to every party."
            )
        ).format(
            deals=labels.num(analysis.problem.size, 0),
            issues=labels.num(len(analysis.problem.issues), 0),
            parties=labels.num(len(analysis.problem.parties), 0),
            front=labels.num(len(analysis.front.deals), 0),
        )
    )
    parts: list[RenderableType] = [head]
    if difference is not None:
        what = Text(justify=justify)
        what.append(
            labels.t(N_("What-if: {changes}")).format(
                changes=labels.sep.join(c.text() for c in analysis.changes)
            )
            + "\n",
            style="bold",
        )
        diff = difference
        what.append(
            labels.t(
                N_(
                    "Before: a deal {before}; after: a deal {after}. It opens {opened} "
                    "Pareto-optimal deals and closes {closed}."
                )
            ).format(
                before=labels.t(N_("exists"))
                if diff.feasible_before
                else labels.t(N_("does not exist")),
                after=labels.t(N_("exists"))
                if diff.feasible_after
                else labels.t(N_("does not exist")),
                opened=labels.num(len(diff.opened), 0),
                closed=labels.num(len(diff.closed), 0),
            )
        )
        parts.append(what)
    if analysis.feasible:
        parts.append(_summary(analysis, names, labels))
        for rank, deal in enumerate(analysis.deals[:SHOWN_IN_DETAIL], start=1):
            title = labels.t(
                N_("Deal {rank}, issue by issue (the party's best option in brackets)")
            )
            parts.append(
                _detail(title.format(rank=labels.num(rank, 0)), analysis, deal, names, labels)
            )
        egal = analysis.egalitarian
        if egal is not None and all(
            egal.options != d.options for d in analysis.deals[:SHOWN_IN_DETAIL]
        ):
            title = labels.t(N_("The egalitarian (max-min) deal, issue by issue"))
            parts.append(_detail(title, analysis, egal, names, labels))
    else:
        blocked = Text(justify=justify)
        blocked.append(labels.t(N_("No deal is acceptable to every party.")) + "\n", style="bold")
        if analysis.blocking:
            blocked.append(labels.t(N_("What rules out every deal (smallest sets first):")) + "\n")
            for members in analysis.blocking:
                blocked.append(f"• {names.block(members)}\n")
        parts.append(blocked)
    if analysis.tracks.tracks:
        parts.append(_tracks(analysis, names, labels))
        if analysis.tracks.shared:
            parts.append(
                Text(
                    labels.t(N_("Needs more than one track: {issues}")).format(
                        issues=labels.sep.join(names.issues[i] for i in analysis.tracks.shared)
                    ),
                    justify=justify,
                )
            )
    return Group(*parts)


def _deal_dict(deal: Deal, analysis: Analysis) -> dict[str, Any]:
    parties = analysis.problem.parties
    return {
        "options": deal.options,
        "utility": dict(zip(parties, deal.explained.utility, strict=True)),
        "gain": dict(zip(parties, deal.explained.gain, strict=True)),
        "nash_product": deal.nash_product,
        "acceptable_share": deal.robust,
        "terms": [
            {
                "issue": t.issue,
                "option": t.option,
                "utility": dict(zip(parties, t.utility, strict=True)),
                "best": dict(zip(parties, t.best, strict=True)),
                "weight": dict(zip(parties, t.weight, strict=True)),
            }
            for t in deal.explained.terms
        ],
        "territory": [
            {
                "issue": t.issue,
                "region": t.region,
                "term": t.term,
                "km2": t.km2,
                "km2_range": [t.low, t.high],
                "held_share": t.held_share,
            }
            for t in deal.transfers
        ],
    }


def negotiation_dict(
    analysis: Analysis, difference: Difference | None, labels: Labels
) -> dict[str, Any]:
    """Everything, with ids; sentences in the output language."""
    names = Names(analysis.negotiation, labels)
    out: dict[str, Any] = {
        "negotiation": analysis.negotiation.id,
        "changes": [c.text() for c in analysis.changes],
        "deals_possible": analysis.problem.size,
        "feasible": analysis.feasible,
        "pareto_size": len(analysis.front.deals),
        "deals": [_deal_dict(d, analysis) for d in analysis.deals],
        "nash": _deal_dict(analysis.nash, analysis) if analysis.nash else None,
        "egalitarian": _deal_dict(analysis.egalitarian, analysis) if analysis.egalitarian else None,
        "blocking": [
            {
                "constraints": [
                    {"kind": c.kind, "party": c.party, "red_line": c.red_line} for c in members
                ],
                "text": names.block(members),
            }
            for members in analysis.blocking
        ],
        "tracks": [
            {"track": v.track, "parties": list(v.parties), "alone": list(v.alone), "agree": v.agree}
            for v in analysis.tracks.tracks
        ],
        "needs_several_tracks": list(analysis.tracks.shared),
        "samples": analysis.samples,
    }
    if difference is not None:
        out["what_if"] = {
            "feasible_before": difference.feasible_before,
            "feasible_after": difference.feasible_after,
            "opened": list(difference.opened),
            "closed": list(difference.closed),
        }
    return out


def negotiation_csv(analysis: Analysis) -> str:
    """One row per ranked deal: its options, each party's utility, robustness, km²."""
    parties = analysis.problem.parties
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        [
            "rank",
            *analysis.problem.issues,
            *[f"utility_{p}" for p in parties],
            "acceptable_share",
            "km2_to_occupier",
            "nash",
            "egalitarian",
        ]
    )
    for rank, deal in enumerate(analysis.deals, start=1):
        writer.writerow(
            [
                rank,
                *[deal.options[i] for i in analysis.problem.issues],
                *[f"{u:.4f}" for u in deal.explained.utility],
                "" if deal.robust is None else f"{deal.robust:.4f}",
                f"{sum(t.km2 for t in deal.transfers):.0f}",
                int(analysis.nash is not None and analysis.nash.options == deal.options),
                int(
                    analysis.egalitarian is not None
                    and analysis.egalitarian.options == deal.options
                ),
            ]
        )
    return buffer.getvalue()
