"""Claims, speakers and traces as tables, JSON, CSV and highlighted HTML."""

from __future__ import annotations

import csv
import html
import io
from collections.abc import Sequence
from typing import Any, Protocol

from rich.console import Group, RenderableType
from rich.text import Text

from guarantor.i18n import N_
from guarantor.model.evidence import Attribution, Document
from guarantor.report.tables import Justify, Labels, _table

KINDS = {
    "named": N_("named"),
    "institution": N_("institution"),
    "anonymous": N_("anonymous"),
    "outlet": N_("outlet"),
}
STRENGTH = {
    5: N_("named, on the record"),
    4: N_("named, paraphrased"),
    3: N_("anonymous, numbered"),
    2: N_("anonymous"),
    1: N_("the outlet's own assertion"),
}


class ClaimLike(Protocol):
    """What the report needs of a claim (services.evidence.Claim)."""

    @property
    def document(self) -> Document: ...

    @property
    def corroboration(self) -> int: ...

    @property
    def stored(self) -> Any: ...


def _short(text: str | None, limit: int = 90) -> str:
    if not text:
        return "–"
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def claim_headers(labels: Labels, *, with_document: bool = False) -> list[str]:
    headers = [
        "#",
        labels.t(N_("Speaker")),
        labels.t(N_("Kind")),
        labels.t(N_("Sources")),
        labels.t(N_("Affiliation")),
        labels.t(N_("Cue")),
        labels.t(N_("What was said")),
        labels.t(N_("Topics")),
        labels.t(N_("Strength")),
        labels.t(N_("Independent reports")),
    ]
    if with_document:
        headers.insert(1, labels.t(N_("Document")))
    return headers


def _claim_row(labels: Labels, claim: ClaimLike, *, with_document: bool) -> list[str]:
    a: Attribution = claim.stored.attribution
    speaker = a.speaker.text if a.speaker else "–"
    if a.implicit:
        speaker = f"({speaker})"
    row = [
        labels.num(claim.stored.position + 1, 0),
        speaker,
        labels.t(KINDS[a.kind]),
        "?" if a.sources is None else labels.num(a.sources, 0),
        labels.sep.join(a.affiliation) or "–",
        a.cue.text if a.cue else "–",
        _short(a.content.text if a.content else None),
        labels.sep.join(a.topics) or "–",
        labels.t(STRENGTH[claim.stored.strength]),
        labels.num(claim.corroboration, 0),
    ]
    if with_document:
        d = claim.document
        row.insert(1, f"{d.id[:8]} {d.outlet or ''} {d.date or ''}".strip())
    return row


def claims_renderables(
    title: str, claims: Sequence[ClaimLike], labels: Labels, *, with_document: bool = False
) -> RenderableType:
    """The claims as a table."""
    justify: Justify = "right" if labels.lang == "ar" else "left"
    if not claims:
        return Text(labels.t(N_("No attribution found.")), justify=justify)
    headers = claim_headers(labels, with_document=with_document)
    rows = [_claim_row(labels, c, with_document=with_document) for c in claims]
    numeric = [
        h in ("#", labels.t(N_("Sources")), labels.t(N_("Independent reports"))) for h in headers
    ]
    return Group(_table(labels, title, headers, rows, numeric))


def claim_dict(claim: ClaimLike) -> dict[str, Any]:
    """A claim for JSON output."""
    d = claim.document
    return {
        "document": d.id,
        "outlet": d.outlet,
        "date": d.date.isoformat() if d.date else None,
        "position": claim.stored.position,
        "strength": claim.stored.strength,
        "independent_reports": claim.corroboration,
        **claim.stored.attribution.model_dump(mode="json"),
    }


def claims_csv(claims: Sequence[ClaimLike]) -> str:
    """One row per claim."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        [
            "document",
            "position",
            "speaker",
            "implicit",
            "kind",
            "sources",
            "affiliation",
            "cue",
            "content",
            "direct",
            "topics",
            "via_outlet",
            "nested_in",
            "entity",
            "strength",
            "independent_reports",
        ]
    )
    for claim in claims:
        a = claim.stored.attribution
        writer.writerow(
            [
                claim.document.id,
                claim.stored.position,
                a.speaker.text if a.speaker else "",
                int(a.implicit),
                a.kind,
                "" if a.sources is None else a.sources,
                ";".join(a.affiliation),
                a.cue.text if a.cue else "",
                a.content.text if a.content else "",
                int(a.direct),
                ";".join(a.topics),
                a.via_outlet or "",
                "" if a.nested_in is None else a.nested_in,
                a.entity or "",
                claim.stored.strength,
                claim.corroboration,
            ]
        )
    return buffer.getvalue()


HIGHLIGHTS = (
    ("speaker", N_("Speaker")),
    ("cue", N_("Cue")),
    ("quote", N_("What was said")),
)
"""CSS class of each highlighted part of an attribution, and its name in the legend."""


def highlighted_fragment(document: Document, attributions: Sequence[Attribution]) -> str:
    """The document's text as HTML (escaped, newlines as ``<br>``) with speakers, cues and
    quotes in ``<span class="speaker|cue|quote">`` (several classes where they overlap)."""
    marks: list[set[str]] = [set() for _ in document.text]
    for a in attributions:
        for span, css in ((a.content, "quote"), (a.speaker, "speaker"), (a.cue, "cue")):
            if span is not None:
                for k in range(max(0, span.start), min(len(marks), span.end)):
                    marks[k].add(css)
    parts: list[str] = []
    current: set[str] = set()
    for k, char in enumerate(document.text):
        if marks[k] != current:
            if current:
                parts.append("</span>")
            if marks[k]:
                parts.append(f'<span class="{" ".join(sorted(marks[k]))}">')
            current = marks[k]
        parts.append("<br>" if char == "\n" else html.escape(char))
    if current:
        parts.append("</span>")
    return "".join(parts)


def highlighted(document: Document, attributions: Sequence[Attribution], labels: Labels) -> str:
    """The document as a standalone HTML page with speakers, cues and quotes highlighted,
    right to left for Arabic."""
    body = highlighted_fragment(document, attributions)
    rtl = document.lang == "ar"
    title = html.escape(document.title or document.id[:12])
    legend = " · ".join(
        f'<span class="{css}">{html.escape(labels.t(name))}</span>' for css, name in HIGHLIGHTS
    )
    meta = " · ".join(
        html.escape(str(x)) for x in (document.outlet, document.date, document.url) if x
    )
    return f"""<!doctype html>
