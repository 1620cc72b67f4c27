"""A responder for FakeChatModel that answers the course agents' schemas from their prompts.

It reads what the real prompts put in front of the model — transcript lines like
`[12.0-15.5] text`, the requested section count and duration — so outputs reflect the input:
a lesson repeats its own slice, an outline spans the whole video, quiz answers are among options.
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from typing import Any

from langchain_core.messages import BaseMessage

from testkit.scripted import FakeChatModel

LINE = re.compile(r"^\[(\d+(?:\.\d+)?)-(\d+(?:\.\d+)?)\]\s*(.*)$", re.MULTILINE)
WORD = re.compile(r"[A-Za-zÀ-ÿ]{5,}")
STOP = {"about", "there", "their", "which", "would", "these", "those", "because", "where", "other",
        "going", "really", "thing", "things", "something", "right", "think", "actually"}


def _user(messages: list[BaseMessage]) -> str:
    return "\n".join(str(m.content) for m in messages if m.type == "human")


def _lines(text: str) -> list[tuple[float, float, str]]:
    return [(float(a), float(b), t) for a, b, t in LINE.findall(text)]


def _keywords(text: str, n: int) -> list[str]:
    words = Counter(w.lower() for w in WORD.findall(text) if w.lower() not in STOP)
    return [w for w, _ in words.most_common(n)] or ["lecture"]


class PromptDrift(ValueError):
    """A prompt no longer says what this responder reads from it: fix the pattern, don't guess."""


def _num(pattern: str, text: str) -> float:
    m = re.search(pattern, text)
    if not m:
        # A default here would hide a reworded prompt behind plausible answers (three sections
        # is also what the tests expect), so the fake fails the call loudly instead.
        raise PromptDrift(f"scripted course model: no match for {pattern!r} in the prompt; "
                          "update testkit/scripted_course.py to the prompt's new wording")
    return float(m.group(1))


