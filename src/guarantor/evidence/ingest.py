"""Reading news documents from bytes: plain text, HTML saved from a browser, JSON Lines.

Everything is checked before anything is stored: the caller gets either every document of
a file or an :class:`InvalidInput` naming the file, the line and the field. Arabic text is
read in UTF-8 (with or without a byte order mark), UTF-16 and Windows-1256.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from guarantor.evidence.normalise import normalise
from guarantor.model.diagnostics import Diagnostic, InvalidInput
from guarantor.model.evidence import Document

MAX_BYTES = 20_000_000
"""A file larger than this is refused (a news document is a few kilobytes)."""
LANGS = ("ar", "en")
ARABIC = re.compile(r"[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]")
LATIN = re.compile(r"[A-Za-z]")


@dataclass(frozen=True)
class Meta:
    """What the user says about the documents of one file (command-line options)."""

    lang: str | None = None
    outlet: str | None = None
    date: str | None = None
    url: str | None = None
    title: str | None = None


NAMES_FILE = ("file.empty", "file.binary", "html.no_text")
"""Codes whose message names the file itself; the others get it as their path."""


def _fail(code: str, origin: str, **params: Any) -> InvalidInput:
    path = () if code in NAMES_FILE else (origin,)
    return InvalidInput([Diagnostic(code=code, path=path, params={"file": origin, **params})])


def decode(data: bytes, origin: str) -> str:
    """Text from bytes: a byte order mark decides; else UTF-8; else UTF-16 (text full of
    NUL bytes); else Windows-1256 when the result is Arabic. Binary data is refused."""
    if not data.strip():
        raise _fail("file.empty", origin)
    if len(data) > MAX_BYTES:
        raise _fail("file.too_large", origin, size=len(data), limit=MAX_BYTES)
    for bom, codec in (
        (b"\xef\xbb\xbf", "utf-8-sig"),
        (b"\xff\xfe", "utf-16"),
        (b"\xfe\xff", "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return data.decode(codec)
            except UnicodeDecodeError as exc:
                raise _fail("file.encoding", origin, encoding=codec, offset=exc.start) from None
    if b"\x00" in data:
        # UTF-16 without a mark (spaces and Latin letters carry a NUL byte); anything else
        # with NULs is binary.
        for codec in ("utf-16-le", "utf-16-be"):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError:
                continue
            if _printable(text) and _lettered(text):
                return text
        raise _fail("file.binary", origin)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        first_bad = exc.start
        try:
            text = data.decode("cp1256")
        except UnicodeDecodeError:
            raise _fail("file.encoding", origin, encoding="utf-8", offset=first_bad) from None
        arabic, latin = len(ARABIC.findall(text)), len(LATIN.findall(text))
        if arabic < latin:  # not Arabic: Windows-1256 would only be a guess
            raise _fail("file.encoding", origin, encoding="utf-8", offset=first_bad) from None
        return text
    if not _printable(text):
        raise _fail("file.binary", origin)
    return text


def _printable(text: str) -> bool:
    """Mostly letters, digits, punctuation and spaces: not a binary file that decoded."""
    if not text:
        return False
    control = sum(
        1 for c in text if unicodedata.category(c) in ("Cc", "Co", "Cn") and c not in "\n\r\t"
    )
    return control / len(text) < 0.01


def _lettered(text: str) -> bool:
    """Mostly Arabic or Latin letters among the non-space characters."""
    letters = len(ARABIC.findall(text)) + len(LATIN.findall(text))
    visible = sum(1 for c in text if not c.isspace())
    return visible > 0 and letters / visible >= 0.5


def document_id(text: str) -> str:
    """SHA-256 of the normalised text: the same report added twice is stored once."""
    return hashlib.sha256(normalise(text).encode("utf-8")).hexdigest()


def detect_language(text: str) -> str | None:
    """``ar`` or ``en`` by the share of Arabic and Latin letters; None when neither
    dominates (the caller must then say which language it is)."""
    arabic, latin = len(ARABIC.findall(text)), len(LATIN.findall(text))
    if arabic + latin == 0:
        return None
    if arabic / (arabic + latin) >= 0.3:
        return "ar"
    return "en" if latin / (arabic + latin) >= 0.7 else None


def html_text(html: str) -> tuple[str, str | None]:
    """The main text and the title of a web page saved from a browser (trafilatura, offline:
    menus, footers and adverts are left out)."""
    import trafilatura

    text = trafilatura.extract(
        html, include_comments=False, include_tables=False, favor_recall=True
    )
    meta = trafilatura.extract_metadata(html)
    return text or "", (meta.title if meta is not None else None)


def looks_like_html(text: str, name: str) -> bool:
    """By the file name, or by a doctype or html tag near the start."""
    head = text[:2000].lower()
    return name.lower().endswith((".html", ".htm")) or "<!doctype html" in head or "<html" in head


def _date(value: Any, origin: str, path: tuple[str | int, ...]) -> dt.date | None:
    if value in (None, ""):
        return None
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise InvalidInput(
            [Diagnostic(code="value.bad_date", path=path, params={"value": value, "file": origin})]
        ) from None


def _lang(value: str | None, text: str, origin: str, path: tuple[str | int, ...]) -> str:
    if value is not None and value not in LANGS:
        raise InvalidInput(
            [
                Diagnostic(
                    code="language.unknown",
                    path=path,
                    params={"value": value, "known": list(LANGS), "file": origin},
                )
            ]
        )
    found = value or detect_language(text)
    if found is None:
        raise InvalidInput(
            [Diagnostic(code="language.undetected", path=path, params={"file": origin})]
        )
    return found


def build(text: str, meta: Meta, origin: str, path: tuple[str | int, ...] = ()) -> Document:
    """One checked document from its text and what the user said about it."""
    stored = normalise(text)
    where = path or (origin,)
    if not stored:
        raise InvalidInput([Diagnostic(code="file.empty", params={"file": origin})])
    lang = _lang(meta.lang, stored, origin, (*where, "lang"))
    return Document(
        id=document_id(stored),
        text=stored,
        lang="ar" if lang == "ar" else "en",
        outlet=meta.outlet,
        date=_date(meta.date, origin, (*where, "date")),
        url=meta.url,
        title=meta.title,
        origin=origin,
    )


def read_text(data: bytes, name: str, meta: Meta) -> Document:
    """A plain-text or HTML file."""
    text = decode(data, name)
    title = meta.title
    if looks_like_html(text, name):
        text, found = html_text(text)
        title = title or found
        if not text.strip():
            raise _fail("html.no_text", name)
    return build(text, Meta(meta.lang, meta.outlet, meta.date, meta.url, title), name)


FIELDS = ("text", "lang", "outlet", "date", "url", "title")


@dataclass(frozen=True)
class LinesRead:
    """The documents of a JSON Lines file, and the lines that could not be read."""

    documents: tuple[Document, ...]
    problems: tuple[Diagnostic, ...]


def read_jsonl(data: bytes, name: str, meta: Meta) -> LinesRead:
    """One document per line: ``{"text": ..., "lang"?, "outlet"?, "date"?, "url"?,
    "title"?}``; the file's options fill what a line leaves out. Every bad line is reported
    with its number; the caller decides whether to store the good ones."""
    text = decode(data, name)
    documents: list[Document] = []
    problems: list[Diagnostic] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where: tuple[str | int, ...] = (f"{name}:{number}",)
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(
                Diagnostic(
                    code="jsonl.bad_line",
                    params={"file": name, "line": number, "problem": exc.msg},
                )
            )
            continue
        if not isinstance(record, dict) or not isinstance(record.get("text"), str):
            problems.append(Diagnostic(code="jsonl.no_text", params={"file": name, "line": number}))
            continue
        unknown = sorted(set(record) - set(FIELDS))
        if unknown:
            problems.append(
                Diagnostic(
                    code="field.unknown",
                    path=(*where, unknown[0]),
                    params={"known": ", ".join(FIELDS)},
                )
            )
            continue
        line_meta = Meta(
            *(record.get(k) if record.get(k) is not None else getattr(meta, k) for k in FIELDS[1:])
        )
        try:
            documents.append(build(record["text"], line_meta, f"{name}:{number}", where))
        except InvalidInput as exc:
            problems.extend(exc.diagnostics)
    return LinesRead(tuple(documents), tuple(problems))
