"""Who is reported to have said what: rule- and lexicon-based attribution extraction.

:func:`extract` finds every reporting clause of an Arabic or English news text: the speaker
as written, the cue, the quoted or paraphrased content, what kind of speaker it is and how
many people it stands for. It is written for the text this tool meets: machine-translated
news with Latin fragments, spellings that vary, quotation marks that never close, speakers
before or after the quote, «وأضاف» and "He said" that point back to the last speaker,
reports nested inside reports, and headlines of the form "speaker: claim".

How it works, sentence by sentence:

1. Tokens are read on the matching key (:func:`~guarantor.evidence.normalise.fold`), each
   keeping its offsets in the stored text, and tagged from the lexicons: word classes,
   gazetteer mentions, quotations.
2. Every cue gets a speaker: in Arabic the noun phrase before the verb when it opens a
   clause (SVO, usually after «أن»), else the one after it (VSO); in English the noun phrase
   before the verb, or after it when the cue follows the content ("..., said Rutte"). A cue
   with no speaker of its own («وقال:», «مضيفا», «لكنه أبلغ», "He said", "and called it")
   takes the one it refers to: the clause it continues, the nearest subject before it in
   the sentence, or the last speaker of the document.
3. The content is what the cue introduces: a quotation, a clause after إن/أن/that or a
   colon, or the object of a verb of demanding or proposing; failing that, the part of the
   sentence before the cue ("“...,” Trump said").
4. An attribution whose cue lies inside another's content is nested in it; a continuation
   («مضيفا», "adding") or a new coordinated clause (", but Russia rejected") ends the content
   before it.

Every list a user might extend (cues, number words, titles, affiliations, anonymity markers,
outlets, topics, exclusions, function words) is data in ``guarantor/data/lexicons``; no rule
here names an article's wording.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from pyarabic.number import text2number

from guarantor.evidence import lexicon as lx
from guarantor.evidence.lexicon import CueForm, Lexicon, default_lexicon, find_mentions
from guarantor.evidence.normalise import (
    QUOTES,
    TOKEN_RE,
    Sentence,
    fold,
    match_key,
    pair_quotes,
    paragraphs,
    split_sentences,
)
from guarantor.model.evidence import Attribution, Span, SpeakerKind

WORD, PUNCT, QUOTE = 0, 1, 2
_DASHES = frozenset({"-", "–", "—"})
_COMMAS = frozenset({",", "،"})
_FATHATAN = "\u064b"
_ILA = match_key("إلى")
_ALA = match_key("على")
_FI = "في"
_AN = "عن"
_MA = "ما"
# Flags of function words: they end a speaker's description.
_FUNCTION = (
    lx.INTRODUCER | lx.PREPOSITION | lx.TIME | lx.RELATIVE | lx.DEMONSTRATIVE | lx.NEGATION
    | lx.PARTICLE | lx.PRONOUN_PARTICLE | lx.ADVERB | lx.CONSENT | lx.MENTAL | lx.COORDINATOR
    | lx.SUBORDINATOR | lx.MODAL | lx.AUXILIARY | lx.INFINITIVE
)  # fmt: skip
# Word classes that can head a speaker's description.
_HEADS = (
    lx.TITLE | lx.INSTITUTION | lx.DOCUMENT | lx.GROUP | lx.ANONYMOUS | lx.OUTLET_GENERIC
    | lx.GIVEN_NAME
)  # fmt: skip
_SPEAKERISH = _HEADS | lx.AFFILIATION | lx.ANON_MODIFIER | lx.NUMBER | lx.PRESS
_SUBJECT_PRONOUNS = frozenset({"he", "she", "it", "they", "we", "i", "there"})
_OBJECT_PRONOUNS = frozenset({"him", "her", "them", "us", "me", "you"})
_PASSIVE = frozenset({"is", "was", "are", "were", "be", "been", "being"})
# English words that start the part of a description after its head ("four officials |
# briefed on the document", "a document | seen by Reuters").
_POSTMODIFIERS = frozenset(
    {"familiar", "aware", "briefed", "close", "including", "seen", "obtained", "involved",
     "speaking", "knowledgeable", "sent", "who"}
)  # fmt: skip
_VIA_MARKERS = frozenset(
    {"told", "to", "interview", "with", "on", "for", "via", "ل", _FI, "عبر", "مع", "تصريحات"}
    | {match_key(w) for w in ("مقابلة", "لشبكة", "لصحيفة", "لوكالة", "لقناة", "لموقع")}
)


# --- reading a document ----------------------------------------------------------------------


@dataclass(slots=True)
class Tok:
    """A token: offsets in the stored text, its matching key, what the lexicons say."""

    start: int
    end: int
    key: str
    kind: int
    word: lx.Word
    upper: bool
    """Its first letter is a capital."""
    caps: bool
    """It is written in capitals ("US", "AP")."""
    fathatan: bool
    """It carries tanwin fath: an Arabic adverb or accusative («أيضًا», «علنًا»)."""
    mention: int = -1
    """Index of the gazetteer mention it belongs to (-1: none)."""
    quote: int = -1
    """Index of the quotation it is inside (-1: none)."""


@dataclass(slots=True)
class Quote:
    open: int
    close: int | None
    """Token indices of the marks; None when the quotation never closes."""
    end: int
    """Token index of the closing mark, or of its sentence's end when it never closes."""


@dataclass(slots=True)
class Found:
    """A mention of a gazetteer entity, in token indices of the document."""

    start: int
    end: int
    entity: str
    kind: str
    proclitic: str = ""
    conjunction: bool = False


@dataclass(eq=False)
class Cand:
    """An attribution under construction (token indices unless named ``*_chars``)."""

    sent: int
    cue: tuple[int, int] | None
    """Token range of the cue; None for a bare quotation."""
    cue_chars: tuple[int, int] | None
    cue_kind: str
    """verb, participle, source, transmit, headline or bare."""
    form: CueForm | None = None
    speaker: tuple[int, int] | None = None
    speaker_chars: tuple[int, int] | None = None
    implicit: bool = False
    antecedent: Cand | None = None
    """The attribution whose speaker this one took."""
    pronoun: bool = False
    content: tuple[int, int] | None = None
    direct: bool = False
    via: str | None = None
    parent: Cand | None = None
    sibling_of: Cand | None = None
    """The clause this one continues («مضيفا», "and called it"): same speaker, same level."""
    kind: SpeakerKind | None = None
    sources: int | None = 1
    affiliation: tuple[str, ...] = ()
    entity: str | None = None
    outlet_source: bool = False
    trailing_source: bool = False
    clause_start: int | None = None
    """Where a new coordinated clause begins (", but Russia rejected ..."): not part of the
    content before it."""
    dropped: bool = False
    sentence_chars: tuple[int, int] = (0, 0)
    order: int = 0


@dataclass
class Doc:
    """A document being read: tokens, sentences, quotations, mentions, and what was found."""

    text: str
    lang: str
    lex: Lexicon
    toks: list[Tok] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    bounds: list[tuple[int, int]] = field(default_factory=list)
    """Token range of each sentence."""
    first_of: list[int] = field(default_factory=list)
    """For each token, the first token of its sentence."""
    quotes: list[Quote] = field(default_factory=list)
    quote_at: dict[int, int] = field(default_factory=dict)
    """Opening mark token -> quotation."""
    closing: dict[int, int] = field(default_factory=dict)
    """Closing mark token -> quotation."""
    mentions: list[Found] = field(default_factory=list)
    cands: list[Cand] = field(default_factory=list)
    last_speaker: Cand | None = None
    last_outlet: str | None = None
    by_sentence: dict[int, list[Cand]] = field(default_factory=dict)
    cut_off: bool = False
    """The stored copy stops mid-sentence (no final punctuation)."""

    def flags(self, i: int) -> int:
        return self.toks[i].word.flags

    def mention(self, i: int) -> Found | None:
        m = self.toks[i].mention
        return self.mentions[m] if m >= 0 else None

    def mention_at(self, i: int) -> Found | None:
        """The mention that starts at token ``i``."""
        m = self.mention(i)
        return m if m is not None and m.start == i else None

    def span(self, start: int, end: int) -> Span:
        return Span(start=start, end=end, text=self.text[start:end])


_EMPTY = lx.Word()


def _read(text: str, lang: str, lex: Lexicon) -> Doc:
    """Tokenise ``text`` on its matching key and tag every token from the lexicons."""
    doc = Doc(text, lang, lex)
    folded = fold(text)
    for m in TOKEN_RE.finditer(folded.text):
        key = m.group()
        start, end = folded.start(m.start()), folded.end(m.end())
        original = text[start:end]
        if key[0].isalnum() or key[0] == "_":
            kind, word = WORD, lex.word(key, lang)
        else:
            kind, word = (QUOTE if key in QUOTES else PUNCT), _EMPTY
        caps = original.replace(".", "").replace("'", "").replace("’", "").isupper()
        fathatan = _FATHATAN in original or original.endswith("اً")
        doc.toks.append(Tok(start, end, key, kind, word, original[:1].isupper(), caps, fathatan))
    doc.cut_off = text.rstrip()[-1:] not in '.!?؟…”»")'
    doc.sentences = split_sentences(text)
    _sentence_bounds(doc)
    _split_long(doc)
    _quotes(doc)
    _mentions(doc)
    return doc


MAX_SENTENCE = 120
"""Tokens read as one sentence at most: a longer run with no sentence punctuation (a
list, a garbled page) is read in pieces cut at commas, so that the time stays linear."""


