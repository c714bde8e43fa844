"""Text normalisation for storage and for matching, and sentence splitting with offsets.

Two different things are called normalisation here, and they must not be confused:

- :func:`normalise` gives the *stored* form of a document (NFC, Unix newlines, no byte order
  marks or zero-width characters, no trailing spaces). It is what is hashed and what every
  :class:`~guarantor.model.evidence.Span` points into. Letters are kept as written.
- :func:`fold` gives a *matching key*: Arabic letter variants folded (alef, hamza, ya,
  ta marbuta), tashkeel and tatweel removed, Latin lower-cased. It keeps a map from every
  character of the key back to its offset in the text it was made from, so a match found in
  the key becomes a span of the stored text.

Sentences are split on Arabic and English sentence punctuation and on line breaks (a
headline is a line of its own, so it is a sentence of its own), except inside a quotation
that closes later in the same paragraph.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from itertools import pairwise

from pyarabic import araby

# --- storage form ------------------------------------------------------------------------------

# Byte order marks, zero-width spaces and joiners, bidi controls, soft hyphens: invisible
# characters that make the same report hash differently.
_JUNK = dict.fromkeys(
    [0xFEFF, 0x200B, 0x200C, 0x200D, 0x2060, 0x00AD, 0x200E, 0x200F, 0x061C,
     *range(0x202A, 0x202F), *range(0x2066, 0x206A)]
)  # fmt: skip
# Unusual spaces become plain spaces.
_SPACES = dict.fromkeys([0x00A0, 0x2007, 0x202F, 0x205F, 0x3000, *range(0x2000, 0x200B)], " ")


def normalise(text: str) -> str:
    """The stored form of a text: NFC, Unix newlines, no byte order marks, zero-width or bidi
    control characters, plain spaces, no trailing spaces, at most one blank line in a row."""
    text = unicodedata.normalize("NFC", text).translate(_JUNK).translate(_SPACES)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = [line.rstrip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


# --- matching key ------------------------------------------------------------------------------

# Characters dropped from the key: tashkeel (pyarabic's list, plus the superscript alef and
# Quranic marks) and tatweel.
_DROP = (
    set(araby.TASHKEEL) | {araby.TATWEEL, araby.MINI_ALEF} | {chr(c) for c in range(0x06D6, 0x06EE)}
)
_FOLD: dict[int, str | None] = dict.fromkeys(map(ord, _DROP))
# Letter variants folded for matching: every alef with hamza or madda to bare alef, alef
# maksura to ya, ta marbuta to ha, hamza on waw or ya to the bare hamza (so «مسؤول» and
# «مسئول» meet), Persian kaf and ya to Arabic, Eastern digits to Western ones, typographic
# apostrophes to the ASCII one.
for _c in (araby.ALEF_HAMZA_ABOVE, araby.ALEF_HAMZA_BELOW, araby.ALEF_MADDA, araby.ALEF_WASLA):
    _FOLD[ord(_c)] = araby.ALEF
_FOLD[ord(araby.ALEF_MAKSURA)] = araby.YEH
_FOLD[ord(araby.TEH_MARBUTA)] = araby.HEH
_FOLD[ord(araby.WAW_HAMZA)] = araby.HAMZA
_FOLD[ord(araby.YEH_HAMZA)] = araby.HAMZA
_FOLD[ord("\u06a9")] = "\u0643"  # keheh
_FOLD[ord("\u06cc")] = araby.YEH  # Farsi yeh
_FOLD[ord("\u06c1")] = araby.HEH  # heh goal
for _i in range(10):
    _FOLD[0x0660 + _i] = str(_i)
    _FOLD[0x06F0 + _i] = str(_i)
_FOLD[ord("\u2019")] = "'"
_FOLD[ord("\u2018")] = "'"
_FOLD[ord("\u02bc")] = "'"
_DROP_RE = re.compile("[" + "".join(sorted(_DROP)) + "]")


@dataclass(frozen=True, slots=True)
class Folded:
    """A matching key and the way back from its offsets to those of the original text."""

    text: str
    """The key: folded letters, no tashkeel or tatweel, Latin in lower case."""
    index: tuple[int, ...] | None
    """Offset in the original of each character of the key (and one past the end); None when
    no character was dropped, so that offsets are the same."""

    def start(self, i: int) -> int:
        """Offset in the original text of key offset ``i`` (a start)."""
        return i if self.index is None else self.index[i]

    def end(self, i: int) -> int:
        """Offset in the original text for a span of the key that ends at ``i``: the marks
        dropped after its last letter (tashkeel, tatweel) stay inside the span."""
        return i if self.index is None else self.index[i]


def _lower(text: str) -> str:
    """Lower case that never changes the length (``"İ".lower()`` would)."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def fold(text: str) -> Folded:
    """The matching key of ``text`` with a map back to its offsets."""
    key = _lower(text.translate(_FOLD))
    if not _DROP_RE.search(text):
        return Folded(key, None)
    index = [i for i, c in enumerate(text) if c not in _DROP]
    index.append(len(text))
    return Folded(key, tuple(index))


def match_key(text: str) -> str:
    """The matching key alone (for lexicon entries)."""
    return _lower(text.translate(_FOLD))


