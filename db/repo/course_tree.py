"""Reassemble a stored course tree (course_content rows) into the GeneratedCourse shape."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from db.models import CourseContent
from db.repo.course_store import EXERCISE, LESSON, OUTLINE, QUIZ, SECTION


def assemble(rows: list[CourseContent]) -> dict[str, Any] | None:
    """{outline, sections: [{id, title, sequence, outline, content, supplement}]} or None when
    the course has no outline yet (still generating its first version)."""
    outline_row = next((r for r in rows if r.type == OUTLINE), None)
    if outline_row is None or not outline_row.content:
        return None
    children: dict[Any, dict[str, Any]] = defaultdict(dict)
    for r in rows:
        if r.parent_id is not None and r.type in (LESSON, QUIZ, EXERCISE):
            children[r.parent_id][r.type] = r.content
    sections = []
    for seq, r in enumerate(sorted((r for r in rows if r.type == SECTION),
                                   key=lambda r: r.sequence)):
        kids = children.get(r.id, {})
        practice = kids.get(EXERCISE) or {}
        supplement = None
        if QUIZ in kids or practice:
            supplement = {"sectionId": str(r.id), "quiz": kids.get(QUIZ) or {"questions": []},
                          "exercises": practice.get("exercises", []),
                          "flashcards": practice.get("flashcards", [])}
        sections.append({"id": str(r.id), "title": r.title, "sequence": seq,
                         "outline": {**r.content, "id": str(r.id)},
                         "content": kids.get(LESSON), "supplement": supplement})
    outline = dict(outline_row.content)
    # the stored outline's sections follow the section rows (ids, order, edits)
    outline["sections"] = [s["outline"] for s in sections] or outline.get("sections", [])
    return {"outline": outline, "sections": sections}


def contents_and_supplements(tree: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Per-section state for the edit graph: what is already written."""
    contents = {s["id"]: s["content"] for s in tree["sections"] if s.get("content")}
    supplements = {s["id"]: s["supplement"] for s in tree["sections"] if s.get("supplement")}
    return contents, supplements
