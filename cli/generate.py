"""`coursegen generate`: make a course from a YouTube URL or a transcript file, with live progress.

It runs the same job as the API (same graph, checkpoints, database rows) in this process,
owned by a local "cli" user, and writes the course to a Markdown or JSON file.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from cli.errors import BadInput, in_range
from core.config import Settings, get_settings
from core.domain import (
    DURATION_MINUTES,
    LANGUAGE_PATTERN,
    Difficulty,
    GeneratedCourse,
    Preferences,
    Transcript,
)
from core.export import course_markdown
from core.modules import with_modules
from sources.transcript import TranscriptParseError, parse_transcript
from sources.youtube import TranscriptError, parse_video_id

console = Console(stderr=True)
CLI_USER_EMAIL = "cli@coursegen.local"


def _language(value: str | None) -> str | None:
    if value is not None and not re.fullmatch(LANGUAGE_PATTERN, value):
        raise typer.BadParameter(f"{value!r} is not a language code; use a BCP 47 tag such as "
                                 "en, es or pt-BR")
    return value


def _out(value: Path | None) -> Path | None:
    """Refuse an output the course cannot be written to now, not after generating it."""
    if value is None:
        return None
    if value.suffix.lower() not in WRITERS:
        raise typer.BadParameter(f"{str(value)!r}: unknown format {value.suffix or '(none)'!r}; "
                                 "use a .md (Markdown) or .json file")
    folder = value.resolve().parent
    if value.is_dir():
        raise typer.BadParameter(f"{str(value)!r} is a directory; give a .md or .json file path")
    if not folder.is_dir():
        raise typer.BadParameter(f"{str(value)!r}: the folder {str(folder)!r} does not exist")
    if not os.access(folder, os.W_OK) or (value.exists() and not os.access(value, os.W_OK)):
        raise typer.BadParameter(f"{str(value)!r} is not writable; give a path you can write to")
    return value


def _read_source(source: str, title: str | None) -> tuple[Transcript | None, str | None]:
    """The transcript of a file, or the video id of a URL; anything else is bad input."""
    path = Path(source)
    if path.is_dir():
        raise BadInput(f"{source!r} is a directory; give an .srt, .vtt or .txt file or a YouTube "
                       "URL")
    if path.exists():
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise BadInput(f"cannot read {source!r} ({exc.strerror}); give a readable "
                           "file") from exc
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise BadInput(f"{source!r} is not UTF-8 text (byte {raw[exc.start]:#04x} at offset "
                           f"{exc.start}); save it as UTF-8 .srt, .vtt or .txt") from exc
        try:
            # no title from the file name: the course is named after what the lecture says
            return parse_transcript(text, title=title), None
        except TranscriptParseError as exc:
            raise BadInput(f"{source!r}: {exc}") from exc
    try:
        return None, parse_video_id(source)
    except TranscriptError as exc:
        raise BadInput(f"{exc.message} (or give an existing .srt, .vtt or .txt file)") from exc


def generate(
    source: Annotated[str, typer.Argument(help="YouTube URL, or an .srt/.vtt/.txt file")],
    difficulty: Annotated[Difficulty | None, typer.Option(help="Level of the course")] = None,
    language: Annotated[str | None, typer.Option(
        callback=_language, help="Course language (BCP 47), e.g. en, es, pt-BR")] = None,
    duration: Annotated[int | None, typer.Option(
        callback=in_range(*DURATION_MINUTES, "minutes"), help="Minutes of study")] = None,
    out: Annotated[Path | None, typer.Option(
        callback=_out, help="Write the course to a .md or .json file")] = None,
    title: Annotated[str | None, typer.Option(help="Course title hint")] = None,
) -> None:
    """Generate a course and store it in the database (and in --out)."""
    prefs = Preferences.model_validate({"difficulty": difficulty, "language": language,
                                        "duration": duration})
    transcript, video_id = _read_source(source, title)
    try:
        course, summary = asyncio.run(_run(get_settings(), source, transcript, video_id, prefs,
                                           title))
    except (ValueError, LookupError, RuntimeError, TranscriptError) as exc:
        if isinstance(exc, ValidationError) and exc.title == "Settings":
            raise
        console.print(f"[red]error:[/red] {exc}", soft_wrap=True)
        raise typer.Exit(1) from exc
    if out is not None:
        try:
            out.write_text(WRITERS[out.suffix.lower()](course))
        except OSError as exc:
            console.print(f"[red]error:[/red] cannot write {str(out)!r}: {exc.strerror}")
            raise typer.Exit(1) from exc
        console.print(f"wrote {out}")
    console.print(summary)


def _json(course: GeneratedCourse) -> str:
    return json.dumps(course.model_dump(by_alias=True, mode="json"), indent=2)


WRITERS: dict[str, Callable[[GeneratedCourse], str]] = {".md": course_markdown, ".json": _json}


async def _run(settings: Settings, source: str, transcript: Transcript | None,
               video_id: str | None, prefs: Preferences, title: str | None
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
        return await _generate(settings, factory, source, transcript, video_id, prefs, title)
    finally:
        await engine.dispose()


async def _create(factory: Any, source: str, transcript: Transcript | None,
                  video_id: str | None, prefs: Preferences, title: str | None) -> str:
    from db.models import User
    from db.repo.course_store import save_transcript
    from db.repo.courses import create_course

    path = Path(source)
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


async def _generate(settings: Settings, factory: Any, source: str, transcript: Transcript | None,
                    video_id: str | None, prefs: Preferences, title: str | None
                    ) -> tuple[GeneratedCourse, str]:
    from db.models import Course
    from db.repo.course_tree import assemble
    from db.repo.courses import content_rows
    from db.repo.lifecycle import metadata_of
    from jobs.course_job import run_course_job
    from jobs.services import open_job_services

    course_id = await _create(factory, source, transcript, video_id, prefs, title)
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
