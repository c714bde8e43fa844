"""Attribution extraction against the annotated news corpus, and its speed.

Run from the repository root::

    /tmp/venv/bin/python benchmarks/evidence_extraction.py [--corpus ../shared/reference/news]
        [--show] [--repeat 20]

The corpus folder holds ``ar/*.txt``, ``en/*.txt`` and ``attributions.json`` (139 annotated
items and 35 hard negatives; its README has the annotation guidelines).

Matching a prediction to an annotated item (one to one):

- Both are in the same document. An item is *anchored* in the paragraphs (lines) where its
  ``cue`` and ``quote_contains`` occur together (and a ``speaker_match`` string, unless
  ``implicit_speaker`` is set), as the corpus's ``check.py`` requires.
- **Attribution found**: the predicted cue span overlaps an occurrence of the item's ``cue``
  string in an anchor paragraph, or the predicted content span overlaps an occurrence of its
  ``quote_contains`` in an anchor paragraph. (A ``null`` cue or a missing quote cannot match.)
- **+ speaker**: also, the predicted speaker span (for an implicit speaker, the earlier
  mention it points back to) overlaps an occurrence, anywhere in the document, of one of the
  item's ``speaker_match`` strings.
- **+ kind**: also, the predicted kind equals ``speaker_kind``, ``institution`` counting as
  ``named`` (the corpus does not split named people from named bodies).

Pairs are chosen greedily, best level first (then nearest cue), each prediction and each
item used once. Precision at a level is the matched pairs at that level or better over the
predictions; recall is the same over the items.

- **Sources exact**: among pairs at the attribution level, the share where the predicted
  ``sources`` equals ``n_sources`` (``null`` = a plural with no number).
- **Quote span**: among pairs whose item has ``quote_contains``, the predicted content
  contains the whole ``quote_contains`` string. Precision is over the pairs whose
  prediction has a content; recall over the pairs whose item has a quote.
- **Hard negatives**: predictions that match no item and whose cue overlaps one of the 35
  hard-negative phrases.

Targets (a PASS/FAIL line each): precision and recall at least 0.9 for attribution + speaker
+ kind in each language; sources exact in at least 0.95 of the attributions found. Then the
speed: the extractor is timed over the corpus texts (repeated), on one core, and reported
as characters per second and as articles of 4,000 characters per second (target 50).
The exit status is 1 when a quality target fails, 0 otherwise.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from guarantor.evidence.extract import extract  # noqa: E402
from guarantor.evidence.lexicon import default_lexicon  # noqa: E402
from guarantor.evidence.normalise import normalise  # noqa: E402
from guarantor.model.evidence import Attribution  # noqa: E402

TARGET_PR = 0.9
TARGET_SOURCES = 0.95
TARGET_RATE = 50.0
ARTICLE = 4000


@dataclass
class Item:
    raw: dict[str, object]
    doc: str
    anchors: list[tuple[int, int]]

    @property
    def id(self) -> str:
        return str(self.raw["id"])


def _occurrences(
    text: str, needle: str, within: list[tuple[int, int]] | None = None
) -> list[tuple[int, int]]:
    out = [(m.start(), m.end()) for m in re.finditer(re.escape(needle), text)]
    if within is None:
        return out
    return [o for o in out if any(a <= o[0] and o[1] <= b for a, b in within)]


def _overlaps(span: tuple[int, int] | None, spans: list[tuple[int, int]]) -> bool:
    return span is not None and any(span[0] < b and a < span[1] for a, b in spans)


def _anchors(text: str, raw: dict[str, object]) -> list[tuple[int, int]]:
    out = []
    for m in re.finditer(r"[^\n]+", text):
        p = m.group()
        needles = [s for s in (raw.get("cue"), raw.get("quote_contains")) if isinstance(s, str)]
        speakers = raw["speaker_match"]
        assert isinstance(speakers, list)
        if all(s in p for s in needles) and (
            raw.get("implicit_speaker") or any(s in p for s in speakers)
        ):
            out.append((m.start(), m.end()))
    return out


def _level(pred: Attribution, item: Item, text: str) -> int:
    raw = item.raw
    cue = raw.get("cue")
    quote = raw.get("quote_contains")
    cue_ok = (
        isinstance(cue, str)
        and pred.cue is not None
        and _overlaps((pred.cue.start, pred.cue.end), _occurrences(text, cue, item.anchors))
    )
    quote_ok = (
        isinstance(quote, str)
        and pred.content is not None
        and _overlaps(
            (pred.content.start, pred.content.end), _occurrences(text, quote, item.anchors)
        )
    )
    if not (cue_ok or quote_ok):
        return 0
    speakers = raw["speaker_match"]
    assert isinstance(speakers, list)
    spans = [o for s in speakers for o in _occurrences(text, str(s))]
    if pred.speaker is None or not _overlaps((pred.speaker.start, pred.speaker.end), spans):
        return 1
    kind = "named" if pred.kind == "institution" else pred.kind
    return 3 if kind == raw["speaker_kind"] else 2


def _match(preds: list[Attribution], items: list[Item], text: str) -> list[tuple[int, int, int]]:
    """Greedy one-to-one pairs (prediction, item, level)."""
    pairs = []
    for p, pred in enumerate(preds):
        for n, item in enumerate(items):
            level = _level(pred, item, text)
            if level:
                anchor = item.anchors[0][0] if item.anchors else 0
                distance = abs((pred.cue.start if pred.cue else pred.sentence.start) - anchor)
                pairs.append((-level, distance, p, n))
    pairs.sort()
    used_p: set[int] = set()
    used_i: set[int] = set()
    out = []
    for neg, _, p, n in pairs:
        if p in used_p or n in used_i:
            continue
        used_p.add(p)
        used_i.add(n)
        out.append((p, n, -neg))
    return out


def _ratio(a: int, b: int) -> float:
    return a / b if b else 1.0


def _short(a: Attribution) -> str:
    speaker = a.speaker.text if a.speaker else None
    cue = a.cue.text if a.cue else None
    content = a.content.text[:60] if a.content else None
    return f"speaker={speaker!r} kind={a.kind} n={a.sources} cue={cue!r} content={content!r}"


@dataclass
class Score:
    """Counts for one language."""

    documents: int = 0
    predicted: int = 0
    annotated: int = 0
    levels: list[int] = field(default_factory=lambda: [0, 0, 0])
    """Pairs at the attribution level, + speaker, + kind."""
    sources: int = 0
    quote_ok: int = 0
    quote_items: int = 0
    quote_predicted: int = 0
    negatives: int = 0

    def add_level(self, level: int) -> None:
        for k in range(level):
            self.levels[k] += 1


def _score_document(
    text: str, doc: str, lang: str, data: dict[str, Any], score: Score, show: bool
) -> None:
    items = [Item(raw, doc, _anchors(text, raw)) for raw in data["items"] if raw["doc"] == doc]
    preds = extract(text, lang)
    pairs = _match(preds, items, text)
    score.documents += 1
    score.predicted += len(preds)
    score.annotated += len(items)
    for p, n, level in pairs:
        score.add_level(level)
        pred, raw = preds[p], items[n].raw
        if pred.sources == raw["n_sources"]:
            score.sources += 1
        elif show:
            print(
                f"  SOURCES {items[n].id}: predicted {pred.sources}, annotated {raw['n_sources']}"
            )
        quote = raw.get("quote_contains")
        if isinstance(quote, str):
            score.quote_items += 1
            if pred.content is not None:
                score.quote_predicted += 1
                score.quote_ok += quote in pred.content.text
                if show and quote not in pred.content.text:
                    print(f"  QUOTE {items[n].id}: {quote!r} not in {pred.content.text[:80]!r}")
    matched = {p for p, _, _ in pairs}
    for p, pred in enumerate(preds):
        if p in matched:
            continue
        hit = pred.cue is not None and any(
            neg["doc"] == doc
            and _overlaps((pred.cue.start, pred.cue.end), _occurrences(text, neg["text"]))
            for neg in data["hard_negatives"]
        )
        score.negatives += hit
        if show:
            print(f"  {'FP-HARD-NEGATIVE' if hit else 'FP'} {doc}: {_short(pred)}")
    if show:
        found = {n: (p, level) for p, n, level in pairs}
        for n, item in enumerate(items):
            raw = item.raw
            if n not in found:
                quote = raw.get("quote_contains")
                print(f"  MISS {item.id}: {raw['speaker_match']} {raw['cue']!r} {quote!r}")
            elif found[n][1] < 3:
                what = "SPEAKER" if found[n][1] == 1 else "KIND"
                label = f"{item.id} ({raw['speaker_match']}, {raw['speaker_kind']})"
                print(f"  WRONG-{what} {label}: {_short(preds[found[n][0]])}")


def _report(lang: str, score: Score) -> bool:
    """Print one language's figures and PASS/FAIL lines; True when both targets are met."""
    found, speaker, kind = score.levels
    print(
        f"\n== {lang}: {score.documents} documents, {score.annotated} annotated, "
        f"{score.predicted} predicted =="
    )
    print(f"{'level':<34} {'precision':>9} {'recall':>7}")
    for name, n in (("attribution found", found), ("+ speaker", speaker), ("+ kind", kind)):
        print(f"{name:<34} {_ratio(n, score.predicted):>9.3f} {_ratio(n, score.annotated):>7.3f}")
    print(f"{'sources exact (of found)':<34} {_ratio(score.sources, found):>9.3f}")
    quote_p = _ratio(score.quote_ok, score.quote_predicted)
    quote_r = _ratio(score.quote_ok, score.quote_items)
    print(f"{'quote span':<34} {quote_p:>9.3f} {quote_r:>7.3f}")
    print(f"false positives on hard negatives: {score.negatives}")
    p3, r3 = _ratio(kind, score.predicted), _ratio(kind, score.annotated)
    good_kind = p3 >= TARGET_PR and r3 >= TARGET_PR
    print(
        f"{'PASS' if good_kind else 'FAIL'} {lang} attribution + speaker + kind: "
        f"precision {p3:.3f}, recall {r3:.3f} (target {TARGET_PR})"
    )
    sources = _ratio(score.sources, found)
    good_sources = sources >= TARGET_SOURCES
    print(
        f"{'PASS' if good_sources else 'FAIL'} {lang} sources exact: {sources:.3f} of "
        f"{found} found (target {TARGET_SOURCES})"
    )
    return good_kind and good_sources


