from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from llm.repair import JSONRepairError, repair_json


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('```json\n{"a": 1}\n```', {"a": 1}),
        ('Sure! Here you go: {"a": [1, 2]} Hope this helps.', {"a": [1, 2]}),
        ('{"a": "line one\nline two\ttab"}', {"a": "line one\nline two\ttab"}),
        ('{"a": "bell\x07"}', {"a": "bell\x07"}),
        ('{"a": [1, 2, ], "b": {"c": 3,},}', {"a": [1, 2], "b": {"c": 3}}),
        ('{"a": "x", "b": "trunc', {"a": "x", "b": "trunc"}),
        ('{"a": [1, 2', {"a": [1, 2]}),
        ('{"a": "brace } inside", "b": 2}', {"a": "brace } inside", "b": 2}),
        ('{"a": "quote \\" inside"}', {"a": 'quote " inside'}),
    ],
)
def test_repairs(text: str, expected: object) -> None:
    assert repair_json(text) == expected


@pytest.mark.parametrize("text", ["", "I cannot help with that.", "```\nnope\n```"])
def test_unrepairable(text: str) -> None:
    with pytest.raises(JSONRepairError):
        repair_json(text)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda kids: st.lists(kids, max_size=4) | st.dictionaries(st.text(max_size=8), kids,
                                                              max_size=4),
    max_leaves=12,
)


@given(st.dictionaries(st.text(max_size=8), json_values, max_size=5), st.booleans())
def test_valid_json_survives_wrapping(obj: dict, pretty: bool) -> None:
    text = json.dumps(obj, indent=2 if pretty else None, ensure_ascii=False)
    assert repair_json(text) == obj
    assert repair_json(f"Here it is:\n```json\n{text}\n```\nDone.") == obj
