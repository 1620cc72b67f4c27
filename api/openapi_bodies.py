"""OpenAPI for bodies a route parses itself (generate takes JSON or a multipart upload)."""

from __future__ import annotations

import copy
from typing import Any

from api.course_schemas import MIN_TRANSCRIPT_CHARS, TRANSCRIPT_PATTERN, GenerateRequest


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


def _one_source_required(base: dict[str, Any], sources: tuple[str, ...]) -> dict[str, Any]:
    """`anyOf` one branch per source, each the whole object with that source required and not
    null. Whole branches (rather than `anyOf: [{required: [url]}, ...]` beside `properties`)
    because generators such as openapi-typescript turn them into a precise union type."""
    branches = []
    for name in sources:
        branch = copy.deepcopy(base)
        prop = branch["properties"][name]
        # "anyOf": [{"type": "string", ...}, {"type": "null"}] -> the string alternative
        options = [o for o in prop.pop("anyOf", []) if o.get("type") != "null"]
        branch["properties"][name] = {**prop, **(options[0] if options else {})}
        branch["required"] = [name]
        branch["title"] = f"{base.get('title', 'Body')} ({name})"
        branches.append(branch)
    return {"anyOf": branches}


def generate_request_body() -> dict[str, Any]:
    schema = GenerateRequest.model_json_schema(by_alias=True)
    body = _inline(schema, schema.get("$defs", {}))
    multipart = {
        "type": "object",
        "title": "GenerateUpload",
        "properties": {
            "file": {"type": "string", "format": "binary",
                     "description": "An .srt, .vtt or .txt transcript (UTF-8)."},
            "url": {"type": "string", "minLength": 1, "maxLength": 2048},
            "transcript": {"type": "string", "minLength": MIN_TRANSCRIPT_CHARS,
                           "pattern": TRANSCRIPT_PATTERN,
                           "description": "Transcript text, instead of a file."},
            "title": {"type": "string", "maxLength": 300},
            "preferences": {"type": "string", "description": "JSON of `preferences`."},
        },
    }
    return {"required": True, "content": {
        "application/json": {"schema": _one_source_required(body, ("url", "transcript"))},
        "multipart/form-data": {
            "schema": _one_source_required(multipart, ("file", "url", "transcript"))}}}


# What each kind of progress event carries in `data` (all optional: a reader tolerates more).
_SECONDS = {"seconds": {"type": "number", "description": "How long the step took"}}
PROGRESS_DATA: dict[str, dict[str, Any]] = {
    "started": {},
    "step": {**_SECONDS,  # a node finished, or (step video_metadata) the video became known
             "title": {"type": "string"}, "channel": {"type": ["string", "null"]},
             "durationSeconds": {"type": ["number", "null"]}},
    "section": {"sectionId": {"type": "string"},
                "kind": {"type": "string", "enum": ["write", "supplement"]}},
    "error": {"code": {"type": "string"}},
    "completed": _SECONDS,
    "failed": {"code": {"type": "string", "description": "The course's error code"}},
    "cancelled": {},
}


def progress_event_union(components: dict[str, Any]) -> None:
    """Turn the ProgressEvent component into a union tagged by `type`, each member saying what
    its `data` holds, so generated clients narrow `data` by checking `type`."""
    base = components["ProgressEvent"]
    mapping = {}
    for kind, data in PROGRESS_DATA.items():
        name = f"ProgressEvent{kind.capitalize()}"
        member = copy.deepcopy(base)
        member["title"] = name
        member["properties"]["type"] = {"type": "string", "const": kind}
        member["properties"]["data"] = {"type": "object", "properties": copy.deepcopy(data)}
        components[name] = member
        mapping[kind] = f"#/components/schemas/{name}"
    components["ProgressEvent"] = {
        "title": "ProgressEvent", "description": base.get("description", "A progress event."),
        "oneOf": [{"$ref": ref} for ref in mapping.values()],
        "discriminator": {"propertyName": "type", "mapping": mapping}}
