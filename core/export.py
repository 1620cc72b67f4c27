"""Render a course as Markdown (CLI --out course.md, GET /export?format=md)."""

from __future__ import annotations

from core.domain import GeneratedCourse


def _clock(seconds: float) -> str:
    s = int(seconds)
    if s >= 3600:
        return f"{s // 3600}:{s % 3600 // 60:02d}:{s % 60:02d}"
    return f"{s // 60}:{s % 60:02d}"


def course_markdown(course: GeneratedCourse, video_url: str | None = None) -> str:
    o = course.outline
    out = [f"# {o.title}", "", o.description, "",
           f"*Difficulty: {o.difficulty} · about {o.estimated_minutes} minutes · {o.language}*", ""]
    if o.learning_objectives:
        out += ["## Learning objectives", "", *[f"- {x}" for x in o.learning_objectives], ""]
    answers: list[str] = []
    for n, s in enumerate(course.sections, start=1):
        span = f"{_clock(s.outline.start_seconds)}–{_clock(s.outline.end_seconds)}"
        link = f" ([video]({video_url}&t={int(s.outline.start_seconds)}s))" if video_url else ""
        out += [f"## {n}. {s.title}", "", f"*Transcript {span}*{link}", ""]
        if s.content:
            out += [s.content.markdown.strip(), ""]
            if s.content.key_points:
                out += ["**Key points**", "", *[f"- {p}" for p in s.content.key_points], ""]
        if s.supplement:
            questions = s.supplement.quiz.questions
            if questions:
                out += ["### Quiz", ""]
                for i, q in enumerate(questions, start=1):
                    out.append(f"{i}. {q.prompt}")
                    out += [f"   - {opt}" for opt in q.options]
                    answers.append(f"- {n}.{i}: **{q.answer}** — {q.explanation}")
                out.append("")
            if s.supplement.exercises:
                out += ["### Exercises", "", *[f"- {e.prompt}" for e in s.supplement.exercises], ""]
            if s.supplement.flashcards:
                out += ["### Key terms", "",
                        *[f"- **{c.term}**: {c.definition}" for c in s.supplement.flashcards], ""]
    if answers:
        out += ["## Answer key", "", *answers, ""]
    return "\n".join(out)
