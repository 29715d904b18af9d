"""Organisations: registration data, verification and suspension."""
