"""The whole course graph against the real local model (SmolLM2-135M on llama.cpp).

Weak model, real path: ChatOpenAI → OpenAI-compatible server → structured output with repair.
The course must come out schema-valid end to end; its quality is what the evals measure.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from core.domain import Preferences
from graph.runner import run_course_graph
from llm.client import LLMClient
from llm.registry import ModelRegistry, local_model_spec
from sources.transcript import parse_transcript

pytestmark = pytest.mark.local_model


async def test_whole_graph_on_the_local_model(local_server, tmp_path):
    from core.config import Settings
    from llm.client import openai_chat_factory

    settings = Settings(_env_file=None, COURSEGEN_DATA_DIR=tmp_path,  # type: ignore[call-arg]
                        OPENAI_API_KEY=None, LOCAL_MODEL_PORT=local_server.port)
    spec = local_model_spec(settings)
    assert spec.base_url == local_server.base_url
    llm = LLMClient(ModelRegistry([spec]), max_concurrency=1, max_retries=1,
                    chat_factory=openai_chat_factory(settings, timeout=240, temperature=0.1))
    sample = (Path(__file__).resolve().parents[2] / "samples" / "sample_lecture.srt").read_text()
    full = parse_transcript(sample, title="HTTP caching")
    short = full.model_copy(update={"segments": [s for s in full.segments if s.start < 45]})
    started = time.monotonic()
    course = await run_course_graph(short, Preferences(duration=5), llm=llm, max_sections=1,
                                   quiz_questions=1)
    seconds = time.monotonic() - started
    totals = llm.usage.totals()
    print(f"\nlocal-model course: {len(course.sections)} section(s) in {seconds:.0f}s, "
          f"{totals.calls} calls, {totals.output_tokens} output tokens "
          f"({totals.output_tokens / seconds:.1f} tokens/s overall)")
    assert course.sections and all(s.content and s.content.markdown for s in course.sections)
    assert all(s.supplement is not None for s in course.sections)
    assert course.outline.sections[0].start_seconds == 0
