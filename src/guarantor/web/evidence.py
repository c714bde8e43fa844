"""The evidence pages: the stored news documents and a form to add more, every claim in a
filterable table, one document with its attributions highlighted, a page per person or body,
and the trace of a datum of the scenario to its sources, documents and claims (coordinator
and analysts).

Every claim's corroboration needs sentence embeddings of the whole store, so the documents
and claims are cached per database and store fingerprint (which changes whenever a document
is added), and so are traces.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from functools import lru_cache
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile

from guarantor.config import Settings
from guarantor.evidence.ingest import MAX_BYTES, Meta
from guarantor.i18n import N_, gettext
from guarantor.model.diagnostics import Diagnostic, InvalidInput
from guarantor.model.evidence import Attribution, Document, Entity
from guarantor.model.portal import User
from guarantor.report.evidence import HIGHLIGHTS, KINDS, STRENGTH, highlighted_fragment
from guarantor.report.messages import describe
from guarantor.report.tables import Labels
from guarantor.services.access import can_see_evidence, require
from guarantor.services.evidence import (
    Chain,
    Claim,
    entities,
    find_entity,
    list_documents,
    trace_chain,
)
from guarantor.services.evidence_web import (
    Evidence,
    add_uploads,
    all_evidence,
    documents_with_counts,
    fingerprint,
)
from guarantor.services.negotiation import negotiation_of
from guarantor.web.pages import _portal, _user, render
from guarantor.web.security import actor, check_csrf
from guarantor.web.templating import current_lang

router = APIRouter(include_in_schema=False)

MAX_ROWS = 500
"""Claims shown in one table; the filters narrow a longer list."""
MAX_FILES = 100
"""Files in one upload."""
FIELD_LIMITS = {"outlet": 200, "title": 1000, "url": 2000, "date": 20}
"""Longest accepted value of each form field (the database column's size, or a sane one)."""

AFFILIATIONS = {
    "us": N_("American"),
    "western": N_("Western"),
    "european": N_("European"),
    "russian": N_("Russian"),
    "kremlin": N_("Kremlin"),
    "ukrainian": N_("Ukrainian"),
    "former": N_("former"),
    "german": N_("German"),
    "french": N_("French"),
    "british": N_("British"),
    "polish": N_("Polish"),
    "nato": N_("NATO"),
    "chinese": N_("Chinese"),
}
"""Names of the affiliation codes of ``lexicons/affiliations.yaml`` (others show the code)."""
TOPICS = {
    "questionnaire": N_("the questionnaire"),
    "guarantee_form": N_("form of the guarantee"),
    "force_contributions": N_("force contributions"),
    "territory": N_("territory"),
    "nato_membership": N_("NATO membership"),
    "ceasefire": N_("ceasefire and peace deal"),
    "negotiators": N_("negotiators and talks"),
    "sanctions": N_("sanctions"),
}
"""Names of the topic codes of ``lexicons/topics.yaml`` (others show the code)."""
LANGUAGES = {"ar": N_("Arabic"), "en": N_("English")}
ENTITY_KINDS = {
    "person": N_("person"),
    "institution": N_("institution"),
    "outlet": N_("outlet"),
}
RELIABILITY = {
    "P": N_("primary source"),
    "M": N_("major outlet"),
    "S": N_("secondary source"),
    "D": N_("derived"),
    "A": N_("assumption"),
}
TRACE_EXAMPLES = (
    "parties.RUS.red_lines.nato_membership",
    "parties.UKR.reservation",
    "assumptions.us_backstop",
    "submissions.FRA.force_size_personnel",
    "regions.UA-14.control",
    "countries.FRA.gdp_usd_bn",
)


# --- cached data ----------------------------------------------------------------------------


@lru_cache(maxsize=4)
def _evidence(db_url: str, mark: tuple[int, int, str]) -> Evidence:
    """Every document and claim of the database at ``db_url`` as of ``mark``."""
    del mark  # part of the cache key only
    return all_evidence(Settings.model_construct(db_url=db_url))


@lru_cache(maxsize=32)
def _chain(db_url: str, scenario: str, path: str, mark: tuple[int, int, str]) -> Chain:
    """The trace of ``path`` (stored documents can be a source's, so the mark is in the key)."""
    del mark
    return trace_chain(Settings.model_construct(db_url=db_url, scenario=scenario), path)


@lru_cache(maxsize=4)
def _party_names(scenario: str, lang: str) -> dict[str, str]:
    """The negotiation's parties by code, in ``lang`` (empty when there is no negotiation)."""
    try:
        negotiation = negotiation_of(Settings.model_construct(scenario=scenario))
    except InvalidInput:
        return {}
    code = "ar" if lang == "ar" else "en"
    return {p.id: p.label.get(code) for p in negotiation.parties}


def _settings(request: Request) -> Settings:
    settings: Settings = _portal(request).settings
    return settings


def _current(request: Request) -> Evidence:
    settings = _settings(request)
    return _evidence(settings.db_url, fingerprint(settings))


def _allowed(request: Request) -> User:
    user = _user(request)
    require(can_see_evidence(user), "evidence")
    return user


def _labels(request: Request) -> Labels:
    portal = _portal(request)
    return Labels(current_lang.get(), portal.reference, scenario=portal.context.scenario)


# --- view model ------------------------------------------------------------------------------


def _code_name(names: dict[str, str], code: str, labels: Labels) -> str:
    return labels.t(names[code]) if code in names else code


def document_title(document: Document) -> str:
    """What a document is called: its title, else the file it came from, else its id."""
    return document.title or document.origin or document.id[:12]


def _safe_url(url: str | None) -> str | None:
    """A link only for web addresses (a stored URL is whatever the user typed)."""
    return url if url and url.lower().startswith(("http://", "https://")) else None


def _short(text: str, limit: int = 240) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _date_text(date: dt.date | None, labels: Labels) -> str:
    """A date as the portal writes it (Babel's medium format in the page's language)."""
    if date is None:
        return "–"
    from babel.dates import format_date

    return format_date(date, "medium", locale=labels.lang)


def claim_row(claim: Claim, labels: Labels, known: set[str]) -> dict[str, Any]:
    """One claim as a table row (texts in the page's language, links to its pages)."""
    a: Attribution = claim.stored.attribution
    d = claim.document
    speaker = a.speaker.text if a.speaker else "–"
    if a.entity and a.entity in known:
        speaker_href = f"/evidence/people/{a.entity}"
    elif a.speaker:
        speaker_href = "/evidence/claims?" + urlencode({"speaker": a.speaker.text})
    else:
        speaker_href = None
    return {
        "number": labels.num(claim.stored.position + 1, 0),
        "document_id": d.id,
        "document_title": document_title(d),
        "document_lang": d.lang,
        "date": d.date,
        "when": _date_text(d.date, labels),
        "outlet": d.outlet,
        "speaker": speaker,
        "implicit": a.implicit,
        "speaker_href": speaker_href,
        "via": a.via_outlet,
        "kind": labels.t(KINDS[a.kind]),
        "sources": "?" if a.sources is None else labels.num(a.sources, 0),
        "affiliation": labels.sep.join(_code_name(AFFILIATIONS, c, labels) for c in a.affiliation)
        or "–",
        "cue": a.cue.text if a.cue else "–",
        "content": _short(a.content.text) if a.content else "–",
        "direct": a.direct,
        "topics": labels.sep.join(_code_name(TOPICS, c, labels) for c in a.topics) or "–",
        "strength": labels.t(STRENGTH[claim.stored.strength]),
        "level": claim.stored.strength,
        "reports": labels.num(claim.corroboration, 0),
    }


def _by_date(claims: Sequence[Claim]) -> list[Claim]:
    """Newest documents first (undated last), then document order."""
    return sorted(
        claims,
        key=lambda c: (
            -(c.document.date.toordinal() if c.document.date else 0),
            c.document.id,
            c.stored.position,
        ),
    )


def _options(codes: set[str], names: dict[str, str], labels: Labels) -> list[tuple[str, str]]:
    named = [(code, _code_name(names, code, labels)) for code in codes]
    return sorted(named, key=lambda item: item[1].casefold())


def _speaker_filter(query: str) -> tuple[Entity | None, Any]:
    """Who ``query`` names (the gazetteer merges spellings) and a test for attributions: the
    same gazetteer entity, or the words typed inside the speaker as written."""
    entity = find_entity(query) if query else None
    folded = query.casefold()

    def matches(a: Attribution) -> bool:
        if entity is not None and a.entity == entity.id:
            return True
        return bool(a.speaker) and folded in (a.speaker.text.casefold() if a.speaker else "")

    return entity, matches


def _document_row(stored: Any, count: int, labels: Labels) -> dict[str, Any]:
    d: Document = stored.document
    return {
        "id": d.id,
        "title": document_title(d),
        "lang": d.lang,
        "language": labels.t(LANGUAGES[d.lang]),
        "outlet": d.outlet or "–",
        "date": d.date,
        "claims": labels.num(count, 0),
        "added_by": stored.added_by,
        "added_at": stored.added_at,
    }


def _value_text(value: Any, labels: Labels) -> str:
    if isinstance(value, bool):
        return labels.yes_no(value)
    if isinstance(value, float):
        return labels.num(value, 3)
    if isinstance(value, int):
        return labels.num(value, 0)
    if isinstance(value, dict | list | tuple):
        return json.dumps(value, ensure_ascii=False, default=str)
    return "–" if value is None else str(value)


def _datum_label(chain: Chain, request: Request, labels: Labels) -> str | None:
    """The datum in words, in the page's language, where the data names it."""
    t = chain.trace
    parts = t.path.split(".")
    code = "ar" if labels.lang == "ar" else "en"
    if parts[0] == "assumptions" and len(parts) == 2:
        return labels.assumptions.get(parts[1])
    if parts[0] in ("parties", "positions") and len(parts) == 4 and parts[2] == "red_lines":
        try:
            negotiation = negotiation_of(_settings(request))
        except InvalidInput:
            return None
        for position in negotiation.positions:
            if position.party == parts[1]:
                for line in position.red_lines:
                    if line.id == parts[3]:
                        return line.label.get(code)
    return None


def trace_view(chain: Chain, request: Request, labels: Labels, stored: set[str]) -> dict[str, Any]:
    """The datum, its sources and documents, and the claims bearing on it."""
    t = chain.trace
    settings = _settings(request)
    parties = _party_names(settings.scenario, labels.lang)
    about = None
    if t.party:
        about = parties.get(t.party, t.party)
    elif t.country:
        about = labels.country(t.country)
    documents = dict(chain.documents)
    sources = [
        {
            "id": s.id,
            "title": s.title,
            "url": _safe_url(s.url),
            "publisher": s.publisher or "–",
            "date": str(s.date) if s.date else "–",
            "reliability": labels.t(RELIABILITY[s.reliability]) if s.reliability else "–",
            "lang": s.lang,
            "machine_translated": s.machine_translated,
            "document": documents.get(s.id),
            "stored": s.id in documents and documents[s.id].id in stored,
            "note": s.note,
        }
        for s in t.sources
    ]
    by_document: dict[str, list[Attribution]] = {}
    for _, claim in chain.claims:
        by_document.setdefault(claim.document.id, []).append(claim.stored.attribution)
    by_id = {s.id: s for s in t.sources}
    texts = [
        {
            "source": source_id,
            "title": d.title
            or (by_id[source_id].title if source_id in by_id else document_title(d)),
            "lang": d.lang,
            "id": d.id,
            "stored": d.id in stored,
            "html": highlighted_fragment(d, by_document.get(d.id, [])),
            "claims": len(by_document.get(d.id, [])),
        }
        for source_id, d in chain.documents
    ]
    known = {e.id for e in entities()}
    claims = []
    for source_id, claim in chain.claims:
        row = claim_row(claim, labels, known)
        row.update(source=source_id, stored=claim.document.id in stored)
        source = by_id.get(source_id)
        if source is not None and not claim.document.title:
            row["document_title"] = source.title
            if claim.document.date is None and source.date:
                row["when"] = str(source.date)
        claims.append(row)
    label = _datum_label(chain, request, labels)
    red_line = "red_lines" in t.path.split(".")
    return {
        "path": t.path,
        "label": None if red_line else label,
        "value": label if red_line and label else _value_text(t.value, labels),
        "range": (
            (labels.num(t.range[0], 3), labels.num(t.range[1], 3)) if t.range is not None else None
        ),
        "assumption": t.assumption,
        "provenanced": t.provenanced,
        "quote": t.quote,
        "note": t.note,
        "locator": t.locator,
        "about": about,
        "extra": json.dumps(t.extra, ensure_ascii=False, indent=2, default=str) if t.extra else "",
        "sources": sources,
        "unknown": list(t.unknown_sources),
        "documents": texts,
        "claims": claims,
    }


def _describe(diagnostic: Diagnostic, lang: str) -> str:
    """A problem as a sentence; the one that names the command line's option names the
    form's field instead."""
    if diagnostic.code == "language.undetected":
        text = gettext(
            lang,
            N_("%(file)s: cannot tell the language; choose it under “Language of the documents”."),
        )
        return text % {"file": diagnostic.params.get("file", "")}
    return describe(diagnostic, lang)


def _messages(exc: InvalidInput, lang: str) -> list[str]:
    return [_describe(d, lang) for d in exc.diagnostics]


# --- routes ----------------------------------------------------------------------------------


FIELDS = ("lang", "outlet", "date", "url", "title")


def _documents_page(
    request: Request,
    *,
    status: int = 200,
    errors: Sequence[str] = (),
    values: dict[str, str] | None = None,
    outcome: dict[str, Any] | None = None,
) -> HTMLResponse:
    labels = _labels(request)
    rows = [
        _document_row(stored, count, labels)
        for stored, count in reversed(documents_with_counts(_settings(request)))
    ]
    return render(
        request,
        "evidence_documents.html",
        status=status,
        rows=rows,
        errors=list(errors),
        values=values or {},
        skip_bad=bool(values and values.get("skip_bad")),
        outcome=outcome,
        languages=[(code, labels.t(name)) for code, name in LANGUAGES.items()],
        limits=FIELD_LIMITS,
        max_files=MAX_FILES,
    )


def _outcome(labels: Labels, added: int, claims: int, already: int) -> str:
    summary = N_("{added} documents added ({claims} attributions); {already} already stored.")
    return labels.t(summary).format(
        added=labels.num(added, 0), claims=labels.num(claims, 0), already=labels.num(already, 0)
    )


def _count(raw: str | None) -> int:
    return int(raw) if raw and raw.isdigit() and len(raw) < 10 else 0


@router.get("/evidence", response_class=HTMLResponse)
def documents_page(request: Request) -> HTMLResponse:
    """The stored documents, newest first, and the form to add more."""
    _allowed(request)
    outcome = None
    query = request.query_params
    if "added" in query:
        outcome = {
            "summary": _outcome(
                _labels(request),
                _count(query.get("added")),
                _count(query.get("claims")),
                _count(query.get("already")),
            ),
            "skipped": [],
        }
    return _documents_page(request, outcome=outcome)


@router.post("/evidence")
async def add_documents(request: Request) -> Response:
    """Store the uploaded files: every document or none (unless "skip bad lines" is ticked);
    errors are shown above the form (422) and nothing is stored."""
    form = await request.form(max_files=MAX_FILES)
    try:
        await check_csrf(request)
        user = _allowed(request)
        return await _add(request, user, form)
    finally:
        await form.close()  # the uploads' temporary files, whatever the outcome


async def _add(request: Request, user: User, form: FormData) -> Response:
    lang = current_lang.get()
    values = {key: str(form.get(key) or "").strip() for key in FIELDS}
    skip_bad = form.get("skip_bad") in ("1", "on", "true")
    if skip_bad:
        values["skip_bad"] = "1"
    errors: list[str] = []
    uploads: list[tuple[str, bytes]] = []
    for item in form.getlist("files"):
        if not isinstance(item, UploadFile) or (not item.filename and not item.size):
            continue  # the empty part a browser sends when no file is chosen
        name = item.filename or "upload"
        data = await item.read(MAX_BYTES + 1)
        if len(data) > MAX_BYTES:
            size = item.size or len(data)
            diagnostic = Diagnostic(
                code="file.too_large",
                path=(name,),
                params={"file": name, "size": size, "limit": MAX_BYTES},
            )
            errors.append(describe(diagnostic, lang))
        uploads.append((name, data))
    if not uploads:
        errors.append(gettext(lang, N_("Choose at least one file to add.")))
    for key, limit in FIELD_LIMITS.items():
        if len(values[key]) > limit:
            diagnostic = Diagnostic(code="value.too_long", path=(key,), params={"limit": limit})
            errors.append(describe(diagnostic, lang))
    if errors:
        return _documents_page(request, status=422, errors=errors, values=values)
    meta = Meta(
        lang=values["lang"] or None,
        outlet=values["outlet"] or None,
        date=values["date"] or None,
        url=values["url"] or None,
        title=values["title"] or None,
    )
    portal = _portal(request)
    settings = portal.settings.model_copy(update={"user": user.username})
    try:
        done = await run_in_threadpool(
            lambda: add_uploads(settings, uploads, meta, skip_bad=skip_bad)
        )
    except InvalidInput as exc:
        return _documents_page(request, status=422, errors=_messages(exc, lang), values=values)
    portal.accounts.record(
        actor(request, user),
        "evidence.add",
        "evidence",
        added=list(done.added),
        already=len(done.already),
        claims=done.claims,
        skipped=len(done.skipped),
    )
    if done.skipped:
        labels = _labels(request)
        outcome = {
            "summary": _outcome(labels, len(done.added), done.claims, len(done.already)),
            "skipped": [_describe(d, lang) for d in done.skipped],
        }
        return _documents_page(request, outcome=outcome)
    query = urlencode(
        {"added": len(done.added), "claims": done.claims, "already": len(done.already)}
    )
    return RedirectResponse(f"/evidence?{query}", status_code=303)


@router.get("/evidence/claims", response_class=HTMLResponse)
def claims_page(
    request: Request, speaker: str = "", kind: str = "", affiliation: str = "", topic: str = ""
) -> HTMLResponse:
    """Every claim, filtered by speaker (any spelling), kind, affiliation and topic."""
    _allowed(request)
    labels = _labels(request)
    evidence = _current(request)
    speaker = speaker.strip()[:200]
    entity, matches = _speaker_filter(speaker)
    chosen = []
    for claim in evidence.claims:
        a = claim.stored.attribution
        if speaker and not matches(a):
            continue
        if kind and a.kind != kind:
            continue
        if affiliation and affiliation not in a.affiliation:
            continue
        if topic and topic not in a.topics:
            continue
        chosen.append(claim)
    everything = [c.stored.attribution for c in evidence.claims]
    known = {e.id for e in entities()}
    rows = [claim_row(c, labels, known) for c in _by_date(chosen)[:MAX_ROWS]]
    return render(
        request,
        "evidence_claims.html",
        rows=rows,
        shown=len(rows),
        matched=len(chosen),
        total=len(evidence.claims),
        limit=MAX_ROWS,
        filters={"speaker": speaker, "kind": kind, "affiliation": affiliation, "topic": topic},
        entity=(
            {"id": entity.id, "name": entity.name.get("ar" if labels.lang == "ar" else "en")}
            if entity is not None and entity.id in known
            else None
        ),
        kinds=[
            (code, labels.t(name))
            for code, name in KINDS.items()
            if any(a.kind == code for a in everything)
        ],
        affiliations=_options({c for a in everything for c in a.affiliation}, AFFILIATIONS, labels),
        topics=_options({c for a in everything for c in a.topics}, TOPICS, labels),
    )


def _not_found(request: Request, lines: list[str]) -> HTMLResponse:
    return render(request, "error.html", status=404, title=N_("Not found"), lines=lines)


@router.get("/evidence/documents/{document_id}", response_class=HTMLResponse)
def document_page(request: Request, document_id: str) -> HTMLResponse:
    """One document with its attributions highlighted, and its claims."""
    _allowed(request)
    labels = _labels(request)
    evidence = _current(request)
    found = [s for s in evidence.documents if s.document.id.startswith(document_id.lower())]
    if len(document_id) < 4 or len(found) != 1:
        diagnostic = Diagnostic(
            code="document.unknown", path=("document",), params={"value": document_id[:64]}
        )
        return _not_found(request, [describe(diagnostic, labels.lang)])
    stored = found[0]
    d = stored.document
    claims = sorted(
        (c for c in evidence.claims if c.document.id == d.id), key=lambda c: c.stored.position
    )
    known = {e.id for e in entities()}
    return render(
        request,
        "evidence_document.html",
        document=d,
        title=document_title(d),
        language=labels.t(LANGUAGES[d.lang]),
        url=_safe_url(d.url),
        stored=stored,
        text=highlighted_fragment(d, [c.stored.attribution for c in claims]),
        legend=[(css, labels.t(name)) for css, name in HIGHLIGHTS],
        rows=[claim_row(c, labels, known) for c in claims],
    )


@router.get("/evidence/people/{entity_id}", response_class=HTMLResponse)
def person_page(request: Request, entity_id: str) -> HTMLResponse:
    """A person or body: names, spellings, party, and every claim it is reported to have made,
    in every language and spelling."""
    _allowed(request)
    labels = _labels(request)
    known = {e.id: e for e in entities()}
    entity = known.get(entity_id) or find_entity(entity_id[:200])
    if entity is None:
        message = gettext(labels.lang, N_("No person or body is known by “%(name)s”."))
        return _not_found(request, [message % {"name": entity_id[:200]}])
    evidence = _current(request)
    claims = _by_date([c for c in evidence.claims if c.stored.attribution.entity == entity.id])
    parties = _party_names(_settings(request).scenario, labels.lang)
    code = "ar" if labels.lang == "ar" else "en"
    return render(
        request,
        "evidence_person.html",
        entity=entity,
        name=entity.name.get(code),
        kind=labels.t(ENTITY_KINDS.get(entity.kind, entity.kind)),
        affiliation=labels.sep.join(
            _code_name(AFFILIATIONS, c, labels) for c in entity.affiliation
        ),
        party=parties.get(entity.party, entity.party) if entity.party else None,
        rows=[claim_row(c, labels, set(known)) for c in claims[:MAX_ROWS]],
        total=len(claims),
        documents=len({c.document.id for c in claims}),
        limit=MAX_ROWS,
    )


@router.get("/evidence/trace", response_class=HTMLResponse)
def trace_page(request: Request, path: str = "") -> HTMLResponse:
    """A datum of the scenario, what it rests on, and the claims bearing on it; an unknown
    path is shown above the form (400)."""
    _allowed(request)
    labels = _labels(request)
    settings = _settings(request)
    path = path.strip()[:300]
    errors: list[str] = []
    view = None
    if path:
        mark = fingerprint(settings)
        try:
            chain = _chain(settings.db_url, settings.scenario, path, mark)
        except InvalidInput as exc:
            errors = _messages(exc, labels.lang)
        else:
            stored = {s.document.id for s in list_documents(settings)}
            view = trace_view(chain, request, labels, stored)
    return render(
        request,
        "evidence_trace.html",
        status=400 if errors else 200,
        path=path,
        errors=errors,
        view=view,
        examples=TRACE_EXAMPLES,
    )
