"""Inventory API for the shop front."""

__version__ = "0.3.0"
