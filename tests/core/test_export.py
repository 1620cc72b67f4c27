"""The Markdown export speaks the course's language."""

from __future__ import annotations

import pytest

from core.domain import GeneratedCourse
from core.export import course_markdown


def course(language: str) -> GeneratedCourse:
    section = {"id": "s1", "title": "Inflación", "startSeconds": 0, "endSeconds": 60}
    return GeneratedCourse.model_validate({
        "outline": {"title": "Inflación", "language": language, "sections": [section]},
        "sections": [{"id": "s1", "title": "Inflación", "sequence": 0, "outline": section,
                      "content": {"markdown": "Texto.", "keyPoints": ["Una idea."]},
                      "supplement": {"quiz": {"questions": [{
                          "type": "true_false", "prompt": "Verdadero o falso: sube.",
                          "options": ["True", "False"], "answer": "True"}]}}}]})


@pytest.mark.parametrize(("language", "labels", "absent"), [
    ("es", ["## Respuestas", "**Ideas clave**", "   - Verdadero", "**Verdadero**",
            "Nivel: principiante"], "Answer key"),
    ("en", ["## Answer key", "**Key points**", "   - True", "Difficulty: beginner"],
     "Respuestas"),
])
def test_labels_follow_the_course_language(language, labels, absent) -> None:
    md = course_markdown(course(language))
    assert all(label in md for label in labels), md
    assert absent not in md
