"""What an OpenAI chat request asks for, read the same way by the fake server and the cassettes."""

from __future__ import annotations

from typing import Any

Requested = tuple[str, dict[str, Any], str]


def requested(body: dict[str, Any], plain: Requested) -> Requested:
    """(schema name, JSON schema, how the answer is sent: "tool" or "content"); `plain` for a
    request that names no schema."""
    if body.get("tools"):
        fn = body["tools"][0]["function"]
        return fn["name"], fn.get("parameters", {}), "tool"
    fmt = body.get("response_format") or {}
    if fmt.get("type") == "json_schema":
        spec = fmt["json_schema"]
        return spec["name"], spec.get("schema", {}), "content"
    return plain