def analysis(text: str) -> dict[str, Any]:
    lines = _lines(text)
    body = " ".join(t for _, _, t in lines)
    words = _keywords(body, 12)
    third = max(1, len(lines) // 3)
    groups = [lines[i:i + third] for i in range(0, len(lines), third)] or [[(0.0, 1.0, "")]]
    return {
        "title": " ".join(words[:3]).title(), "summary": body[:200],
        "topics": words[:5], "keyConcepts": words[:8], "prerequisites": words[8:10],
        "difficulty": "beginner", "language": "es" if " que " in f" {body} " else "en",
        "segments": [{"title": " ".join(_keywords(" ".join(t for *_, t in g), 2)).title(),
                      "startSeconds": g[0][0], "endSeconds": g[-1][1]} for g in groups],
    }


def outline(text: str) -> dict[str, Any]:
    count = int(_num(r"Make exactly (\d+) sections", text))
    duration = _num(r"duration ([\d.]+) seconds", text)
    minutes = int(_num(r"about (\d+) minutes", text))
    hints = re.findall(r"^- \[\d+-\d+\] (.+)$", text, re.MULTILINE) or ["Topic"]
    step = duration / count
    return {
        "title": f"Course on {hints[0]}", "description": "A course generated from a lecture.",
        "difficulty": "beginner", "language": "en",
        "learningObjectives": ["Understand " + hints[0]],
        "estimatedMinutes": minutes,
        "sections": [{"title": f"{hints[i % len(hints)]} {i + 1}", "summary": f"Part {i + 1}.",
                      "objectives": [f"Explain part {i + 1}"], "lessons": [f"Lesson {i + 1}"],
                      "startSeconds": round(i * step, 2), "endSeconds": round((i + 1) * step, 2)}
                     for i in range(count)],
    }


def lesson(text: str) -> dict[str, Any]:
    lines = _lines(text)
    title = re.search(r'section \d+, "([^"]*)"', text)
    body = " ".join(t for _, _, t in lines) or "This section has no transcript material."
    refs = [{"startSeconds": lines[0][0], "endSeconds": lines[-1][1]}] if lines else []
    return {"markdown": f"## {title.group(1) if title else 'Lesson'}\n\n{body}",
            "keyPoints": _keywords(body, 4), "examples": [body[:120]], "sourceRefs": refs}


def _cloze_sources(lesson_text: str) -> list[tuple[str, str]]:
    """(sentence, keyword) pairs from the lesson: the quiz quotes its own slice and blanks one
    of its most frequent words, so the verifier can prove every key (as a careful model would)."""
    frequent = _keywords(lesson_text, 12)
    pairs = []
    prose = " ".join(line for line in lesson_text.splitlines()
                     if line.strip() and not line.lstrip().startswith(("#", "-", "Key points")))
    for sentence in re.split(r"(?<=[.!?])\s+", prose):
        words = {w.lower(): w for w in WORD.findall(sentence)}
        key = next((words[k] for k in frequent if k in words), None)
        if len(sentence.split()) >= 6 and key:
            pairs.append((sentence.strip(), key))
    return pairs


def supplement(text: str) -> dict[str, Any]:
    start = _num(r"range ([\d.]+)-", text)
    end = _num(r"range [\d.]+-([\d.]+) seconds", text)
    n = int(_num(r"quiz of (\d+) questions", text))
    lesson_text = text.split("<lesson_text>")[-1].split("</lesson_text>")[0]
    words = _keywords(lesson_text, 8) + ["alpha", "beta", "gamma", "delta"]
    sources = _cloze_sources(lesson_text) or [(f"The lecture explains {words[0]}.", words[0])]
    ref = {"startSeconds": start, "endSeconds": end}
    questions = []
    for i in range(n):
        kind = ("mcq", "true_false", "short")[i % 3]
        sentence, key = sources[i % len(sources)]
        blanked = re.sub(rf"\b{re.escape(key)}\b", "____", sentence, count=1)
        prompt = {"mcq": f"Fill in the blank: {blanked}", "short": f"Fill in the blank: {blanked}",
                  "true_false": f"True or false: {sentence}"}[kind]
        # distractors no lecture uses, so exactly one option completes the sentence
        options = {"mcq": [key, "zyxomancy", "quorblat", "flenthic"],
                   "true_false": ["True", "False"], "short": []}[kind]
        questions.append({"type": kind, "prompt": prompt, "options": options,
                          "answer": "True" if kind == "true_false" else key,
                          "explanation": f'The lecture says: "{sentence}"', "sourceRef": ref})
    return {"quiz": {"questions": questions},
            "exercises": [{"prompt": f"Use {words[0]} in an example.", "solution": "..."}],
            "flashcards": [{"term": w, "definition": f"{w} as used in the lecture"}
                           for w in words[:3]]}


def impact(text: str) -> dict[str, Any]:
    ids = re.findall(r"^- ([0-9a-f-]{36}): ", text, re.MULTILINE)
    return {"notes": [{"sectionId": i, "message": "Check the flow.", "suggestion":
                       "Review neighbouring sections."} for i in ids]}


PASSAGE = re.compile(r"^\[(\d+)\] (\[[\d:]+\]) (.*)$", re.MULTILINE)


def tutor(text: str) -> dict[str, Any]:
    """Answer with the first passage's words and its timestamp (a model that quotes)."""
    passages = PASSAGE.findall(text.split("<transcript>")[-1])
    if not passages:
        return {"answer": "The video does not cover this.", "covered": False, "passages": []}
    number, stamp, words = passages[0]
    return {"answer": f"{words} {stamp}", "covered": True, "passages": [int(number)]}


HANDLERS = {"Analysis": analysis, "AnalysisSummary": lambda t: {
    "title": "Merged lecture", "summary": t[:200], "difficulty": "intermediate"},
    "CourseOutline": outline, "LessonDraft": lesson, "SupplementDraft": supplement,
    "ImpactAssessment": impact, "TutorDraft": tutor}


def course_responder(schema_name: str, messages: list[BaseMessage]) -> dict | None:
    handler = HANDLERS.get(schema_name)
    return handler(_user(messages)) if handler else None


def course_fake(**kwargs: Any) -> FakeChatModel:
    """A FakeChatModel that writes courses; kwargs inject latency and faults."""
    return FakeChatModel(responder=course_responder, **kwargs)


def dump(value: Any) -> str:
    return json.dumps(value, indent=1)[:2000]


def chat_factory(_spec: Any) -> FakeChatModel:
    """LLM_CHAT_FACTORY=testkit.scripted_course:chat_factory — the course fake for a whole process
    (CLI tests); never a default. FAKE_LLM_REFUSE="LessonDraft=500,..." makes every call for
    those schemas fail that way."""
    pairs = [p.split("=", 1) for p in os.environ.get("FAKE_LLM_REFUSE", "").split(",") if "=" in p]
    return course_fake(refuse={name.strip(): kind.strip() for name, kind in pairs})
