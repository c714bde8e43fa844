"""Extract messages from the code and merge them into the ar and en catalogues.

Run after adding or changing a user-facing string::

    python tools/update_catalogues.py

New strings arrive in ``ar`` untranslated (empty); the test suite fails until they are
translated, so no English leaks into the Arabic interface.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "guarantor"
LOCALES = PACKAGE / "i18n" / "locales"
# Python modules mark strings with N_(); templates use _() (jinja2.ext.i18n).
MAPPING = """[python: **.py]
[jinja2: **/templates/**.html]
extensions = jinja2.ext.i18n
"""


def main() -> int:
    template = ROOT / "build" / "guarantor.pot"
    template.parent.mkdir(exist_ok=True)
    mapping = ROOT / "build" / "babel.cfg"
    mapping.write_text(MAPPING, encoding="utf-8")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            str(mapping),
            "--no-default-keywords",
            "-k",
            "N_",
            "-k",
            "_",
            "--no-location",
            "--omit-header",
            "--sort-output",
            "-o",
            str(template),
            str(PACKAGE),
        ],
        check=True,
        capture_output=True,
    )
    with template.open("rb") as handle:
        pot = read_po(handle)
    for lang in ("ar", "en"):
        po_path = LOCALES / lang / "LC_MESSAGES" / "guarantor.po"
        po_path.parent.mkdir(parents=True, exist_ok=True)
        if po_path.exists():
            with po_path.open("rb") as handle:
                catalog = read_po(handle, locale=lang)
            catalog.update(pot, no_fuzzy_matching=True)
        else:
            catalog = read_po(template.open("rb"), locale=lang)
        catalog.obsolete.clear()
        with po_path.open("wb") as handle:
            write_po(
                handle, catalog, omit_header=False, no_location=True, sort_output=True, width=100
            )
        missing = [m.id for m in catalog if m.id and not m.string]
        print(f"{lang}: {len(catalog)} messages, {len(missing)} untranslated")
    return 0


if __name__ == "__main__":
    sys.exit(main())
