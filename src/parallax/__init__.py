"""Parallax: one news story from every side."""

__version__ = "0.1.0"
