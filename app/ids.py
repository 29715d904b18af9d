"""Opaque identifiers."""

import uuid


def new_id() -> str:
    """A random UUID in its canonical text form."""
    return str(uuid.uuid4())
