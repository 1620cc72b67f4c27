"""Token budgets shared by the agents: how much transcript one call may carry."""

from __future__ import annotations

from llm.client import LLMClient

PROMPT_OVERHEAD = 700      # system + instructions + outline brief, measured on the shipped prompts
ANSWER_RESERVE = 1800      # room left for the model's JSON answer


def transcript_budget(llm: LLMClient) -> int:
    """Transcript tokens one call may carry so the smallest registered model can take it."""
    window = llm.registry.smallest_window()
    return max(400, window - PROMPT_OVERHEAD - ANSWER_RESERVE)


def call_budget(llm: LLMClient) -> int:
    """Prompt tokens (instructions + transcript) one call may send."""
    return llm.registry.smallest_window() - ANSWER_RESERVE
