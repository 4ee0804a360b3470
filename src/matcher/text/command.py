"""``matcher extract FILE|-``: the spans of a text file (or a CV) as a table or as JSON."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from .cv import read_cv_text
from .extract import ExtractingTaxonomy, Extraction, extract


def extract_file(source: str, tax: ExtractingTaxonomy, *, as_json: bool = False) -> str:
    """The extraction of the file ``source`` (.txt, .html, .docx, .pdf; "-" reads standard input)."""
    if source == "-":
        text = sys.stdin.read()
    else:
        path = Path(source)
        if not path.is_file():
            raise FileNotFoundError(f"no such file: {source}")
        text = (
            path.read_text(encoding="utf-8", errors="replace")
            if path.suffix.lower() in (".html", ".htm")
            else read_cv_text(path)
        )
    extraction = extract(text, tax)
    return json.dumps(extraction.to_dict(), ensure_ascii=False, indent=2) if as_json else format_table(extraction)


def format_table(extraction: Extraction) -> str:
    """One line per span: offsets, kind, value (label for ESCO concepts), level/number, importance, text."""
    lines = [f"language: {extraction.lang} ({extraction.lang_score:.2f}); {len(extraction.spans)} spans"]
    lines.append(f"{'start':>5} {'end':>5}  {'kind':<10} {'value':<42} {'detail':<8} {'importance':<10} text")
    for s in extraction.spans:
        value = f"{s.label} ({s.score:.2f})" if s.label else s.value
        detail = s.level or (f"{s.number:g}" if s.number is not None else "")
        lines.append(f"{s.start:>5} {s.end:>5}  {s.kind:<10} {value[:42]:<42} {detail:<8} {s.importance:<10} {s.text}")
    return "\n".join(lines)
