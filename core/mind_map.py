"""A Mermaid mind map of a course: title → sections (with their time) → key points/objectives."""

from __future__ import annotations

import re

from core.domain import GeneratedCourse
from core.timecodes import timestamp

MAX_LEAVES = 5


def _label(text: str, limit: int = 80) -> str:
    """Text safe inside a quoted Mermaid node: no quotes, brackets or line breaks (Mermaid has
    no escape for them in mind maps), and short enough to read."""
    text = re.sub(r"[\"`()\[\]{}<>]", " ", text)
    text = re.sub(r"\s+", " ", text).strip()
    return (text[: limit - 1].rstrip() + "…") if len(text) > limit else text or "-"


def course_mermaid(course: GeneratedCourse) -> str:
    o = course.outline
    lines = ["mindmap", f'  root(({_label(o.title)}))']
    for n, s in enumerate(course.sections, start=1):
        lines.append(f'    s{n}[{_label(f"{n}. {s.title} {timestamp(s.outline.start_seconds)}")}]')
        leaves = (s.content.key_points if s.content and s.content.key_points
                  else s.outline.objectives)
        for i, leaf in enumerate(leaves[:MAX_LEAVES], start=1):
            lines.append(f'      s{n}l{i}[{_label(leaf)}]')
    return "\n".join(lines) + "\n"
