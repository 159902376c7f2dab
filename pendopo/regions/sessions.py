"""Login sessions that know their user, so a logged-in request reads session and user in one query.

Django's database sessions keep only the session data; the user is read by a second query on
every request (`django.contrib.auth.get_user` → the backend's `get_user`). Here the session row
also holds the user's id (set from the session data whenever the session is saved: at login, on
every change), and reading the session reads the user row with it (one join). The backend then
takes that user instead of asking the database again; everything `django.contrib.auth.get_user`
checks still happens on the row just read: the backend named in the session, the session hash
(a changed password ends every session), `is_active`.

Settings: `SESSION_ENGINE = "pendopo.regions.sessions"` and
`AUTHENTICATION_BACKENDS = ["pendopo.regions.sessions.SessionUserBackend"]`.
"""

from __future__ import annotations

import contextvars
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.backends import ModelBackend
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models
from django.utils.translation import gettext_lazy as _

from pendopo.lib import dates

if TYPE_CHECKING:
    from pendopo.regions.models import User

# The user read with the session in this thread's current request: (session key, user or None).
# Set on every read of a session row, so it never outlives the request that read it in a way that
# matters: the backend takes it only for the very user id the same session names.
_read_with_session: contextvars.ContextVar[tuple[str, Any] | None] = contextvars.ContextVar("pendopo_session_user", default=None)


class UserSession(AbstractBaseSession):
    """A session row with its user (empty for a visitor who has not logged in)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="sessions",
        verbose_name=_("user"),
    )

    class Meta(AbstractBaseSession.Meta):
        app_label = "regions"
        verbose_name = _("login session")
        verbose_name_plural = _("login sessions")

    @classmethod
    def get_session_store_class(cls) -> type[SessionStore]:
        return SessionStore


class SessionStore(DatabaseSessionStore):
    @classmethod
    def get_model_class(cls) -> type[UserSession]:
        return UserSession

    def _get_session_from_db(self) -> UserSession | None:
        _read_with_session.set(None)
        found = _read(self.session_key)
        if found is None:
            self._session_key = None
            return None
        _read_with_session.set((found.session_key, found.user))
        return found

    async def _aget_session_from_db(self) -> UserSession | None:
        from asgiref.sync import sync_to_async

        return await sync_to_async(self._get_session_from_db)()

    def create_model_instance(self, data: dict[str, Any]) -> UserSession:
        session = super().create_model_instance(data)
        session.user_id = _user_id(data.get(SESSION_KEY))
        return session


class _Statement:
    """The one statement that reads a session with its user, written out once per database.

    Every logged-in request runs it, and building the same `select_related` query through the ORM
    on every request cost twice what PostgreSQL takes to answer it. The values are converted as the
    ORM would (the backend's and the fields' converters), so it reads the same on every database.
    """

    def __init__(self, connection: Any) -> None:
        from django.contrib.auth import get_user_model

        user_model = get_user_model()
        quote = connection.ops.quote_name
        session_fields = [UserSession._meta.get_field(name) for name in ("session_data", "expire_date", "user")]
        self.user_model = user_model
        self.user_fields = list(user_model._meta.concrete_fields)
        columns = [f"s.{quote(field.column)}" for field in session_fields]
        columns += [f"u.{quote(field.column)}" for field in self.user_fields]
        self.sql = (
            f"SELECT {', '.join(columns)} FROM {quote(UserSession._meta.db_table)} s"  # noqa: S608 -- names from the models
            f" LEFT JOIN {quote(user_model._meta.db_table)} u ON u.{quote(user_model._meta.pk.column)} = s.{quote('user_id')}"
            f" WHERE s.{quote('session_key')} = %s AND s.{quote('expire_date')} > %s"
        )
        self.converters = []
        for field in [*session_fields, *self.user_fields]:
            column = field.get_col(field.model._meta.db_table)
            self.converters.append((column, [*connection.ops.get_db_converters(column), *column.get_db_converters(connection)]))


_statements: dict[str, _Statement] = {}


def _read(session_key: str | None) -> UserSession | None:
    """The unexpired session row of `session_key`, with its user loaded (None: no such session)."""
    from django.db import connections, router

    if not session_key:
        return None
    alias = router.db_for_read(UserSession)
    connection = connections[alias]
    statement = _statements.get(alias)
    if statement is None:
        statement = _statements[alias] = _Statement(connection)
    with connection.cursor() as cursor:
        cursor.execute(statement.sql, [session_key, connection.ops.adapt_datetimefield_value(dates.now())])
        row = cursor.fetchone()
    if row is None:
        return None
    values = []
    for value, (column, converters) in zip(row, statement.converters, strict=True):
        for converter in converters:
            value = converter(value, column, connection)
        values.append(value)
    session_data, expire_date, user_id = values[:3]
    session = UserSession.from_db(
        alias, ["session_key", "session_data", "expire_date", "user_id"], [session_key, session_data, expire_date, user_id]
    )
    user = None
    if user_id is not None:
        user = statement.user_model.from_db(alias, [field.attname for field in statement.user_fields], values[3:])
    session._state.fields_cache["user"] = user
    return session


def _user_id(value: Any) -> int | None:
    if value in (None, ""):
        return None
    from django.contrib.auth import get_user_model

    try:
        return get_user_model()._meta.pk.to_python(value)
    except Exception:  # noqa: BLE001 -- a malformed id in session data is no user
        return None


class SessionUserBackend(ModelBackend):
    """Django's model backend, taking the user read with the session when it is the one asked for."""

    def get_user(self, user_id: Any) -> User | None:
        found = _read_with_session.get()
        if found is not None and found[1] is not None and found[1].pk == _user_id(user_id):
            user = found[1]
            return user if self.user_can_authenticate(user) else None
        return super().get_user(user_id)
