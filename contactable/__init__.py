"""Contactable: lawful, accurate and deliverable contact details for EROs."""

__version__ = "0.1.0"