<html lang="{document.lang}" dir="{"rtl" if rtl else "ltr"}">
<head><meta charset="utf-8"><title>{title}</title>
<style>
body {{ font-family: "Noto Sans Arabic", "Noto Naskh Arabic", "DejaVu Sans", sans-serif;
       max-width: 50rem; margin: 2rem auto; line-height: 1.9; padding-inline: 1rem; }}
.speaker {{ background: #cfe3ff; font-weight: bold; }}
.cue {{ background: #ffe08a; }}
.quote {{ background: #d9f2d9; }}
.speaker.quote, .cue.quote {{ outline: 1px solid #7aa37a; }}
header p {{ color: #555; }}
</style></head>
<body><header><h1>{title}</h1><p>{meta}</p><p>{legend}</p></header>
<main><p>{body}</p></main></body></html>
"""


def trace_renderables(chain: Any, labels: Labels) -> RenderableType:
    """A datum, its provenance, its sources, their documents and the claims that bear on it
    (``chain`` is a services.evidence.Chain)."""
    justify: Justify = "right" if labels.lang == "ar" else "left"
    t = chain.trace
    head = Text(justify=justify)
    head.append(f"{t.path}\n", style="bold")
    value = t.value if not isinstance(t.value, float) else labels.num(t.value, 3)
    head.append(labels.t(N_("Value: {value}")).format(value=value) + "\n")
    if t.range:
        head.append(
            labels.t(N_("Range: {low}–{high}")).format(
                low=labels.num(t.range[0], 3), high=labels.num(t.range[1], 3)
            )
            + "\n"
        )
    if t.assumption:
        head.append(labels.t(N_("An assumption, not a sourced figure.")) + "\n", style="yellow")
    if not t.provenanced:
        head.append(labels.t(N_("No source and not flagged as an assumption.")) + "\n", style="red")
    for label, text in ((N_("Quote: {text}"), t.quote), (N_("Note: {text}"), t.note)):
        if text:
            head.append(labels.t(label).format(text=" ".join(text.split())) + "\n")
    parts: list[RenderableType] = [head]
    if t.sources or t.unknown_sources:
        headers = [
            labels.t(N_("Source")),
            labels.t(N_("Title")),
            labels.t(N_("Publisher")),
            labels.t(N_("Date")),
            labels.t(N_("Reliability")),
            labels.t(N_("Document")),
        ]
        stored = {source_id: d for source_id, d in chain.documents}
        rows = [
            [
                s.id,
                _short(s.title, 60),
                _short(s.publisher, 40),
                str(s.date or "–"),
                s.reliability or "–",
                stored[s.id].id[:12] if s.id in stored else "–",
            ]
            for s in t.sources
        ] + [[s, labels.t(N_("unknown source")), "", "", "", ""] for s in t.unknown_sources]
        parts.append(_table(labels, labels.t(N_("Sources")), headers, rows))
    if chain.claims:
        parts.append(
            claims_renderables(
                labels.t(N_("Claims in those documents that bear on it")),
                [c for _, c in chain.claims],
                labels,
                with_document=True,
            )
        )
    return Group(*parts)


def trace_dict(chain: Any) -> dict[str, Any]:
    """The chain for JSON output."""
    t = chain.trace
    return {
        "path": t.path,
        "value": t.value,
        "range": t.range,
        "assumption": t.assumption,
        "quote": t.quote,
        "note": t.note,
        "locator": t.locator,
        "party": t.party,
        "country": t.country,
        "sources": [s.model_dump(mode="json") for s in t.sources],
        "unknown_sources": list(t.unknown_sources),
        "documents": [{"source": s, "document": d.id, "lang": d.lang} for s, d in chain.documents],
        "claims": [{"source": s, **claim_dict(c)} for s, c in chain.claims],
        **({"extra": t.extra} if t.extra else {}),
    }
