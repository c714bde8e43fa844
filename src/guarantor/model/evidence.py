"""Evidence: news documents, and who is reported in them to have said what.

An :class:`Attribution` is one reporting clause found in a document: a speaker (as written),
a cue ("قال", "according to"), and the content the speaker is presented as having
communicated, quoted or paraphrased. Offsets are character offsets into the document's
normalised text, so a span can be highlighted exactly.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from guarantor.model.base import Frozen, Text

SpeakerKind = Literal["named", "institution", "anonymous", "outlet"]
"""``named``: a named person or a definite title that stands for one person; ``institution``:
a named state, government, ministry or body; ``anonymous``: an unnamed person or group
("أربعة من المسؤولين الغربيين", "three people familiar with the talks"); ``outlet``: a news
organisation reporting on its own account."""


class Span(Frozen):
    """A piece of a document's text: ``text == document.text[start:end]``."""

    start: int
    end: int
    text: str


class Attribution(Frozen):
    """One reporting clause: who is reported to have said what, and how."""

    sentence: Span
    speaker: Span | None
    """The speaker as written; for an implicit speaker ("وأضاف", "He said") the nearest
    earlier mention it refers back to."""
    implicit: bool = False
    kind: SpeakerKind
    sources: int | None
    """How many people or bodies the attribution stands for; None for a plural with no
    number ("officials", "المسؤولون")."""
    affiliation: tuple[str, ...] = ()
    """Codes from the affiliation lexicon: us, western, european, russian, kremlin,
    ukrainian, former, ..."""
    cue: Span | None
    """The reporting word or phrase as written (with its conjunction), or ':' in a headline
    of the form "speaker: claim"; None for a bare quotation."""
    content: Span | None
    """The quote or paraphrase; None when it points back to content already reported."""
    direct: bool = False
    """Whether the content is a direct quotation (inside quotation marks)."""
    topics: tuple[str, ...] = ()
    via_outlet: str | None = None
    """The outlet through which the speaker is reported, or to which they spoke."""
    nested_in: int | None = None
    """Index (in the document's list) of the attribution whose content contains this one."""
    entity: str | None = None
    """Id of the person or body in the gazetteer, when the speaker is a known one."""


class Document(Frozen):
    """A stored news document."""

    id: str
    """SHA-256 of the normalised text: the same report added twice is stored once."""
    text: str
    lang: Literal["ar", "en"]
    outlet: str | None = None
    date: dt.date | None = None
    url: str | None = None
    title: str | None = None
    origin: str | None = None
    """Where it was read from (a file name, with a line number for JSON Lines)."""


class Entity(Frozen):
    """A person, office or body that speaks in the news, with its names and spellings."""

    id: str
    kind: Literal["person", "institution", "outlet"]
    name: Text
    aliases: tuple[str, ...] = ()
    """Every spelling met in Arabic and English (كيلوغ / كيلوج / Kellogg)."""
    affiliation: tuple[str, ...] = ()
    party: str | None = None
    """The negotiation party the entity speaks for, when it does (RUS, UKR, USA, EUR)."""