def _split_long(doc: Doc) -> None:
    sentences: list[Sentence] = []
    bounds: list[tuple[int, int]] = []
    for sentence, (first, last) in zip(doc.sentences, doc.bounds, strict=True):
        s, lo = sentence, first
        while last - lo > MAX_SENTENCE:
            cut = next(
                (k + 1 for k in range(lo + MAX_SENTENCE - 1, lo + MAX_SENTENCE // 2, -1)
                 if doc.toks[k].key in _COMMAS),
                lo + MAX_SENTENCE,
            )  # fmt: skip
            sentences.append(Sentence(s.start, doc.toks[cut - 1].end, s.paragraph, s.first, False))
            bounds.append((lo, cut))
            for k in range(cut, last):
                doc.first_of[k] = cut
            lo = cut
            s = Sentence(doc.toks[lo].start, s.end, s.paragraph, False, False)
        sentences.append(s)
        bounds.append((lo, last))
    doc.sentences, doc.bounds = sentences, bounds


def _sentence_bounds(doc: Doc) -> None:
    k, n = 0, len(doc.toks)
    doc.first_of = list(range(n))
    for s in doc.sentences:
        while k < n and doc.toks[k].start < s.start:
            k += 1
        lo = k
        while k < n and doc.toks[k].start < s.end:
            doc.first_of[k] = lo
            k += 1
        doc.bounds.append((lo, k))


def _quotes(doc: Doc) -> None:
    """Pair quotation marks per paragraph and mark the tokens each quotation holds."""
    by_start = {t.start: i for i, t in enumerate(doc.toks) if t.kind == QUOTE}
    sentence_end = [0] * len(doc.toks)
    for lo, hi in doc.bounds:
        for i in range(lo, hi):
            sentence_end[i] = hi
    for p_start, p_end in paragraphs(doc.text):
        for opened, closed in pair_quotes(doc.text, p_start, p_end):
            o = by_start.get(opened)
            if o is None:
                continue
            c = by_start.get(closed) if closed is not None else None
            end = c if c is not None else sentence_end[o]
            q = len(doc.quotes)
            doc.quotes.append(Quote(o, c, end))
            doc.quote_at[o] = q
            if c is not None:
                doc.closing[c] = q
            for i in range(o + 1, end):
                doc.toks[i].quote = q


def _mentions(doc: Doc) -> None:
    """Find the gazetteer's people, bodies and outlets, sentence by sentence."""
    by_id = doc.lex.by_id
    for lo, hi in doc.bounds:
        idx = [i for i in range(lo, hi) if doc.toks[i].kind == WORD]
        keys = [doc.toks[i].key for i in idx]
        caps = [doc.toks[i].caps for i in idx]
        for m in find_mentions(keys, doc.lex, caps):
            first, last = idx[m.start], idx[m.end - 1]
            entity = by_id[m.entity]
            short = len(keys[m.start]) < 4 and keys[m.start].isascii()
            if entity.kind == "person" and short and not doc.toks[first].upper:
                continue  # a short Latin alias ("Xi") only with its capital
            n = len(doc.mentions)
            doc.mentions.append(
                Found(first, last + 1, entity.id, entity.kind, m.proclitic, m.conjunction)
            )
            for i in range(first, last + 1):
                doc.toks[i].mention = n


# --- small predicates on tokens ----------------------------------------------------------------


def _prev_word(doc: Doc, i: int, lo: int, skip: int = 0) -> int:
    """Index of the token before ``i`` in the sentence, skipping words with ``skip`` flags;
    -1 at the start of the sentence."""
    j = i - 1
    while j >= lo and doc.toks[j].kind == WORD and doc.flags(j) & skip:
        j -= 1
    return j if j >= lo else -1


def _is_cue_token(doc: Doc, i: int) -> bool:
    return doc.toks[i].kind == WORD and doc.toks[i].key in doc.lex.cues[doc.lang]


def _prep_prefixed(doc: Doc, i: int) -> bool:
    """An Arabic token that is a prepositional phrase on its own («لترامب», «بحزم»)."""
    t = doc.toks[i]
    if t.kind != WORD or t.key.isascii():
        return False
    if t.mention >= 0:
        return doc.mentions[t.mention].proclitic != ""
    if t.word.proclitic in ("ب", "ل", "ك"):
        return True
    return not t.word.flags and len(t.key) > 3 and t.key[0] in "بل"


def _is_person_token(doc: Doc, k: int) -> bool:
    m = doc.mention(k)
    return (m is not None and m.kind == "person") or bool(doc.flags(k) & lx.GIVEN_NAME)


def _mention_text(doc: Doc, m: Found) -> str:
    """A mention as written, without a clitic on its first word («لرويترز» -> رويترز) or
    quotation marks inside it («قناة "العربية"» -> قناة العربية)."""
    skip = (m.proclitic != "") + m.conjunction
    text = doc.text[doc.toks[m.start].start + skip : doc.toks[m.end - 1].end]
    return " ".join("".join(c for c in text if c not in QUOTES).split())


def _with_suffix(doc: Doc, key: str, test: int | None = None) -> bool:
    """Whether ``key`` is a word of the lexicon with an object pronoun («قاله», «عنها»):
    a verb of saying (``test`` None) or a word with the class bits ``test``."""
    for suffix in doc.lex.suffixes:
        base = key[: -len(suffix)]
        if not key.endswith(suffix) or len(base) < 2:
            continue
        if test is not None and doc.lex.classes["ar"].get(base, 0) & test:
            return True
        forms = doc.lex.cues[doc.lang].get(base, ())
        if test is None and any(len(f.words) == 1 and f.cue.kind == "verb" for f in forms):
            return True
    return False


def _saying_verb(doc: Doc, j: int) -> bool:
    """A verb of saying, with or without an object pronoun («قال», «قاله», «ذكرته»)."""
    t = doc.toks[j]
    if t.kind != WORD:
        return False
    forms = doc.lex.cues[doc.lang].get(t.key, ())
    return any(len(f.words) == 1 and f.cue.kind == "verb" for f in forms) or _with_suffix(
        doc, t.key
    )


def _resumptive(doc: Doc, j: int) -> bool:
    """A preposition with a pronoun right after a verb («كشف عنها ويتكوف», «طالب فيه
    القادة»): the verb is in a relative clause and its subject follows."""
    return doc.toks[j].kind == WORD and _with_suffix(doc, doc.toks[j].key, lx.PREPOSITION)


def _phrase_at(doc: Doc, i: int, hi: int, tags: tuple[str, ...]) -> tuple[str, int] | None:
    """The longest lexicon phrase with one of ``tags`` that starts at token ``i``: (tag,
    end). Its first word may carry Arabic clitics."""
    t = doc.toks[i]
    if t.kind != WORD:
        return None
    phrases = doc.lex.phrases[doc.lang]
    for stem, _, _ in lx.arabic_stems(t.key):
        for p in phrases.get(stem, ()):
            if not p.tag.startswith(tags):
                continue
            j, ok = i + 1, True
            for w in p.words[1:]:
                while j < hi and doc.toks[j].kind != WORD:
                    j += 1
                if j >= hi or doc.toks[j].key != w:
                    ok = False
                    break
                j += 1
            if ok:
                return p.tag, j
    return None


def _cut_off(doc: Doc, sent: int) -> bool:
    """The last sentence of a stored copy that stops mid-sentence."""
    return sent == len(doc.sentences) - 1 and doc.cut_off


# --- cues --------------------------------------------------------------------------------------


@dataclass(slots=True)
class CueHit:
    start: int
    end: int
    form: CueForm
    joined_into: bool = False
    """The last token of the cue also begins the speaker («وفقا لمصادر»)."""


def _cue_at(doc: Doc, i: int, hi: int) -> CueHit | None:
    """The longest cue of the lexicon that starts at token ``i``."""
    if doc.toks[i].kind != WORD:
        return None
    for form in doc.lex.cues[doc.lang].get(doc.toks[i].key, ()):
        j, joined, ok = i + 1, False, True
        for n, w in enumerate(form.words[1:], start=1):
            if j >= hi or doc.toks[j].kind != WORD:
                ok = False
                break
            key = doc.toks[j].key
            if key == w:
                pass
            elif n == len(form.words) - 1 and form.joined and key.startswith(w):
                joined = len(key) > len(w) + 1
                ok = joined
            else:
                ok = False
            if not ok:
                break
            j += 1
        if ok:
            return CueHit(i, j, form, joined)
    return None


def _usable(doc: Doc, hit: CueHit, lo: int, blocked: set[int]) -> bool:
    """Whether a cue is a statement here: not negated, not future or subjunctive, not a
    noun, not inside a question put to someone."""
    if hit.start in blocked:
        return False
    cue = hit.form.cue
    if cue.kind in ("source", "transmit"):
        return True
    if doc.lang == "ar":
        p = hit.start - 1
        if p < lo or doc.toks[p].kind != WORD:
            return True
        fl = doc.flags(p)
        if fl & lx.NEGATION or (hit.form.present and fl & lx.SUBJUNCTIVE):
            return False  # «لم يقل», «أن يؤكد»
        return not (fl & lx.PREPOSITION and cue.kind == "verb")  # «في عرض»: a noun
    p = _prev_word(doc, hit.start, lo, lx.ADVERB)
    if p < 0 or doc.toks[p].kind != WORD:
        return True
    key, fl = doc.toks[p].key, doc.flags(p)
    if fl & (lx.MODAL | lx.NEGATION | lx.INFINITIVE) or key.endswith("n't"):
        return False  # "will say", "did not say", "to say"
    if cue.kind != "verb":
        return True
    if key in _PASSIVE:
        return False  # "was told"
    return not ((fl & lx.DETERMINER or key.endswith("'s")) and key != "that")  # "Putin's demands"


def _blocked(doc: Doc, lo: int, hi: int) -> set[int]:
    """Tokens of a question put to someone («وعندما سئل عما إذا ...», "when asked whether
    ...") or of a no-comment phrase, up to the next comma: their cues are not statements."""
    out: set[int] = set()
    i = lo
    while i < hi:
        p = _phrase_at(doc, i, hi, ("question_frames", "no_comment"))
        if p is None:
            i += 1
            continue
        j = p[1]
        while j < hi and doc.toks[j].key not in _COMMAS:
            j += 1
        out.update(range(i, j))
        i = j
    return out


# --- Arabic noun phrases -----------------------------------------------------------------------


@dataclass
class _ArabicPhrase:
    """Scans an Arabic noun phrase forward from a token: a VSO subject, or the speaker after
    «بحسب». It runs over names, titles, nationality adjectives, anonymity markers, numbers
    and outlet names, and stops at function words, phrases of time and place, addressees and
    cues. A title's complement («المبعوث الخاص إلى أوكرانيا», «المتحدث باسم الكرملين»), a
    partitive («أربعة من المسؤولين») and «مطلع على ...» stay inside."""

    doc: Doc
    start: int
    hi: int
    strong_only: bool = False
    j: int = 0
    seen_name: bool = False
    seen_head: bool = False
    seen_title: bool = False
    unknown: int = 0
    size: int = 0
    surname: int = 0
    """Unknown words taken right after a given name («جان نويل بارو»)."""

    def scan(self) -> tuple[int, int] | None:
        doc, self.j = self.doc, self.start
        if self.j < self.hi and doc.flags(self.j) & lx.INFO_NOUN and self.j + 1 < self.hi:
            # «معلومات حصلت عليها وكالة ...»: information obtained by X has X as its speaker
            p = _phrase_at(doc, self.j + 1, self.hi, ("obtained",))
            if p is not None:
                return _ArabicPhrase(doc, p[1], self.hi).scan()
        while self.j < self.hi and self.size < 14 and self._step():
            pass
        j = min(self.j, self.hi)
        while j > self.start and doc.toks[j - 1].kind == PUNCT and doc.toks[j - 1].key not in ")/":
            j -= 1
        return (self.start, j) if j > self.start else None

    def _step(self) -> bool:
        """Take the next token (or group of tokens) into the phrase; False to stop."""
        t = self.doc.toks[self.j]
        if t.kind == QUOTE:
            return self._quoted_name()
        if t.kind == PUNCT:
            return self._bracketed()
        m = self.doc.mention_at(self.j)
        if m is not None:
            return self._mention(m)
        link = self._link(t)
        if link is not None:
            return link
        return self._word(t)

    def _quoted_name(self) -> bool:
        """«صحيفة “فايننشال تايمز”»: a short quoted name after an outlet noun."""
        doc, j = self.doc, self.j
        q = doc.quote_at.get(j)
        if q is None or j == self.start or not doc.flags(j - 1) & lx.OUTLET_GENERIC:
            return False
        close = doc.quotes[q].close
        if close is None or close - j > 6:
            return False
        self.j, self.seen_name = close + 1, True
        return True

    def _bracketed(self) -> bool:
        """«وكالة الأنباء الألمانية (د ب أ)», «/وول ستريت جورنال/»."""
        doc, j = self.doc, self.j
        key = doc.toks[j].key
        closing = {"(": ")", "/": "/"}.get(key)
        if closing is None or (key == "(" and not (self.seen_name or self.seen_head)):
            return False
        k = j + 1
        while k < self.hi and k - j <= 6 and doc.toks[k].key != closing:
            k += 1
        if k >= self.hi or doc.toks[k].key != closing or k == j + 1:
            return False
        self.j = k + 1
        self.seen_name = self.seen_name or key == "/"
        return True

    def _mention(self, m: Found) -> bool:
        doc = self.doc
        if m.proclitic:
            # «لأوكرانيا وروسيا» after a title is its complement; otherwise an addressee
            if not (self.seen_title and not self.seen_name and m.proclitic == "ل"):
                return False
        elif self.seen_name and not m.conjunction:
            if m.kind == "person" and self.j > self.start and _is_person_token(doc, self.j - 1):
                return False  # «أبلغ ترامب زيلينسكي»: a second name right after the first
            if m.kind != "person" and not self.seen_title:
                return False  # «طالب بوتن أوكرانيا»: an object
        self.size += m.end - m.start
        self.j = m.end
        if m.kind == "person" or not self.seen_title:
            self.seen_name = True
        return True

    def _link(self, t: Tok) -> bool | None:
        """Words that tie a description together; None when ``t`` is no such word."""
        doc, j, fl = self.doc, self.j, t.word.flags
        after = doc.mention(j + 1) if j + 1 < self.hi else None
        if fl & lx.PARTITIVE and j > self.start:
            prev = doc.toks[j - 1]
            if prev.word.flags & lx.NUMBER or prev.key.isdigit():
                self.j += 1  # «أربعة من المسؤولين»
                return True
        if fl & lx.NAME_LINK and self.seen_title:
            self.j = after.end if after is not None else j + 2  # «المتحدث باسم الكرملين»
            return True
        if t.key == _FI and (self.seen_head or self.seen_title) and j + 1 < self.hi:
            if after is not None and after.kind == "institution":
                self.j = after.end  # «مسؤول في الكرملين»
                return True
            if doc.flags(j + 1) & lx.INSTITUTION:
                self.j = j + 2
                return True
            return False
        if t.key in (_ALA, _AN) and j > self.start and doc.flags(j - 1) & lx.ANON_MODIFIER:
            self.j = j + 2  # «مصدر مطلع على المحادثة»
            return True
        if t.key in (_ILA, "ل") and self.seen_title and not self.seen_name:
            if after is None:
                return False
            self.j = after.end  # «المبعوث الخاص إلى أوكرانيا»
            return True
        if t.key.startswith("بشكل"):
            self.j = j + 2  # «مطلعان بشكل مباشر على ...»
            return True
        return None

    def _word(self, t: Tok) -> bool:
        doc, fl = self.doc, t.word.flags
        speakerish = fl & _SPEAKERISH
        unknown = not speakerish and not t.key.isdigit()
        if unknown and self._surname(t):
            return True
        if not speakerish and (
            fl & _FUNCTION or _is_cue_token(doc, self.j) or t.fathatan
            or _prep_prefixed(doc, self.j)
        ):  # fmt: skip
            return False
        if t.word.proclitic and (self.seen_name or not self.seen_title):
            return False  # «للمندوبين», «لشبكة سكاي نيوز»: an addressee
        if fl & (lx.TITLE | lx.INSTITUTION | lx.OUTLET_GENERIC):
            self.seen_title = self.seen_head = True
        elif fl & (lx.ANONYMOUS | lx.GROUP | lx.DOCUMENT | lx.GIVEN_NAME):
            self.seen_head = True
            self.seen_name = self.seen_name or bool(fl & lx.GIVEN_NAME)
        elif unknown:
            # an unknown word: a name the gazetteer lacks, unless a name came already or a
            # nationality adjective closed the phrase («وزارة الدفاع الروسية | السيطرة»)
            if self.strong_only or self.seen_name:
                return False
            if self.j > self.start and doc.flags(self.j - 1) & lx.AFFILIATION:
                return False
            if t.key[0] in "وف" and len(t.key) > 3 and self.j > self.start:
                return False  # «وأصر»: the next clause
            self.unknown += 1
            if self.unknown > 3:
                return False
        self.j += 1
        self.size += 1
        return True

    def _surname(self, t: Tok) -> bool:
        """A given name may be followed by the rest of a name the gazetteer lacks («جان نويل
        بارو»): up to two unknown words that are no function word, cue or adverb."""
        doc, j = self.doc, self.j
        if j == self.start or self.surname >= 2 or t.key.startswith("ال") or t.fathatan:
            return False
        if not (doc.flags(j - 1) & lx.GIVEN_NAME or self.surname):
            return False
        if t.word.flags & _FUNCTION or _is_cue_token(doc, j) or t.word.proclitic:
            return False
        self.surname += 1
        self.j += 1
        self.size += 1
        return True


def _ar_np_after(doc: Doc, i: int, hi: int, strong_only: bool = False) -> tuple[int, int] | None:
    return _ArabicPhrase(doc, i, hi, strong_only).scan()


def _ar_np_before(doc: Doc, i: int, lo: int) -> tuple[int, int] | None:
    """The Arabic noun phrase that ends just before the verb at ``i`` (an SVO subject). It
    must open a clause (sentence start, punctuation, «أن/إن», «لكن», «وكان») and be headed
    by a name, a title, an anonymity marker, a body or an outlet."""
    toks = doc.toks
    j = _prev_word(doc, i, lo, lx.PARTICLE)
    if j < 0:
        j = i - 1 if i - 1 < lo else lo - 1
    end = j + 1
    n = 0
    while j >= lo and n < 9 and toks[j].kind == WORD:
        m = doc.mention(j)
        if m is not None:
            if _prep_prefixed(doc, m.start) and m.start < end - 1:
                break
            j, n = m.start - 1, n + 1
            continue
        fl = doc.flags(j)
        if fl & _FUNCTION and not fl & _SPEAKERISH:
            break
        if _is_cue_token(doc, j) or toks[j].fathatan or _prep_prefixed(doc, j):
            break
        j, n = j - 1, n + 1
    start = j + 1
    if start >= end:
        return None
    if j >= lo:
        b = toks[j]
        opens = lx.INTRODUCER | lx.COORDINATOR | lx.PARTICLE
        if b.kind == WORD and not b.word.flags & opens:
            return None
    strong = any(doc.mention(k) is not None or doc.flags(k) & _HEADS for k in range(start, end))
    head = toks[start]
    if strong and head.mention < 0 and not head.word.flags & (_HEADS | lx.NUMBER):
        return None  # «محادثات كيلوغ ... تشير»: the head is not a speaker
    if not strong and (end - start > 2 or j < lo or not doc.flags(j) & lx.INTRODUCER):
        return None  # unknown words only: a name after «أن» at most
    adjective = head.word.flags & (lx.AFFILIATION | lx.ANON_MODIFIER)
    if head.mention < 0 and adjective and not head.word.flags & _HEADS:
        return None
    return start, end


def _np_sound_after(doc: Doc, np: tuple[int, int], frame: str, hi: int) -> bool:
    """A VSO subject made of unknown words only needs a clear end (a comma, «إن» ...), and
    is not taken where the verb's object would follow."""
    s, e = np
    known = _HEADS | lx.AFFILIATION
    if any(doc.mention(k) is not None or doc.flags(k) & known for k in range(s, e)):
        return True
    if any(doc.toks[k].kind == QUOTE for k in range(s, e)):
        return True
    if frame == "object" or e >= hi:
        return False
    t = doc.toks[e]
    ends = t.kind in (PUNCT, QUOTE) or t.word.flags & (lx.INTRODUCER | lx.TIME)
    return bool(ends) or t.word.proclitic == "ل"


# --- English noun phrases ----------------------------------------------------------------------

_EN_STOP = lx.SUBORDINATOR | lx.MODAL | lx.NEGATION | lx.CONSENT | lx.MENTAL


def _en_np_token(doc: Doc, j: int) -> bool:
    """A token that can be part of an English description."""
    t = doc.toks[j]
    if t.kind != WORD:
        return False
    fl = t.word.flags
    if fl & _SPEAKERISH or t.mention >= 0:
        return True
    if fl & (_EN_STOP | lx.AUXILIARY | lx.PRONOUN):
        return False
    return not _is_cue_token(doc, j)


def _en_np_before(
    doc: Doc, i: int, lo: int, depth: int = 0, antecedent: bool = False
) -> tuple[int, int] | None:
    """The English noun phrase that ends before the cue at ``i`` (adverbs and auxiliaries
    skipped), back to punctuation, a conjunction or a subordinator. A parenthesis or a
    relative clause between the subject and its verb is stepped over ("Witkoff, who took
    part in the talks, said", "governments, who have made clear")."""
    toks = doc.toks
    j = _prev_word(doc, i, lo, lx.ADVERB | lx.AUXILIARY)
    while j >= lo and toks[j].kind == WORD and toks[j].key.endswith("ly") and not toks[j].upper:
        j = _prev_word(doc, j, lo, lx.ADVERB | lx.AUXILIARY)
    if j < lo:
        return None
    end = j + 1
    j = _en_scan_back(doc, j, lo, end)
    start = j + 1
    if start >= end:
        return _en_step_over(doc, j, lo, depth) if depth < 2 and j >= lo else None
    prev = toks[j] if j >= lo else None
    object_of = prev is not None and prev.word.flags & lx.PREPOSITION and prev.key != "with"
    if object_of and not antecedent:
        return None  # "negotiations between Trump and Putin announced": an object
    while start < end and doc.flags(start) & (lx.PREPOSITION | lx.TIME):
        if doc.flags(start) & _SPEAKERISH:
            break
        start += 1  # "On Saturday Kellogg said": the time is not the speaker
    if start >= end or not _en_has_head(doc, start, end, lo):
        return None
    return start, end


def _en_scan_back(doc: Doc, j: int, lo: int, end: int) -> int:
    """Walk back over a description from token ``j``; returns the token before it."""
    toks = doc.toks
    n = 0
    while j >= lo and n < 14:
        t = toks[j]
        if t.kind != WORD:
            if t.key not in (".", "&"):
                break
            j -= 1
            continue
        fl = t.word.flags
        if t.key == "and":
            # "Ukraine and Russia", "Macron and Starmer": names on both sides
            if not (j - 1 >= lo and j + 1 < end and toks[j - 1].upper and toks[j + 1].upper):
                break
        elif fl & lx.INNER_PREPOSITION and fl & lx.PREPOSITION:
            ok = j + 1 < end and j - 1 >= lo and _en_np_token(doc, j - 1)
            if ok and t.key == "by":
                # "the text obtained by Reuters", not "be welcomed by governments"
                ok = (
                    j - 2 >= lo and _en_np_token(doc, j - 2) and not doc.flags(j - 2) & lx.AUXILIARY
                )
            if not ok:
                break
        elif (fl & lx.PREPOSITION and not fl & _SPEAKERISH) or not _en_np_token(doc, j):
            break
        j -= 1
        n += 1
    return j


def _en_step_over(doc: Doc, j: int, lo: int, depth: int) -> tuple[int, int] | None:
    """The subject before a relative clause or a parenthesis that ends at token ``j``."""
    toks = doc.toks
    if toks[j].kind == WORD and toks[j].word.flags & lx.RELATIVE and toks[j].key != "that":
        k = j - 1
        if k >= lo and toks[k].key in _COMMAS:
            k -= 1
        return _en_np_before(doc, k + 1, lo, depth + 1, antecedent=True) if k >= lo else None
    if toks[j].key not in _COMMAS:
        return None
    k = j - 1
    while k >= lo and toks[k].key not in _COMMAS and toks[k].kind != QUOTE:
        k -= 1
    if k < lo or toks[k].key not in _COMMAS or k + 1 >= j:
        return None
    first = toks[k + 1]
    aside = (
        first.word.flags & (lx.RELATIVE | lx.DETERMINER | lx.TITLE)
        or first.key.endswith(("ing", "ed"))
        or first.upper
        or j - k - 1 <= 2  # ", however,", ", in turn,"
    )
    return _en_np_before(doc, k, lo, depth + 1) if aside else None


def _en_has_head(doc: Doc, start: int, end: int, lo: int) -> bool:
    """Whether an English description has something that can speak: a name, a title, an
    anonymity marker, a body, an outlet, a document (or a treaty, refused later)."""
    for k in range(start, end):
        t = doc.toks[k]
        if t.mention >= 0 or t.word.flags & (_HEADS | lx.TREATY):
            return True
        initial = k <= lo and not t.word.flags & lx.GIVEN_NAME
        if t.upper and not initial and not t.word.flags & lx.DETERMINER:
            return True
    return False


def _en_np_after(doc: Doc, i: int, hi: int) -> tuple[int, int] | None:
    """The English noun phrase that starts at ``i`` ("said Mark Rutte, ...", "according to
    a document seen by Reuters")."""
    toks = doc.toks
    j = i
    while j < hi and j - i < 14:
        t = toks[j]
        if t.kind != WORD:
            break
        fl = t.word.flags
        if fl & lx.TIME and not fl & _SPEAKERISH:
            break
        after_name = j > i and (toks[j - 1].upper or toks[j - 1].mention >= 0)
        if after_name and not t.upper and not fl and t.mention < 0:
            break  # "Trump shocked ...": a verb after a name
        if fl & lx.PREPOSITION and not fl & _SPEAKERISH:
            nxt = toks[j + 1] if j + 1 < hi else None
            after = toks[j + 2] if j + 2 < hi else None
            if not fl & lx.INNER_PREPOSITION or j == i or nxt is None or nxt.kind != WORD:
                break
            if nxt.word.flags & lx.TIME or (after is not None and after.word.flags & lx.TIME):
                break  # "said Rutte on Sunday"
        elif t.key == "and":
            if not (j > i and j + 1 < hi and toks[j - 1].upper and toks[j + 1].upper):
                break
        elif t.key == "that" or not (fl & lx.DETERMINER or _en_np_token(doc, j)):
            break
        j += 1
    if j == i or not _en_has_head(doc, i, j, i - 1):
        return None
    return i, j


def _en_addressee(doc: Doc, j: int, hi: int) -> int:
    """Step over the addressee of "told" ("told Reuters that", "told reporters the talks
    were productive", "told him")."""
    t = doc.toks[j]
    if t.kind != WORD or t.key == "that":
        return j
    if t.key in _OBJECT_PRONOUNS:
        return j + 1
    np = _en_np_after(doc, j, hi)
    if np is not None:
        return np[1]
    if t.word.flags:
        return j
    nxt = doc.toks[j + 1] if j + 1 < hi else None
    if nxt is None or nxt.kind == PUNCT or nxt.word.flags & (lx.PREPOSITION | lx.TIME):
        return j + 1  # "told reporters on Tuesday"
    clause = nxt.word.flags & (lx.DETERMINER | lx.PRONOUN) or nxt.upper
    return j + 1 if nxt.kind == QUOTE or nxt.key == "that" or clause else j


# --- describing a speaker ----------------------------------------------------------------------


@dataclass(slots=True)
class Description:
    """What a speaker's words say about it."""

    kind: SpeakerKind | None
    """None when the words cannot speak (a treaty's article)."""
    sources: int | None
    affiliation: tuple[str, ...]
    entity: str | None
    via: str | None = None
    """An outlet in the description's post-modifier ("a document seen by Reuters")."""


@dataclass(slots=True)
class _Parts:
    """The mentions and words of a description."""

    persons: list[Found]
    bodies: list[Found]
    affiliation: list[str]
    flags: int
    head_end: int


def _head_region(doc: Doc, s: int, e: int) -> int:
    """End of the part of an English description before its post-modifiers ("four
    officials | briefed on the document", "a document | seen by Reuters")."""
    if doc.lang != "en":
        return e
    for k in range(s + 1, e):
        t = doc.toks[k]
        if t.kind != WORD or t.key in ("of", "for", "and") or t.mention >= 0 or t.upper:
            continue
        if t.word.flags & (lx.PREPOSITION | lx.RELATIVE) or t.key in _POSTMODIFIERS:
            return k
    return e


def _parts(doc: Doc, s: int, e: int) -> _Parts:
    toks, by_id = doc.toks, doc.lex.by_id
    head_end = _head_region(doc, s, e)
    persons: list[Found] = []
    bodies: list[Found] = []
    affiliation: list[str] = []
    k = s
    while k < e:
        affiliation += toks[k].word.affiliations
        m = doc.mention_at(k)
        if m is None:
            k += 1
            continue
        if m.kind == "person":
            possessive = toks[m.end - 1].key.endswith("'s")
            if k < head_end and not possessive and not (k > s and _genitive(doc, k)):
                persons.append(m)
        elif k < head_end or not bodies or m.kind == "outlet":
            bodies.append(m)
            if k > s or m.kind == "institution":
                # «مسؤول سابق في الكرملين»: the body a speaker belongs to
                codes = by_id[m.entity].affiliation
                affiliation += [a for a in codes if a != "european" or k == s]
        k = m.end
    flags = 0
    for k in range(s, head_end):
        if toks[k].mention < 0:  # «البيت الأبيض» is a body, not a «بيت» (Pete)
            flags |= toks[k].word.flags
    return _Parts(persons, bodies, affiliation, flags, head_end)


def _describe(doc: Doc, s: int, e: int) -> Description:
    """Kind, number of sources, affiliation and entity of the speaker in tokens ``s``..``e``.

    A named person (or a given name) makes it ``named``; otherwise the head noun decides:
    an outlet or press source ``outlet``, an anonymity marker or an unnamed group
    ``anonymous``, a document or a body ``institution``, a title ``named`` when definite
    («المبعوث الأمريكي», "The special representative") and ``anonymous`` when not ("A German
    spokesperson"). A number word gives the number of sources; a plural without one gives
    None."""
    parts = _parts(doc, s, e)
    if parts.flags & lx.TREATY and not parts.persons:
        return Description(None, None, (), None)  # "Article 5 ... says"
    kind, sources, entity = _classify(doc, s, e, parts)
    has_number, number = _number(doc, s, parts.head_end)
    if has_number and kind is not None:
        sources = number
    elif kind == "anonymous" and parts.flags & lx.GROUP:
        sources = None
    if entity is not None:
        parts.affiliation += doc.lex.by_id[entity].affiliation
    via = None
    if kind != "outlet":
        late = [b for b in parts.bodies if b.kind == "outlet" and b.start >= parts.head_end]
        via = _mention_text(doc, late[0]) if late else None
    return Description(kind, sources, tuple(dict.fromkeys(parts.affiliation)), entity, via)


def _classify(
    doc: Doc, s: int, e: int, p: _Parts
) -> tuple[SpeakerKind | None, int | None, str | None]:
    """(kind, sources, entity) of a description, before any number word."""
    toks = doc.toks
    first = _first_head(doc, s, p.head_end)
    head = first if doc.lang == "ar" else _en_head(doc, s, p.head_end)
    first_flags = toks[first].word.flags if first is not None else 0
    head_flags = toks[head].word.flags if head is not None else 0
    either = first_flags | head_flags
    names = _english_names(doc, s, p.head_end)
    unnamed = lx.ANONYMOUS | lx.GROUP
    if (
        p.persons
        or (p.flags & lx.GIVEN_NAME and not head_flags & unnamed)
        or (names and not head_flags & (unnamed | lx.OUTLET_GENERIC | lx.DOCUMENT))
    ):
        if not p.persons:
            return "named", 1, None
        people = {x.entity for x in p.persons if not (x.start > s and x.proclitic == "ل")}
        count = _coordinated(doc, s, e, "person") if len(people) > 1 else 1
        return "named", max(1, count), p.persons[-1].entity
    lead = p.bodies[0] if p.bodies else None
    outlet_first = (
        lead is not None
        and lead.kind == "outlet"
        and lead.start == (first if first is not None else s)
    )
    if (
        first_flags & lx.PRESS
        or (head_flags & lx.ANONYMOUS and p.flags & lx.PRESS)
        or head_flags & lx.OUTLET_GENERIC
        or outlet_first
    ):
        outlet = next((b for b in p.bodies if b.kind == "outlet" and b.start < p.head_end), None)
        return "outlet", None if _plural_head(doc, head) else 1, outlet.entity if outlet else None
    if either & lx.ANONYMOUS:
        token = toks[head if head is not None and head_flags & lx.ANONYMOUS else first or s]
        return "anonymous", token.word.anonymity if token.word.flags & lx.ANONYMOUS else 1, None
    if either & lx.DOCUMENT:
        return "institution", 1, None
    # a body heads the description unless a head noun governs it («مسؤول في الكرملين», "a
    # Kremlin spokesperson")
    if doc.lang == "ar":
        body_heads = (
            first is None or lead is None or lead.start <= first or not first_flags & _HEADS
        )
    else:
        body_heads = head is None or not head_flags & _HEADS
    if lead is not None and body_heads:
        kind: SpeakerKind = "institution" if lead.kind != "outlet" else "outlet"
        return kind, max(1, _coordinated(doc, s, e, lead.kind)), lead.entity
    if either & lx.INSTITUTION:
        return "institution", 1, lead.entity if lead is not None else None
    if either & lx.GROUP:
        return "anonymous", None, None
    if either & lx.TITLE:
        if _definite(doc, s, p.head_end):
            return "named", 1, None
        plural = doc.lang == "en" and head is not None and toks[head].key.endswith("s")
        return "anonymous", None if plural else 1, None
    if names or doc.lang == "ar":
        return "named", 1, None  # an Arabic name the gazetteer lacks («كريستوف هيوسجين»)
    return None, None, None


def _plural_head(doc: Doc, head: int | None) -> bool:
    """«مصادر صحفية», "News outlets": an outlet head noun in the plural."""
    if head is None:
        return False
    t = doc.toks[head]
    fl = t.word.flags
    if not fl & (lx.ANONYMOUS | lx.OUTLET_GENERIC):
        return False
    return bool(fl & lx.PLURAL_OUTLET) or bool(fl & lx.ANONYMOUS and t.word.anonymity is None)


def _english_names(doc: Doc, s: int, e: int) -> list[int]:
    """Capitalised English words that are no lexicon word: names the gazetteer lacks. A
    sentence's first word is capitalised anyway and does not count."""
    if doc.lang != "en":
        return []
    out = []
    skip = _SPEAKERISH | lx.DETERMINER | lx.PREPOSITION | lx.TREATY
    for k in range(s, e):
        t = doc.toks[k]
        if t.kind != WORD or not t.upper or t.mention >= 0 or t.word.flags & skip:
            continue
        if t.key.endswith("'s") or (doc.first_of[k] == k and not t.word.flags & lx.GIVEN_NAME):
            continue
        out.append(k)
    return out


def _number(doc: Doc, s: int, e: int) -> tuple[bool, int | None]:
    """A number word or digits in a description: (found, value; None for "several").
    Arabic compounds («خمسة عشر», «ثلاثة وعشرون») are read with pyarabic's text2number."""
    for k in range(s, e):
        t = doc.toks[k]
        if t.kind != WORD:
            continue
        if t.key.isdigit() and len(t.key) <= 3:
            return True, int(t.key)
        if not t.word.flags & lx.NUMBER:
            continue
        run = k + 1
        while run < e and doc.toks[run].kind == WORD and doc.flags(run) & lx.NUMBER:
            run += 1
        if run > k + 1 and doc.lang == "ar":
            value = text2number(doc.text[t.start : doc.toks[run - 1].end])
            if isinstance(value, int) and value > 0:
                return True, value
        return True, t.word.number
    return False, None


def _first_head(doc: Doc, s: int, e: int) -> int | None:
    """The first word that can head a description (numbers, «أحد», articles skipped)."""
    modifiers = lx.PARTITIVE | lx.DETERMINER | lx.AFFILIATION | lx.ANON_MODIFIER | lx.PREPOSITION
    for k in range(s, e):
        t = doc.toks[k]
        if t.kind != WORD:
            continue
        fl = t.word.flags
        if fl & lx.NUMBER and not fl & (_HEADS & ~lx.GIVEN_NAME):
            continue
        if fl & modifiers and not fl & _HEADS and t.mention < 0:
            continue
        return k
    return None


def _en_head(doc: Doc, s: int, e: int) -> int | None:
    """The English head noun: the last one before a preposition ("a European diplomat",
    "a spokesperson | for Germany's government"), else the last one ("two of the sources")."""
    best = None
    for k in range(s, e):
        t = doc.toks[k]
        if t.kind == WORD and t.word.flags & lx.PREPOSITION and best is not None:
            return best
        if t.kind == WORD and t.word.flags & (_HEADS & ~lx.GIVEN_NAME):
            best = k
    return best


def _definite(doc: Doc, s: int, e: int) -> bool:
    """A definite description: the article, a possessive, or a genitive («مبعوث ترامب»)."""
    toks = doc.toks
    if doc.lang == "ar":
        head = _first_head(doc, s, e)
        if head is None:
            return False
        if toks[head].key.startswith("ال") or toks[head].word.stem.startswith("ال"):
            return True
        return head + 1 < e and (toks[head + 1].mention >= 0 or toks[head + 1].key.startswith("ال"))
    first = toks[s]
    if first.word.flags & lx.INDEFINITE:
        return False
    possessive = any(toks[k].key.endswith("'s") for k in range(s, e))
    return first.key in ("the", "this", "that") or possessive or first.upper


def _genitive(doc: Doc, k: int) -> bool:
    """Whether the name at ``k`` qualifies the noun before it («مبعوث ترامب», «محامي
    ترامب», «المتحدث باسم بوتين») rather than naming the speaker."""
    prev = doc.toks[k - 1]
    if prev.kind != WORD:
        return False
    if prev.word.flags & lx.NAME_LINK:
        return True
    if doc.lang != "ar" or prev.mention >= 0:
        return False
    if prev.word.flags & (lx.GIVEN_NAME | lx.AFFILIATION | lx.ANON_MODIFIER):
        return False
    # a noun without the article before a name governs it
    return not prev.key.startswith("ال") and not prev.word.stem.startswith("ال")


def _coordinated(doc: Doc, s: int, e: int, kind: str) -> int:
    """How many bodies or people a coordination at the start of a description names
    («بولندا وإسبانيا» -> 2, "Macron and Starmer" -> 2)."""
    count, k = 0, s
    while k < e:
        m = doc.mention_at(k)
        if m is None or m.kind != kind:
            return count
        count += 1
        k = m.end
        if k >= e:
            break
        key = doc.toks[k].key
        if key == "and" or (key in _COMMAS and kind != "person"):
            k += 1
        elif not (key[0] == "و" and doc.mention(k) is not None):
            return count
    return count


# --- contents ----------------------------------------------------------------------------------


@dataclass(slots=True)
class Content:
    start: int
    """Token index where the content begins."""
    end: int
    direct: bool = False
    anaphoric: bool = False
    """The object points back to content already given («ذلك», "these details")."""
    topic: bool = False
    """The object is only a topic («جانب من نتائج القمة», "few details")."""
    quote: Quote | None = None


def _quote_is_name(doc: Doc, q: Quote) -> bool:
    """A short quotation right after a noun ("CNN's “State of the Union”", «إقليم
    “دونباس”», «في “حالة الاتحاد”») is a name or a term, not a statement."""
    o = q.open
    if q.close is None or o == 0:
        return False
    size = q.close - o - 1
    prev = doc.toks[o - 1]
    if prev.kind != WORD:
        return False
    if prev.key.endswith("'s") or prev.word.flags & lx.OUTLET_GENERIC:
        return size <= 8
    opening = lx.INTRODUCER | lx.ANAPHORIC | lx.PRONOUN | lx.PRONOUN_INTRODUCER
    return size <= 3 and not prev.word.flags & opening and not _is_cue_token(doc, o - 1)


def _quote_opens_content(doc: Doc, q: Quote, first: int) -> bool:
    """A quotation that can be the content of the cue before it: right after the cue or
    its speaker, after punctuation, or after «أن» / "that"."""
    if _quote_is_name(doc, q):
        return False
    if q.open == first:
        return True
    prev = doc.toks[q.open - 1]
    return prev.kind != WORD or bool(prev.word.flags & lx.INTRODUCER) or prev.key == "that"


def _quote_to_end(doc: Doc, q: Quote, hi: int) -> bool:
    """A quotation that runs to the end of the sentence (punctuation aside)."""
    return q.close is None or all(doc.toks[k].kind != WORD for k in range(q.close + 1, hi))


def _quote_content(doc: Doc, q: Quote) -> Content:
    return Content(q.open, q.end + (q.close is not None), direct=True, quote=q)


def _scan_content(doc: Doc, cand: Cand, j: int, hi: int) -> Content | None:
    """What the cue introduces, read from token ``j`` (after the speaker in VSO order,
    after the cue otherwise)."""
    assert cand.form is not None
    cue = cand.form.cue
    if cue.frame in ("object", "either"):
        obj = _object_content(doc, cand, j, hi)
        if obj is not None:
            return obj
        if cue.frame == "object" and not _clause_follows(doc, j, hi):
            return None
    start = j
    if doc.lang == "en" and j < hi:
        t = doc.toks[j]
        if t.key in _COMMAS and j + 1 < hi and doc.toks[j + 1].kind == QUOTE:
            start = j = j + 1  # 'One official stated, “...”'
        elif not cue.strict and _en_clause_start(doc, j):
            return Content(j, hi)  # "said there was still a debate", "said he was ..."
    found = _introduced(doc, j, hi, start)
    if found is not None:
        return found
    if doc.lang == "en" and not cue.strict:
        clause = _en_after_adverbials(doc, start, hi)
        if clause is not None:
            return Content(clause, hi)
    loose = doc.lang == "ar" and not cue.strict and cue.kind != "participle"
    if (
        loose
        and start < hi
        and doc.toks[start].kind == WORD
        and not _adverbial_tail(doc, start, hi)
    ):
        return Content(start, hi)  # «أكد ترامب ... الرئيس الأوكراني ...، كما سيكون»
    return None


def _en_clause_start(doc: Doc, j: int) -> bool:
    t = doc.toks[j]
    if t.kind != WORD or t.key == "that" or _is_cue_token(doc, j):
        return False
    return not t.word.flags & (lx.PREPOSITION | lx.TIME | lx.ADVERB | lx.INTRODUCER)


def _introduced(doc: Doc, j: int, hi: int, first: int) -> Content | None:
    """The first content marker from ``j``: a quotation, a colon, «إن/أن» or "that". The
    insides of quotations are skipped; another cue ends the search (a source phrase does
    not: «ذكرت الصحيفة، نقلا عن مسؤولين، أن ...»). A long quotation after a noun is the
    content when nothing else introduces one («قال ويتكوف، الذي شارك في القمة "..."»)."""
    toks = doc.toks
    long_quote: Quote | None = None
    while j < hi:
        t = toks[j]
        if t.kind == QUOTE and j in doc.quote_at:
            q = doc.quotes[doc.quote_at[j]]
            if _quote_opens_content(doc, q, first):
                return _quote_content(doc, q)
            if long_quote is None and not _quote_is_name(doc, q) and (q.close or hi) - j > 5:
                long_quote = q
            j = q.end + 1
            continue
        if t.key == ":":
            q_at = doc.quote_at.get(j + 1)
            return _quote_content(doc, doc.quotes[q_at]) if q_at is not None else Content(j + 1, hi)
        if t.kind == WORD and t.mention < 0:
            fl = t.word.flags
            if fl & lx.INTRODUCER and (doc.lang == "ar" or t.key == "that"):
                q_at = doc.quote_at.get(j + 1)
                if q_at is not None and _quote_to_end(doc, doc.quotes[q_at], hi):
                    return _quote_content(doc, doc.quotes[q_at])  # «إن "..."»
                # «إنه ...»: the pronoun is part of the content
                keep = doc.lang == "ar" and fl & lx.PRONOUN_INTRODUCER
                return Content(j if keep else j + 1, hi)
            if j > first:
                other = _cue_at(doc, j, hi)
                if other is not None and other.form.cue.kind != "source":
                    break
        j += 1
    return _quote_content(doc, long_quote) if long_quote is not None else None


def _adverbial_tail(doc: Doc, start: int, hi: int) -> bool:
    """«قال في “حالة الاتحاد” في سي إن إن.»: a short tail of place and time after the cue
    (no comma, no clause) says where or when, not what."""
    first = doc.toks[start]
    adverbial = first.word.flags & (lx.PREPOSITION | lx.TIME | lx.ADVERB)
    if not (adverbial or first.fathatan or first.word.proclitic):
        return False
    words, k = 0, start
    while k < hi:
        t = doc.toks[k]
        if t.key in _COMMAS or t.key == ":":
            return False
        if t.kind == WORD and t.word.flags & lx.INTRODUCER and t.mention < 0:
            return False
        if t.mention >= 0:
            k = doc.mentions[t.mention].end
            words += 1
            continue
        words += t.kind == WORD
        k += 1
    return words <= 6


def _en_after_adverbials(doc: Doc, j: int, hi: int) -> int | None:
    """ "said in a statement it rejected ...", "said Sunday he would ...": a bare clause
    after phrases of time and place, found by its pronoun subject."""
    for k in range(j, min(hi, j + 8)):
        t = doc.toks[k]
        if t.kind != WORD or t.key == "that":
            return None
        if t.key in _SUBJECT_PRONOUNS and k > j:
            return k
    return None


def _clause_follows(doc: Doc, j: int, hi: int) -> bool:
    """«اقترح أن ...», "demanded that ...": a verb of demanding with a clause."""
    for k in range(j, min(hi, j + 4)):
        t = doc.toks[k]
        if t.kind != WORD:
            continue
        if t.mention < 0 and (
            (t.word.flags & lx.INTRODUCER and doc.lang == "ar") or t.key == "that"
        ):
            return True
        if not t.word.flags & (lx.PREPOSITION | lx.TIME | lx.ADVERB):
            return False
    return False


def _object_content(doc: Doc, cand: Cand, j: int, hi: int) -> Content | None:
    """The object of a verb of demanding, proposing, announcing ... as its content; None
    when there is none (or a clause follows instead)."""
    assert cand.form is not None
    cue = cand.form.cue
    toks = doc.toks
    if cue.next:  # "called on Saturday for ...", "called it ...": the word that must follow
        k = next((k for k in range(j, min(hi, j + 4)) if toks[k].key in cue.next), None)
        if k is None:
            return None
        if toks[k].key == "on":
            return Content(k + 1, hi)
        j = k + 1
    if doc.lang == "en" and j < hi and toks[j].key == "to":
        return Content(j, hi)  # "demanded to be part", "offered to freeze": a position
    j = _skip_addressee(doc, cue, j, hi)
    if cue.preps:
        k = _prep_object(doc, cand, j, hi)
        if k is not None and k >= 0:
            return _checked_object(doc, cand, k, hi)
        if k is not None or cue.strict or cue.addressee:
            return None  # a clause follows («أعلن اليوم أن ...»), or nothing at all
    if j >= hi:
        return None
    t = toks[j]
    if (
        t.kind == QUOTE
        and j in doc.quote_at
        and not _quote_is_name(doc, doc.quotes[doc.quote_at[j]])
    ):
        return _checked_object(doc, cand, j, hi)
    if t.kind != WORD or t.key == "that" or (t.word.flags & lx.INTRODUCER and doc.lang == "ar"):
        return None
    if doc.lang == "ar" and t.word.flags & lx.PREPOSITION and t.key not in cue.preps:
        return None  # «أعلن البيت الأبيض في بيان أن ...»: an adverbial, the clause follows
    if doc.lang == "en" and t.word.flags & (lx.PREPOSITION | lx.TIME) and not cue.next:
        return None
    request = cue.to_object and doc.lang == "en" and not _document_speaker(doc, cand)
    if request and _asks_others(doc, j, hi):
        return Content(j, hi, topic=True)  # "asked him to detail": a request
    return _checked_object(doc, cand, j, hi)


def _skip_addressee(doc: Doc, cue: lx.Cue, j: int, hi: int) -> int:
    """«عرض على ترامب تجميد ...», «لترامب»: the addressee before the object."""
    if not cue.addressee_preps or j >= hi:
        return j
    t = doc.toks[j]
    if t.key in cue.addressee_preps and j + 1 < hi:
        m = doc.mention(j + 1)
        return m.end if m is not None else j + 2
    if t.word.proclitic in cue.addressee_preps:
        m = doc.mention(j)
        return m.end if m is not None else j + 1
    return j


def _prep_object(doc: Doc, cand: Cand, j: int, hi: int) -> int | None:
    """Where the object introduced by one of the cue's prepositions begins («طالب بوتين
    أوكرانيا بالانسحاب», «كشف ... ، اليوم الأحد، عن ...», "expressed doubt about"); -1
    when a clause comes first, None when neither does."""
    assert cand.form is not None
    cue = cand.form.cue
    toks = doc.toks
    k = j
    while k < hi and k - j <= 8:
        t = toks[k]
        if t.kind == QUOTE:
            return None
        if t.kind != WORD:
            k += 1  # commas and dashes of an aside
            continue
        if t.key in cue.preps:
            return k + 1
        prefixed = "ب" in cue.preps and t.key.startswith("ب") and len(t.key) > 3
        if prefixed and (t.word.proclitic == "ب" or (not t.word.flags and t.mention < 0)):
            return k  # «بانسحاب», «بإرسال»
        if t.word.flags & lx.INTRODUCER:
            return -1
        m = doc.mention(k)
        if m is not None and m.proclitic == "":
            k = m.end  # whom: «طالب بوتين أوكرانيا بالانسحاب»
            continue
        if doc.lang == "ar" and t.word.flags & lx.PREPOSITION and k + 1 < hi:
            after = doc.mention(k + 1)
            k = after.end if after is not None else k + 2  # «منذ أشهر», «في بيان»
            continue
        skip = lx.TIME | lx.ADVERB | (lx.PREPOSITION if doc.lang == "en" else 0)
        if not (t.word.flags & skip or t.fathatan or cue.addressee):
            return None
        k += 1
    return None


def _asks_others(doc: Doc, j: int, hi: int) -> bool:
    """ "asked him to detail", "asked European capitals to provide": a request to others."""
    for k in range(j, min(hi, j + 6)):
        t = doc.toks[k]
        if t.key in ("to", "for") and k > j:
            return True
        question = t.word.flags & (lx.RELATIVE | lx.QUESTION_WORD | lx.MODAL)
        if t.kind != WORD or (question and not t.word.flags & lx.DETERMINER):
            return False
    return False


def _checked_object(doc: Doc, cand: Cand, j: int, hi: int) -> Content | None:
    """An object as content, unless it only points back («أعلن ... ذلك») or only names a
    topic («عن جانب من», "few details"), or is an indirect question («ما إذا»)."""
    assert cand.form is not None
    cue = cand.form.cue
    toks = doc.toks
    while j < hi and toks[j].key in _DASHES:
        j += 1
    if j >= hi:
        return Content(j, hi, anaphoric=True)  # «وأصر – على» and the copy stops
    t = toks[j]
    fl = t.word.flags
    if t.kind == QUOTE and j in doc.quote_at:
        return _quote_content(doc, doc.quotes[doc.quote_at[j]])
    if cue.object_nouns:
        return _noun_object(doc, cue, j, hi)
    pointing = lx.DEMONSTRATIVE | lx.ANAPHORIC
    if fl & pointing:
        nxt = toks[j + 1] if j + 1 < hi else None
        if (
            doc.lang == "ar"
            or nxt is None
            or nxt.kind != WORD
            or nxt.word.flags & (lx.TOPIC_NOUN | lx.TIME | lx.PREPOSITION)
        ):
            return Content(j, j, anaphoric=True)
    if cue.topic and fl & lx.TOPIC_NOUN:
        return Content(j, hi, topic=True)
    question = fl & lx.QUESTION_WORD or _phrase_at(doc, j, hi, ("indirect_questions",))
    if question and cue.speaker != "document":
        return Content(j, hi, topic=True)
    return Content(j, hi)


def _noun_object(doc: Doc, cue: lx.Cue, j: int, hi: int) -> Content | None:
    """«قدم هذا الطلب», "maintained its demand for ...": a verb whose object must be one of
    the cue's nouns."""
    toks = doc.toks
    k = j + 1 if toks[j].word.flags & (lx.DEMONSTRATIVE | lx.ANAPHORIC | lx.DETERMINER) else j
    if k >= hi or not (toks[k].key in cue.object_nouns or toks[k].word.stem in cue.object_nouns):
        return None
    pointing = k > j and toks[j].word.flags & (lx.DEMONSTRATIVE | lx.ANAPHORIC)
    if (pointing and toks[j].key not in ("its", "his", "her", "their")) or k + 1 >= hi:
        return Content(k + 1, k + 1, anaphoric=True)
    return Content(k + 1, hi)


def _backward_content(doc: Doc, first: int, lo: int) -> Content | None:
    """The content before a cue that ends its sentence ("“...,” Trump said", "..., a U.S.
    official said Sunday.", «“...” ، أضاف»): the quotation that closes before ``first``, or
    the sentence up to the comma before it."""
    toks = doc.toks
    k = first - 1
    while k >= lo and toks[k].kind == PUNCT and toks[k].key not in _COMMAS:
        k -= 1
    if k < lo:
        return None
    if toks[k].kind == QUOTE and k in doc.closing:
        return _quote_content(doc, doc.quotes[doc.closing[k]])
    if toks[k].key not in _COMMAS:
        return None
    if k - 1 >= lo and k - 1 in doc.closing:
        return _quote_content(doc, doc.quotes[doc.closing[k - 1]])
    return Content(lo, k) if k > lo else None


# --- building attributions ---------------------------------------------------------------------


def _new(doc: Doc, sent: int, hit: CueHit, kind: str) -> Cand:
    last = doc.toks[hit.end - 1]
    end = last.start + 1 if hit.joined_into else last.end
    return Cand(sent, (hit.start, hit.end), (doc.toks[hit.start].start, end), kind, hit.form)


def _set_speaker(doc: Doc, cand: Cand, s: int, e: int, offset: int = 0) -> bool:
    """Make tokens ``s``..``e`` the speaker of ``cand``; False when they cannot speak."""
    d = _describe(doc, s, e)
    if d.kind is None:
        return False
    cand.speaker = (s, e)
    cand.speaker_chars = (doc.toks[s].start + offset, doc.toks[e - 1].end)
    cand.kind, cand.sources, cand.affiliation = d.kind, d.sources, d.affiliation
    # a person, body or outlet that is one; not "US officials", not «بولندا وإسبانيا»
    cand.entity = d.entity if d.kind != "anonymous" and d.sources == 1 else None
    cand.via = cand.via or d.via
    return True


def _inherit(cand: Cand, other: Cand, same_sentence: bool) -> None:
    """Give ``cand`` the speaker of ``other`` (the mention it refers back to)."""
    cand.speaker, cand.speaker_chars = other.speaker, other.speaker_chars
    cand.kind, cand.sources, cand.affiliation = other.kind, other.sources, other.affiliation
    cand.entity = other.entity
    cand.antecedent = other
    cand.implicit = other.implicit if same_sentence else True


def _finish(doc: Doc, cand: Cand, content: Content | None) -> Cand | None:
    """Keep a cue with its content. One with no content is kept only when its object points
    back to content already given («أعلن ... ذلك») or the stored copy stops there."""
    if content is None:
        return cand if _cut_off(doc, cand.sent) else None
    assert cand.form is not None
    if cand.form.cue.signal and _conduct(doc, content.start, content.end):
        return None
    hi = doc.bounds[cand.sent][1]
    if content.topic:
        # a topic only, unless the sentence goes on to give the content («... ، فقد طالب»)
        if _followup(doc, content.start, hi) is None:
            return None
        content = Content(content.start, hi)
    if content.anaphoric:
        return cand
    if content.quote is not None:
        cand.content, cand.direct = (content.start, content.end), True
        return cand
    inside = doc.toks[cand.cue[0]].quote if cand.cue is not None else -1
    end = min(content.end, doc.quotes[inside].end) if inside >= 0 else content.end
    cand.content = (content.start, end)  # a cue inside a quotation: its content ends there
    cand.direct = content.direct
    return cand


def _conduct(doc: Doc, a: int, b: int) -> bool:
    """ "indicated willingness ... by limiting ...", «عن طريق ...»: a stance read from
    conduct, not a statement."""
    for k in range(a, b):
        hit = _phrase_at(doc, k, b, ("conduct_markers",))
        if hit is not None and hit[1] < b:
            nxt = doc.toks[hit[1]]
            if nxt.kind == WORD and (doc.lang == "ar" or nxt.key.endswith("ing")):
                return True
    return False


def _followup(doc: Doc, j: int, hi: int) -> int | None:
    for k in range(j, hi):
        t = doc.toks[k]
        if t.key == ":" or (t.kind == WORD and t.word.flags & lx.FOLLOWUP):
            return k
    return None


def _arabic_cue(doc: Doc, sent: int, hit: CueHit, lo: int, hi: int) -> Cand | None:
    """An Arabic cue: its speaker before it (SVO), after it (VSO), or implicit."""
    cue = hit.form.cue
    if cue.kind == "speech_noun":
        return None
    if cue.kind == "source":
        return _source(doc, sent, hit, lo, hi)
    if cue.kind == "transmit":
        return _transmit(doc, sent, hit, lo, hi)
    cand = _new(doc, sent, hit, cue.kind)
    if cue.kind == "participle":
        return (
            _finish(doc, cand, _scan_content(doc, cand, hit.end, hi))
            if _continues(doc, hit.start, lo)
            else None
        )
    after = _arabic_speaker(doc, cand, hit, lo, hi)
    if after is None:
        return None
    content = _scan_content(doc, cand, after, hi)
    empty = content is None or not any(
        doc.toks[x].kind == WORD for x in range(content.start, min(content.end, hi))
    )
    if empty and not (content is not None and content.anaphoric):
        # «“...” ، أضاف.»: the quotation before the cue
        first = cand.speaker[0] if cand.speaker and cand.speaker[0] < hit.start else hit.start
        while (
            first - 1 >= lo
            and doc.toks[first - 1].kind == WORD
            and doc.flags(first - 1) & lx.PARTICLE
        ):
            first -= 1
        content = _backward_content(doc, first, lo) or content
    return _finish(doc, cand, content)


def _arabic_speaker(doc: Doc, cand: Cand, hit: CueHit, lo: int, hi: int) -> int | None:
    """Find the speaker of an Arabic verb; returns where its content may begin, or None
    when its subject cannot speak or is cut off with the stored copy."""
    i, k = hit.start, hit.end
    p = _prev_word(doc, i, lo, lx.PARTICLE)
    if p >= 0 and doc.flags(p) & lx.PRONOUN_PARTICLE:
        cand.pronoun = True  # «لكنه أبلغ»: resolved with the sentence
        cand.implicit = doc.toks[p].key.startswith(("لكن", "ولكن", "و", "ف"))
        return k
    np = _ar_np_before(doc, i, lo)
    if np is not None and _set_speaker(doc, cand, *np):
        return k
    if _cut_off(doc, cand.sent):
        rest = [t for t in doc.toks[k:] if t.kind == WORD]
        if len(rest) <= 1 and all(len(t.key) <= 2 for t in rest):
            return None  # «كما كشف ا»: the speaker is cut off
    j = k + 1 if k < hi and _resumptive(doc, k) else k
    np = _ar_np_after(doc, j, hi, strong_only=hit.form.cue.frame == "object")
    if np is None:
        cand.implicit = True  # «وقال:», «وأضاف أن», «وعرض على ترامب ...»
        return k
    if _np_sound_after(doc, np, hit.form.cue.frame, hi) and _set_speaker(doc, cand, *np):
        return np[1]
    return None  # «كشف الهجوم عن ...»: a subject that cannot speak


def _continues(doc: Doc, i: int, lo: int) -> bool:
    """A participle continues a clause when a comma, «و» or "and" stands before it (or,
    in English, a noun phrase: "with two of the sources adding")."""
    j = i - 1
    while j >= lo and doc.toks[j].kind == QUOTE:
        j -= 1
    if j < lo:
        return False
    t = doc.toks[j]
    if t.key in _COMMAS or t.key in _DASHES or t.key in ("and", "by", "while"):
        return True
    return doc.lang == "en" and t.kind == WORD


def _english_cue(doc: Doc, sent: int, hit: CueHit, lo: int, hi: int) -> Cand | None:
    """An English cue: its speaker before it, after it ("said Rutte"), or implicit."""
    cue = hit.form.cue
    toks = doc.toks
    i, k = hit.start, hit.end
    if cue.kind == "source":
        return _source(doc, sent, hit, lo, hi)
    cand = _new(doc, sent, hit, cue.kind)
    if cue.kind == "participle":
        p = i - 1
        while p >= lo and toks[p].kind == QUOTE:
            p -= 1
        if p >= lo and toks[p].kind == WORD and toks[p].key not in ("and", "by", "while"):
            np = _en_np_before(doc, i, lo)  # "with two of the sources adding"
            if np is None or not _set_speaker(doc, cand, *np):
                return None
        elif not _continues(doc, i, lo):
            return None
        return _finish(doc, cand, _scan_content(doc, cand, k, hi))
    after = _english_speaker(doc, cand, hit, lo, hi)
    if after is None:
        return None
    demand = cue.to_object and k < hi and toks[k].key == "to"  # "asked to be part"
    if cue.speaker == "document" and not _document_speaker(doc, cand) and not demand:
        return None  # "The US asked capitals to provide ...": a request
    if cue.addressee and after < hi:
        after = _en_addressee(doc, after, hi)
    content = _scan_content(doc, cand, after, hi)
    if content is None or content.start >= hi:
        first = cand.speaker[0] if cand.speaker and cand.speaker[0] < i else i
        content = _backward_content(doc, first, lo) or content
    return _finish(doc, cand, content)


def _english_speaker(doc: Doc, cand: Cand, hit: CueHit, lo: int, hi: int) -> int | None:
    """Find the speaker of an English verb; returns where its content may begin, or None
    when there is no speaker."""
    toks = doc.toks
    i, k = hit.start, hit.end
    p = _prev_word(doc, i, lo, lx.ADVERB | lx.AUXILIARY)
    prev = toks[p] if p >= lo else None
    if prev is not None and prev.kind == WORD:
        if prev.word.flags & lx.PRONOUN and prev.key != "it":
            cand.pronoun = cand.implicit = True  # "He said"
            return k
        if prev.key in ("and", "but", "or"):
            cand.implicit = True  # "and called it ..."
            return k
    if prev is not None and prev.kind == WORD and prev.key not in _COMMAS:
        np = _en_np_before(doc, i, lo)
        return k if np is not None and _set_speaker(doc, cand, *np) else None
    # after punctuation or at the start: "..., said Rutte", "“...,” Trump said"
    np = _en_np_after(doc, k, hi)
    if np is not None and _set_speaker(doc, cand, *np):
        return np[1]
    before = _en_np_before(doc, i, lo)
    return k if before is not None and _set_speaker(doc, cand, *before) else None


def _document_speaker(doc: Doc, cand: Cand) -> bool:
    if cand.speaker is None:
        return False
    return any(doc.flags(k) & lx.DOCUMENT for k in range(*cand.speaker))


def _source(doc: Doc, sent: int, hit: CueHit, lo: int, hi: int) -> Cand | None:
    """«بحسب X», «وفقا لما قاله X», «نقلا عن X», "according to X", "as reported by X":
    X is the speaker of the clause the phrase opens, follows or sits in."""
    toks = doc.toks
    cand = _new(doc, sent, hit, "source")
    j, offset = hit.end, 0
    if hit.joined_into:
        j -= 1
        if toks[j].key == "ل" + _MA:
            j += 1  # «وفقا لما قاله»
        else:
            offset = 1  # «وفقا لمصادر»: the speaker starts inside the word
    if j < hi and toks[j].key == _MA:
        j += 1
    if j < hi and (j == hit.end or toks[j - 1].key.endswith(_MA)) and _saying_verb(doc, j):
        cand.cue = (hit.start, j + 1)  # «بحسب ما قاله»: the cue runs to the verb
        cand.cue_chars = (toks[hit.start].start, toks[j].end)
        j, offset = j + 1, 0
    if j >= hi:
        return None
    np = _ar_np_after(doc, j, hi) if doc.lang == "ar" else _en_np_after(doc, j, hi)
    if np is None or not _set_speaker(doc, cand, np[0], np[1], offset):
        return None
    cand.outlet_source = cand.kind == "outlet"
    k = np[1]
    while k < hi and toks[k].kind == PUNCT:
        k += 1
    opens = _prev_word(doc, hit.start, lo, lx.PARTICLE | lx.COORDINATOR) < 0
    if opens and k < hi:
        cand.content = (k, hi)  # «وبحسب أربعة من المسؤولين، قال ترامب ...»
    elif not opens and k < hi and toks[k].kind == WORD and toks[k].word.flags & lx.INTRODUCER:
        cand.content = (k + 1, hi)  # «ذكرت الصحيفة، نقلا عن مسؤولين، أن ...»
    elif not opens:
        k = hit.start - 1
        while k >= lo and toks[k].kind == PUNCT:
            k -= 1
        if k >= lo:
            cand.content = (lo, k + 1)  # "..., according to ..."
            cand.trailing_source = True
    return cand


def _transmit(doc: Doc, sent: int, hit: CueHit, lo: int, hi: int) -> Cand | None:
    """«ونقلت الصحيفة عن أربعة مصادر مطلعة القول إن ...»: the speaker follows «عن», the
    cue is «القول» (or the verb), and the outlet that is the subject of «نقلت» is the one
    it came through."""
    toks = doc.toks
    j = hit.end
    via: str | None = None
    if j < hi and toks[j].key != _AN:
        np = _ar_np_after(doc, j, hi)
        if np is None:
            return None
        via = _outlet_name(doc, *np)
        j = np[1]
        while j < hi and toks[j].kind == PUNCT:
            j += 1
    if j >= hi or not toks[j].key.startswith(_AN):
        return None
    cand = _new(doc, sent, hit, "transmit")
    cand.via = via or doc.last_outlet
    if toks[j].key != _AN:
        cand.implicit = True  # «نقلت عنه قوله»
        j += 1
    else:
        np = _ar_np_after(doc, j + 1, hi)
        if np is None or not _set_speaker(doc, cand, *np):
            return None
        j = np[1]
    # «قوله» after the speaker, perhaps past a short aside («عن مسؤول لم تسمه قوله»)
    for k in range(j, min(hi, j + 5)):
        noun = _cue_at(doc, k, hi)
        if noun is not None and noun.form.cue.kind == "speech_noun":
            cand.cue = (noun.start, noun.end)
            cand.cue_chars = (toks[noun.start].start, toks[noun.end - 1].end)
            j = noun.end
            break
        if toks[k].kind == WORD and toks[k].word.flags & lx.INTRODUCER:
            break
    cand.form = CueForm(hit.form.words, lx.Cue(id="transmit", lang="ar", kind="verb"))
    return _finish(doc, cand, _scan_content(doc, cand, j, hi))


def _outlet_name(doc: Doc, s: int, e: int) -> str | None:
    """The outlet written in tokens ``s``..``e``; «الصحيفة» is the last outlet named."""
    for k in range(s, e):
        m = doc.mention(k)
        if m is not None and m.kind == "outlet":
            return _mention_text(doc, m)
    if any(doc.flags(k) & lx.OUTLET_GENERIC for k in range(s, e)):
        return doc.last_outlet
    return None


# --- headlines and bare quotations -------------------------------------------------------------


def _headline_colon(doc: Doc, sent: int, lo: int, hi: int) -> Cand | None:
    """«المبعوث الأمريكي: خطة السلام ...», "Kellogg: ...", «زيلينسكي لـ"سي إن إن": ...»: a
    speaker, a colon and a claim at the start of a paragraph. Labels and datelines («قمة
    ألاسكا:», «إيلاف من لندن:») are not speakers."""
    toks = doc.toks
    colon = next((k for k in range(lo, min(hi, lo + 10)) if toks[k].key == ":"), None)
    if colon is None or colon == lo or colon + 1 >= hi:
        return None
    end, via = _headline_via(doc, lo, colon)
    refused = lx.LABEL | lx.PREPOSITION | lx.TIME | lx.INTRODUCER
    for k in range(lo, end):
        t = toks[k]
        if t.kind == QUOTE or t.word.proclitic or t.word.flags & refused or _is_cue_token(doc, k):
            return None
    cand = Cand(sent, (colon, colon + 1), (toks[colon].start, toks[colon].end), "headline")
    if end <= lo or not _set_speaker(doc, cand, lo, end):
        return None
    known = any(
        doc.mention(k) is not None or doc.flags(k) & (_HEADS | lx.AFFILIATION)
        for k in range(lo, end)
    )
    if not known or (doc.lang == "en" and not _en_has_head(doc, lo, end, lo - 1)):
        return None
    cand.via = cand.via or via
    cand.content = (colon + 1, hi)
    return cand


def _headline_via(doc: Doc, lo: int, colon: int) -> tuple[int, str | None]:
    """The outlet spoken to between a headline's speaker and its colon («زيلينسكي
    لـ"سي إن إن":», "Zelensky to CNN:"): the end of the speaker, and the outlet."""
    for k in range(lo + 1, colon):
        t = doc.toks[k]
        if t.kind != WORD or not (
            t.key in ("ل", "to")
            or t.word.proclitic == "ل"
            or (t.mention >= 0 and doc.mentions[t.mention].proclitic == "ل")
        ):
            continue
        found = next(
            (
                doc.mentions[doc.toks[x].mention]
                for x in range(k, colon)
                if doc.toks[x].mention >= 0
            ),
            None,
        )
        if found is not None and found.kind == "outlet":
            return k, _mention_text(doc, found)
    return colon, None


def _headline_dash(doc: Doc, sent: int, lo: int, hi: int) -> Cand | None:
    """ "... on two tracks for speed – Kellogg": a headline that ends with its speaker."""
    toks = doc.toks
    dash = next((k for k in range(hi - 1, max(lo, hi - 7), -1) if toks[k].key in _DASHES), None)
    if dash is None or dash + 1 >= hi or dash - lo < 3:
        return None
    s, e = dash + 1, hi
    while e > s and toks[e - 1].kind == PUNCT:
        e -= 1
    named = lx.TITLE | lx.OUTLET_GENERIC
    if not any(doc.mention(k) is not None or doc.flags(k) & named for k in range(s, e)):
        return None
    cand = Cand(sent, (dash, dash + 1), (toks[dash].start, toks[dash].end), "headline")
    if not _set_speaker(doc, cand, s, e):
        return None
    cand.content = (lo, dash)
    return cand


def _bare_quote(doc: Doc, sent: int, lo: int) -> Cand | None:
    """A paragraph that opens with a quotation of four words or more and has no cue, right
    after an attribution: the same speaker goes on («قال ويتكوف: “...”» then «“...”»)."""
    toks = doc.toks
    if toks[lo].kind != QUOTE or lo not in doc.quote_at or doc.last_speaker is None:
        return None
    q = doc.quotes[doc.quote_at[lo]]
    if sum(1 for k in range(lo, q.end) if toks[k].kind == WORD) < 4:
        return None
    last = doc.last_speaker
    if doc.sentences[sent].paragraph - doc.sentences[last.sent].paragraph > 2:
        return None
    cand = Cand(sent, None, None, "bare")
    _inherit(cand, last, False)
    content = _quote_content(doc, q)
    cand.content, cand.direct = (content.start, content.end), True
    s = doc.sentences[sent]
    cand.sentence_chars = (s.start, s.end)
    return cand


def _resumes(doc: Doc, sent: int, lo: int, hi: int) -> bool:
    """“BIG PROGRESS ON RUSSIA,” Trump said. “STAY TUNED!” — a quotation that resumes right
    after its tag, in the same paragraph and with no cue, belongs to the same attribution
    (guidelines, rule 1): its content and sentence are extended."""
    if sent == 0 or doc.toks[lo].kind != QUOTE or lo not in doc.quote_at:
        return False
    s, prev = doc.sentences[sent], doc.sentences[sent - 1]
    if s.paragraph != prev.paragraph:
        return False
    if any(_cue_at(doc, k, hi) is not None for k in range(lo, hi) if doc.toks[k].quote < 0):
        return False
    mine = [c for c in doc.by_sentence.get(sent - 1, ()) if c.parent is None]
    if not mine or not mine[-1].direct:
        return False
    c = mine[-1]
    q = doc.quotes[doc.quote_at[lo]]
    if c.content is not None:
        c.content = (c.content[0], q.end + (q.close is not None))
    c.sentence_chars = (c.sentence_chars[0], s.end)
    return True


# --- one sentence ------------------------------------------------------------------------------


def _sentence(doc: Doc, sent: int) -> list[Cand]:
    """The attributions of one sentence."""
    lo, hi = doc.bounds[sent]
    s = doc.sentences[sent]
    out: list[Cand] = []
    if s.first:
        head = _headline_colon(doc, sent, lo, hi)
        if head is None and s.headline:
            head = _headline_dash(doc, sent, lo, hi)
        if head is not None:
            out.append(head)
    blocked = _blocked(doc, lo, hi)
    build = _arabic_cue if doc.lang == "ar" else _english_cue
    i = lo
    while i < hi:
        hit = _cue_at(doc, i, hi)
        if hit is None or not _usable(doc, hit, lo, blocked):
            i += 1
            continue
        cand = build(doc, sent, hit, lo, hi)
        if cand is not None:
            out.append(cand)
        i = max(hit.end, cand.cue[1] if cand is not None and cand.cue else hit.end)
    for c in out:
        c.sentence_chars = (s.start, s.end)
    _resolve_speakers(doc, out, lo)
    live = [c for c in out if c.speaker is not None]
    for c in live:
        if (
            c.antecedent is None
            and c.cue is not None
            and c.speaker is not None
            and c.speaker[0] < c.cue[0]
        ):
            c.clause_start = _coordinated_clause(doc, c.speaker[0], lo)
    _truncate(doc, live)
    _drop_outlet_sources(doc, live)
    live = [c for c in live if not c.dropped]
    _nest(live)
    _via(doc, live, lo, hi)
    return live


def _resolve_speakers(doc: Doc, cands: list[Cand], lo: int) -> None:
    """Give every cue without a speaker the one it refers to."""
    for n, c in enumerate(cands):
        if c.speaker is not None:
            continue
        pos = c.cue[0] if c.cue else lo
        outside = doc.toks[pos].quote < 0
        # a cue outside quotation marks does not refer back into a quotation
        before = [
            b for b in cands[:n] if not outside or b.cue is None or doc.toks[b.cue[0]].quote < 0
        ]
        if c.cue_kind == "participle":
            target = _containing(doc, before, pos, c, outermost=True)
            target = target or (_top(before)[-1] if _top(before) else None)
            if target is not None and target.speaker is not None:
                _inherit(c, target, True)
                c.sibling_of = target
                continue
        if c.cue_kind == "transmit":
            if doc.last_speaker is not None:
                _inherit(c, doc.last_speaker, False)
            continue
        if before and _nearest_subject(doc, before, pos, lo, c):
            continue
        first = _first_subject(doc, lo, pos) if pos > lo else None
        if first is not None and _set_speaker(doc, c, *first):
            continue
        antecedent = _last_speaker(doc, c)
        if antecedent is not None:
            _inherit(c, antecedent, False)


def _last_speaker(doc: Doc, c: Cand) -> Cand | None:
    """«وأضاف», "He said": the last speaker of the document; "he" and "she" want a
    person."""
    if not c.pronoun or doc.lang != "en" or c.cue is None:
        return doc.last_speaker
    key = doc.toks[_prev_word(doc, c.cue[0], 0, lx.ADVERB | lx.AUXILIARY)].key
    wanted = doc.lex.pronouns.get(key)
    for past in reversed(doc.cands):
        if past.parent is None and past.speaker is not None:
            person = past.kind == "named" or (past.kind == "anonymous" and past.sources == 1)
            if wanted != 1 or person:
                return past.antecedent or past
    return doc.last_speaker


def _top(cands: list[Cand]) -> list[Cand]:
    """The attributions whose cue no other one's content holds."""
    return [c for c in cands if c.cue is None or not _held(c, cands)]


def _containing(
    doc: Doc, before: list[Cand], pos: int, c: Cand, outermost: bool = False
) -> Cand | None:
    """The earlier attribution whose content holds ``pos``: the innermost one (the clause
    «إنه» opens), or the outermost (the main clause a participle continues: "X said Y
    demanded Z, adding ..."), preferring one whose speaker agrees with a feminine
    («مضيفة») or masculine participle."""
    holding = [
        b for b in before
        if b.content is not None and b.content[0] <= pos < b.content[1] and b.speaker is not None
    ]  # fmt: skip
    holding.sort(key=lambda b: b.content[1] - b.content[0] if b.content else 0, reverse=outermost)
    if doc.lang == "ar" and c.cue is not None:
        feminine = doc.toks[c.cue[0]].key.endswith("ه")
        for b in holding:
            if (b.kind in ("outlet", "institution")) == feminine:
                return b
    return holding[0] if holding else None


def _nearest_subject(doc: Doc, before: list[Cand], pos: int, lo: int, c: Cand) -> bool:
    """«... إن ترامب أبلغهم أن بوتين لن يوقف القتال، وأصر على ...»: a verb with no subject of
    its own takes the nearest subject before it: a noun phrase after an «أن» / "that", the
    pronoun of «إنه» (the speaker of that clause), or the speaker of the last attribution;
    after a closed quotation, the speaker of the quotation («صرح ترامب أن أوكرانيا “...”
    ولكنها أصرت»)."""
    last = before[-1]
    start = last.cue[1] if last.cue else lo
    if not any(k in doc.closing and doc.toks[k].quote < 0 for k in range(start, pos)):
        for k in range(pos - 1, start - 1, -1):
            t = doc.toks[k]
            if t.kind != WORD or not t.word.flags & lx.INTRODUCER or t.mention >= 0:
                continue
            if t.word.flags & lx.PRONOUN_INTRODUCER:
                last = _containing(doc, before, k, c) or last
                break
            scan = _ar_np_after if doc.lang == "ar" else _en_np_after
            np = scan(doc, k + 1, pos)
            if np is None:
                continue  # an «أن» with no subject of its own: look further back
            if np[1] <= pos and _set_speaker(doc, c, *np):
                c.implicit = last.implicit
                return True
            break
    if last.speaker is None:
        return False
    _inherit(c, last, True)
    c.sibling_of = last
    return True


def _first_subject(doc: Doc, lo: int, pos: int) -> tuple[int, int] | None:
    """The first name of the sentence outside quotations and prepositional phrases (the
    subject of its first verb): «لقد فاجأ ترامب ... وأعلن عن ...», "Trump responded ... by
    claiming"."""
    for k in range(lo, pos):
        m = doc.mention_at(k)
        if m is None or m.kind == "outlet" or doc.toks[k].quote >= 0 or _prep_prefixed(doc, k):
            continue
        prev = doc.toks[k - 1] if k > lo else None
        if prev is not None and prev.kind == WORD and prev.word.flags & lx.PREPOSITION:
            continue
        np = _ar_np_after(doc, k, pos) if doc.lang == "ar" else _en_np_before(doc, m.end, lo)
        return np or (m.start, m.end)
    return None


def _coordinated_clause(doc: Doc, s: int, lo: int) -> int | None:
    """ ", but Russia rejected ...", «، لكن موسكو نفت ...»: a subject after a comma and a
    coordinating conjunction starts a new clause; returns the comma's token."""
    k = s - 1
    if k - 1 < lo or doc.toks[k].kind != WORD:
        return None
    if doc.toks[k].key not in ("but", "and", "yet", "while") and not doc.flags(k) & lx.COORDINATOR:
        return None
    return k - 1 if doc.toks[k - 1].key in _COMMAS else None


def _truncate(doc: Doc, cands: list[Cand]) -> None:
    """End a content where a continuation of the same speaker, a new coordinated clause or
    a trailing source phrase begins («...، مضيفا أن ...», "..., according to ...")."""
    for c in cands:
        if c.content is None:
            continue
        a, b = c.content
        limit = None
        for o in cands:
            if o is c or o.cue is None or not a <= o.cue[0] < b:
                continue
            pos = o.cue[0]
            if o.clause_start is not None and a <= o.clause_start:
                pos = o.clause_start
            continuation = (
                o.sibling_of is c
                or _within(c, o.sibling_of)  # it also ends the clauses nested in the one continued
                or (o.antecedent is c and o.implicit == c.implicit)
                or o.trailing_source
                or o.clause_start is not None
            )
            if continuation and not (c.direct and doc.toks[pos].quote >= 0):
                limit = pos if limit is None else min(limit, pos)
        if limit is not None:
            e = limit
            while e > a and _trailing(doc, e - 1):
                e -= 1
            c.content = (a, e) if e > a else None
    # A trailing source phrase reports what the last top-level clause before it says.
    for c in cands:
        if not c.trailing_source or c.content is None or c.cue is None:
            continue
        others = [x for x in cands if x is not c]
        earlier = [
            o for o in others
            if o.cue is not None and o.cue[0] < c.cue[0] and o.content and not _held(o, others)
        ]  # fmt: skip
        if earlier and earlier[-1].content and earlier[-1].content[0] > c.content[0]:
            c.content = (earlier[-1].content[0], c.content[1])


def _within(c: Cand, outer: Cand | None) -> bool:
    """Whether the cue of ``c`` lies inside the content of ``outer``."""
    if outer is None or outer.content is None or c.cue is None or c is outer:
        return False
    return outer.content[0] <= c.cue[0] < outer.content[1]


def _trailing(doc: Doc, k: int) -> bool:
    """Punctuation, conjunctions and adverbs left at the end of a cut content."""
    t = doc.toks[k]
    return (
        t.kind == PUNCT
        or t.key in ("و", "and", "but", "or")
        or bool(doc.flags(k) & (lx.ADVERB | lx.COORDINATOR))
    )


def _held(c: Cand, cands: list[Cand]) -> bool:
    """Whether the cue of ``c`` lies inside the content of another attribution."""
    assert c.cue is not None
    pos = c.cue[0]
    return any(
        o is not c and o.content is not None and o.content[0] <= pos < o.content[1] for o in cands
    )


def _drop_outlet_sources(doc: Doc, cands: list[Cand]) -> None:
    """«قال كيلوج ...، بحسب وكالة اسوشيتدبرس»: an outlet in a source phrase beside another
    attribution is the outlet it came through, not a speaker of its own."""
    for c in cands:
        if not c.outlet_source or c.cue is None:
            continue
        others = [o for o in cands if o is not c and not o.dropped and o.kind != "outlet"]
        if not others:
            continue
        earlier = [o for o in others if o.cue is not None and o.cue[0] < c.cue[0]]
        target = earlier[-1] if earlier else others[0]
        if c.speaker_chars is not None and target.via is None:
            target.via = doc.text[c.speaker_chars[0] : c.speaker_chars[1]]
        c.dropped = True


def _nest(cands: list[Cand]) -> None:
    """Nest each attribution in the innermost other whose content holds its cue (of two
    equal ones, the later); a continuation sits where the clause it continues sits."""
    for c in cands:
        if c.sibling_of is not None or c.cue is None or c.clause_start is not None:
            continue
        best: Cand | None = None
        best_size = best_rank = 0
        for rank, other in enumerate(cands):
            if (
                other is c
                or other.content is None
                or other is c.sibling_of
                or other is c.antecedent
            ):
                continue
            a, b = other.content
            if not a <= c.cue[0] < b or _ancestor(c, other):
                continue
            if best is None or b - a < best_size or (b - a == best_size and rank > best_rank):
                best, best_size, best_rank = other, b - a, rank
        c.parent = best
    for c in cands:  # in order, so that a chain of continuations follows its first clause
        if c.sibling_of is not None:
            c.parent = c.sibling_of.parent


def _ancestor(c: Cand, other: Cand) -> bool:
    """Whether ``c`` already contains ``other`` (nesting has no cycles)."""
    p = other.parent
    while p is not None:
        if p is c:
            return True
        p = p.parent
    return False


def _via(doc: Doc, cands: list[Cand], lo: int, hi: int) -> None:
    """The outlet a statement came through («لصحيفة الغارديان», «في مقابلة مع شبكة سي إن
    إن», "told CNN", "in an interview with The Daily Caller"), set on the top-level
    attributions of the sentence."""
    covered: set[int] = set()
    for c in cands:
        if c.content is not None:
            covered.update(range(*c.content))
        if c.speaker is not None and c.antecedent is None:
            covered.update(range(*c.speaker))
    found = _via_named(doc, lo, hi, covered) or _via_generic(doc, lo, hi, covered)
    if found is None:
        return
    for c in cands:
        if c.via is None and c.parent is None and c.kind != "outlet":
            c.via = found


def _via_named(doc: Doc, lo: int, hi: int, covered: set[int]) -> str | None:
    toks = doc.toks
    for k in range(lo, hi):
        m = doc.mention_at(k)
        if k in covered or m is None or m.kind != "outlet":
            continue
        context = {toks[j].key for j in range(max(lo, k - 6), k) if toks[j].kind == WORD}
        after = toks[m.end].key if m.end < hi else ""
        generic = any(
            toks[j].word.proclitic == "ل" and toks[j].word.flags & lx.OUTLET_GENERIC
            for j in range(max(lo, k - 2), k)
        )
        if context & _VIA_MARKERS or m.proclitic == "ل" or after in ("interview", "'s") or generic:
            return _mention_text(doc, m)
    return None


def _via_generic(doc: Doc, lo: int, hi: int, covered: set[int]) -> str | None:
    """«لوكالة سبوتنيك», «لقناة "العربية"», «للصحيفة»: an outlet noun with a preposition,
    with its name after it, or standing for the last outlet named."""
    toks = doc.toks
    for k in range(lo, hi):
        t = toks[k]
        if k in covered or t.kind != WORD or t.word.proclitic != "ل":
            continue
        if not t.word.flags & lx.OUTLET_GENERIC:
            continue
        q = doc.quotes[doc.quote_at[k + 1]] if k + 1 in doc.quote_at else None
        if q is not None and q.close is not None and q.close - q.open <= 5:
            return doc.text[toks[q.open].end : toks[q.close].start].strip()
        j = k + 1
        name = lx.NOMINAL & ~lx.GIVEN_NAME | _FUNCTION
        while j < hi and j - k <= 3 and toks[j].kind == WORD and not toks[j].word.flags & name:
            j += 1
        return doc.text[t.start + 1 : toks[j - 1].end] if j > k + 1 else doc.last_outlet
    return None


# --- the document ------------------------------------------------------------------------------


def _title_entities(doc: Doc) -> None:
    """A definite title resolves to the person named with the same title elsewhere in the
    document («المبعوث الأمريكي» -> Kellogg after «المبعوث الرئاسي الأمريكي الخاص ... كيث
    كيلوج»; "Trump's Envoy" -> Witkoff after "President Trump's special envoy Steve
    Witkoff"). A title with nothing to tell it apart ("the president") is left alone."""
    known: dict[str, str | None] = {}
    for c in doc.cands:
        if c.speaker is None or c.entity is None or c.kind != "named" or c.antecedent is not None:
            continue
        key = _title_key(doc, *c.speaker, c.entity)
        if key is not None:
            # two people with the same title in one document: neither is meant
            known[key] = c.entity if known.get(key, c.entity) == c.entity else None
    for c in doc.cands:
        if c.entity is None and c.kind == "named" and c.speaker is not None:
            key = _title_key(doc, *c.speaker, None)
            c.entity = known.get(key) if key is not None else None


def _title_key(doc: Doc, s: int, e: int, entity: str | None) -> str | None:
    """A title («مبعوث»; in English the one next to the name), the affiliations the
    description gives it (its words, and bodies written without a preposition) and the
    other people it names (a possessor: "Trump's envoy"); None when it has neither."""
    toks = doc.toks
    titles = [k for k in range(s, e) if doc.flags(k) & lx.TITLE and toks[k].mention < 0]
    if not titles:
        return None
    title = titles[0] if doc.lang == "ar" else titles[-1]
    codes: set[str] = set()
    others: set[str] = set()
    for k in range(s, e):
        m = doc.mention_at(k)
        if m is None:
            codes.update(toks[k].word.affiliations if toks[k].mention < 0 else ())
        elif m.kind == "person" and m.entity != entity:
            others.add(m.entity)
        elif m.kind == "institution" and _governs(doc, k, title):
            codes.update(doc.lex.by_id[m.entity].affiliation)
    if not codes and not others:
        return None
    stem = toks[title].word.stem.removeprefix("ال")
    return f"{stem}|{','.join(sorted(codes))}|{','.join(sorted(others))}"


def _governs(doc: Doc, k: int, title: int) -> bool:
    """Whether the body named at ``k`` says whose the title is: before it ("Ukraine's
    President", "Kremlin spokesman"), after «باسم», or right after a title without the
    article («وزير خارجية روسيا»); not a complement («المبعوث الخاص لأوكرانيا وروسيا»)."""
    if k < title:
        return True
    prev = doc.toks[k - 1]
    return bool(prev.word.flags & lx.NAME_LINK) or (
        k == title + 1
        and not prev.key.startswith("ال")
        and not doc.mentions[doc.toks[k].mention].proclitic
    )


def _topics(doc: Doc, a: int, b: int) -> tuple[str, ...]:
    found: list[str] = []
    for k in range(a, b):
        hit = _phrase_at(doc, k, b, ("topic:",))
        if hit is not None and hit[0][6:] not in found:
            found.append(hit[0][6:])
    return tuple(found)


def _note_outlets(doc: Doc, lo: int, hi: int) -> None:
    for k in range(lo, hi):
        m = doc.mention_at(k)
        if m is not None and m.kind == "outlet":
            doc.last_outlet = _mention_text(doc, m)


def _attributions(doc: Doc) -> Iterator[Cand]:
    """Every attribution of the document, sentence by sentence."""
    for sent in range(len(doc.sentences)):
        lo, hi = doc.bounds[sent]
        if lo >= hi or _resumes(doc, sent, lo, hi):
            continue
        found = _sentence(doc, sent)
        if not found:
            bare = _bare_quote(doc, sent, lo)
            found = [bare] if bare is not None else []
        doc.by_sentence[sent] = found
        for c in found:
            c.order = len(doc.cands)
            doc.cands.append(c)
            yield c
        top = [c for c in found if c.parent is None and c.speaker is not None]
        if top:
            last = top[-1]
            while last.antecedent is not None:
                last = last.antecedent
            doc.last_speaker = last
        _note_outlets(doc, lo, hi)


def _content_span(doc: Doc, c: Cand) -> Span | None:
    """The content's characters: inside the quotation marks for a direct quotation, and
    without the final punctuation."""
    if c.content is None or c.content[0] >= c.content[1]:
        return None
    a, b = c.content
    start, end = doc.toks[a].start, doc.toks[b - 1].end
    if c.direct and doc.toks[a].kind == QUOTE:
        start = doc.toks[a].end
        if b - 1 > a and doc.toks[b - 1].kind == QUOTE:
            end = doc.toks[b - 1].start
    text = doc.text[start:end].rstrip(" .،,؛;")
    lead = len(text) - len(text.lstrip())
    start, end = start + lead, start + len(text)
    return doc.span(start, end) if end > start else None


def extract(text: str, lang: str, lexicon: Lexicon | None = None) -> list[Attribution]:
    """Every attribution in ``text`` (the stored, normalised text of a document in language
    ``lang``, ``ar`` or ``en``), ordered by position. ``nested_in`` indexes into the returned
    list; spans are offsets into ``text``."""
    if lang not in ("ar", "en"):
        raise ValueError(f"language must be 'ar' or 'en', not {lang!r}")
    doc = _read(text, lang, lexicon or default_lexicon())
    cands = list(_attributions(doc))
    _title_entities(doc)

    def position(c: Cand) -> tuple[int, int]:
        if c.cue_chars is not None:
            return c.cue_chars[0], c.order
        return (doc.toks[c.content[0]].start if c.content else c.sentence_chars[0]), c.order

    cands.sort(key=position)
    index = {id(c): n for n, c in enumerate(cands)}
    out = []
    for c in cands:
        assert c.kind is not None
        out.append(
            Attribution(
                sentence=doc.span(*c.sentence_chars),
                speaker=doc.span(*c.speaker_chars) if c.speaker_chars else None,
                implicit=c.implicit,
                kind=c.kind,
                sources=c.sources,
                affiliation=c.affiliation,
                cue=doc.span(*c.cue_chars) if c.cue_chars else None,
                content=_content_span(doc, c),
                direct=c.direct,
                topics=_topics(doc, *(c.content or doc.bounds[c.sent])),
                via_outlet=c.via,
                nested_in=index[id(c.parent)] if c.parent is not None else None,
                entity=c.entity,
            )
        )
    return out
