"""Turning message text into safe HTML for the browser, the way Telegram displays it.

The bot writes Telegram HTML. :func:`sanitize_html` keeps only the tags Telegram knows
(``b i u s code pre a blockquote``; aliases such as ``strong`` are mapped to them), drops every
other tag and attribute, escapes all text, and links bare URLs and ``/commands`` the way
Telegram clients do. :func:`entities_to_html` does the same for text with entities (messages
sent without HTML), and :func:`plain_to_html` for what a person typed.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from typing import Any

from bot.local_api.entities import slice_utf16, utf16_len

ALLOWED = ("b", "i", "u", "s", "code", "pre", "a", "blockquote")
ALIASES = {"strong": "b", "em": "i", "ins": "u", "strike": "s", "del": "s"}
DROP_CONTENT = {"script", "style", "template", "iframe", "object", "noscript", "textarea"}
SAFE_SCHEMES = ("http://", "https://", "tg://", "mailto:")
_LANGUAGE_CLASS = re.compile(r"^language-[A-Za-z0-9_+#.-]{1,32}$")
_LINKABLE = re.compile(
    r"(?P<url>https?://[^\s<>\"']+)"
    r"|(?<![^\s(])(?P<cmd>/[A-Za-z][A-Za-z0-9_]{0,31}(?:@[A-Za-z0-9_]{3,32})?)(?![\w/])"
)
_TRAILING = ".,;:!?)]}'\""


def safe_href(href: str | None) -> str | None:
    """``href`` if it uses a harmless scheme, else ``None``."""
    if not href:
        return None
    cleaned = "".join(ch for ch in href.strip() if ch >= " ")
    return cleaned if cleaned.lower().startswith(SAFE_SCHEMES) else None


def _link(href: str, label: str) -> str:
    return (
        f'<a href="{html.escape(href, quote=True)}" target="_blank" rel="noopener noreferrer">'
        f"{html.escape(label, quote=False)}</a>"
    )


def linkify(text: str) -> str:
    """Escape plain ``text``, turning URLs and ``/commands`` into links (as Telegram does)."""
    out: list[str] = []
    pos = 0
    for match in _LINKABLE.finditer(text):
        out.append(html.escape(text[pos : match.start()], quote=False))
        if match.group("url"):
            url = match.group("url")
            stripped = url.rstrip(_TRAILING)
            out.append(_link(stripped, stripped) + html.escape(url[len(stripped) :], quote=False))
        else:
            command = match.group("cmd")
            out.append(
                f'<a href="#" class="cmd" data-command="{html.escape(command, quote=True)}">'
                f"{html.escape(command, quote=False)}</a>"
            )
        pos = match.end()
    out.append(html.escape(text[pos:], quote=False))
    return "".join(out)


class _Sanitizer(HTMLParser):
    def __init__(self, *, link_text: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.link_text = link_text
        self.out: list[str] = []
        self.open: list[str] = []  # allowed tags currently open, innermost last
        self.dropping = 0  # depth inside tags whose content is dropped (script, style, ...)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        tag = ALIASES.get(tag, tag)
        if tag in DROP_CONTENT:
            self.dropping += 1
            return
        if self.dropping or tag not in ALLOWED:
            return
        attributes = dict(attrs)
        if tag == "a":
            href = safe_href(attributes.get("href"))
            if href is None:
                self.out.append("<a>")
            else:
                escaped = html.escape(href, quote=True)
                self.out.append(f'<a href="{escaped}" target="_blank" rel="noopener noreferrer">')
        elif tag == "code" and _LANGUAGE_CLASS.match(attributes.get("class") or ""):
            self.out.append(f'<code class="{attributes["class"]}">')
        else:
            self.out.append(f"<{tag}>")
        self.open.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br" and not self.dropping:
            self.out.append("\n")

    def handle_endtag(self, tag: str) -> None:
        tag = ALIASES.get(tag, tag)
        if tag in DROP_CONTENT:
            self.dropping = max(0, self.dropping - 1)
            return
        if self.dropping or tag not in self.open:
            return
        while self.open:
            closing = self.open.pop()
            self.out.append(f"</{closing}>")
            if closing == tag:
                break

    def handle_data(self, data: str) -> None:
        if self.dropping:
            return
        plain = not {"a", "code", "pre"} & set(self.open)
        self.out.append(linkify(data) if plain and self.link_text else html.escape(data, False))

    def result(self) -> str:
        self.close()
        self.out.extend(f"</{tag}>" for tag in reversed(self.open))
        self.open.clear()
        return "".join(self.out)


def sanitize_html(source: str, *, link_text: bool = True) -> str:
    """Telegram HTML (or anything else) reduced to the allowed tags, safe to put in a page."""
    sanitizer = _Sanitizer(link_text=link_text)
    sanitizer.feed(source)
    return sanitizer.result()


ENTITY_TAGS = {
    "bold": "b",
    "italic": "i",
    "underline": "u",
    "strikethrough": "s",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "expandable_blockquote": "blockquote",
    "text_link": "a",
}


def entities_to_html(text: str, entities: list[dict[str, Any]] | None) -> str:
    """Text with Bot API entities (UTF-16 offsets) as sanitized HTML."""
    marks: list[tuple[int, int, str]] = []  # (position, order, markup)
    for index, entity in enumerate(entities or []):
        tag = ENTITY_TAGS.get(str(entity.get("type")))
        offset, length = int(entity.get("offset", 0)), int(entity.get("length", 0))
        if tag is None or length <= 0:
            continue
        opening = f"<{tag}>"
        if tag == "a":
            opening = f'<a href="{html.escape(str(entity.get("url", "")), quote=True)}">'
        # Outer entities open first and close last; ties keep the entities' order.
        marks.append((offset, 2 * index - 10**6 * length, opening))
        marks.append((offset + length, 10**6 * length - 2 * index, f"</{tag}>"))
    marks.sort(key=lambda mark: (mark[0], 0 if mark[2].startswith("</") else 1, mark[1]))
    pieces: list[str] = []
    position = 0
    total = utf16_len(text)
    for at, _order, markup in marks:
        at = min(at, total)
        pieces.append(html.escape(slice_utf16(text, position, at - position), quote=False))
        pieces.append(markup)
        position = at
    pieces.append(html.escape(slice_utf16(text, position, total - position), quote=False))
    return sanitize_html("".join(pieces))


def plain_to_html(text: str) -> str:
    """What a person typed: escaped, with URLs and /commands linked."""
    return linkify(text)
