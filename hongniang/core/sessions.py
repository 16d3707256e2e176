"""Django's database sessions, read with one plain statement (issue 20: every logged-in request reads its
session; the ORM's query building was most of that read's cost). Same table, same rows, same checks: a session
is found only when it has not expired, and a logout or a flush deletes the row, so it ends at once in every
process. Writes are Django's."""

from __future__ import annotations

from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone


class SessionStore(db.SessionStore):
    def load(self):
        model = self.model
        connection = connections[router.db_for_read(model)]
        qn = connection.ops.quote_name
        sql = (f"SELECT {qn('session_data')} FROM {qn(model._meta.db_table)} "
               f"WHERE {qn('session_key')} = %s AND {qn('expire_date')} > %s")
        with connection.cursor() as cursor:
            cursor.execute(sql, [self.session_key, connection.ops.adapt_datetimefield_value(timezone.now())])
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return {}
        return self.decode(row[0])
