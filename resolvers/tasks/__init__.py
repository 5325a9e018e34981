"""Tasks: the board of community work, and the members suggested for each task."""
