"""Fixtures shared by every test area; each area adds its own conftest.py."""
