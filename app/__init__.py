"""techmatch: technology supply-demand matching for Vietnam's Departments of Science and Technology."""
