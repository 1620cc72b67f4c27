"""The MiniLM forward pass lives in nlp/minilm.py (the embedded default segments by topic with
it); evals keeps this name for its groundedness backend and tests."""

from nlp.minilm import MiniLM

__all__ = ["MiniLM"]
