"""Connections (expressions of interest) between a need and an offer, and match feedback."""
