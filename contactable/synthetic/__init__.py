"""Synthetic council data for the sample files, benchmarks, tests and demo."""
