"""The Markdown export speaks the course's language."""

from __future__ import annotations

import pytest

from core.domain import GeneratedCourse
from core.export import course_markdown
from core.modules import with_modules


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


def test_playlist_modules_are_headings_in_the_course_language() -> None:
    """Two videos on one timeline (the second at 61 s): Spanish module headings, the sections
    one level down, each section's link into its own video at its local time."""
    first = course("es")
    second = {"id": "s2", "title": "Deflación", "startSeconds": 61, "endSeconds": 150}
    data = first.model_dump()
    data["outline"]["sections"].append(second)
    data["sections"].append({"id": "s2", "title": "Deflación", "sequence": 1, "outline": second,
                             "content": {"markdown": "[01:05] Los precios bajan.",
                                         "keyPoints": ["Bajan. [01:40]"]},
                             "supplement": {"quiz": {"questions": [{
                                 "type": "short", "prompt": "¿Qué bajan?", "answer": "precios",
                                 "explanation": 'En la clase se dice: "..." [01:05]'}]}}})
    video = {"videoId": "PLplaylist000", "entries": [
        {"videoId": "vidA0000001", "title": "Precios", "offsetSeconds": 0, "durationSeconds": 60},
        {"videoId": "vidSkipped1", "errorCode": "no_captions"},
        {"videoId": "vidB0000001", "title": "Dinero", "offsetSeconds": 61,
         "durationSeconds": 89}]}
    md = course_markdown(with_modules(GeneratedCourse.model_validate(data), video),
                         "https://www.youtube.com/playlist?list=PLplaylist000")
    heads = [line for line in md.splitlines() if line.startswith("#")]
    assert heads[1:5] == ["## Módulo 1: Precios", "### 1. Inflación", "#### Cuestionario",
                          "## Módulo 2: Dinero"] and heads[5] == "### 2. Deflación"
    assert "[vídeo](https://www.youtube.com/watch?v=vidB0000001&t=0s)" in md
    assert "*Transcripción 0:00–1:29*" in md  # the second video's own clock
    # stamps inside the second video's lesson, key points and answer key: its own clock too
    assert "[00:04] Los precios bajan." in md and "- Bajan. [00:39]" in md
    assert 'En la clase se dice: "..." [00:04]' in md and "[01:05]" not in md


@pytest.mark.parametrize(("language", "note", "heading"), [
    ("es", "Sin cuestionario", "### Transcripción"), ("en", "No quiz", "### Transcript")])
def test_authored_part_first_transcript_last_and_no_padded_quiz(language, note, heading):
    """Key points print before the lesson's transcript block; a section without questions
    says it teaches no concept instead of showing an empty quiz."""
    data = course(language).model_dump(by_alias=True)
    sec = data["sections"][0]
    sec["content"]["markdown"] = f"### Overview\n\nLo esencial.\n\n{heading}\n\n[00:00] Dicho."
    sec["supplement"]["quiz"]["questions"] = []
    md = course_markdown(GeneratedCourse.model_validate(data))
    assert md.index("Lo esencial.") < md.index("Una idea.") < md.index(heading)
    assert note in md
