"""Local repair of almost-JSON model output, tried before paying for a re-ask.

Small models (and truncated answers) produce JSON wrapped in prose or code fences, raw newlines
or tabs inside strings (llama.cpp's grammar allows them), trailing commas, or an object cut off
mid-way. Each of those is fixed here mechanically; whatever is still wrong is left to Pydantic
validation and the re-ask path in llm/client.py.
"""

from __future__ import annotations

import json
import re
from typing import Any

from langchain_core.utils.json import parse_partial_json

_FENCE = re.compile(r"```(?:json|JSON)?\s*(.*?)(?:```|$)", re.DOTALL)
_CONTROL_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}


class JSONRepairError(ValueError):
    """The text holds nothing that can be turned into a JSON object."""


def _strip_fences(text: str) -> str:
    m = _FENCE.search(text)
    return m.group(1) if m else text


def _normalise(s: str) -> str:
    """Cut to the outermost JSON value, escape control chars in strings, drop trailing commas."""
    out: list[str] = []
    stack: list[str] = []
    in_string = escaped = False
    for ch in s:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
            elif ord(ch) < 0x20:
                ch = _CONTROL_ESCAPES.get(ch, f"\\u{ord(ch):04x}")
            out.append(ch)
            continue
        if ch == '"':
            in_string = True
        elif ch in "{[":
            stack.append("}" if ch == "{" else "]")
        elif ch in "}]":
            # A trailing comma before a closer is the commonest small-model slip.
            while out and out[-1].isspace():
                out.pop()
            if out and out[-1] == ",":
                out.pop()
            if not stack or stack[-1] != ch:
                break  # stray closer: everything after it is not part of the value
            stack.pop()
            out.append(ch)
            if not stack:
                break  # outermost value complete; ignore any prose after it
            continue
        out.append(ch)
    return "".join(out)


def repair_json(text: str) -> Any:
    """Best-effort parse of model output into a JSON value (usually a dict).

    Raises JSONRepairError when no JSON object or array can be recovered.
    """
    try:
        return json.loads(text, strict=False)
    except (json.JSONDecodeError, TypeError):
        pass
    s = _strip_fences(text)
    starts = [i for i in (s.find("{"), s.find("[")) if i != -1]
    if not starts:
        raise JSONRepairError("no JSON object in the model output")
    s = _normalise(s[min(starts) :])
    try:
        return json.loads(s, strict=False)
    except json.JSONDecodeError:
        pass
    # Truncated output: close open strings and brackets, dropping an incomplete last member.
    result = parse_partial_json(s, strict=False)
    if result is None:
        raise JSONRepairError("model output is not repairable JSON")
    return result
