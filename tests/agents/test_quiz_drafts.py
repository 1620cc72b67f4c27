"""A drafted question becomes a served one: its reference clamped into its section, a short
question's null options an empty list, true/false canonical."""

from __future__ import annotations

from agents.quiz_drafts import QuestionDraft, as_question
from core.domain import OutlineSection, SourceRef


def test_a_drafted_question_is_clamped_into_its_section() -> None:
    section = OutlineSection(id="s", title="T", start_seconds=100, end_seconds=200)
    draft = QuestionDraft(type="short", prompt="Why?", options=None, answer="Because.",
                          explanation="Said at 150.",
                          source_ref=SourceRef(start_seconds=150, end_seconds=260))
    q = as_question(draft, section, "s-q1")
    assert q.id == "s-q1" and q.options == []
    assert q.source_ref == SourceRef(start_seconds=150, end_seconds=200)
    tf = as_question(draft.model_copy(update={"type": "true_false", "answer": "true"}),
                     section, "s-q2")
    assert tf.options == ["True", "False"] and tf.answer == "True"
