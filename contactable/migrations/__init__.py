"""Alembic migrations of the store's schema, run by ``contactable.store.upgrade``."""
