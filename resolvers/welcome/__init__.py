"""Welcoming newcomers: their introduction and suggested first actions."""
