"""How strong a claim's sourcing is, and how many independent outlets carry it.

Strength (documented in docs/evidence.md), from strongest to weakest:

5. a named speaker (person or institution), quoted directly: on the record;
4. a named speaker, paraphrased;
3. anonymous sources with a stated number ("four Western officials");
2. anonymous sources, unspecified ("officials", "sources");
1. the outlet's own assertion.

Corroboration counts independent reports of the same claim: claims by the same speaker whose
content says the same thing (multilingual sentence embeddings, so an Arabic report matches
its English original) in documents of different reports. Documents that are copies of one
report (syndication, translation, a later version) are one report; two reports from the
same outlet count once.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from guarantor.model.evidence import Attribution

Embed = Callable[[list[str]], NDArray[np.float64]]
"""Texts -> unit-length vectors (rows), in any language."""

SAME_REPORT = 0.8
"""Cosine similarity of two documents' leads above which they are one report."""
SAME_CLAIM = 0.6
"""Cosine similarity of two claims' contents above which they say the same thing."""
LEAD_CHARACTERS = 600

STRENGTHS = {
    5: "named, on the record",
    4: "named, paraphrased",
    3: "anonymous, numbered",
    2: "anonymous",
    1: "the outlet's own assertion",
}


def strength(a: Attribution) -> int:
    """The claim's strength, 1 (weakest) to 5."""
    if a.kind in ("named", "institution"):
        return 5 if a.direct else 4
    if a.kind == "anonymous":
        return 3 if a.sources is not None else 2
    return 1


def _unit(vectors: NDArray[np.float64]) -> NDArray[np.float64]:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return np.asarray(vectors / np.where(norms == 0, 1.0, norms), dtype=np.float64)


@dataclass(frozen=True)
class Report:
    """A stored document, as corroboration sees it."""

    id: str
    outlet: str | None
    text: str


def reports(documents: Sequence[Report], embed: Embed) -> dict[str, int]:
    """Document id -> report number: documents whose leads are near-identical in meaning
    (copies, translations) share a number; so do reports of the same outlet."""
    if not documents:
        return {}
    leads = _unit(embed([d.text[:LEAD_CHARACTERS] for d in documents]))
    similar = leads @ leads.T
    parent = list(range(len(documents)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(len(documents)):
        for j in range(i + 1, len(documents)):
            same_outlet = documents[i].outlet and documents[i].outlet == documents[j].outlet
            if similar[i, j] >= SAME_REPORT or same_outlet:
                parent[root(j)] = root(i)
    return {d.id: root(i) for i, d in enumerate(documents)}


@dataclass(frozen=True)
class ClaimRef:
    """A stored claim, as corroboration sees it."""

    document: str
    speaker: str
    """The entity id, or the speaker as written when no entity is known."""
    content: str


def corroboration(claims: Sequence[ClaimRef], report_of: dict[str, int], embed: Embed) -> list[int]:
    """For each claim, the number of independent reports that carry it (itself included)."""
    if not claims:
        return []
    vectors = _unit(embed([c.content or c.speaker for c in claims]))
    similar = vectors @ vectors.T
    counts = []
    for i, claim in enumerate(claims):
        carried = {
            report_of.get(other.document, -1 - j)
            for j, other in enumerate(claims)
            if other.speaker == claim.speaker and (j == i or similar[i, j] >= SAME_CLAIM)
        }
        counts.append(len(carried))
    return counts
