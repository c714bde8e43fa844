"""One database: its engine and how transactions are opened.

SQLite: the file runs in WAL mode (readers never wait for the writer) with
``synchronous=NORMAL`` (durable at every checkpoint, one fsync less per commit). A write
transaction takes the write lock up front (``BEGIN IMMEDIATE``) so it never has to upgrade
a read lock and fail; read transactions are plain. Within one process, writers also queue on
a lock of their own, which is fair and cheaper than SQLite's busy-wait polling; between
processes SQLite's lock and busy timeout still serialise them.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.orm import Session

WRITE = "guarantor_write"


def _sqlite_setup(engine: Engine, file_backed: bool) -> None:
    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        # Take over transaction control from the sqlite3 module so BEGIN is ours.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA busy_timeout = 30000")
        cursor.execute("PRAGMA foreign_keys = ON")
        if file_backed:
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: Connection) -> None:
        write = connection.get_execution_options().get(WRITE, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


class Database:
    """An engine with read and write sessions."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.sqlite = engine.dialect.name == "sqlite"
        self._writer = engine.execution_options(**{WRITE: True})
        self._write_lock = threading.Lock()

    @classmethod
    def connect(cls, url: str) -> Database:
        """A database for ``url``; a SQLite file gets its folder created."""
        file_backed = url.startswith("sqlite:///") and ":memory:" not in url
        if file_backed:
            Path(url.removeprefix("sqlite:///")).expanduser().parent.mkdir(
                parents=True, exist_ok=True
            )
        engine = create_engine(url)
        if engine.dialect.name == "sqlite":
            _sqlite_setup(engine, file_backed)
        return cls(engine)

    @contextmanager
    def session(self, *, write: bool = False) -> Iterator[Session]:
        """A session in one transaction, committed on success."""
        lock = self._write_lock if write and self.sqlite else nullcontext()
        with lock, Session(self._writer if write else self.engine) as session, session.begin():
            yield session

    def dispose(self) -> None:
        """Release the connection pool."""
        self.engine.dispose()
