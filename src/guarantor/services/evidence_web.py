"""Evidence use cases for the web portal: documents uploaded as bytes (not paths), every
claim with its corroboration in one pass, and a cheap fingerprint of the store so that pages
can cache what they computed from it.

The rules are those of :mod:`guarantor.services.evidence`: everything is read and checked
before anything is stored, and documents with their claims are stored in one transaction.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select

from guarantor.config import Settings
from guarantor.evidence.ingest import Meta, read_jsonl, read_text
from guarantor.evidence.strength import ClaimRef, Report, corroboration, reports
from guarantor.model.diagnostics import Diagnostic, InvalidInput
from guarantor.model.evidence import Document
from guarantor.services.evidence import (
    Added,
    Claim,
    Progress,
    Read,
    embed,
    open_store,
    speaker_key,
    store_read,
)
from guarantor.store.evidence import StoredClaim, StoredDocument
from guarantor.store.tables import ClaimRow, DocumentRow

Upload = tuple[str, bytes]
"""A file's name (as the browser sent it) and its bytes."""


def upload_name(name: str) -> str:
    """The file name without any folder a browser may have sent (Windows or Unix), at most
    200 characters; ``upload`` when nothing is left."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1].strip()
    return base[:200] or "upload"


def read_uploads(uploads: Sequence[Upload], meta: Meta) -> tuple[list[Document], list[Diagnostic]]:
    """Every document of the uploaded files (JSON Lines by the ``.jsonl`` name, else text or
    HTML) and every problem found; nothing is stored."""
    documents: list[Document] = []
    problems: list[Diagnostic] = []
    for raw_name, data in uploads:
        name = upload_name(raw_name)
        try:
            if name.lower().endswith(".jsonl"):
                lines = read_jsonl(data, name, meta)
                documents += lines.documents
                problems += lines.problems
            else:
                documents.append(read_text(data, name, meta))
        except InvalidInput as exc:
            problems += exc.diagnostics
    return documents, problems


def add_uploads(
    settings: Settings,
    uploads: Sequence[Upload],
    meta: Meta,
    *,
    skip_bad: bool = False,
    progress: Progress | None = None,
) -> Added:
    """As :func:`guarantor.services.evidence.add_documents`, from uploaded bytes: every
    document or none (unless ``skip_bad``); a document already stored is left as it is.
    ``settings.user`` is recorded as the one who added them."""
    documents, problems = read_uploads(uploads, meta)
    return store_read(
        settings, Read(tuple(documents), tuple(problems)), skip_bad=skip_bad, progress=progress
    )


def fingerprint(settings: Settings) -> tuple[int, int, str]:
    """Changes whenever a document is added (documents are never changed or removed): the
    number of documents and of claims, and the latest time one was added."""
    with open_store(settings) as store, store.db.session() as session:
        documents, latest = session.execute(
            select(func.count(DocumentRow.id), func.max(DocumentRow.added_at))
        ).one()
        claims = session.scalar(select(func.count()).select_from(ClaimRow)) or 0
    return int(documents or 0), int(claims), str(latest or "")


def documents_with_counts(settings: Settings) -> list[tuple[StoredDocument, int]]:
    """Every stored document (oldest first) with its number of claims; no embeddings."""
    with open_store(settings) as store:
        documents = store.documents()
        with store.db.session() as session:
            rows = session.execute(
                select(ClaimRow.document_id, func.count()).group_by(ClaimRow.document_id)
            )
            counts = {document_id: int(count) for document_id, count in rows}
    return [(d, counts.get(d.document.id, 0)) for d in documents]


@dataclass(frozen=True)
class Evidence:
    """Every stored document (oldest first) and every claim with its corroboration."""

    documents: tuple[StoredDocument, ...]
    claims: tuple[Claim, ...]


def all_evidence(settings: Settings) -> Evidence:
    """Every document and every claim, with the number of independent reports that carry
    each claim (as :func:`guarantor.services.evidence.who` counts it, speaker by speaker)."""
    with open_store(settings) as store:
        stored = store.documents()
        claims = store.claims()
    documents = {d.document.id: d.document for d in stored}
    if not claims:
        return Evidence(tuple(stored), ())
    report_of = reports([Report(d.id, d.outlet, d.text) for d in documents.values()], embed)
    by_speaker: dict[str, list[StoredClaim]] = defaultdict(list)
    for claim in claims:
        by_speaker[speaker_key(claim)].append(claim)
    counts: dict[tuple[str, int], int] = {}
    for speaker, group in by_speaker.items():
        refs = [
            ClaimRef(
                c.document_id,
                speaker,
                c.attribution.content.text if c.attribution.content else "",
            )
            for c in group
        ]
        for claim, count in zip(group, corroboration(refs, report_of, embed), strict=True):
            counts[(claim.document_id, claim.position)] = count
    return Evidence(
        tuple(stored),
        tuple(
            Claim(documents[c.document_id], c, counts.get((c.document_id, c.position), 1))
            for c in claims
        ),
    )
