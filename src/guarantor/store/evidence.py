"""Stored news documents and the claims found in them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select

from guarantor.model.evidence import Attribution, Document
from guarantor.store.audit import now
from guarantor.store.database import Database
from guarantor.store.tables import ClaimRow, DocumentRow


@dataclass(frozen=True)
class StoredDocument:
    """A document with who added it and when."""

    document: Document
    added_by: str
    added_at: dt.datetime
    extractor: str


@dataclass(frozen=True)
class StoredClaim:
    """A claim with its document's id and its position in the document."""

    document_id: str
    position: int
    attribution: Attribution
    strength: int


def _document(row: DocumentRow) -> StoredDocument:
    return StoredDocument(
        Document(
            id=row.id,
            text=row.text,
            lang="ar" if row.lang == "ar" else "en",
            outlet=row.outlet,
            date=row.date,
            url=row.url,
            title=row.title,
            origin=row.origin,
        ),
        row.added_by,
        row.added_at,
        row.extractor,
    )


class EvidenceStore:
    """Repository of documents and claims."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def known(self, ids: Sequence[str]) -> set[str]:
        """Which of these document ids are stored."""
        with self.db.session() as session:
            return set(session.scalars(select(DocumentRow.id).where(DocumentRow.id.in_(list(ids)))))

    def add(
        self,
        items: Sequence[tuple[Document, Sequence[tuple[Attribution, int]]]],
        *,
        added_by: str,
        extractor: str,
    ) -> list[str]:
        """Store documents with their claims (and strengths) in one transaction: all or none.
        Documents already stored are left unchanged; returns the ids that were new."""
        added: list[str] = []
        with self.db.session(write=True) as session:
            for document, claims in items:
                if session.get(DocumentRow, document.id) is not None or document.id in added:
                    continue
                session.add(
                    DocumentRow(
                        id=document.id,
                        lang=document.lang,
                        outlet=document.outlet,
                        date=document.date,
                        url=document.url,
                        title=document.title,
                        origin=document.origin,
                        text=document.text,
                        added_by=added_by,
                        added_at=now(),
                        extractor=extractor,
                    )
                )
                session.flush()
                for position, (claim, strength) in enumerate(claims):
                    session.add(
                        ClaimRow(
                            document_id=document.id,
                            position=position,
                            speaker=claim.speaker.text if claim.speaker else None,
                            entity=claim.entity,
                            kind=claim.kind,
                            sources=claim.sources,
                            strength=strength,
                            attribution=claim.model_dump(mode="json"),
                        )
                    )
                added.append(document.id)
        return added

    def documents(self) -> list[StoredDocument]:
        """Every stored document, oldest first."""
        with self.db.session() as session:
            rows = session.scalars(
                select(DocumentRow).order_by(DocumentRow.added_at, DocumentRow.id)
            )
            return [_document(r) for r in rows]

    def document(self, prefix: str) -> StoredDocument | None:
        """The document whose id starts with ``prefix`` (None if none or several do)."""
        with self.db.session() as session:
            rows = list(
                session.scalars(
                    select(DocumentRow).where(DocumentRow.id.startswith(prefix)).limit(2)
                )
            )
            return _document(rows[0]) if len(rows) == 1 else None

    def claims(
        self, document_id: str | None = None, entity: str | None = None
    ) -> list[StoredClaim]:
        """Claims of one document, of one entity, or all, in document order."""
        query = select(ClaimRow)
        if document_id is not None:
            query = query.where(ClaimRow.document_id == document_id)
        if entity is not None:
            query = query.where(ClaimRow.entity == entity)
        with self.db.session() as session:
            rows = session.scalars(query.order_by(ClaimRow.document_id, ClaimRow.position))
            return [
                StoredClaim(
                    r.document_id,
                    r.position,
                    Attribution.model_validate(r.attribution),
                    r.strength,
                )
                for r in rows
            ]
