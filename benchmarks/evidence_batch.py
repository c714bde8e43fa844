"""A large batch through ``evidence add``: parallel processes against one process.

    /tmp/venv/bin/python benchmarks/evidence_batch.py            # 2,000 documents
    /tmp/venv/bin/python benchmarks/evidence_batch.py --documents 10000

The documents are the development corpus's texts (``../shared/reference/news``), each made
unique by a numbered line, written to one JSON Lines file. Each run stores them in a fresh
SQLite database through the same service as ``guarantor evidence add`` (read, check, extract,
store in one transaction), once with extraction in parallel processes (the default from
``PARALLEL_FROM`` documents on) and once in this process only; it prints documents per
second for both and their ratio. A progress line is printed every few seconds.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

from guarantor.config import Settings
from guarantor.evidence.ingest import Meta
from guarantor.services import evidence


def corpus(folder: Path) -> list[tuple[str, str]]:
    texts = []
    for lang in ("ar", "en"):
        for path in sorted((folder / lang).glob("*.txt")):
            texts.append((lang, path.read_text(encoding="utf-8")))
    return texts


def batch(texts: list[tuple[str, str]], n: int, target: Path) -> int:
    chars = 0
    with target.open("w", encoding="utf-8") as out:
        for k in range(n):
            lang, text = texts[k % len(texts)]
            body = f"{text}\n\n({k})"
            chars += len(body)
            out.write(json.dumps({"text": body, "lang": lang}, ensure_ascii=False) + "\n")
    return chars


def run(path: Path, parallel: bool, n: int) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(db_url=f"sqlite:///{tmp}/evidence.db", user="bench")
        old = evidence.PARALLEL_FROM
        evidence.PARALLEL_FROM = old if parallel else 10**12
        last = [time.perf_counter()]

        def progress(task: str, done: int, total: int) -> None:
            if time.perf_counter() - last[0] > 3 or done == total:
                last[0] = time.perf_counter()
                print(f"  {task}: {done:,}/{total:,}", file=sys.stderr, flush=True)

        start = time.perf_counter()
        try:
            added = evidence.add_documents(settings, [path], Meta(), progress=progress)
        finally:
            evidence.PARALLEL_FROM = old
        seconds = time.perf_counter() - start
        assert len(added.added) == n, (len(added.added), n)
        return seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--documents", type=int, default=2000)
    parser.add_argument(
        "--corpus",
        type=Path,
        default=Path(__file__).resolve().parents[1] / ".." / "shared" / "reference" / "news",
    )
    args = parser.parse_args()
    texts = corpus(args.corpus)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "batch.jsonl"
        chars = batch(texts, args.documents, path)
        print(f"{args.documents:,} documents, {chars:,} characters, {os.cpu_count()} cores")
        print("parallel processes:")
        parallel = run(path, True, args.documents)
        print("one process:")
        single = run(path, False, args.documents)
    for name, seconds in (("parallel", parallel), ("one process", single)):
        print(f"{name:12} {seconds:7.2f} s  {args.documents / seconds:8.1f} documents/s")
    print(f"ratio one process / parallel: {single / parallel:.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
