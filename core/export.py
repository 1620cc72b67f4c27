"""Render a course as Markdown (CLI --out course.md, GET /export?format=md)."""

from __future__ import annotations

from core.domain import GeneratedCourse


def _clock(seconds: float) -> str:
    s = int(seconds)
    if s >= 3600:
        return f"{s // 3600}:{s % 3600 // 60:02d}:{s % 60:02d}"
    return f"{s // 60}:{s % 60:02d}"


# The export speaks the course's language (lessons and quizzes already do); English otherwise.
LABELS = {
    "en": {"meta": "Difficulty: {d} · about {m} minutes · {l}", "objectives": "Learning objectives",
           "transcript": "Transcript", "key_points": "Key points", "quiz": "Quiz",
           "exercises": "Exercises", "terms": "Key terms", "answers": "Answer key",
           "video": "video", "True": "True", "False": "False",
           "beginner": "beginner", "intermediate": "intermediate", "advanced": "advanced"},
    "es": {"meta": "Nivel: {d} · unos {m} minutos · {l}", "objectives": "Objetivos de aprendizaje",
           "transcript": "Transcripción", "key_points": "Ideas clave", "quiz": "Cuestionario",
           "exercises": "Ejercicios", "terms": "Términos clave", "answers": "Respuestas",
           "video": "vídeo", "True": "Verdadero", "False": "Falso",
           "beginner": "principiante", "intermediate": "intermedio", "advanced": "avanzado"},
}


def course_markdown(course: GeneratedCourse, video_url: str | None = None) -> str:
    o = course.outline
    t = LABELS.get(o.language.split("-")[0].lower(), LABELS["en"])
    out = [f"# {o.title}", "", o.description, "",
           "*" + t["meta"].format(d=t[o.difficulty], m=o.estimated_minutes, l=o.language) + "*",
           ""]
    if o.learning_objectives:
        out += [f"## {t['objectives']}", "", *[f"- {x}" for x in o.learning_objectives], ""]
    answers: list[str] = []
    for n, s in enumerate(course.sections, start=1):
        span = f"{_clock(s.outline.start_seconds)}–{_clock(s.outline.end_seconds)}"
        link = (f" ([{t['video']}]({video_url}&t={int(s.outline.start_seconds)}s))"
                if video_url else "")
        out += [f"## {n}. {s.title}", "", f"*{t['transcript']} {span}*{link}", ""]
        if s.content:
            out += [s.content.markdown.strip(), ""]
            if s.content.key_points:
                out += [f"**{t['key_points']}**", "",
                        *[f"- {p}" for p in s.content.key_points], ""]
        if s.supplement:
            questions = s.supplement.quiz.questions
            if questions:
                out += [f"### {t['quiz']}", ""]
                for i, q in enumerate(questions, start=1):
                    out.append(f"{i}. {q.prompt}")
                    # true/false keys stay canonical ("True"/"False"); only their label changes
                    out += [f"   - {t.get(opt, opt)}" for opt in q.options]
                    answers.append(f"- {n}.{i}: **{t.get(q.answer, q.answer)}** — {q.explanation}")
                out.append("")
            if s.supplement.exercises:
                out += [f"### {t['exercises']}", "",
                        *[f"- {e.prompt}" for e in s.supplement.exercises], ""]
            if s.supplement.flashcards:
                out += [f"### {t['terms']}", "",
                        *[f"- **{c.term}**: {c.definition}" for c in s.supplement.flashcards], ""]
    if answers:
        out += [f"## {t['answers']}", "", *answers, ""]
    return "\n".join(out)
