"""Database engine and sessions: SQLite by default, PostgreSQL (psycopg) by URL, same code."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, Request
from sqlalchemy import DateTime, Engine, event
from sqlalchemy.engine import Dialect, make_url
from sqlalchemy.types import TypeDecorator
from sqlmodel import Session, SQLModel, create_engine

# Busy writers wait this long for the SQLite write lock instead of failing at once.
_SQLITE_BUSY_TIMEOUT_MS = 5000


class UtcDateTime(TypeDecorator[datetime]):
    """An aware UTC datetime, stored naive-UTC so SQLite and PostgreSQL agree."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are ambiguous; pass an aware UTC datetime")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


def create_db_engine(db_url: str) -> Engine:
    """An engine for `db_url`; for SQLite, WAL journal, foreign keys and a busy timeout."""
    url = make_url(db_url)
    if url.get_backend_name() != "sqlite":
        return create_engine(db_url, pool_pre_ping=True)
    if url.database and url.database != ":memory:":
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(db_url, connect_args={"check_same_thread": False})
    event.listen(engine, "connect", _configure_sqlite_connection)
    return engine


def _configure_sqlite_connection(connection: sqlite3.Connection, _record: Any) -> None:
    cursor = connection.cursor()
    # WAL lets the portal read while an admin command or the population generator writes.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={_SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def create_tables(engine: Engine) -> None:
    """Create the national records and the portal's own tables if they do not exist yet."""
    # Imported for their side effect: registering the tables on SQLModel.metadata.
    import fixtures.records  # noqa: F401
    import portal_mock.account_tables
    import portal_mock.tables  # noqa: F401

    SQLModel.metadata.create_all(engine)


def get_session(request: Request) -> Iterator[Session]:
    """FastAPI dependency: one session per request, on the app's engine."""
    engine: Engine = request.app.state.engine
    with Session(engine) as session:
        yield session


DbSession = Annotated[Session, Depends(get_session)]
