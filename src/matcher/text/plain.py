"""HTML and bullet lists to plain text with one line per block, so that offsets mean something."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

#: Tags that end a line: block elements and line breaks.
BLOCK_TAGS = frozenset(
    {"p", "div", "br", "li", "ul", "ol", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "section"}
)
TAG = re.compile(r"<\s*/?\s*[a-zA-Z][^>]*>")
#: Bullet characters at the start of a line ("• ", "- ", "* ", "▪ ", "1. ").
BULLET = re.compile(r"^[ \t]*(?:[•·▪●◦‣∙*–—-]|\d{1,2}[.)])[ \t]+", re.MULTILINE)
SPACES = re.compile(r"[ \t\u00a0]+")


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def plain_text(text: str) -> str:
    """``text`` without HTML tags or bullet marks, one line per block, single spaces.

    >>> plain_text("<ul><li>Rijbewijs B</li><li>vlot Nederlands</li></ul>")
    'Rijbewijs B\\nvlot Nederlands'
    """
    if TAG.search(text):
        parser = _Text()
        parser.feed(text)
        parser.close()
        text = "".join(parser.parts)
    else:
        text = html.unescape(text)
    text = BULLET.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    lines = (SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)
