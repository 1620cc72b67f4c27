"""OpenAPI for bodies a route parses itself (generate takes JSON or a multipart upload)."""

from __future__ import annotations

from typing import Any

from api.course_schemas import GenerateRequest


def _inline(schema: dict[str, Any], defs: dict[str, Any]) -> Any:
    """Resolve local $refs so the schema stands alone inside an operation."""
    if isinstance(schema, dict):
        ref = schema.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/"):
            return _inline(defs[ref.split("/")[-1]], defs)
        return {k: _inline(v, defs) for k, v in schema.items() if k != "$defs"}
    if isinstance(schema, list):
        return [_inline(v, defs) for v in schema]
    return schema


def generate_request_body() -> dict[str, Any]:
    schema = GenerateRequest.model_json_schema(by_alias=True)
    body = _inline(schema, schema.get("$defs", {}))
    multipart = {
        "type": "object",
        "properties": {
            "file": {"type": "string", "format": "binary",
                     "description": "An .srt, .vtt or .txt transcript (UTF-8)."},
            "url": {"type": "string", "maxLength": 2048},
            "transcript": {"type": "string", "description": "Transcript text, instead of a file."},
            "title": {"type": "string", "maxLength": 300},
            "preferences": {"type": "string", "description": "JSON of `preferences`."},
        },
        # a source is required: the file, a URL or the transcript text
        "anyOf": [{"required": [name]} for name in ("file", "url", "transcript")],
    }
    return {"required": True, "content": {"application/json": {"schema": body},
                                          "multipart/form-data": {"schema": multipart}}}