def evaluate(corpus: Path, show: bool) -> tuple[bool, list[tuple[str, str]]]:
    """Score the extractor on the corpus; returns whether every target is met and the
    texts read (for the speed)."""
    data = json.loads((corpus / "attributions.json").read_text(encoding="utf-8"))
    ok = True
    texts: list[tuple[str, str]] = []
    for lang in ("ar", "en"):
        score = Score()
        for path in sorted((corpus / lang).glob("*.txt")):
            text = normalise(path.read_text(encoding="utf-8"))
            texts.append((text, lang))
            _score_document(text, f"{lang}/{path.name}", lang, data, score, show)
        ok &= _report(lang, score)
    return ok, texts


def speed(texts: list[tuple[str, str]], repeat: int) -> None:
    """Time the extractor over the corpus texts, ``repeat`` times, on one core (CPU time)."""
    default_lexicon()
    for text, lang in texts:
        extract(text, lang)  # warm the lexicon's caches
    chars = sum(len(text) for text, _ in texts) * repeat
    start = time.process_time()
    for _ in range(repeat):
        for text, lang in texts:
            extract(text, lang)
    seconds = time.process_time() - start
    rate = chars / seconds
    articles = rate / ARTICLE
    print(f"\n== speed (one core, CPU time, {repeat} passes over {len(texts)} texts) ==")
    print(
        f"{chars:,} characters in {seconds:.2f} s: {rate:,.0f} characters/s = "
        f"{articles:.1f} articles of {ARTICLE:,} characters/s"
    )
    verdict = "PASS" if articles >= TARGET_RATE else "FAIL"
    print(
        f"{verdict} speed: {articles:.1f} articles/s, {articles / TARGET_RATE:.1f}x the target "
        f"of {TARGET_RATE:.0f}/s"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--corpus", type=Path, default=ROOT / ".." / "shared" / "reference" / "news"
    )
    parser.add_argument("--show", action="store_true", help="print every miss and false positive")
    parser.add_argument(
        "--repeat", type=int, default=20, help="passes over the corpus for the speed"
    )
    args = parser.parse_args()
    ok, texts = evaluate(args.corpus.resolve(), args.show)
    speed(texts, args.repeat)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
