"""Patuh: assessment of Indonesia's public-service delivery (UU 25/2009)."""

__version__ = "0.1.0"
