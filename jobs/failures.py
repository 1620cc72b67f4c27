"""How a job ends when it does not complete: a stable code and one sentence a user can act on.

Technical detail (pydantic errors, provider responses, URLs) goes to the log, never to the user:
the message is stored on the course, sent in the `failed` event and mailed by the outbox.
"""

from __future__ import annotations

from typing import Any

from core.lifecycle import CourseMetadata
from llm.errors import LLMCallFailed, StructuredOutputInvalid
from llm.registry import ContextTooLarge
from pipeline.cpu import CpuBudgetExceeded
from sources.transcript import TranscriptParseError
from sources.youtube import TranscriptError

MAX_BUDGET_FAILURES = 2  # a course over its CPU budget this often is never queued again


def retry_refusal(metadata: CourseMetadata) -> str | None:
    """Why a retry must not queue the course again, if it must not."""
    if metadata.budget_failures >= MAX_BUDGET_FAILURES:
        return (f"The course ran over its processing budget {MAX_BUDGET_FAILURES} times; it "
                "will not be retried. Upload a shorter or cleaner transcript.")
    return None


RETRY_HINT = "finished sections are kept; retry the course to continue from where it stopped."


class RunIncomplete(RuntimeError):
    """The graph returned without a course and without raising: every section branch failed
    (each records its error and ends, so that siblings are not cancelled mid-call)."""

    def __init__(self, section_errors: dict[str, str], sections_total: int) -> None:
        self.section_errors = section_errors
        self.sections_total = sections_total
        super().__init__(f"{len(section_errors)} of {sections_total} section(s) failed: "
                         + "; ".join(sorted(set(section_errors.values())))[:2000])


def check_finished(state: dict[str, Any]) -> None:
    """Raise RunIncomplete unless the run produced a course or paused for a human review."""
    if state.get("course") or state.get("__interrupt__"):
        return
    contents = state.get("contents") or {}
    # errors of an earlier attempt stay in the merged dict; only unwritten sections count
    errors = {sid: str(e) for sid, e in (state.get("section_errors") or {}).items()
              if sid not in contents}
    sections = ((state.get("outline") or {}).get("sections")) or []
    raise RunIncomplete(errors, len(sections) or len(errors))


def describe_failure(exc: BaseException) -> tuple[str, str]:
    """A stable code and a message a user can act on."""
    if isinstance(exc, TranscriptError):
        return exc.code, exc.message
    if isinstance(exc, TranscriptParseError):
        return exc.code, str(exc)
    if isinstance(exc, CpuBudgetExceeded):
        return exc.code, (f"The transcript needed more than {exc.seconds:.0f} s of processing, "
                          "this server's limit per course; upload a shorter or cleaner transcript.")
    if isinstance(exc, ContextTooLarge):
        return "transcript_too_large", ("The transcript is too long for the configured models; "
                                        "upload a shorter part of it.")
    if isinstance(exc, RunIncomplete):
        if not exc.section_errors:
            return "generation_incomplete", ("The course stopped before it was finished; "
                                             + RETRY_HINT)
        return "llm_unavailable", (
            f"The language model did not answer for {len(exc.section_errors)} of "
            f"{exc.sections_total} sections; {RETRY_HINT}")
    if isinstance(exc, LLMCallFailed):
        if isinstance(exc.cause, StructuredOutputInvalid):
            return "llm_unavailable", ("The language model kept giving unusable answers; "
                                       + RETRY_HINT)
        return "llm_unavailable", f"The language model did not answer; {RETRY_HINT}"
    return "generation_failed", ("Generation failed on an unexpected error (it is logged); "
                                 "retry the course, and report it if it happens again.")
