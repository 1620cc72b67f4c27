"""llm layer (see docs/DESIGN.md)."""
