"""What a job needs, built once per process (API or worker) and shared by its jobs."""

from __future__ import annotations

import asyncio
import importlib
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.config import Settings
from infra.cache import ResponseCache, make_response_cache
from infra.checkpoint import open_checkpointer
from infra.progress_bus import ProgressBus, make_progress_bus
from jobs.warmup import warm_process
from llm.client import LLMClient, build_llm_client
from llm.registry import ModelRegistry


@dataclass
class JobServices:
    settings: Settings
    sessionmaker: async_sessionmaker[AsyncSession]
    progress: ProgressBus
    cache: ResponseCache
    checkpointer: Any
    chat_factory: Any = None  # tests inject the scripted fake here; None = ChatOpenAI
    fetch_captions: Any = None  # None = the YouTube transcript tool
    # courses whose running job a user cancelled: any other cancellation of a job is a
    # shutdown, which leaves the course `processing` to resume on the next start
    user_cancels: set[str] = field(default_factory=set)
    _local_ready: bool = field(default=False, repr=False)

    async def llm(self) -> LLMClient:
        """A client per run, so each course's usage ledger is its own."""
        if self.chat_factory is None and not self._local_ready:
            registry = ModelRegistry.from_settings(self.settings,
                                                   generative=self.chat_factory is not None)
            if any(m.local for m in registry.models) and self.settings.local_model_autostart:
                from llm.local_model import ensure_local_model_server

                await asyncio.to_thread(ensure_local_model_server, self.settings)
            self._local_ready = True
        return build_llm_client(self.settings, chat_factory=self.chat_factory)

    def model_names(self) -> list[str]:
        return [m.name for m in ModelRegistry.from_settings(
            self.settings, generative=self.chat_factory is not None).models]


def import_chat_factory(path: str | None) -> Any:
    """Resolve LLM_CHAT_FACTORY ("package.module:callable"); None when unset."""
    if not path:
        return None
    module, _, attr = path.partition(":")
    if not attr:
        raise ValueError(f"LLM_CHAT_FACTORY must look like 'package.module:callable', not {path!r}")
    return getattr(importlib.import_module(module), attr)


@asynccontextmanager
async def open_job_services(
    settings: Settings, sessionmaker: async_sessionmaker[AsyncSession], *,
    chat_factory: Any = None, progress: ProgressBus | None = None,
    cache: ResponseCache | None = None, fetch_captions: Any = None,
) -> AsyncIterator[JobServices]:
    chat_factory = chat_factory or import_chat_factory(settings.llm_chat_factory)
    async with AsyncExitStack() as stack:
        checkpointer = await stack.enter_async_context(open_checkpointer(settings))
        # before the first job, not inside it (jobs/warmup.py says what it saves)
        await asyncio.to_thread(warm_process, settings, chat_factory=chat_factory,
                                checkpointer=checkpointer)
        bus = progress or make_progress_bus(settings)
        response_cache = cache or make_response_cache(settings)
        yield JobServices(settings=settings, sessionmaker=sessionmaker, progress=bus,
                          cache=response_cache, checkpointer=checkpointer,
                          chat_factory=chat_factory, fetch_captions=fetch_captions)
        for closeable in (bus, response_cache):
            close = getattr(closeable, "aclose", None)
            if close is not None:
                await close()
