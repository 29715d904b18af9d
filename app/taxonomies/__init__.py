"""Reference data: S&T fields, provinces and the enumerations used across techmatch."""
