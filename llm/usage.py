"""Per-call accounting of LLM usage: tokens, cost, latency, attempts — per node and in total.

The ledger is what lands in `courses.metadata` (see `UsageLedger.to_dict`), so a course records
what it cost to make. It is shared by concurrent branches, hence the lock.
"""

from __future__ import annotations

import threading
from typing import Any

from pydantic import BaseModel


class UsageRecord(BaseModel):
    node: str
    model: str
    input_tokens: int
    output_tokens: int
    # part of input_tokens the provider served from its prompt prefix cache (cheaper, faster)
    cached_input_tokens: int = 0
    cost_usd: float
    latency_s: float
    attempts: int
    cached: bool = False  # served from the LLM cache: no tokens paid
    ok: bool = True


class UsageTotals(BaseModel):
    calls: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    cached_input_tokens: int = 0
    cost_usd: float = 0.0
    latency_s: float = 0.0
    attempts: int = 0
    cached_calls: int = 0
    failed_calls: int = 0

    def add(self, r: UsageRecord) -> None:
        self.calls += 1
        self.input_tokens += r.input_tokens
        self.output_tokens += r.output_tokens
        self.cached_input_tokens += r.cached_input_tokens
        self.cost_usd += r.cost_usd
        self.latency_s += r.latency_s
        self.attempts += r.attempts
        self.cached_calls += int(r.cached)
        self.failed_calls += int(not r.ok)


class UsageLedger:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._records: list[UsageRecord] = []

    def add(self, record: UsageRecord) -> None:
        with self._lock:
            self._records.append(record)

    @property
    def records(self) -> list[UsageRecord]:
        with self._lock:
            return list(self._records)

    def totals(self) -> UsageTotals:
        t = UsageTotals()
        for r in self.records:
            t.add(r)
        return t

    def by_node(self) -> dict[str, UsageTotals]:
        out: dict[str, UsageTotals] = {}
        for r in self.records:
            out.setdefault(r.node, UsageTotals()).add(r)
        return out

    def by_model(self) -> dict[str, UsageTotals]:
        out: dict[str, UsageTotals] = {}
        for r in self.records:
            out.setdefault(r.model, UsageTotals()).add(r)
        return out

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready summary for courses.metadata (costs rounded to 1e-6 USD)."""

        def dump(t: UsageTotals) -> dict[str, Any]:
            d = t.model_dump()
            d["cost_usd"] = round(d["cost_usd"], 6)
            d["latency_s"] = round(d["latency_s"], 3)
            return d

        return {
            "totals": dump(self.totals()),
            "by_node": {k: dump(v) for k, v in self.by_node().items()},
            "by_model": {k: dump(v) for k, v in self.by_model().items()},
        }
