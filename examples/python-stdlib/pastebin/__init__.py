"""Storage for the paste service."""
