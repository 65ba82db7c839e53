"""Governance: data sharing agreements, privacy notices, objections, retention."""
