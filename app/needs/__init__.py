"""Technology needs posted by enterprises and cooperatives."""
