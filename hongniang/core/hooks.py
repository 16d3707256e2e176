"""Hooks: how a lower app tells the layers above that something changed, without importing them.

An app that owns a record declares a hook (`posting_written = Hook("jobs.posting_written")`) and sends it after
every write (`posting_written.send(posting)`); the apps above that keep a derived copy (the search index, the
matching index) are connected to it from the flows layer (hongniang.flows.apps), so the owner never imports
them. Hooks are for keeping derived data current, not for business flow: work that must happen as part of a
use case (hire → follow-ups) is a flow that calls the services in order.

    receiver(obj)                   runs inside the sender's transaction (e.g. the search index, same database)
    receiver(obj), on_commit=True   runs after the sender's transaction commits (e.g. an in-memory index)
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction


class Hook:
    def __init__(self, name: str):
        self.name = name
        self._receivers: dict[str, tuple[Callable, bool]] = {}

    def connect(self, receiver: Callable, *, on_commit: bool = False, uid: str | None = None) -> None:
        """Add a receiver (idempotent by uid, by default its dotted name)."""
        key = uid or f"{receiver.__module__}.{receiver.__qualname__}"
        self._receivers[key] = (receiver, on_commit)

    def disconnect(self, uid: str) -> None:
        self._receivers.pop(uid, None)

    @property
    def receivers(self) -> list[str]:
        return list(self._receivers)

    def send(self, obj) -> None:
        for receiver, on_commit in list(self._receivers.values()):
            if on_commit:
                transaction.on_commit(lambda r=receiver: r(obj))
            else:
                receiver(obj)

    def __repr__(self) -> str:
        return f"<Hook {self.name}: {', '.join(self._receivers) or 'no receivers'}>"
