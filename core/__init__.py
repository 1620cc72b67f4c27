"""Shared core: settings, domain types, LLM routing, tokens, cache, jobs."""
