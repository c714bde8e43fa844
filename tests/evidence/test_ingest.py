"""Reading documents: encodings, HTML, JSON Lines, and clear errors for bad input."""

from __future__ import annotations

import json

import pytest

from guarantor.evidence.ingest import (
    Meta,
    decode,
    detect_language,
    document_id,
    normalise,
    read_jsonl,
    read_text,
)
from guarantor.model.diagnostics import InvalidInput

ARABIC = "قال المبعوث الأمريكي إن خطة السلام قد تأتي خلال أيام."
ENGLISH = "The envoy said a peace plan could come within days."


@pytest.mark.parametrize(
    "data",
    [
        ARABIC.encode("utf-8"),
        b"\xef\xbb\xbf" + ARABIC.encode("utf-8"),
        ARABIC.encode("utf-16"),  # with a byte order mark
        ARABIC.encode("utf-16-le"),  # without one
        ARABIC.encode("cp1256"),  # Windows Arabic
    ],
)
def test_arabic_is_read_in_every_common_encoding(data):
    assert normalise(decode(data, "x.txt")) == ARABIC


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "file.empty"),
        (b"   \n ", "file.empty"),
        (bytes(range(256)) * 4, "file.binary"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "file.binary"),
        ("The envoy said café, naïve résumé".encode("latin-1"), "file.encoding"),
    ],
)
def test_bad_files_are_refused_by_name(data, code):
    with pytest.raises(InvalidInput) as caught:
        decode(data, "bad.txt")
    assert caught.value.diagnostics[0].code == code
    assert caught.value.diagnostics[0].params["file"] == "bad.txt"


def test_a_file_over_the_limit_is_refused_before_decoding(monkeypatch):
    from guarantor.evidence import ingest

    monkeypatch.setattr(ingest, "MAX_BYTES", 100)
    with pytest.raises(InvalidInput) as caught:
        decode(b"a" * 101, "big.txt")
    assert caught.value.diagnostics[0].code == "file.too_large"


def test_same_text_same_id_whatever_the_bytes():
    a = read_text(ARABIC.encode("utf-8"), "a.txt", Meta())
    b = read_text(("\ufeff" + ARABIC + "  \r\n").encode("utf-16"), "b.txt", Meta())
    assert a.id == b.id == document_id(ARABIC)


def test_language_is_detected_or_taken_from_the_user():
    assert detect_language(ARABIC) == "ar"
    assert detect_language(ENGLISH) == "en"
    assert detect_language("2025 — 12 / 7") is None
    assert read_text(ENGLISH.encode(), "e.txt", Meta(lang="ar")).lang == "ar"
    with pytest.raises(InvalidInput) as caught:
        read_text(ENGLISH.encode(), "e.txt", Meta(lang="fr"))
    assert caught.value.diagnostics[0].code == "language.unknown"
    with pytest.raises(InvalidInput) as caught:
        read_text("12345 — 678".encode(), "n.txt", Meta())
    assert caught.value.diagnostics[0].code == "language.undetected"


def test_a_date_that_is_not_a_date_is_refused():
    with pytest.raises(InvalidInput) as caught:
        read_text(ENGLISH.encode(), "e.txt", Meta(date="15/02/2025"))
    assert caught.value.diagnostics[0].code == "value.bad_date"


def test_html_saved_from_a_browser_keeps_the_article_only():
    page = f"""<!doctype html><html><head><title>Envoy: peace within days</title></head>
    <body><nav>Home · World · Sport</nav><article><h1>Envoy: peace within days</h1>
    <p>{ENGLISH} {"He added that talks would go on in Europe next week. " * 5}</p></article>
    <footer>© Newspaper 2025 · Contact · Cookies</footer></body></html>"""
    document = read_text(page.encode(), "page.html", Meta())
    assert ENGLISH in document.text
    assert "Cookies" not in document.text and "Sport" not in document.text
    assert document.title == "Envoy: peace within days"
    assert document.lang == "en"


def test_json_lines_report_bad_lines_by_number_and_keep_the_good_ones():
    lines = [
        json.dumps({"text": ARABIC, "outlet": "A", "date": "2025-02-15"}, ensure_ascii=False),
        "{not json",
        json.dumps({"text": ENGLISH, "date": "tomorrow"}),
        json.dumps({"body": ENGLISH}),
        json.dumps({"text": ENGLISH, "lang": "en", "colour": "red"}),
        "",
        json.dumps({"text": ENGLISH}),
    ]
    read = read_jsonl("\n".join(lines).encode(), "batch.jsonl", Meta(outlet="Default"))
    assert [d.outlet for d in read.documents] == ["A", "Default"]
    found = {(d.code, d.params.get("line")) for d in read.problems}
    assert ("jsonl.bad_line", 2) in found
    assert ("jsonl.no_text", 4) in found
    paths = {d.path_text() for d in read.problems}
    assert "batch.jsonl:3.date" in paths
    assert "batch.jsonl:5.colour" in paths
