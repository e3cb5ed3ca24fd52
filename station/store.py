"""The station's own SQLite database under the state directory: what must survive a restart.

Today: operators' cached sign-in secrets (argon2id hashes, for offline sign-in) and the local
lockout counters, so that quitting and restarting the app does not reset a lockout.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine, event
from sqlmodel import Field, Session, SQLModel, create_engine


class CachedOperator(SQLModel, table=True):
    """An operator who signed in online at this station, and the hash of the secret they used."""

    __tablename__ = "station_cached_operator"  # prefixed: SQLModel's metadata is shared

    username: str = Field(primary_key=True)
    operator_id: str
    display_name: str
    role: str
    secret_hash: str  # argon2id, PHC string format
    last_online_sign_in: datetime


class SignInFailures(SQLModel, table=True):
    """Consecutive failed sign-ins for one username at this station."""

    __tablename__ = "station_sign_in_failures"

    username: str = Field(primary_key=True)
    consecutive: int = 0
    locked_until: datetime | None = None


STATION_TABLES = ("station_cached_operator", "station_sign_in_failures")


def _as_utc(moment: datetime | None) -> datetime | None:
    # SQLite keeps no time zone; everything stored here is UTC.
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


class StationStore:
    """Small typed access to the station database; every method is one short transaction."""

    def __init__(self, database_path: Path) -> None:
        database_path.parent.mkdir(parents=True, exist_ok=True)
        self.engine: Engine = create_engine(
            f"sqlite:///{database_path}",
            connect_args={"check_same_thread": False},
        )
        event.listen(self.engine, "connect", _sqlite_pragmas)
        tables = SQLModel.metadata.tables
        SQLModel.metadata.create_all(self.engine, tables=[tables[name] for name in STATION_TABLES])

    def close(self) -> None:
        self.engine.dispose()

    def cached_operator(self, username: str) -> CachedOperator | None:
        with Session(self.engine) as session:
            row = session.get(CachedOperator, username)
            if row is not None:
                row.last_online_sign_in = (
                    _as_utc(row.last_online_sign_in) or row.last_online_sign_in
                )
                session.expunge(row)
            return row

    def save_cached_operator(self, operator: CachedOperator) -> None:
        with Session(self.engine) as session:
            session.merge(operator)
            session.commit()

    def failures(self, username: str) -> SignInFailures:
        with Session(self.engine) as session:
            row = session.get(SignInFailures, username)
            if row is None:
                return SignInFailures(username=username)
            row.locked_until = _as_utc(row.locked_until)
            session.expunge(row)
            return row

    def save_failures(self, failures: SignInFailures) -> None:
        with Session(self.engine) as session:
            session.merge(failures)
            session.commit()

    def clear_failures(self, username: str) -> None:
        with Session(self.engine) as session:
            row = session.get(SignInFailures, username)
            if row is not None:
                session.delete(row)
                session.commit()


def _sqlite_pragmas(connection: object, _record: object) -> None:
    cursor = connection.cursor()  # type: ignore[attr-defined]
    # WAL: the UI thread reads while a worker writes, without "database is locked".
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
