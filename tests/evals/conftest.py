"""Fixtures for the eval tests: the shipped core dataset and faithful courses built from it."""

from __future__ import annotations

from pathlib import Path

import pytest

from evals.dataset import EvalItem, load_dataset
from tests.evals.builders import faithful_course

CORE = Path(__file__).resolve().parents[2] / "evals" / "datasets" / "core"


@pytest.fixture(scope="session")
def core_items() -> dict[str, EvalItem]:
    return {item.id: item for item in load_dataset(CORE)}


@pytest.fixture(scope="session")
def photo(core_items: dict[str, EvalItem]) -> EvalItem:
    return core_items["photosynthesis"]


@pytest.fixture(scope="session")
def photo_course(photo: EvalItem):
    return faithful_course(photo)
