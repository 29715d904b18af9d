"""Accounts, bearer tokens, API keys and the role policy."""
