"""A playlist course's modules: one per video, grouping the sections that teach it.

A playlist lays its videos end to end on one timeline (sources.playlist); each section keeps a
time range on that timeline, so a section belongs to the video its range mostly covers (the one
holding its midpoint). Modules are derived whenever the course is read, never stored: an outline
edit that moves, adds or removes a section regroups the sections without a migration.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from core.domain import CourseModule, GeneratedCourse, OutlineSection, VideoMetadata
from core.study import video_link


def _video(video: VideoMetadata | Mapping[str, Any] | None) -> VideoMetadata | None:
    if video is None or isinstance(video, VideoMetadata):
        return video
    return VideoMetadata.model_validate(video)


def course_modules(video: VideoMetadata | Mapping[str, Any] | None,
                   sections: Sequence[OutlineSection]) -> list[CourseModule]:
    """The modules of a playlist course (its kept videos in playlist order, each with its
    sections in course order); [] for a single video or an uploaded transcript. A video left
    with no section (the course's section cap merged it into a neighbour) has no module."""
    meta = _video(video)
    kept = [e for e in (meta.entries if meta else []) if e.error_code is None]
    if not kept:
        return _parts(meta, sections)
    owned: list[list[str]] = [[] for _ in kept]
    for s in sections:
        mid = (s.start_seconds + max(s.end_seconds, s.start_seconds)) / 2
        # the last video starting at or before the midpoint (gaps between videos join the
        # earlier one); a section before every video (impossible on a playlist's own timeline,
        # possible after an edit) joins the first
        at = max((i for i, e in enumerate(kept) if e.offset_seconds <= mid), default=0)
        owned[at].append(s.id)
    return [CourseModule(id=f"m{n}", title=e.title or e.video_id, video_id=e.video_id,
                         video_url=f"https://www.youtube.com/watch?v={e.video_id}",
                         offset_seconds=e.offset_seconds, duration_seconds=e.duration_seconds,
                         section_ids=ids)
            for n, (e, ids) in enumerate(zip(kept, owned, strict=True), start=1) if ids]


def _parts(meta: VideoMetadata | None, sections: Sequence[OutlineSection]
           ) -> list[CourseModule]:
    """A long single video's parts (agents.topics.with_parts) as modules: consecutive sections
    sharing a part title, all on the video's own clock (offset 0)."""
    groups: list[tuple[str, list[OutlineSection]]] = []
    for s in sections:
        if not s.part:
            return []
        if groups and groups[-1][0] == s.part:
            groups[-1][1].append(s)
        else:
            groups.append((s.part, [s]))
    if len(groups) < 2:
        return []
    video_id = meta.video_id if meta else ""
    url = f"https://www.youtube.com/watch?v={video_id}" if video_id else ""
    end = max(s.end_seconds for s in sections)
    return [CourseModule(id=f"m{n}", title=title, video_id=video_id, video_url=url,
                         offset_seconds=0, duration_seconds=meta.duration_seconds or end
                         if meta else end, section_ids=[s.id for s in group])
            for n, (title, group) in enumerate(groups, start=1)]


def with_modules(course: GeneratedCourse, video: VideoMetadata | Mapping[str, Any] | None
                 ) -> GeneratedCourse:
    """The course with its modules (from the stored video metadata: courses.metadata.video)."""
    outlines = [s.outline.model_copy(update={"id": s.id}) for s in course.sections]
    return course.model_copy(update={"modules": course_modules(video, outlines)})


def module_of(course: GeneratedCourse) -> dict[str, CourseModule]:
    """Section id -> its module (empty for a course without modules)."""
    return {sid: m for m in course.modules for sid in m.section_ids}


def moment_link(modules: Mapping[str, CourseModule], section_id: str, seconds: float,
                video_url: str | None) -> str | None:
    """A link to that moment of the course's timeline: in a playlist course (`modules`: section
    id -> module, module_of) the module's own video at its local time — a playlist page has no
    `t=` — else the course's video."""
    module = modules.get(section_id)
    if module is not None:
        return video_link(module.video_url, max(0.0, seconds - module.offset_seconds))
    return video_link(video_url, seconds)
