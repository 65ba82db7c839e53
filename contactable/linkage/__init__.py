"""Linkage: matching records to electors, and the keys that matching uses."""
