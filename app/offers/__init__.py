"""Technology offers listed by institutes and universities."""
