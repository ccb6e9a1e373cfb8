"""Evaluation of Parallax stages against development data."""
