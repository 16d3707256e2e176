"""Server-side prepared statements for a few hot read statements on PostgreSQL (a search results page: its index
windows and its postings' load, issue 14).

Django binds parameters on the client and never prepares (`prepare_threshold` None: poolers in transaction mode
lose prepared statements). A results page runs the same 2–4 statement texts on every request, and PostgreSQL
parsed and planned each of them every time (~0.25 ms a statement). `cursor(alias)` is a cursor of the same
connection that binds on the server and prepares every statement it runs (psycopg keeps them per connection, the
least recently used of more than `prepared_max` are deallocated); once PostgreSQL has seen a statement five times
it may keep one plan for it (`plan_cache_mode` auto: only when that plan's estimated cost is no worse than the
custom plans'). Other cursors are unchanged: they still bind on the client and never prepare.

Every Python int is sent as int8, so a statement's parameter types do not depend on the values (psycopg picks
int2 / int4 / int8 per value, and each mix of types would be a statement of its own).

On other databases (SQLite: its module keeps compiled statements anyway) `cursor(alias)` is the usual cursor.
The statements are logged as every other (tests count them)."""

from __future__ import annotations

from django.db import connections

_cursor_class = None


def _make_class():
    from django.db.backends.postgresql.base import ServerBindingCursor
    from psycopg.types.numeric import Int8Dumper

    class PreparedCursor(ServerBindingCursor):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.adapters.register_dumper(int, Int8Dumper)

        def execute(self, query, params=None, *, prepare=None, binary=None):
            return super().execute(query, params, prepare=True, binary=binary)

    return PreparedCursor


_debug_class = None


def _make_debug_class():
    from django.db.backends.postgresql.base import CursorDebugWrapper
    from django.db.backends.utils import CursorWrapper

    class PreparedDebugWrapper(CursorDebugWrapper):
        """Logs the statement with its values in place, as Django's own cursors do (Django reads that back from
        a client-binding cursor; a server-binding one has only the placeholders)."""

        def execute(self, sql, params=None):
            with self.debug_sql(self.db.ops.compose_sql(sql, params)):
                return CursorWrapper.execute(self, sql, params)

    return PreparedDebugWrapper


def cursor(alias: str = "default"):
    """A cursor (context manager) of the connection `alias` whose statements are prepared on PostgreSQL."""
    global _cursor_class, _debug_class
    conn = connections[alias]
    if conn.vendor != "postgresql":
        return conn.cursor()
    from django.db.backends.postgresql.psycopg_any import is_psycopg3

    if not is_psycopg3:
        return conn.cursor()
    conn.close_if_health_check_failed()
    conn.ensure_connection()
    raw = conn.connection
    if raw.prepare_threshold is None:
        # prepared only when asked (prepare=True, as this module's cursors ask); other cursors bind on the client
        # and never prepare
        raw.prepare_threshold = 1 << 30
    if _cursor_class is None:
        _cursor_class, _debug_class = _make_class(), _make_debug_class()
    conn.validate_thread_sharing()
    with conn.wrap_database_errors:
        raw_cursor = _cursor_class(raw)
    return _debug_class(raw_cursor, conn) if conn.queries_logged else conn.make_cursor(raw_cursor)
