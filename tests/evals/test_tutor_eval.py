"""The tutor eval: its scoring rules, and the embedded tutor's figures on one dataset item."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from evals.tutor import cited_seconds, cites_span, main

CORE = Path(__file__).resolve().parents[2] / "evals" / "datasets" / "core"


def test_citations_must_fall_inside_a_span():
    assert cited_seconds("At [03:38] and [1:02:05].") == [218, 3725]
    assert cites_span("Twelve years [03:38]", [(215, 223)])
    assert cites_span("Twelve years [03:38]", [(0, 10), (219, 223)])  # within the ±2 s slack
    assert not cites_span("Twelve years [03:38]", [(0, 200)])
    assert not cites_span("Twelve years, no citation", [(0, 999)])


def test_eval_prints_the_table_and_writes_the_report(tmp_path, capsys):
    for name in ("compound-interest.srt", "compound-interest.tutor.json"):
        shutil.copy(CORE / name, tmp_path / name)
    out = tmp_path / "report.json"
    assert main(["--dataset", str(tmp_path), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "tutor eval" in printed and "embedded" in printed and "scripted" in printed
    report = json.loads(out.read_text())
    embedded = report["embedded"]["compound-interest"]
    questions = json.loads((CORE / "compound-interest.tutor.json").read_text())
    assert len(embedded["cite"]) == len(questions["answerable"])
    assert sum(embedded["cite"]) >= len(embedded["cite"]) - 1
    assert all(embedded["decline"]) and all(embedded["inject"])
    assert all(report["scripted"]["compound-interest"]["inject"])


def test_expected_concept_is_checked_through_the_cli(tmp_path):
    """`expects` on an answerable question: the answer must name the concept (real lecture)."""
    real = CORE.parent / "real" / "py4e-lists-1.srt"
    if not real.exists():
        import pytest

        pytest.skip("real set not merged")
    shutil.copy(real, tmp_path / real.name)
    (tmp_path / "py4e-lists-1.tutor.json").write_text(json.dumps({"answerable": [
        {"question": "Can you change a list after you create it?", "spans": [[351, 362]],
         "expects": ["mutable", "changeable"]},
        {"question": "Can you change a list after you create it?", "spans": [[351, 362]],
         "expects": ["dictionary"]},
    ]}))
    out = tmp_path / "report.json"
    assert main(["--dataset", str(tmp_path), "--out", str(out)]) == 0
    concept = json.loads(out.read_text())["embedded"]["py4e-lists-1"]["concept"]
    assert concept == [True, False]


def test_names_concept_folds_plurals_and_case():
    from evals.tutor import names_concept

    assert names_concept("Lists are Mutable [05:51]", ["mutable"])
    assert names_concept("Tuples are immutable.", ["tuple"])
    assert not names_concept("Lists can change [05:51]", ["immutable"])
