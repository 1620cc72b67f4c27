"""A Mermaid mind map of a course: title → sections (with their time) → key points/objectives;
a playlist course has a level per module (video) between the title and its sections."""

from __future__ import annotations

import re

from core.domain import GeneratedCourse
from core.modules import module_of
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
    modules = module_of(course)
    pad = "  " if modules else ""  # Mermaid nests by indentation: sections go under modules
    current = None
    for n, s in enumerate(course.sections, start=1):
        module = modules.get(s.id)
        if module is not None and module is not current:  # an edit may interleave modules
            current = module
            k = course.modules.index(module) + 1
            lines.append(f'    m{k}{{{{{_label(f"{k}. {module.title}")}}}}}')
        # a module's sections show their time in the module's own video
        at = s.outline.start_seconds - (module.offset_seconds if module else 0.0)
        lines.append(f'{pad}    s{n}[{_label(f"{n}. {s.title} {timestamp(at)}")}]')
        leaves = (s.content.key_points if s.content and s.content.key_points
                  else s.outline.objectives)
        for i, leaf in enumerate(leaves[:MAX_LEAVES], start=1):
            lines.append(f'{pad}      s{n}l{i}[{_label(leaf)}]')
    return "\n".join(lines) + "\n"
