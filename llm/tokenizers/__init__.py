"""Vendored tiktoken BPE rank files (o200k_base, cl100k_base), so counting never downloads.

Taken byte for byte from the PyPI wheel of litellm==1.110.2
(litellm/litellm_core_utils/tokenizers/, files named by the sha1 of their OpenAI URL); their
sha256 equals the `expected_hash` in tiktoken_ext.openai_public and is checked at load time.
"""
