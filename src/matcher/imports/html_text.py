"""HTML in a description (job sites send ``<p>…&amp;…</p>``) as plain text a broker can read.

Block elements become line breaks, list items get a dash, entities are decoded and scripts and
styles dropped. The original HTML is kept beside the text by the caller.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

_LOOKS_HTML = re.compile(
    r"<(?:p|br|div|ul|ol|li|b|i|strong|em|span|h[1-6]|a|table|tr|td)\b[^>]*>|&(?:[a-z]+|#\d+);", re.I
)
_BLOCKS = {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table", "section"}


def looks_like_html(text: str) -> bool:
    return bool(_LOOKS_HTML.search(text))


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self.skip += 1
        elif tag in _BLOCKS:
            self.parts.append("\n- " if tag == "li" else "\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self.skip = max(0, self.skip - 1)
        elif tag in _BLOCKS and tag != "li":
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


def html_to_text(markup: str) -> str:
    """The text of ``markup``: paragraphs on their own lines, runs of blanks collapsed."""
    parser = _Text()
    parser.feed(markup)
    parser.close()
    text = html.unescape("".join(parser.parts))
    lines = [" ".join(line.split()) for line in text.split("\n")]
    out: list[str] = []
    for line in lines:
        if line.startswith("- ") and out and not out[-1]:
            out.pop()  # list items follow each other without a blank line
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip()
