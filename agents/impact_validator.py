"""Impact validator: judge an outline edit, say what it affects, pick what to regenerate.

Rule checks find the changes (added, removed, renamed, reordered, changed) and structural risks
(duplicate titles, empty ranges, order against the video, dangling prerequisites, duration);
one LLM call adds a message and suggestion per change.
"""

from __future__ import annotations

import time
from typing import Any

from langgraph.runtime import Runtime
from pydantic import Field

from core.domain import (
    CamelModel,
    CourseOutline,
    ImpactKind,
    ImpactRule,
    ModificationImpact,
    OutlineSection,
)
from llm.client import LLMClient
from pipeline.context import CourseContext, course_context, track
from pipeline.state import CourseState, to_state
from prompts import load_prompt

# edits that change what a section teaches; the structural warnings only advise the user
REGENERATING_RULES: frozenset[ImpactRule] = frozenset({"added", "renamed", "content_changed"})
MINUTES_PER_SECTION_FLOOR = 2


class ImpactNote(CamelModel):
    section_id: str
    message: str
    suggestion: str = ""


class ImpactAssessment(CamelModel):
    notes: list[ImpactNote] = Field(default_factory=list)


def _content_changed(old: OutlineSection, new: OutlineSection) -> bool:
    return (old.summary, old.objectives, old.lessons, old.start_seconds, old.end_seconds) != (
        new.summary, new.objectives, new.lessons, new.start_seconds, new.end_seconds)


def _mentions(section: OutlineSection, title: str) -> bool:
    text = " ".join([section.summary, *section.objectives]).lower()
    return bool(title) and title.lower() in text


def diff_outlines(old: CourseOutline, new: CourseOutline) -> list[ModificationImpact]:
    """Rule-based impacts of going from `old` to `new` (sections matched by id)."""
    before = {s.id: (i, s) for i, s in enumerate(old.sections)}
    after = {s.id: (i, s) for i, s in enumerate(new.sections)}
    impacts: list[ModificationImpact] = []

    def add(sid: str, rule: ImpactRule, kind: ImpactKind, severity: str, message: str,
            affected: list[str] | None = None, suggestion: str = "") -> None:
        impacts.append(ModificationImpact(section_id=sid, kind=kind, rule=rule,
                                          severity=severity,  # type: ignore[arg-type]
                                          message=message, affected_sections=affected or [sid],
                                          suggestion=suggestion))

    for sid, (_, section) in after.items():
        if sid not in before:
            add(sid, "added", "added", "info", f"New section '{section.title}' will be written.")
            continue
        _, prev = before[sid]
        if prev.title != section.title:
            add(sid, "renamed", "renamed", "info", f"'{prev.title}' renamed to "
                f"'{section.title}'; its lesson and quiz will be rewritten.")
        elif _content_changed(prev, section):
            add(sid, "content_changed", "changed", "info", f"'{section.title}' changed; its "
                "lesson and quiz will be rewritten.")
    for sid, (_, section) in before.items():
        if sid in after:
            continue
        dependants = [s.id for s in new.sections if _mentions(s, section.title)]
        add(sid, "removed", "removed", "warning" if dependants else "info",
            f"'{section.title}' and its lessons, quiz and learner progress will be removed.",
            [sid, *dependants],
            "Update the sections that build on it." if dependants else "")
    common_old = [sid for sid in before if sid in after]
    common_new = [sid for sid in after if sid in before]
    if common_old != common_new:
        moved = [sid for a, sid in zip(common_old, common_new, strict=True) if a != sid]
        for sid in moved:
            add(sid, "moved", "reordered", "info", f"'{after[sid][1].title}' moved.", moved)
    return impacts + structural_checks(new)


def structural_checks(outline: CourseOutline) -> list[ModificationImpact]:
    issues: list[ModificationImpact] = []
    titles: dict[str, str] = {}
    for prev, section in zip([None, *outline.sections], outline.sections, strict=False):
        key = section.title.strip().lower()
        if key in titles:
            issues.append(ModificationImpact(
                section_id=section.id, kind="changed", rule="duplicate_title", severity="warning",
                message=f"Two sections are titled '{section.title}'.",
                affected_sections=[titles[key], section.id],
                suggestion="Give each section a distinct title."))
        titles.setdefault(key, section.id)
        if section.end_seconds <= section.start_seconds:
            issues.append(ModificationImpact(
                section_id=section.id, kind="changed", rule="unbound_range", severity="warning",
                message=f"'{section.title}' is bound to no part of the video; its lesson can only "
                "draw on the outline.", suggestion="Set startSeconds/endSeconds."))
        if prev is not None and section.start_seconds < prev.start_seconds:
            issues.append(ModificationImpact(
                section_id=section.id, kind="reordered", rule="against_video_order",
                severity="warning",
                message=f"'{section.title}' now comes before material it follows in the video.",
                affected_sections=[prev.id, section.id],
                suggestion="Check that it does not rely on the section before it."))
    if outline.estimated_minutes < MINUTES_PER_SECTION_FLOOR * len(outline.sections):
        issues.append(ModificationImpact(
            section_id=outline.sections[-1].id, kind="changed", rule="too_short",
            severity="warning", message=f"{len(outline.sections)} sections in "
            f"{outline.estimated_minutes} minutes leaves under two minutes each.",
            affected_sections=[],
            suggestion="Raise estimatedMinutes or merge sections."))
    return issues


def sections_to_regenerate(impacts: list[ModificationImpact], outline: CourseOutline) -> list[str]:
    present = {s.id for s in outline.sections}
    return sorted({i.section_id for i in impacts
                   if i.rule in REGENERATING_RULES and i.section_id in present})


async def assess(old: CourseOutline, new: CourseOutline, llm: LLMClient
                 ) -> tuple[list[ModificationImpact], list[str]]:
    """Impacts of an edit (rules + one LLM pass for suggestions) and sections to regenerate."""
    impacts = diff_outlines(old, new)
    regenerate = sections_to_regenerate(impacts, new)
    changes = [i for i in impacts if i.kind != "reordered" or i.severity != "info"]
    if changes and not llm.registry.extractive:  # the extractive strategy: rules only
        system, user = load_prompt("impact").render(
            course_title=new.title, section_titles="; ".join(s.title for s in new.sections),
            changes="\n".join(f"- {i.section_id}: {i.kind}: {i.message}" for i in changes))
        notes = await llm.structured(ImpactAssessment, system=system, user=user, node="impact")
        by_id = {n.section_id: n for n in notes.notes}
        impacts = [i.model_copy(update={"suggestion": by_id[i.section_id].suggestion})
                   if i.section_id in by_id and by_id[i.section_id].suggestion and not i.suggestion
                   else i for i in impacts]
    return impacts, regenerate


async def assess_impact(state: CourseState, runtime: Runtime[CourseContext]) -> dict[str, Any]:
    """Edit graph entry for a caller that did not assess the edit (the API does, in the
    request): judge old → new outline and pick the sections to rewrite."""
    started = time.monotonic()
    tracker = track(runtime, state)
    ctx = course_context(runtime)
    old = CourseOutline.model_validate(state["previous_outline"])
    new = CourseOutline.model_validate(state["outline"])
    impacts, regenerate = await assess(old, new, ctx.client())
    await tracker.step_done("assess_impact", started, f"{len(regenerate)} section(s) to rewrite")
    return {"impacts": [to_state(i) for i in impacts], "regenerate": regenerate}
