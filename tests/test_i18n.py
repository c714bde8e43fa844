"""Every user-facing string is in the Arabic catalogue, and Arabic output is Arabic."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from guarantor.i18n import direction, gettext, number, percent
from guarantor.report.messages import MESSAGES

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "guarantor"


def _extracted() -> set[str]:
    """Marked strings in the code (N_) and the templates (_), as the catalogue tool finds them."""
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(PACKAGE),
        method_map=[("**.py", "python"), ("**/templates/**.html", "jinja2.ext:babel_extract")],
        options_map={"**/templates/**.html": {"extensions": "jinja2.ext.i18n"}},
        keywords={"N_": None, "_": None},
        comment_tags=(),
    ):
        found.add(message if isinstance(message, str) else message[0])
    return found


def _catalog(lang: str):
    with (PACKAGE / "i18n" / "locales" / lang / "LC_MESSAGES" / "guarantor.po").open("rb") as f:
        return read_po(f, locale=lang)


def test_every_marked_string_is_translated_into_arabic():
    catalog = _catalog("ar")
    translated = {m.id for m in catalog if m.id and m.string and not m.fuzzy}
    missing = _extracted() - translated
    assert not missing, f"run tools/update_catalogues.py and translate: {sorted(missing)}"


def test_translations_keep_their_placeholders():
    for message in _catalog("ar"):
        if not message.id:
            continue
        placeholders = set(re.findall(r"\{\w+\}|%\(\w+\)s", message.id))
        assert placeholders == set(re.findall(r"\{\w+\}|%\(\w+\)s", message.string)), message.id


def test_every_diagnostic_code_has_a_message():
    assert all(MESSAGES.values())
    assert gettext("ar", MESSAGES["value.required"]) != MESSAGES["value.required"]


def test_direction_and_numbers():
    assert direction("ar") == "rtl" and direction("en") == "ltr"
    assert number(12345.6, "en") == "12,345.6"
    assert percent(0.25, "en") == "25%"
    assert number(12345.6, "ar") != ""
