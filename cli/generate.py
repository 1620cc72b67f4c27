"""`coursegen generate`: make a course from a YouTube URL or a transcript file, with live progress.

It runs the same job as the API (same graph, checkpoints, database rows) in this process,
owned by a local "cli" user, and writes the course to a Markdown or JSON file.
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from core.config import Settings, get_settings
from core.domain import GeneratedCourse, Preferences
from core.export import course_markdown
from core.modules import with_modules
from sources.youtube import TranscriptError

console = Console(stderr=True)
CLI_USER_EMAIL = "cli@coursegen.local"


def generate(
    source: Annotated[str, typer.Argument(help="YouTube URL, or an .srt/.vtt/.txt file")],
    difficulty: Annotated[str | None, typer.Option(help="beginner|intermediate|advanced")] = None,
    language: Annotated[str | None, typer.Option(help="Course language, e.g. en, es")] = None,
    duration: Annotated[int | None, typer.Option(help="Minutes of study")] = None,
    out: Annotated[Path | None, typer.Option(help="Write the course to .md or .json")] = None,
    title: Annotated[str | None, typer.Option(help="Course title hint")] = None,
) -> None:
    """Generate a course and store it in the database (and in --out)."""
    prefs = Preferences.model_validate({"difficulty": difficulty, "language": language,
                                        "duration": duration})
    try:
        course, summary = asyncio.run(_run(get_settings(), source, prefs, title))
    except (ValueError, LookupError, RuntimeError, TranscriptError) as exc:
        hint = "" if Path(source).exists() else " (give a YouTube URL or an existing file)"
        console.print(f"[red]error:[/red] {exc}{hint}", soft_wrap=True)
        raise typer.Exit(1) from exc
    if out is not None:
        out.write_text(json.dumps(course.model_dump(by_alias=True, mode="json"), indent=2)
                       if out.suffix == ".json" else course_markdown(course))
        console.print(f"wrote {out}")
    console.print(summary)


async def _run(settings: Settings, source: str, prefs: Preferences, title: str | None
               ) -> tuple[GeneratedCourse, str]:
    from db import migrate
    from db.session import make_engine, make_sessionmaker
    from llm.client import enable_llm_cache

    settings.ensure_data_dir()
    enable_llm_cache(settings)  # re-running the same course pays no LLM call twice
    engine = make_engine(settings.resolved_database_url)
    try:
        if settings.migrate_on_start:
            await migrate.upgrade(engine)
        factory = make_sessionmaker(engine)
        return await _generate(settings, factory, source, prefs, title)
    finally:
        await engine.dispose()


async def _create(factory: Any, source: str, prefs: Preferences, title: str | None) -> str:
    from db.models import User
    from db.repo.course_store import save_transcript
    from db.repo.courses import create_course
    from sources.transcript import parse_transcript
    from sources.youtube import parse_video_id

    path = Path(source)
    transcript = None
    video_id = None
    if path.exists():
        # no title from the file name: the course is named after what the lecture says
        transcript = parse_transcript(path.read_text(encoding="utf-8-sig"), title=title)
    else:
        video_id = parse_video_id(source)  # raises a clear error for anything else
    async with factory() as session, session.begin():
        from sqlalchemy import select

        user = await session.scalar(select(User).where(User.email == CLI_USER_EMAIL))
        if user is None:
            user = User(id=uuid.uuid4(), email=CLI_USER_EMAIL, name="coursegen CLI")
            session.add(user)
            await session.flush()
        course = await create_course(
            session=session, user_id=user.id, title=title or (path.stem if transcript else source),
            youtube_url=None if transcript else source,
            request={"videoId": video_id, "preferences": prefs.model_dump(exclude_none=True),
                     "title": title, "source": "upload" if transcript else "youtube"})
        if transcript is not None:
            await save_transcript(session=session, course_id=course.id,
                                  transcript=transcript.model_dump())
        return str(course.id)


async def _generate(settings: Settings, factory: Any, source: str, prefs: Preferences,
                    title: str | None) -> tuple[GeneratedCourse, str]:
    from db.models import Course
    from db.repo.course_tree import assemble
    from db.repo.courses import content_rows
    from db.repo.lifecycle import metadata_of
    from jobs.course_job import run_course_job
    from jobs.services import open_job_services

    course_id = await _create(factory, source, prefs, title)
    started = time.monotonic()
    async with open_job_services(settings, factory) as services:
        # a local run on the user's own keys: no hosted plan limits
        job = asyncio.create_task(run_course_job(services, course_id, plan_limits=False))
        await _show_progress(services.progress, course_id, job)
        await job
    async with factory() as session:
        row = await session.get(Course, uuid.UUID(course_id))
        assert row is not None
        if row.status != "completed":
            error = metadata_of(row).error
            code = error.code if error else row.status
            message = error.message if error else f"the course ended {row.status}."
            raise RuntimeError(f"{message} (code: {code})")
        tree = assemble(await content_rows(session=session, user_id=row.created_by,
                                           course_id=row.id))
        meta = metadata_of(row)
        usage, video = (meta.usage or {}).get("totals", {}), meta.video
    course = with_modules(GeneratedCourse.model_validate(tree), video)  # a playlist's videos
    summary = (f"course {course_id}: {len(course.sections)} sections in "
               f"{time.monotonic() - started:.1f}s; LLM calls {usage.get('calls', '?')}, "
               f"tokens in/out {usage.get('input_tokens', '?')}/{usage.get('output_tokens', '?')}, "
               f"cost ${usage.get('cost_usd', 0):.4f}")
    return course, summary


async def _show_progress(bus: Any, course_id: str, job: asyncio.Task[None]) -> None:
    columns = (TextColumn("{task.description}"), BarColumn(),
               TextColumn("{task.percentage:>3.0f}%"),
               TextColumn("{task.fields[detail]}"), TimeElapsedColumn())
    after = None
    with Progress(*columns, console=console, transient=False) as bar:
        overall = bar.add_task("course", total=1.0, detail="starting")
        sections = bar.add_task("sections", total=None, detail="", visible=False)
        while True:
            events = await bus.read(course_id, after, block_ms=300)
            for e in events:
                after = e.id
                eta = f" · eta {e.eta:.0f}s" if e.eta else ""
                bar.update(overall, completed=e.progress, detail=f"{e.step} {e.message or ''}"
                           f"{eta}"[:70])
                if e.sections_total:
                    bar.update(sections, total=e.sections_total, completed=e.sections_done,
                               visible=True, detail=f"{e.sections_done}/{e.sections_total}")
                if e.terminal:
                    return
            if job.done() and not events:
                return