# Tokens of a matching key: initials with full stops ("u.s."), numbers with their suffixes
# ("5-like"), words with inner apostrophes and hyphens ("trump's", "two-track"), and every
# other non-space character on its own (punctuation, quotation marks, dashes). Words are
# pyarabic's (``araby.TOKEN_PATTERN_SPLIT``: word characters and apostrophes); its tokenizer
# is not used as such because it drops the punctuation the extractor reads.
TOKEN_RE = re.compile(
    r"(?:[a-z]\.){2,}|\d+(?:[.,/]\d+)*(?:-\w+)*|\w+(?:['-]\w+)*|[^\w\s]", re.UNICODE
)


def words(key: str) -> tuple[str, ...]:
    """The word tokens of a matching key (punctuation left out): how lexicon phrases are
    split, the same way the extractor splits a document."""
    return tuple(t for t in TOKEN_RE.findall(key) if t[0].isalnum() or t[0] == "_")


# --- paragraphs, quotations, sentences ---------------------------------------------------------

OPENING_QUOTES = '“«„"‹'
CLOSING_QUOTES = '”»"›“'
QUOTES = set(OPENING_QUOTES) | set(CLOSING_QUOTES)
_PAIRS = {"«": "»", "‹": "›"}


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Offsets of the non-empty lines of ``text`` (a paragraph is a line in stored news)."""
    out = []
    for m in re.finditer(r"[^\n]+", text):
        if m.group().strip():
            out.append((m.start(), m.end()))
    return out


def pair_quotes(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int | None]]:
    """Quotations in ``text[start:end]`` as (opening mark offset, closing mark offset or None
    when the quotation never closes).

    Marks are paired in order. A mark that could open («“», «"») opens when no quotation is
    open and closes one otherwise: news text uses «“» to close as often as «”», and
    machine translation swaps them. «« … »» pairs strictly.
    """
    end = len(text) if end is None else end
    out: list[tuple[int, int | None]] = []
    opened: int | None = None
    for i in range(start, end):
        c = text[i]
        if c not in QUOTES:
            continue
        if opened is None:
            if c in "»›":
                continue  # a stray closing guillemet
            opened = i
            continue
        want = _PAIRS.get(text[opened])
        if want is not None and c != want:
            continue
        out.append((opened, i))
        opened = None
    if opened is not None:
        out.append((opened, None))
    return out


# Abbreviations that end with a full stop but not a sentence.
_ABBREVIATIONS = frozenset(
    ["mr", "mrs", "ms", "dr", "gen", "lt", "col", "sen", "rep", "gov", "st", "jan", "feb",
     "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "no", "vs", "etc",
     "inc", "corp", "co", "ltd", "jr", "sr", "prof", "maj", "capt", "sgt", "adm", "u.s", "u.k",
     "e.g", "i.e"]
)  # fmt: skip
_ENDS = ".!?؟…"


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence of a document: offsets, and the paragraph it belongs to."""

    start: int
    end: int
    paragraph: int
    first: bool
    """Whether it opens its paragraph."""
    headline: bool
    """A paragraph of one sentence with no final punctuation (a headline or a subhead)."""


def _is_abbreviation(text: str, dot: int) -> bool:
    """Whether the full stop at ``dot`` ends an abbreviation or an initial ("U.S.", "J.")."""
    i = dot
    while i > 0 and (text[i - 1].isalpha() or text[i - 1] == "."):
        i -= 1
    word = text[i:dot].lower()
    if len(word) == 1 and word.isalpha() and word.isascii():
        return True  # an initial: "J. D. Vance", "U.S."
    return word in _ABBREVIATIONS


def _breaks(text: str, start: int, end: int) -> list[int]:
    """Offsets just after the sentence ends of one paragraph."""
    inside = [False] * (end - start)
    closing = set()
    for opened, closed in pair_quotes(text, start, end):
        if closed is not None:  # a quotation that never closes does not hold sentences together
            closing.add(closed)
            for i in range(opened, closed):
                inside[i - start] = True
    out = []
    i = start
    while i < end:
        c = text[i]
        if i in closing and i > start and text[i - 1] in _ENDS:
            # “... war.” He said: a quotation that ends with a full stop ends the sentence,
            # unless a lower-case word follows (“... it.” said Rutte).
            rest = text[i + 1 : end]
            if rest[:1].isspace() and rest.strip() and not rest.lstrip()[0].islower():
                out.append(i + 1)
        elif c in _ENDS and not inside[i - start]:
            j = i + 1
            while j < end and text[j] in _ENDS:
                j += 1
            while j < end and text[j] in QUOTES | {")", "]"}:
                j += 1
            if (j == end or text[j].isspace()) and not (c == "." and _is_abbreviation(text, i)):
                out.append(j)
            i = j
            continue
        i += 1
    return out


def split_sentences(text: str) -> list[Sentence]:
    """The sentences of ``text`` with their offsets, in order; leading and trailing spaces
    are left out of each sentence."""
    out: list[Sentence] = []
    for number, (p_start, p_end) in enumerate(paragraphs(text)):
        cuts = [p_start, *_breaks(text, p_start, p_end), p_end]
        pieces = []
        for a, b in pairwise(cuts):
            piece = text[a:b]
            lead = len(piece) - len(piece.lstrip())
            body = piece.strip()
            if body:
                pieces.append((a + lead, a + lead + len(body)))
        single = len(pieces) == 1 and text[pieces[0][1] - 1] not in _ENDS + '”»"'
        for k, (a, b) in enumerate(pieces):
            out.append(Sentence(a, b, number, k == 0, single))
    return out
