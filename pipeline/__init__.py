"""pipeline layer (see docs/DESIGN.md)."""
