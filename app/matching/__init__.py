"""Matching: the pure engine (``app.matching.engine``) and its service layer."""
