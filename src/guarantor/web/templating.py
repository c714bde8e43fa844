"""Jinja2 set up for two languages: gettext bound to the request's language (a context
variable, so concurrent requests in different languages do not mix)."""

from __future__ import annotations

import datetime as dt
from contextvars import ContextVar
from typing import Any

from fastapi.templating import Jinja2Templates
from jinja2 import Environment, PackageLoader, select_autoescape

from guarantor.i18n import direction, gettext, ngettext, number, percent

current_lang: ContextVar[str] = ContextVar("current_lang", default="en")


def _gettext(message: str, **variables: Any) -> str:
    text = gettext(current_lang.get(), message)
    return text % variables if variables else text


def _ngettext(singular: str, plural: str, n: int, **variables: Any) -> str:
    text = ngettext(current_lang.get(), singular, plural, n)
    return text % {"num": n, **variables}


def _number(value: float | None, digits: int = 1) -> str:
    return "?" if value is None else number(value, current_lang.get(), digits)


def _percent(value: float | None) -> str:
    return "?" if value is None else percent(value, current_lang.get())


def _datetime(value: dt.datetime | dt.date | None) -> str:
    if value is None:
        return "-"
    from babel.dates import format_date, format_datetime

    if isinstance(value, dt.datetime):
        return format_datetime(value, "medium", tzinfo=dt.UTC, locale=current_lang.get())
    return format_date(value, "medium", locale=current_lang.get())


def _direction() -> str:
    return direction(current_lang.get())


def make_templates() -> Jinja2Templates:
    """The template environment of the portal."""
    env = Environment(
        loader=PackageLoader("guarantor.web", "templates"),
        autoescape=select_autoescape(["html"]),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_callables(gettext=_gettext, ngettext=_ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.filters.update(num=_number, pct=_percent, when=_datetime)
    env.globals.update(direction=_direction, lang=current_lang.get)
    return Jinja2Templates(env=env)
