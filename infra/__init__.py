"""infra layer (see docs/DESIGN.md)."""
