"""Members: registration, login and profiles."""
