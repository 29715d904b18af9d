"""techmatch: technology supply-demand matching for Vietnam's S&T departments."""
