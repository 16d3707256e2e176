"""The logged-in visitor, kept per process between their requests (issue 20: logged-in pages at 300 requests/s).

Every logged-in page needs the user, their seeker profile, their enterprise and service-point memberships (the
navigation's roles) and the unread-message count: five statements and five model loads per request before this.
They change rarely, so `AuthenticationMiddleware` (in MIDDLEWARE instead of Django's) keeps them per user in this
process's memory, pickled, and checks them on each request against the user's generation in the database — one
small statement: `CacheGeneration` row "user:<id>", bumped by every write to what is kept (`bump_user`;
hongniang.flows.viewer connects it to the saves and deletes of users, seekers, memberships and messages, and
`notifications.services.notification_mark_read` bumps it for its bulk update). A bump is in the writer's
transaction, so every process and app server sees the change at the next request: a deactivation, a changed
password, a new or ended membership, a new or read message, an edited profile take effect at once, as before.

What is not kept: the session (still read from the database on each request, so a logout ends the session in
every process at once) and the session's check against the password (`get_session_auth_hash`, computed each
request from the kept user, whose password is as current as the generation).

Each request gets its own copies (unpickled), so a view that changes `request.user` or its seeker changes
nothing kept. Nothing is kept by a request inside a transaction (it might see its own uncommitted writes), and
the generation is read before the rows, so a kept entry is never newer than a generation it is filed under is
old. Apps add values to the kept entry with `register_extra` (the unread count: notifications.apps); pages read
them with `extra`.

Off with VIEWER_CACHE=False (each request loads everything, as Django does); the tests clear the kept entries
between tests (`forget`), as their databases are rolled back."""

from __future__ import annotations

import pickle
import threading
from collections import OrderedDict
from collections.abc import Callable

from django.conf import settings
from django.contrib import auth
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.middleware import AuthenticationMiddleware as DjangoAuthenticationMiddleware
from django.db import connection, transaction
from django.db.models import F
from django.utils.crypto import constant_time_compare
from django.utils.functional import SimpleLazyObject

from . import roles
from .models import CacheGeneration

PREFIX = "user:"
MAX_KEPT = 4000  # users per process (a kept entry is 2-4 KB)

_extras: dict[str, Callable] = {}
_kept: OrderedDict[int, tuple[int, bytes, dict]] = OrderedDict()
_lock = threading.Lock()
_SQL = None


def register_extra(name: str, compute: Callable) -> None:
    """A value kept with the user (`compute(user)`, immutable), computed when the entry is loaded. Whatever it
    depends on must bump the user's generation when it changes."""
    _extras[name] = compute


def extra(user, name: str, compute: Callable):
    """The kept value `name` of this request's user, or `compute(user)` when it is not kept."""
    kept = getattr(user, "_viewer_extras", None)
    if kept is not None and name in kept:
        return kept[name]
    return compute(user)


def forget() -> None:
    """Drop every kept entry of this process (the tests: each test's database is rolled back)."""
    with _lock:
        _kept.clear()


def enabled() -> bool:
    return getattr(settings, "VIEWER_CACHE", True)


# ------------------------------------------------------------------------------------------ the generation


def generation(user_id: int) -> int:
    global _SQL
    if _SQL is None:
        _SQL = f'SELECT "value" FROM "{CacheGeneration._meta.db_table}" WHERE "name" = %s'
    with connection.cursor() as cursor:
        cursor.execute(_SQL, [f"{PREFIX}{user_id}"])
        row = cursor.fetchone()
    return row[0] if row else 0


def bump_user(user_id) -> None:
    """Something kept for this user changed: their entry is stale in every process. Call inside the writer's
    transaction."""
    if user_id is None:
        return
    name = f"{PREFIX}{user_id}"
    if not CacheGeneration.objects.filter(name=name).update(value=F("value") + 1):
        with transaction.atomic():
            obj, created = CacheGeneration.objects.get_or_create(name=name, defaults={"value": 1})
            if not created:
                CacheGeneration.objects.filter(name=name).update(value=F("value") + 1)
    with _lock:
        _kept.pop(int(user_id), None)


# ------------------------------------------------------------------------------------------------ the user


def _load(backend: ModelBackend, pk: int):
    """The user with their seeker, memberships and extras (what every page's header reads), or None."""
    model = auth.get_user_model()
    try:
        user = model._default_manager.select_related("seeker").get(pk=pk)
    except model.DoesNotExist:
        return None, {}
    if not backend.user_can_authenticate(user):
        return None, {}
    roles.enterprise_ids(user)  # kept on the user (roles caches them as attributes)
    roles.service_point_ids(user)
    return user, {name: compute(user) for name, compute in _extras.items()}


def _reads_committed() -> bool:
    """Outside any transaction of the code (a test's own wrapping transaction aside): what was read is
    committed, not this request's own pending writes."""
    return not any(not getattr(block, "_from_testcase", False) for block in connection.atomic_blocks)


def user_for(backend, user_id):
    """backend.get_user(user_id), from this process's kept entry when the user's generation has not moved."""
    if not enabled() or type(backend).get_user is not ModelBackend.get_user:
        return backend.get_user(user_id)
    try:
        pk = int(user_id)
    except (TypeError, ValueError):
        return backend.get_user(user_id)
    current = generation(pk)
    with _lock:
        kept = _kept.get(pk)
        if kept is not None:
            _kept.move_to_end(pk)
    if kept is not None and kept[0] == current:
        user = pickle.loads(kept[1])
        user._viewer_extras = kept[2]
        return user
    user, extras = _load(backend, pk)
    if user is None:
        return None
    if _reads_committed():
        blob = pickle.dumps(user, pickle.HIGHEST_PROTOCOL)
        with _lock:
            _kept[pk] = (current, blob, extras)
            _kept.move_to_end(pk)
            while len(_kept) > MAX_KEPT:
                _kept.popitem(last=False)
    user._viewer_extras = extras
    return user


def get_user(request):
    """django.contrib.auth.get_user, with the backend's get_user through `user_for`."""
    from django.contrib.auth.models import AnonymousUser

    user = None
    try:
        user_id = auth._get_user_session_key(request)
        backend_path = request.session[auth.BACKEND_SESSION_KEY]
    except KeyError:
        pass
    else:
        if backend_path in settings.AUTHENTICATION_BACKENDS:
            backend = auth.load_backend(backend_path)
            user = user_for(backend, user_id)
            if hasattr(user, "get_session_auth_hash"):  # verify the session, as Django does
                session_hash = request.session.get(auth.HASH_SESSION_KEY)
                if not session_hash:
                    session_hash_verified = False
                else:
                    session_auth_hash = user.get_session_auth_hash()
                    session_hash_verified = constant_time_compare(session_hash, session_auth_hash)
                if not session_hash_verified:
                    if session_hash and any(constant_time_compare(session_hash, fallback)
                                            for fallback in user.get_session_auth_fallback_hash()):
                        request.session.cycle_key()
                        request.session[auth.HASH_SESSION_KEY] = session_auth_hash
                    else:
                        request.session.flush()
                        user = None
    return user or AnonymousUser()


def _cached_user(request):
    if not hasattr(request, "_cached_user"):
        request._cached_user = get_user(request)
    return request._cached_user


class AuthenticationMiddleware(DjangoAuthenticationMiddleware):
    """Django's, with `request.user` from `get_user` above (the kept entry when it is current)."""

    def process_request(self, request):
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: _cached_user(request))
