"""Render a course as Markdown (CLI --out course.md, GET /export?format=md). A playlist course's
sections are grouped under a heading per module (its video, linked), one level down."""

from __future__ import annotations

import re

from core.domain import CourseModule, GeneratedCourse
from core.modules import module_of, moment_link
from core.study import choice_label
from core.timecodes import shift_stamps


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
           "video": "video", "module": "Module", "True": "True", "False": "False",
           "beginner": "beginner", "intermediate": "intermediate", "advanced": "advanced",
           "no_quiz": "No quiz: this part introduces no key concept."},
    "es": {"meta": "Nivel: {d} · unos {m} minutos · {l}", "objectives": "Objetivos de aprendizaje",
           "transcript": "Transcripción", "key_points": "Ideas clave", "quiz": "Cuestionario",
           "exercises": "Ejercicios", "terms": "Términos clave", "answers": "Respuestas",
           "video": "vídeo", "module": "Módulo", "True": "Verdadero", "False": "Falso",
           "beginner": "principiante", "intermediate": "intermedio", "advanced": "avanzado",
           "no_quiz": "Sin cuestionario: esta parte no presenta ningún concepto clave."},
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
    modules = module_of(course)
    h = "###" if modules else "##"  # sections sit one level below their module
    current: CourseModule | None = None
    for n, s in enumerate(course.sections, start=1):
        module = modules.get(s.id)
        if module is not None and module is not current:  # an edit may interleave modules
            current = module
            k = course.modules.index(module) + 1
            out += [f"## {t['module']} {k}: {module.title}", "",
                    f"*[{t['video']}]({module.video_url}) · "
                    f"{_clock(module.duration_seconds)}*", ""]
        # times as the learner finds them in the section's own video
        shift = module.offset_seconds if module else 0.0
        start, end = s.outline.start_seconds - shift, s.outline.end_seconds - shift
        span = f"{_clock(max(0.0, start))}–{_clock(max(0.0, end))}"
        url = moment_link(modules, s.id, s.outline.start_seconds, video_url)
        link = f" ([{t['video']}]({url}))" if url else ""
        out += [f"{h} {n}. {s.title}", "", f"*{t['transcript']} {span}*{link}", ""]
        at = len(out)  # from here on, this section's stamps are moved onto its video's clock
        if s.content:
            # the authored part first: an extractive lesson ends with its transcript block,
            # which the key points must not follow
            lesson, transcript = _split_transcript(s.content.markdown.strip())
            out += [lesson, ""] if lesson else []
            if s.content.key_points:
                out += [f"**{t['key_points']}**", "",
                        *[f"- {p}" for p in s.content.key_points], ""]
            out += [transcript, ""] if transcript else []
        if s.supplement:
            questions = s.supplement.quiz.questions
            if questions:
                out += [f"{h}# {t['quiz']}", ""]
                for i, q in enumerate(questions, start=1):
                    out.append(f"{i}. {q.prompt}")
                    out += [f"   - {choice_label(q, opt, o.language)}" for opt in q.options]
                    answer = choice_label(q, q.answer, o.language)
                    answers.append(shift_stamps(f"- {n}.{i}: **{answer}** — {q.explanation}",
                                                shift))
                out.append("")
            else:  # a section that teaches no concept says so instead of padding a quiz
                out += [f"*{t['no_quiz']}*", ""]
            if s.supplement.exercises:
                out += [f"{h}# {t['exercises']}", "",
                        *[f"- {e.prompt}" for e in s.supplement.exercises], ""]
            if s.supplement.flashcards:
                out += [f"{h}# {t['terms']}", "",
                        *[f"- **{c.term}**: {c.definition}" for c in s.supplement.flashcards], ""]
        out[at:] = [shift_stamps(line, shift) for line in out[at:]]
    if answers:
        out += [f"## {t['answers']}", "", *answers, ""]
    return "\n".join(out)


_TRANSCRIPT_BLOCK = re.compile(r"^### (?:Transcript|Transcripción)\s*$", re.MULTILINE)


def _split_transcript(markdown: str) -> tuple[str, str]:
    """(lesson, transcript block): the block from a "### Transcript" heading to the end."""
    m = _TRANSCRIPT_BLOCK.search(markdown)
    if m is None:
        return markdown, ""
    return markdown[: m.start()].strip(), markdown[m.start():].strip()
