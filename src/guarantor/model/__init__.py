"""Pure domain types: frozen pydantic models with no I/O."""
