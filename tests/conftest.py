"""Fixtures every test folder shares: one real portal on loopback and one throwaway PostgreSQL
cluster for the whole session (each started only if a test asks for it)."""

from tests.support.portal_server import portal  # noqa: F401 - re-exported session fixture
from tests.support.postgres import fresh_postgres_database, postgres_url  # noqa: F401
