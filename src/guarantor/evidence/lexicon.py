"""The extractor's lexicons and the gazetteer, loaded from data files and checked.

Every list a user might extend is a YAML file under ``guarantor/data/lexicons/`` (cues,
number words, titles, affiliations, anonymity markers, outlets, topics, exclusions, grammar
words, given names), and the people and bodies are in ``guarantor/data/entities.yaml``.
:func:`load_lexicon` reads and validates them (a mistake is reported with the file and the
entry) into a :class:`Lexicon`; a directory of extra files with the same names extends them.

Entries are stored by their matching key (:func:`~guarantor.evidence.normalise.match_key`),
so spelling variants of hamza, alef, ya and ta marbuta meet. :func:`resolve` finds the
person or body a speaker's words name, merging spellings (كيلوغ / كيلوج / Kellogg) and
looking through Arabic clitics and the article.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

import yaml

from guarantor.evidence.normalise import TOKEN_RE, fold, match_key, words
from guarantor.model.base import Text
from guarantor.model.evidence import Entity

LEXICON_FILES = (
    "cues",
    "numbers",
    "titles",
    "affiliations",
    "anonymity",
    "outlets",
    "topics",
    "exclusions",
    "grammar",
    "names",
)


class LexiconError(ValueError):
    """A lexicon or gazetteer file is malformed; the message names the file and the entry."""


# --- word classes ------------------------------------------------------------------------------
# One bit per class. "Function" classes match a token exactly; "nominal" classes also match
# after Arabic clitics are stripped («لأوكرانيا», «والدول», «للصحيفة»).

TITLE = 1 << 0
INSTITUTION = 1 << 1
DOCUMENT = 1 << 2
GROUP = 1 << 3
ANONYMOUS = 1 << 4
ANON_MODIFIER = 1 << 5
OUTLET_GENERIC = 1 << 6
PRESS = 1 << 7
NUMBER = 1 << 8
AFFILIATION = 1 << 9
GIVEN_NAME = 1 << 10
INFO_NOUN = 1 << 11
TOPIC_NOUN = 1 << 12
TREATY = 1 << 13
LABEL = 1 << 14
PLURAL_OUTLET = 1 << 15
NOMINAL = (
    TITLE
    | INSTITUTION
    | DOCUMENT
    | GROUP
    | ANONYMOUS
    | ANON_MODIFIER
    | OUTLET_GENERIC
    | PRESS
    | NUMBER
    | AFFILIATION
    | GIVEN_NAME
    | INFO_NOUN
    | TOPIC_NOUN
    | TREATY
    | LABEL
)

INTRODUCER = 1 << 16
PRONOUN_INTRODUCER = 1 << 17
PRONOUN_PARTICLE = 1 << 18
PARTICLE = 1 << 19
PREPOSITION = 1 << 20
TIME = 1 << 21
RELATIVE = 1 << 22
DEMONSTRATIVE = 1 << 23
COORDINATOR = 1 << 24
NEGATION = 1 << 25
SUBJUNCTIVE = 1 << 26
ADVERB = 1 << 27
PARTITIVE = 1 << 28
NAME_LINK = 1 << 29
DETERMINER = 1 << 30
INDEFINITE = 1 << 31
AUXILIARY = 1 << 32
MODAL = 1 << 33
SUBORDINATOR = 1 << 34
PRONOUN = 1 << 35
INNER_PREPOSITION = 1 << 36
CONSENT = 1 << 37
MENTAL = 1 << 38
ANAPHORIC = 1 << 39
FOLLOWUP = 1 << 40
INFINITIVE = 1 << 41
QUESTION_WORD = 1 << 42

FRAMES = frozenset({"clause", "object", "either"})


@dataclass(frozen=True, slots=True)
class Cue:
    """A reporting cue of the lexicon (one entry of ``cues.yaml``)."""

    id: str
    lang: str
    kind: str
    """verb, participle (a continuation: «مضيفا», "adding"), source («بحسب», "according
    to"), transmit («نقلت عن») or speech_noun («قوله»)."""
    frame: str = "clause"
    preps: frozenset[str] = frozenset()
    strict: bool = False
    addressee: bool = False
    addressee_preps: frozenset[str] = frozenset()
    topic: bool = False
    speaker: str = "any"
    next: frozenset[str] = frozenset()
    object_nouns: frozenset[str] = frozenset()
    signal: bool = False
    to_object: bool = False


@dataclass(frozen=True, slots=True)
class CueForm:
    """One way a cue is written: its words as matching keys, and what the form tells."""

    words: tuple[str, ...]
    cue: Cue
    present: bool = False
    """An Arabic present-tense form («يقول»): after «أن», «لن», «كي» it is not a statement."""
    joined: bool = False
    """The last word is a clitic that joins the next word («وفقا ل» + «مصادر»)."""


@dataclass(frozen=True, slots=True)
class Phrase:
    """A multi-word lexicon entry (a topic keyword, an exclusion phrase)."""

    words: tuple[str, ...]
    tag: str


@dataclass(frozen=True, slots=True)
class Alias:
    """One spelling of a gazetteer entity, as matching-key words."""

    words: tuple[str, ...]
    entity: str
    capitals: bool
    """Written in capitals of at most four letters ("US", "AP"): must be capitals in text."""


@dataclass(slots=True)
class Word:
    """What the lexicon knows about one token (cached by its matching key)."""

    flags: int = 0
    stem: str = ""
    """The token without clitics when a nominal class matched after stripping them."""
    proclitic: str = ""
    """The preposition stripped to match («ل» in «لأوكرانيا»): the token is a phrase."""
    conjunction: bool = False
    number: int | None = None
    anonymity: int | None = None
    affiliations: tuple[str, ...] = ()


@dataclass(eq=False)
class Lexicon:
    """Every lexicon, indexed for the extractor. Build it with :func:`load_lexicon`."""

    cues: dict[str, dict[str, list[CueForm]]]
    """Per language: first word of a form -> its forms, longest first."""
    classes: dict[str, dict[str, int]]
    """Per language: matching key -> word-class bits (see the constants of this module)."""
    numbers: dict[str, int | None]
    anonymity: dict[str, int | None]
    affiliations: dict[str, tuple[str, ...]]
    phrases: dict[str, dict[str, list[Phrase]]]
    """Per language: first word -> multi-word entries (topics, exclusions), longest first."""
    pronouns: dict[str, int | None]
    entities: tuple[Entity, ...]
    aliases: dict[str, list[Alias]]
    """First word of a spelling (and its form without the article) -> spellings."""
    skeletons: dict[str, str]
    """Consonant skeleton of a person's surname -> entity id (for unlisted spellings)."""
    suffixes: tuple[str, ...] = ()
    """Arabic object pronouns written on a verb («قاله», «أبلغهم»)."""
    _words: dict[tuple[str, str], Word] = field(default_factory=dict)
    by_id: dict[str, Entity] = field(init=False)
    """Entity id -> entity."""

    def __post_init__(self) -> None:
        self.by_id = {e.id: e for e in self.entities}

    def word(self, key: str, lang: str) -> Word:
        """What is known about the token ``key`` in a text of language ``lang``."""
        cached = self._words.get((key, lang))
        if cached is None:
            cached = self._analyse(key, lang)
            self._words[(key, lang)] = cached
        return cached

    def _analyse(self, key: str, lang: str) -> Word:
        classes = self.classes[lang]
        other = self.classes["en" if lang == "ar" else "ar"]
        info = Word(flags=classes.get(key, 0) | (other.get(key, 0) & NOMINAL))
        numbered = counted = False
        for stem, proclitic, conjunction in arabic_stems(key):
            nominal = (classes.get(stem, 0) | other.get(stem, 0)) & NOMINAL
            if stem != key and nominal and not info.stem:
                info.flags |= nominal
                info.stem, info.proclitic, info.conjunction = stem, proclitic, conjunction
            if not numbered and stem in self.numbers:
                info.number, numbered = self.numbers[stem], True
            if not counted and stem in self.anonymity:
                info.anonymity, counted = self.anonymity[stem], True
            if not info.affiliations and stem in self.affiliations:
                info.affiliations = self.affiliations[stem]
        if not info.stem:
            info.stem = key
        return info


# --- clitics -----------------------------------------------------------------------------------

_CONJUNCTIONS = "وف"
_PREPOSITIONS = "بلك"


@cache
def arabic_stems(key: str) -> tuple[tuple[str, str, bool], ...]:
    """The ways to read a token (a matching key) without its clitics, as (stem, preposition
    stripped, conjunction stripped), the token itself first.

    «والدول» -> والدول, الدول, دول; «للصحيفة» -> للصحيفة, الصحيفة, صحيفة; «لأوكرانيا» ->
    لاوكرانيا, اوكرانيا. Latin tokens lose a possessive "'s" ("trump's" -> trump).
    """
    if not key or not ("\u0600" <= key[0] <= "\u06ff"):
        if key.endswith("'s") and len(key) > 3:
            return ((key, "", False), (key[:-2], "", False))
        return ((key, "", False),)
    out: list[tuple[str, str, bool]] = [(key, "", False)]
    seen = {key}

    def add(stem: str, proclitic: str, conj: bool) -> None:
        if len(stem) >= 2 and stem not in seen:
            seen.add(stem)
            out.append((stem, proclitic, conj))
        if stem.startswith("ال") and len(stem) > 4:
            add(stem[2:], proclitic, conj)

    add(key, "", False)
    bodies = [(key, False)]
    if len(key) > 3 and key[0] in _CONJUNCTIONS:
        bodies.append((key[1:], True))
        add(key[1:], "", True)
    for body, conj in bodies:
        if len(body) > 3 and body[0] in _PREPOSITIONS:
            if body.startswith("لل"):
                add("ال" + body[2:], "ل", conj)
            else:
                add(body[1:], body[0], conj)
    return tuple(out)


def skeleton(key: str) -> str:
    """A name's consonant skeleton, for spellings the gazetteer does not list: vowel letters
    and hamza after the first letter dropped, the letters that write a foreign g merged
    («زيلينسكي» and «زيلنسكي» -> زلنسك; "zelenskiy" and "zelenskyy" -> zlnsk)."""
    if not key:
        return ""
    if "\u0600" <= key[0] <= "\u06ff":
        body = key[1:].translate(_AR_SKELETON)
        if body.endswith("ه"):
            body = body[:-1]
        return key[0] + body
    plain = "".join(c for c in unicodedata.normalize("NFD", key) if not unicodedata.combining(c))
    out = plain[:1]
    for c in plain[1:]:
        if c in "aeiouyhw'-" or (out and out[-1] == c):
            continue
        out += c
    return out


_AR_SKELETON = str.maketrans(
    {"ا": None, "و": None, "ي": None, "ء": None, "غ": "ج", "ق": "ج", "گ": "ج"}
)


# --- loading and validation --------------------------------------------------------------------

DATA = resources.files("guarantor") / "data"
LANGS = ("ar", "en")


def _read(source: Traversable | Path, name: str) -> Any:
    try:
        return yaml.safe_load(source.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise LexiconError(f"{name}: not valid YAML: {exc}") from exc


def _strings(value: Any, where: str) -> list[str]:
    """A list of non-empty strings (YAML's ``no`` and ``on`` read as booleans are caught)."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise LexiconError(f"{where}: expected a list of strings, got {type(value).__name__}")
    for i, item in enumerate(value):
        if not isinstance(item, str) or not item.strip():
            raise LexiconError(
                f"{where}[{i}]: expected a non-empty string, got {item!r} (quote it)"
            )
    return list(value)


def _mapping(value: Any, where: str) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise LexiconError(f"{where}: expected a mapping, got {type(value).__name__}")
    return value


def _count(value: Any, where: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise LexiconError(f"{where}: expected a whole number of at least 1 or null, got {value!r}")
    return value


def _key_words(text: str) -> tuple[str, ...]:
    return words(match_key(text))


def _merge(base: Any, extra: Any) -> Any:
    """Extend ``base`` with a user file: lists are concatenated, mappings merged."""
    if isinstance(base, dict) and isinstance(extra, dict):
        merged = dict(base)
        for k, v in extra.items():
            merged[k] = _merge(base[k], v) if k in base else v
        return merged
    if isinstance(base, list) and isinstance(extra, list):
        return base + extra
    return extra


def _load_files(extra: Path | None) -> dict[str, dict[str, Any]]:
    folder = DATA / "lexicons"
    data: dict[str, dict[str, Any]] = {}
    for name in LEXICON_FILES:
        data[name] = _mapping(_read(folder / f"{name}.yaml", f"{name}.yaml"), f"{name}.yaml")
        if extra is not None and (extra / f"{name}.yaml").is_file():
            user = f"{extra}/{name}.yaml"
            data[name] = _merge(data[name], _mapping(_read(extra / f"{name}.yaml", user), user))
    return data


_CUE_FIELDS = frozenset(
    {"id", "past", "present", "forms", "frame", "preps", "strict", "addressee",
     "addressee_preps", "topic", "speaker", "next", "object_nouns", "signal", "to_object",
     "suffixes"}
)  # fmt: skip
_FLAGS = ("strict", "addressee", "topic", "signal", "to_object", "suffixes")


def _cue(entry: Any, lang: str, kind: str, where: str) -> tuple[Cue, dict[str, Any]]:
    """Check one entry of ``cues.yaml`` and make its :class:`Cue`."""
    entry = _mapping(entry, where)
    unknown = set(entry) - _CUE_FIELDS
    if unknown:
        raise LexiconError(f"{where}: unknown field(s) {sorted(unknown)}")
    if not isinstance(entry.get("id"), str):
        raise LexiconError(f"{where}: every cue needs an id")
    where = f"{where} ({entry['id']})"
    frame = entry.get("frame", "clause")
    if frame not in FRAMES:
        raise LexiconError(f"{where}: frame must be one of {sorted(FRAMES)}, got {frame!r}")
    speaker = entry.get("speaker", "any")
    if speaker not in ("any", "document"):
        raise LexiconError(f"{where}: speaker must be 'any' or 'document', got {speaker!r}")
    for flag in _FLAGS:
        if not isinstance(entry.get(flag, False), bool):
            raise LexiconError(f"{where}: {flag} must be true or false")

    def keys(name: str) -> frozenset[str]:
        return frozenset(match_key(s) for s in _strings(entry.get(name), f"{where}.{name}"))

    cue = Cue(
        id=entry["id"], lang=lang, kind=kind, frame=frame, preps=keys("preps"),
        strict=entry.get("strict", False), addressee=entry.get("addressee", False),
        addressee_preps=keys("addressee_preps"), topic=entry.get("topic", False),
        speaker=speaker, next=keys("next"), object_nouns=keys("object_nouns"),
        signal=entry.get("signal", False), to_object=entry.get("to_object", False),
    )  # fmt: skip
    return cue, entry


@dataclass
class _CueIndex:
    """The forms of one language's cues, by their first word."""

    lang: str
    conjunctions: list[str]
    index: dict[str, list[CueForm]] = field(default_factory=dict)

    def add(self, form: str, cue: Cue, present: bool, where: str) -> None:
        ws = _key_words(form)
        if not ws:
            raise LexiconError(f"{where}: form {form!r} has no words")
        joined = form.rstrip().endswith((" ل", " لـ"))
        variants = [ws]
        if self.lang == "ar":  # «وقال», «فقال»
            variants += [(c + ws[0], *ws[1:]) for c in self.conjunctions]
        for v in variants:
            self.index.setdefault(v[0], []).append(CueForm(v, cue, present, joined))


def _cue_index(data: dict[str, Any], lang: str) -> dict[str, list[CueForm]]:
    section = _mapping(data.get(lang), f"cues.yaml: {lang}")
    where = f"cues.yaml: {lang}"
    conjunctions = [
        match_key(c) for c in _strings(section.get("conjunctions"), f"{where}.conjunctions")
    ]
    suffixes = [
        match_key(c) for c in _strings(section.get("object_suffixes"), f"{where}.object_suffixes")
    ]
    out = _CueIndex(lang, conjunctions)
    ids: set[tuple[str, str]] = set()
    for kind, key in (("verb", "verbs"), ("participle", "participles")):
        for i, raw in enumerate(section.get(key) or []):
            at = f"{where}.{key}[{i}]"
            cue, entry = _cue(raw, lang, kind, at)
            if (kind, cue.id) in ids:
                raise LexiconError(f"{at}: duplicate id {cue.id!r}")
            ids.add((kind, cue.id))
            forms = [
                (form, name == "present")
                for name in ("past", "present", "forms")
                for form in _strings(entry.get(name), f"{at}.{name}")
            ]
            if not forms:
                raise LexiconError(f"{at}: no forms")
            for form, present in forms:
                out.add(form, cue, present, at)
                for suffix in suffixes if entry.get("suffixes") else ():
                    out.add(form + suffix, cue, present, at)  # «أبلغهم»
    for kind, key in (
        ("source", "sources"),
        ("transmit", "transmit"),
        ("speech_noun", "speech_nouns"),
    ):
        cue = Cue(id=key, lang=lang, kind=kind)
        for form in _strings(section.get(key), f"{where}.{key}"):
            out.add(form, cue, False, f"{where}.{key}")
    for forms_list in out.index.values():
        forms_list.sort(key=lambda f: -len(f.words))
    return out.index


def _by_lang(data: Any, where: str) -> dict[str, list[str]]:
    section = _mapping(data, where)
    return {lang: _strings(section.get(lang), f"{where}.{lang}") for lang in LANGS}


_GRAMMAR = {
    "introducers": INTRODUCER, "pronoun_introducers": PRONOUN_INTRODUCER,
    "pronoun_particles": PRONOUN_PARTICLE, "particles": PARTICLE, "prepositions": PREPOSITION,
    "time": TIME, "relatives": RELATIVE, "demonstratives": DEMONSTRATIVE,
    "coordinators": COORDINATOR, "negation": NEGATION, "subjunctive": SUBJUNCTIVE,
    "adverbs": ADVERB, "partitive": PARTITIVE, "name_links": NAME_LINK,
    "determiners": DETERMINER, "indefinite": INDEFINITE, "auxiliaries": AUXILIARY,
    "modals": MODAL, "subordinators": SUBORDINATOR, "np_inner_prepositions": INNER_PREPOSITION,
    "infinitive": INFINITIVE,
}  # fmt: skip
_EXCLUSION_CLASSES = {
    "consent": CONSENT, "mental": MENTAL, "topic_nouns": TOPIC_NOUN,
    "topic_followups": FOLLOWUP, "anaphoric": ANAPHORIC, "treaty_speakers": TREATY,
    "headline_labels": LABEL,
}  # fmt: skip
_EXCLUSION_PHRASES = (
    "question_frames",
    "no_comment",
    "impersonal",
    "indirect_questions",
    "conduct_markers",
)


@dataclass
class _Classes:
    """Word classes (one word) and phrases (several words, or tagged) per language."""

    classes: dict[str, dict[str, int]] = field(default_factory=lambda: {x: {} for x in LANGS})
    phrases: dict[str, dict[str, list[Phrase]]] = field(
        default_factory=lambda: {x: {} for x in LANGS}
    )

    def word(self, lang: str, item: str, flag: int) -> None:
        ws = _key_words(item) or ((":",) if item.strip() == ":" else ())
        if len(ws) == 1:
            self.classes[lang][ws[0]] = self.classes[lang].get(ws[0], 0) | flag

    def phrase(self, lang: str, item: str, tag: str) -> None:
        ws = _key_words(item)
        if ws:
            self.phrases[lang].setdefault(ws[0], []).append(Phrase(ws, tag))

    def words(self, section: Any, where: str, flag: int) -> None:
        for lang, items in _by_lang(section, where).items():
            for item in items:
                self.word(lang, item, flag)


def _classes(data: dict[str, dict[str, Any]]) -> _Classes:
    """Every word class and phrase of the lexicon files."""
    out = _Classes()
    titles = data["titles"]
    for name, flag in (
        ("titles", TITLE),
        ("institutions", INSTITUTION),
        ("documents", DOCUMENT),
        ("groups", GROUP),
    ):
        out.words(titles.get(name), f"titles.yaml: {name}", flag)
    info = _mapping(titles.get("information"), "titles.yaml: information")
    for lang in LANGS:
        for item in _strings(info.get("nouns"), "titles.yaml: information.nouns"):
            out.word(lang, item, INFO_NOUN)
        for item in _strings(info.get("obtained"), "titles.yaml: information.obtained"):
            out.phrase(lang, item, "obtained")
    out.words(data["anonymity"].get("modifiers"), "anonymity.yaml: modifiers", ANON_MODIFIER)
    out.words(data["outlets"].get("generic"), "outlets.yaml: generic", OUTLET_GENERIC)
    out.words(data["outlets"].get("press"), "outlets.yaml: press", PRESS)
    out.words(data["outlets"].get("plural"), "outlets.yaml: plural", OUTLET_GENERIC | PLURAL_OUTLET)
    out.words(data["names"], "names.yaml", GIVEN_NAME)
    exclusions = data["exclusions"]
    for name, flag in _EXCLUSION_CLASSES.items():
        out.words(exclusions.get(name), f"exclusions.yaml: {name}", flag)
    for name in _EXCLUSION_PHRASES:
        for lang, items in _by_lang(exclusions.get(name), f"exclusions.yaml: {name}").items():
            for item in items:
                out.phrase(lang, item, name)
                if name == "indirect_questions":
                    out.word(lang, item, QUESTION_WORD)
    for lang in LANGS:
        section = _mapping(data["grammar"].get(lang), f"grammar.yaml: {lang}")
        for name, value in section.items():
            if name == "pronouns":
                for pronoun in _mapping(value, f"grammar.yaml: {lang}.pronouns"):
                    out.word(lang, str(pronoun), PRONOUN)
            elif name in _GRAMMAR:
                for item in _strings(value, f"grammar.yaml: {lang}.{name}"):
                    key = match_key(item)  # kept whole: «لـ» is one letter
                    out.classes[lang][key] = out.classes[lang].get(key, 0) | _GRAMMAR[name]
            else:
                raise LexiconError(f"grammar.yaml: {lang}.{name}: unknown list")
        for word in _mapping(data["numbers"].get(lang), f"numbers.yaml: {lang}"):
            out.word(lang, str(word), NUMBER)
        for word in _mapping(data["anonymity"].get(lang), f"anonymity.yaml: {lang}"):
            out.word(lang, str(word), ANONYMOUS)
    for code, value in data["topics"].items():
        for lang, items in _by_lang(value, f"topics.yaml: {code}").items():
            for item in items:
                out.phrase(lang, item, f"topic:{code}")
    for code, value in data["affiliations"].items():
        for item in _strings(value, f"affiliations.yaml: {code}"):
            for lang in LANGS:
                out.word(lang, item, AFFILIATION)
    for by_first in out.phrases.values():
        for entries in by_first.values():
            entries.sort(key=lambda p: -len(p.words))
    return out


def _counts(section: dict[str, Any], where: str) -> dict[str, int | None]:
    """Word -> count, both languages (numbers.yaml, anonymity.yaml)."""
    out: dict[str, int | None] = {}
    for lang in LANGS:
        for word, value in _mapping(section.get(lang), f"{where}: {lang}").items():
            out[match_key(str(word))] = _count(value, f"{where}: {lang}.{word}")
    return out


def _affiliations(data: dict[str, Any]) -> dict[str, tuple[str, ...]]:
    out: dict[str, tuple[str, ...]] = {}
    for code, value in data.items():
        for item in _strings(value, f"affiliations.yaml: {code}"):
            for w in _key_words(item):
                out[w] = tuple(dict.fromkeys((*out.get(w, ()), str(code))))
    return out


_ENTITY_FIELDS = frozenset({"id", "kind", "name", "aliases", "affiliation", "party"})
_PARTIES = ("RUS", "UKR", "USA", "EUR")


def _entity(raw: Any, where: str, default_kind: str | None = None) -> Entity:
    """Check one gazetteer entry and make its :class:`Entity`."""
    raw = _mapping(raw, where)
    if default_kind and "kind" not in raw:
        raw = {**raw, "kind": default_kind}
    unknown = set(raw) - _ENTITY_FIELDS
    if unknown:
        raise LexiconError(f"{where}: unknown field(s) {sorted(unknown)}")
    if not isinstance(raw.get("id"), str) or not raw["id"]:
        raise LexiconError(f"{where}: every entity needs an id")
    where = f"{where} ({raw['id']})"
    if raw.get("kind") not in ("person", "institution", "outlet"):
        raise LexiconError(
            f"{where}: kind must be person, institution or outlet, got {raw.get('kind')!r}"
        )
    name = _mapping(raw.get("name"), f"{where}.name")
    if not isinstance(name.get("en"), str) or not isinstance(name.get("ar"), str):
        raise LexiconError(f"{where}.name: needs both en and ar")
    party = raw.get("party")
    if party is not None and party not in _PARTIES:
        raise LexiconError(f"{where}.party: must be one of {', '.join(_PARTIES)}, got {party!r}")
    return Entity(
        id=raw["id"],
        kind=raw["kind"],
        name=Text(en=name["en"], ar=name["ar"]),
        aliases=tuple(_strings(raw.get("aliases"), f"{where}.aliases")),
        affiliation=tuple(_strings(raw.get("affiliation"), f"{where}.affiliation")),
        party=party,
    )


def _entities(outlets: dict[str, Any], extra: Path | None) -> tuple[Entity, ...]:
    """The shipped gazetteer, the outlets of ``outlets.yaml`` and a user gazetteer."""
    out: dict[str, Entity] = {}
    sources = [(_read(DATA / "entities.yaml", "entities.yaml"), "entities.yaml")]
    if extra is not None:
        sources.append((_read(extra, str(extra)), str(extra)))
    for data, name in sources:
        items = _mapping(data, name).get("entities") or []
        if not isinstance(items, list):
            raise LexiconError(f"{name}: entities must be a list")
        seen: set[str] = set()
        for i, raw in enumerate(items):
            entity = _entity(raw, f"{name}: entities[{i}]")
            if entity.id in seen:
                raise LexiconError(f"{name}: entities[{i}]: duplicate id {entity.id!r}")
            seen.add(entity.id)
            out[entity.id] = entity  # a user entry replaces a shipped one
    for i, raw in enumerate(outlets.get("outlets") or []):
        entity = _entity(raw, f"outlets.yaml: outlets[{i}]", default_kind="outlet")
        out.setdefault(entity.id, entity)
    return tuple(out.values())


def _alias_index(entities: Sequence[Entity]) -> tuple[dict[str, list[Alias]], dict[str, str]]:
    """Spellings by their first word (and that word without the article), and the consonant
    skeletons of people's one-word names (dropped where two people share one)."""
    index: dict[str, list[Alias]] = {}
    skeletons: dict[str, set[str]] = {}
    for e in entities:
        for spelling in {*e.aliases, e.name.en, e.name.ar}:
            ws = _key_words(spelling)
            if not ws:
                continue
            caps = spelling.isupper() and spelling.isascii() and len(spelling.replace(".", "")) <= 4
            alias = Alias(ws, e.id, caps)
            for first in {ws[0], ws[0][2:] if ws[0].startswith("ال") and len(ws[0]) > 4 else ws[0]}:
                index.setdefault(first, []).append(alias)
            sk = skeleton(ws[0]) if e.kind == "person" and len(ws) == 1 else ""
            if len(sk) >= 4:
                skeletons.setdefault(sk, set()).add(e.id)
    for entries in index.values():
        entries.sort(key=lambda a: -len(a.words))
    return index, {sk: next(iter(ids)) for sk, ids in skeletons.items() if len(ids) == 1}


def load_lexicon(extra: Path | None = None, entities: Path | None = None) -> Lexicon:
    """Read and check every lexicon file and the gazetteer.

    ``extra`` is a directory of user files named like the shipped ones (``cues.yaml`` ...):
    their lists extend the shipped ones. ``entities`` is a user gazetteer in the format of
    ``entities.yaml``: its entries are added, and one with a shipped id replaces it.
    Raises :class:`LexiconError` naming the file and the entry of any mistake.
    """
    data = _load_files(extra)
    classes = _classes(data)
    grammar = _mapping(data["grammar"].get("en"), "grammar.yaml: en")
    pronouns = {
        match_key(str(k)): _count(v, f"grammar.yaml: en.pronouns.{k}")
        for k, v in _mapping(grammar.get("pronouns"), "grammar.yaml: en.pronouns").items()
    }
    suffixes = _strings(
        _mapping(data["cues"].get("ar"), "cues.yaml: ar").get("object_suffixes"),
        "cues.yaml: ar.object_suffixes",
    )
    gazetteer = _entities(data["outlets"], entities)
    aliases, skeletons = _alias_index(gazetteer)
    return Lexicon(
        cues={lang: _cue_index(data["cues"], lang) for lang in LANGS},
        classes=classes.classes,
        numbers=_counts(data["numbers"], "numbers.yaml"),
        anonymity=_counts(data["anonymity"], "anonymity.yaml"),
        affiliations=_affiliations(data["affiliations"]),
        phrases=classes.phrases,
        pronouns=pronouns,
        entities=gazetteer,
        aliases=aliases,
        skeletons=skeletons,
        suffixes=tuple(sorted((match_key(x) for x in suffixes), key=len, reverse=True)),
    )


@cache
def default_lexicon() -> Lexicon:
    """The shipped lexicons, loaded once per process."""
    return load_lexicon()


def load_entities(path: Path | None = None) -> tuple[Entity, ...]:
    """The gazetteer: ``entities.yaml`` with the outlets of ``lexicons/outlets.yaml``, and
    the entries of a user file ``path`` when given."""
    if path is None:
        return default_lexicon().entities
    return load_lexicon(entities=path).entities


# --- resolving names ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Mention:
    """A gazetteer entity named by words ``start``..``end`` (exclusive) of a token list."""

    start: int
    end: int
    entity: str
    proclitic: str = ""
    """A preposition written on the first word («لترامب»): the mention is a phrase."""
    conjunction: bool = False
    """«و» or «ف» written on the first word («وإسبانيا»)."""


def find_mentions(
    keys: Sequence[str], lexicon: Lexicon, capitals: Sequence[bool] | None = None
) -> list[Mention]:
    """Gazetteer entities named in a list of token keys, longest spelling first, left to
    right. ``capitals`` says which tokens are written in capitals (for "US", "AP")."""
    out: list[Mention] = []
    i, n = 0, len(keys)
    while i < n:
        found: Mention | None = None
        for stem, proclitic, conj in arabic_stems(keys[i]):
            for alias in lexicon.aliases.get(stem, ()):
                k = len(alias.words)
                if i + k > n:
                    continue
                first = alias.words[0]
                if not (stem == first or (stem == first[2:] and first.startswith("ال"))):
                    continue
                if any(keys[i + j] != alias.words[j] for j in range(1, k)):
                    continue
                if alias.capitals and capitals is not None and not all(capitals[i : i + k]):
                    continue
                if found is None or k > found.end - found.start:
                    found = Mention(i, i + k, alias.entity, proclitic, conj)
            if found is not None:
                break
        if found is None and lexicon.skeletons:
            for stem, proclitic, conj in arabic_stems(keys[i])[:3]:
                entity = lexicon.skeletons.get(skeleton(stem))
                if entity is not None and len(stem) >= 4:
                    found = Mention(i, i + 1, entity, proclitic, conj)
                    break
        if found is not None:
            out.append(found)
            i = found.end
        else:
            i += 1
    return out


def resolve(speaker_text: str, lexicon: Lexicon | None = None) -> Entity | None:
    """The person or body that ``speaker_text`` names, spellings merged (كيلوغ / كيلوج /
    Kellogg), or None. When several are named («المبعوث الأمريكي الخاص لأوكرانيا كيث
    كيلوج») the last person wins, then the first body or outlet; a possessive ("Trump's
    envoy") does not name its speaker."""
    lex = lexicon or default_lexicon()
    folded = fold(speaker_text)
    keys: list[str] = []
    caps: list[bool] = []
    for m in TOKEN_RE.finditer(folded.text):
        if m.group()[0].isalnum():
            keys.append(m.group())
            original = speaker_text[folded.start(m.start()) : folded.end(m.end())]
            caps.append(original.replace(".", "").replace("'", "").isupper())
    mentions = find_mentions(keys, lex, caps)
    by_id = lex.by_id
    people = [
        m
        for m in mentions
        if by_id[m.entity].kind == "person" and not keys[m.end - 1].endswith("'s")
    ]
    if people:
        return by_id[people[-1].entity]
    others = [m for m in mentions if by_id[m.entity].kind != "person"]
    if others:
        return by_id[others[0].entity]
    return None
