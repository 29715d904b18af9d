"""Demo data for a Phú Thọ-centred deployment, loaded by ``techmatch seed-demo``."""
