"""What one model call produced, read from a parsed answer or from the error a malformed one
raised (the provider's body still carries the text, the usage and the finish reason)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from langchain_core.messages import AIMessage
from pydantic import BaseModel, ValidationError

from llm.tokens import count_tokens


@dataclass
class Outcome:
    parsed: BaseModel | None
    raw_text: str
    input_tokens: int
    output_tokens: int
    cached: bool = False
    truncated: bool = False  # finish_reason == "length": the answer was cut off
    cached_input_tokens: int = 0  # served from the provider's prompt prefix cache


def plain_errors(err: Exception) -> str:
    """What was wrong, one line per problem, in the JSON field names the model used (no pydantic
    boilerplate or documentation URLs: the model, and any user shown it, cannot use those)."""
    if not isinstance(err, ValidationError):
        return str(err)
    lines = []
    for e in err.errors(include_url=False, include_input=False):
        where = ".".join(str(p) for p in e["loc"]) or "the answer"
        lines.append(f"- {where}: {e['msg']}")
    return "\n" + "\n".join(lines)


def raw_text(raw: AIMessage) -> str:
    if raw.tool_calls:
        return json.dumps(raw.tool_calls[0]["args"])
    if raw.invalid_tool_calls:
        return raw.invalid_tool_calls[0].get("args") or ""
    return raw.text


def outcome_from_parse_error(exc: BaseException) -> Outcome | None:
    body: Any = None
    completion = getattr(exc, "completion", None)  # LengthFinishReasonError
    if completion is not None:
        body = completion.model_dump()
    else:
        response = getattr(exc, "response", None)
        try:
            body = response.json() if response is not None else None
        except (ValueError, AttributeError):
            body = None
    try:
        text = body["choices"][0]["message"]["content"] or ""
        finish = body["choices"][0].get("finish_reason")
    except (TypeError, KeyError, IndexError, AttributeError):
        return None
    usage = body.get("usage") or {}
    details = usage.get("prompt_tokens_details") or {}
    return Outcome(None, text, usage.get("prompt_tokens", 0),
                    usage.get("completion_tokens", count_tokens(text)),
                    truncated=finish == "length",
                    cached_input_tokens=details.get("cached_tokens") or 0)
