"""`python -m evals.run` uploads its dataset and scores through the real langsmith client, over
HTTP to a LangSmith stand-in on 127.0.0.1 (tests/evals/langsmith_stub.py).

Each run is its own process, as a user runs it: the client reads its endpoint and key from the
environment once per process.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from langsmith.utils import get_env_var

from core.config import get_settings
from evals import run
from evals.dataset import load_dataset
from tests.evals.conftest import CORE
from tests.evals.langsmith_stub import LangSmithStub

ROOT = Path(__file__).resolve().parents[2]
ITEMS = ("photosynthesis", "inflacion-es")


@pytest.fixture
def dataset(tmp_path: Path) -> Path:
    data = tmp_path / "lectures"
    data.mkdir()
    for item in ITEMS:
        for suffix in (".srt", ".ref.json"):
            shutil.copy(CORE / f"{item}{suffix}", data / f"{item}{suffix}")
    return data


def run_evals(stub: LangSmithStub, tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("LANGSMITH_", "LANGCHAIN_", "OPENAI_", "COURSEGEN_"))}
    env.update(LANGSMITH_ENDPOINT=stub.url, LANGSMITH_API_KEY="lsv2_test_not_a_real_key",
               COURSEGEN_DATA_DIR=str(tmp_path / "data"))
    return subprocess.run([sys.executable, "-m", "evals.run", "--fake", "--embeddings", "lexical",
                           *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=240)


def test_run_uploads_dataset_experiment_and_scores(dataset, tmp_path):
    items = {it.id: it for it in load_dataset(dataset)}
    out = tmp_path / "report.json"
    with LangSmithStub() as stub:
        proc = run_evals(stub, tmp_path, "--dataset", str(dataset), "--out", str(out))
        assert proc.returncode == 0, proc.stdout + proc.stderr
        assert "uploaded to LangSmith dataset 'coursegen-evals-lectures'" in proc.stdout
        assert stub.unknown == []
        report = {it["id"]: it for it in json.loads(out.read_text())["items"]}

        # The dataset: one example per transcript, with the reference as its outputs.
        [ds] = stub.datasets.values()
        assert ds["name"] == "coursegen-evals-lectures"
        examples = {ex["inputs"]["id"]: ex for ex in stub.examples.values()}
        assert set(examples) == set(ITEMS)
        for item_id, ex in examples.items():
            item = items[item_id]
            assert ex["dataset_id"] == ds["id"]
            assert ex["inputs"]["content_hash"] == item.content_hash
            assert ex["inputs"]["transcript"] == item.transcript.text[:20000]
            assert item.reference and ex["outputs"] == item.reference.model_dump(mode="json")

        # The experiment: a project on that dataset, tagged with what the report records.
        [session] = stub.sessions.values()
        assert session["reference_dataset_id"] == ds["id"]
        assert session["extra"]["metadata"]["model"] == "fake-scripted"
        assert session["extra"]["metadata"]["embedding_backend"] == "lexical-tfidf"

        # Per item, a run on its example returning the report's scores, and one feedback per
        # scored metric carrying the report's score and comment.
        targets = {r["reference_example_id"]: r for r in stub.runs.values()
                   if r.get("reference_example_id")}
        assert set(targets) == {ex["id"] for ex in examples.values()}
        for item_id, ex in examples.items():
            run = targets[ex["id"]]
            scores = report[item_id]["scores"]
            assert run["outputs"]["scores"] == scores
            feedback = {f["key"]: f for f in stub.feedback if f["run_id"] == run["id"]}
            scored = {k: v for k, v in scores.items() if v is not None}
            assert len(scored) >= 8
            assert {k: f["score"] for k, f in feedback.items()} == scored
            assert {k: f["comment"] for k, f in feedback.items()} == {
                k: report[item_id]["comments"][k] for k in scored}
        first_feedback = len(stub.feedback)

        # Again on one of the items: its example is known, so none is added, and the second
        # experiment holds that item only (not the other example of the dataset, unscored).
        for path in dataset.glob("inflacion-es.*"):
            path.unlink()
        first_experiment = {r["session_name"] for r in targets.values()}
        assert len(first_experiment) == 1
        proc = run_evals(stub, tmp_path, "--dataset", str(dataset))
        assert proc.returncode == 0, proc.stdout + proc.stderr
        assert len(stub.examples) == len(ITEMS) and len(stub.datasets) == 1
        assert len(stub.sessions) == 2
        second = [r for r in stub.runs.values()
                  if r.get("reference_example_id") and r["session_name"] not in first_experiment]
        assert [r["reference_example_id"] for r in second] == [examples["photosynthesis"]["id"]]
        assert second[0]["outputs"]["scores"] == report["photosynthesis"]["scores"]
        assert len(stub.feedback) == first_feedback + sum(
            v is not None for v in report["photosynthesis"]["scores"].values())



def test_no_upload_sends_nothing_even_with_a_key(dataset, tmp_path, monkeypatch, capsys):
    # In this process (a third subprocess would cost seconds of imports); the langsmith client
    # caches what it reads from the environment, hence the cache_clear on both sides.
    with LangSmithStub() as stub:
        monkeypatch.setenv("LANGSMITH_ENDPOINT", stub.url)
        monkeypatch.setenv("LANGSMITH_API_KEY", "lsv2_test_not_a_real_key")
        monkeypatch.setenv("COURSEGEN_DATA_DIR", str(tmp_path / "data"))
        get_settings.cache_clear()
        get_env_var.cache_clear()
        try:
            assert run.main(["--dataset", str(dataset), "--fake", "--embeddings", "lexical",
                             "--no-upload"]) == 0
        finally:
            get_settings.cache_clear()
            get_env_var.cache_clear()
        assert stub.requests == [] and "uploaded" not in capsys.readouterr().out
