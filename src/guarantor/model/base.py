"""Base classes shared by every domain type: frozen, strict about unknown keys."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

Lang = Literal["en", "ar"]
LANGS: tuple[Lang, ...] = ("en", "ar")


class Frozen(BaseModel):
    """An immutable domain record; unknown keys in input are errors, not silently dropped."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class Text(Frozen):
    """A user-facing string in both languages. Both are required: the tool is bilingual."""

    en: str
    ar: str

    def get(self, lang: str) -> str:
        """The text in ``lang`` (English for any language other than Arabic)."""
        return self.ar if lang == "ar" else self.en
