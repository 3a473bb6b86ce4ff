"""Operating a deployed environment from the terminal: its status, its services' logs."""
