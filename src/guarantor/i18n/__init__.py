"""Locale, text direction and gettext catalogues (Arabic and English).

The catalogues are the ``.po`` files in ``locales/``; they are compiled in memory on first
use (Babel), so the repository holds no binary ``.mo`` files that could drift from them.
"""

from __future__ import annotations

import io
from functools import lru_cache
from importlib import resources
from typing import Literal

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, format_percent
from babel.support import Translations

Direction = Literal["ltr", "rtl"]
DOMAIN = "guarantor"
LOCALES = resources.files("guarantor") / "i18n" / "locales"


def N_(message: str) -> str:
    """Mark a string for extraction without translating it now."""
    return message


@lru_cache(maxsize=4)
def translations(lang: str) -> Translations:
    """The compiled catalogue for ``lang`` (English falls through to the source strings)."""
    po = LOCALES / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    if not po.is_file():
        return Translations()
    with po.open("rb") as handle:
        catalog = read_po(handle, locale=lang, domain=DOMAIN)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(fp=buffer, domain=DOMAIN)


def gettext(lang: str, message: str) -> str:
    """``message`` translated into ``lang``."""
    return translations(lang).gettext(message)


def ngettext(lang: str, singular: str, plural: str, n: int) -> str:
    """Plural-aware translation (Arabic has six plural forms)."""
    return translations(lang).ngettext(singular, plural, n)


def direction(lang: str) -> Direction:
    """Text direction of a language."""
    return "rtl" if lang == "ar" else "ltr"


def number(value: float, lang: str, digits: int = 1) -> str:
    """A localized number (grouping, decimal sign)."""
    pattern = "#,##0" if digits == 0 else "#,##0." + "#" * digits
    return format_decimal(value, format=pattern, locale=lang)


def percent(value: float, lang: str) -> str:
    """A localized percentage."""
    return format_percent(value, format="#,##0.#%", locale=lang)
