"""Notifications to organisations, and their delivery to webhooks."""
