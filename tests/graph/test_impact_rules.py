"""One test per impact rule of an outline edit: the typed rule it reports, and whether it makes
the section be rewritten (decided on the rule, never on the message text)."""

from __future__ import annotations

import pytest

from agents.impact_validator import diff_outlines, sections_to_regenerate
from core.domain import CourseOutline, OutlineSection

IDS = ["00000000-0000-0000-0000-00000000000" + str(i) for i in range(1, 5)]


def outline(*sections: OutlineSection, minutes: int = 40) -> CourseOutline:
    return CourseOutline(title="Caching", estimated_minutes=minutes, sections=list(sections))


def section(i: int, title: str | None = None, start: float | None = None,
            end: float | None = None, summary: str = "") -> OutlineSection:
    a = 100.0 * i if start is None else start
    return OutlineSection(id=IDS[i], title=title or f"Part {i}", summary=summary,
                          start_seconds=a, end_seconds=a + 100 if end is None else end)


OLD = outline(section(0), section(1), section(2))


def rules(old: CourseOutline, new: CourseOutline) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for impact in diff_outlines(old, new):
        assert impact.rule is not None, impact
        found.setdefault(impact.rule, []).append(impact.section_id)
    return found


# outlines that already carry a structural problem; the edit touches another section only
DUPLICATE = outline(section(0), section(1, "Part 0"), section(2))
UNBOUND = outline(section(0), section(1, start=150, end=150), section(2))


@pytest.mark.parametrize(("old", "new", "rule", "section_id", "rewritten"), [
    (OLD, outline(section(0), section(1), section(2), section(3)), "added", IDS[3], True),
    (OLD, outline(section(0), section(1, "Revalidation"), section(2)), "renamed", IDS[1], True),
    (OLD, outline(section(0), section(1, summary="More on ETags"), section(2)),
     "content_changed", IDS[1], True),
    (OLD, outline(section(0), section(2)), "removed", IDS[1], False),
    (OLD, outline(section(0), section(2), section(1)), "moved", IDS[2], False),
    (DUPLICATE, outline(section(0, summary="x"), section(1, "Part 0"), section(2)),
     "duplicate_title", IDS[1], False),
    (UNBOUND, outline(section(0, summary="x"), section(1, start=150, end=150), section(2)),
     "unbound_range", IDS[1], False),
    (OLD, outline(section(0), section(2), section(1)), "against_video_order", IDS[1], False),
    (OLD, outline(section(0), section(1), section(2), minutes=5), "too_short", IDS[2], False),
])
def test_each_rule_is_typed_and_decides_regeneration(old, new, rule, section_id, rewritten):
    found = rules(old, new)
    assert section_id in found.get(rule, []), found
    regenerated = sections_to_regenerate(diff_outlines(old, new), new)
    assert (section_id in regenerated) == rewritten, (rule, regenerated)


def test_a_duplicate_title_that_is_also_a_rename_is_rewritten_once():
    new = outline(section(0), section(1, "Part 0"), section(2))
    # renamed (rewrite) and duplicate_title (advice) on the same section: rewritten for the rename
    assert sections_to_regenerate(diff_outlines(OLD, new), new) == [IDS[1]]


def test_a_warning_message_never_triggers_a_rewrite():
    new = outline(section(0), section(1, start=150, end=150), section(2))
    impacts = [i for i in diff_outlines(OLD, new) if i.rule == "unbound_range"]
    assert impacts and sections_to_regenerate(impacts, new) == []
