"""Exports: files of personal data for people and for the EMS, each audited."""
