"""The append-only audit log: who changed what, when, with digests of before and after."""
