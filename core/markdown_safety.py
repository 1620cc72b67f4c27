"""Lesson Markdown with no raw HTML: what every model writes is cleaned before it is stored.

A web client renders lessons, and a transcript (or a model obeying one) can carry tags. nh3 (the
maintained Rust `ammonia` sanitizer) removes every tag and escapes stray `<`; code spans and
fenced blocks are left alone because Markdown renders them as literal text anyway.
"""

from __future__ import annotations

import html
import re

import nh3

# fenced blocks first, then inline code spans: both are inert in Markdown
_CODE = re.compile(r"(```.*?```|~~~.*?~~~|`[^`\n]+`)", re.DOTALL)
# link targets a renderer could execute
_UNSAFE_LINK = re.compile(r"\](\(\s*(?:javascript|vbscript|data):(?:[^()]|\([^()]*\))*\))",
                          re.IGNORECASE)
# `&` that does not start an entity: nh3 escapes it, Markdown would show "&amp;" in plain files
_AMP = re.compile(r"&amp;(?![#\w]+;)")


def _clean_prose(text: str) -> str:
    cleaned = nh3.clean(text, tags=set())
    # `>` opens no tag, and escaping it would break Markdown blockquotes
    cleaned = cleaned.replace("&gt;", ">")
    cleaned = _AMP.sub("&", cleaned)
    return _UNSAFE_LINK.sub("]", cleaned)


def safe_markdown(text: str) -> str:
    """`text` without HTML tags or script links, code spans and blocks unchanged."""
    parts = _CODE.split(text)
    return "".join(p if i % 2 else _clean_prose(p) for i, p in enumerate(parts))


# a tag, comment or declaration opener; a "<" before a space or digit ("x < 3") is text
_TAG_START = re.compile(r"<[A-Za-z/!?]")


def safe_text(text: str) -> str:
    """A plain-text field (a title, a key point, a card, a quiz option) with no HTML in it and
    no script link, as text: "x < y" and "AT&T" stay as written. Entities are decoded and cleaned
    again, so an escaped tag ("&lt;img onerror=…&gt;") cannot come back as a tag downstream."""
    for _ in range(4):
        if not _TAG_START.search(text) and "&" not in text:
            break
        cleaned = html.unescape(nh3.clean(text, tags=set()))
        if cleaned == text:
            break
        text = cleaned
    if _TAG_START.search(text):  # still tag-like after 4 rounds: keep only the words
        text = _TAG_START.sub(" ", text)
    return _UNSAFE_LINK.sub("]", text)


def safe_texts(items: list[str]) -> list[str]:
    return [safe_text(t) for t in items]
