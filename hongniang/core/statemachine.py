"""The state-machine kit: one way to move a record from one status to another.

A machine is a table of actions, each with the statuses it may start from and the status it leads to. One call,
`machine.transition(obj, "approve", actor=..., reason=...)`, locks the row, checks the table, moves, saves and writes
the event row, all in one transaction. `machine.allowed_actions(obj, user)` answers which actions will work now for
this user, so templates and API answers show only the buttons that will work.

Worked example (a made-up "Ticket" app)::

    class TicketStatus(models.TextChoices):
        OPEN = "open", "处理中"
        DONE = "done", "已完成"

    class TicketEvent(TransitionEvent):
        ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="events")

    TICKET = StateMachine(
        Ticket, event_model=TicketEvent, event_fk="ticket",
        actions=[Action("finish", sources={"open"}, target="done", label="完成",
                        allowed=lambda user, ticket: ticket.owner_id == user.pk)],
    )

    TICKET.transition(ticket, "finish", actor=request.user)     # -> TicketEvent row, ticket.status == "done"
    [a.name for a in TICKET.allowed_actions(ticket, request.user)]  # -> ["finish"] while open, [] after
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import models, transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .errors import Conflict, InvalidInput, PermissionDeniedError

REASON_MAX = 500


class InvalidTransition(Conflict):
    """The record's status does not allow the action (409, code "invalid_transition")."""

    code = "invalid_transition"
    message = _("该记录当前状态不能进行此操作")


#: every machine built, by model (for `machine_for(obj)` and the `allowed_actions` template tag)
_MACHINES: dict[type, list[StateMachine]] = {}


def machine_for(obj_or_model, field: str | None = None) -> StateMachine:
    """The machine of a model (or of an object's model); `field` picks one when a model has two."""
    model = obj_or_model if isinstance(obj_or_model, type) else type(obj_or_model)
    for klass in model.__mro__:
        for m in _MACHINES.get(klass, ()):
            if field is None or m.field == field:
                return m
    raise LookupError(f"no state machine for {model.__name__}" + (f".{field}" if field else ""))


class TransitionEvent(models.Model):
    """One state change of a record: who, when, which action, from, to, why, and details.

    Concrete event models subclass this and add the foreign key to their record."""

    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+", verbose_name=_("操作人"), help_text=_("空：系统自动"))
    action = models.CharField(_("操作"), max_length=32, blank=True)
    from_status = models.CharField(_("原状态"), max_length=24, blank=True)
    to_status = models.CharField(_("新状态"), max_length=24)
    reason = models.CharField(_("原因"), max_length=REASON_MAX, blank=True)
    details = models.JSONField(_("详情"), default=dict, blank=True)

    #: Chinese labels of actions, for history lists; subclasses extend it
    ACTION_LABELS: dict[str, str] = {}

    class Meta:
        abstract = True
        ordering = ["at", "id"]

    @property
    def action_label(self) -> str:
        return str(self.ACTION_LABELS.get(self.action, self.action))


Check = Callable[[object, object], bool]


def _fill(template: str, values: dict[str, str]) -> str:
    """A machine's or an action's error message with its placeholders filled: %(status)s, %(target)s,
    %(action)s and %(noun)s (a message without a placeholder is left as it is, a "%" in it too)."""
    return template % values if "%(" in template else template


@dataclass(frozen=True)
class Action:
    """One action of a machine.

    sources: the statuses it may start from; target: the status it leads to (None: the status stays, e.g. a
    "refresh" that only writes an event); label: the Chinese button text; allowed(user, obj): who may run it
    (None: anyone the calling service lets through); reason_required: the event must carry a reason;
    message: the Chinese error when the record is in another status, one whole sentence with named
    placeholders: %(status)s the record's status label, %(target)s the target's label, %(action)s the action's
    label, %(noun)s the machine's noun (wrap it in gettext_lazy, like the noun); button: False for an action the
    page shows elsewhere than among the record's own buttons (a form on each row, a link), so `buttons()` leaves
    it out while `allowed_actions()` still names it."""

    name: str
    sources: frozenset[str] | set[str] | tuple[str, ...]
    target: str | None
    label: str = ""
    allowed: Check | None = None
    reason_required: bool = False
    message: str = ""
    style: str = ""  # a hint for templates: "primary", "danger", ...
    button: bool = True

    def __post_init__(self):
        object.__setattr__(self, "sources", frozenset(self.sources))


class StateMachine:
    """The allowed-from table of one model's status field, and the one function that moves it.

    noun is used in the default error ("该%(noun)s当前为“%(status)s”，不能%(action)s"); touch_fields are saved on every move
    (e.g. ("updated_at",)); message: the machine's own default error (same placeholders as Action.message);
    error: the DomainError class raised when the status does not allow an action (default InvalidTransition,
    a Conflict with code "invalid_transition")."""

    def __init__(self, model: type[models.Model], *, event_model: type[TransitionEvent] | None, event_fk: str,
                 actions: Iterable[Action], field: str = "status", noun: str = _("记录"),
                 touch_fields: tuple[str, ...] = (), message: str = "",
                 error: type[Conflict] = InvalidTransition):
        self.model = model
        self.event_model = event_model
        self.event_fk = event_fk
        self.actions = list(actions)
        self.field = field
        self.noun = noun
        self.touch_fields = tuple(touch_fields)
        self.message = message
        self.error = error
        self._by_name = {a.name: a for a in self.actions}
        if len(self._by_name) != len(self.actions):
            raise ValueError("duplicate action names")
        _MACHINES.setdefault(model, []).append(self)

    # ------------------------------------------------------------------ questions

    def action(self, name: str) -> Action:
        try:
            return self._by_name[name]
        except KeyError:
            raise ValueError(f"unknown action {name!r} for {self.model.__name__}") from None

    def status_of(self, obj) -> str:
        return getattr(obj, self.field)

    def can(self, obj, name: str, user=None) -> bool:
        """True when `name` may start from the record's status (and `user` may run it, when a user is given)."""
        act = self.action(name)
        if self.status_of(obj) not in act.sources:
            return False
        return user is None or act.allowed is None or bool(act.allowed(user, obj))

    def allowed_actions(self, obj, user) -> list[Action]:
        """The actions that will work now for this user, in the table's order (the buttons to show)."""
        status = self.status_of(obj)
        return [a for a in self.actions
                if status in a.sources and (a.allowed is None or bool(a.allowed(user, obj)))]

    def allowed_names(self, obj, user) -> list[str]:
        return [a.name for a in self.allowed_actions(obj, user)]

    def sources_of(self, name: str) -> frozenset[str]:
        return self.action(name).sources

    def status_label(self, status: str) -> str:
        fld = self.model._meta.get_field(self.field)
        return str(dict(fld.flatchoices).get(status, status))

    def statuses_with(self, name: str) -> list[str]:
        """The statuses `name` may start from, in the field's choice order (for querysets: status__in=...)."""
        sources = self.action(name).sources
        fld = self.model._meta.get_field(self.field)
        ordered = [value for value, _label in fld.flatchoices if value in sources]
        return ordered + sorted(sources - set(ordered))

    def error_for(self, obj, name: str) -> Conflict:
        """The error `transition` raises when the record's status does not allow `name`: the action's or the
        machine's message, else one whole sentence naming the record, its status and the action."""
        act = self.action(name)
        status = self.status_of(obj)
        values = {"noun": str(self.noun), "status": self.status_label(status),
                  "target": self.status_label(act.target or status), "action": str(act.label or "")}
        template = act.message or self.message
        if template:
            return self.error(_fill(str(template), values))
        if act.label:
            return self.error(gettext("该%(noun)s当前为“%(status)s”，不能%(action)s") % values)
        return self.error(gettext("该%(noun)s当前为“%(status)s”，不能进行此操作") % values)

    def check(self, obj, name: str) -> None:
        """Raise the machine's error unless `name` may start from the record's status (no lock, no write)."""
        if self.status_of(obj) not in self.action(name).sources:
            raise self.error_for(obj, name)

    # ------------------------------------------------------------------ the move

    def lock(self, obj, *, related: tuple[str, ...] = ()):
        qs = self.model._default_manager.select_for_update()
        if related:
            qs = qs.select_related(*related)
        return qs.get(pk=obj.pk)

    def transition(self, obj, name: str, *, actor=None, reason: str = "", details: dict | None = None,
                   fields: dict | None = None, to: str | None = None, check_user: bool = False,
                   lock: bool = True, related: tuple[str, ...] = (), event_fields: dict | None = None):
        """Run action `name` on `obj`: lock the row, check the status (and, with check_user, the actor), set the
        new status and `fields`, save, write the event row. Returns (record, event); the record is the locked
        fresh copy (the caller's `obj` gets the same status and fields too). lock=False when the caller already
        holds the row's lock (then `obj` itself is moved and saved); event_fields: more columns of the event row
        (e.g. a second foreign key).

        Raises the machine's error (InvalidTransition, a Conflict with code "invalid_transition") when the status
        does not allow it, PermissionDeniedError when check_user and the actor may not, InvalidInput(field=
        "reason") when a required reason is missing."""
        act = self.action(name)
        reason = (reason or "").strip()
        if act.reason_required and not reason:
            raise InvalidInput(gettext("请填写原因"), field="reason")
        with transaction.atomic():
            rec = self.lock(obj, related=related) if lock and obj.pk else obj
            before = self.status_of(rec)
            if before not in act.sources:
                raise self.error_for(rec, name)
            if check_user and act.allowed is not None and not act.allowed(actor, rec):
                raise PermissionDeniedError()
            after = to or act.target or before
            setattr(rec, self.field, after)
            changed = [self.field, *self.touch_fields]
            for k, v in (fields or {}).items():
                setattr(rec, k, v)
                changed.append(k)
            rec.save(update_fields=list(dict.fromkeys(changed)))
            event = self._write_event(rec, name, actor=actor, before=before, after=after, reason=reason,
                                      details=details, event_fields=event_fields)
            if rec is not obj:
                setattr(obj, self.field, after)
                for k, v in (fields or {}).items():
                    setattr(obj, k, v)
        return rec, event

    def record(self, obj, name: str, *, actor=None, from_status: str = "", to_status: str | None = None,
               reason: str = "", details: dict | None = None, event_fields: dict | None = None):
        """Write an event row without moving: the record's creation (from "" to its first status) or a note
        on the current status. Returns the event (None when the machine keeps no events)."""
        self.action(name)  # a known action
        return self._write_event(obj, name, actor=actor, before=from_status,
                                 after=to_status if to_status is not None else self.status_of(obj),
                                 reason=(reason or "").strip(), details=details, event_fields=event_fields)

    def event(self, obj, name: str, *, actor=None, from_status: str = "", to_status: str | None = None,
              reason: str = "", details: dict | None = None, event_fields: dict | None = None):
        """The event row `record()` would write, unsaved, for loaders that write many rows with bulk_create
        (None when the machine keeps no events)."""
        self.action(name)  # a known action
        return self._event_row(obj, name, actor=actor, before=from_status,
                               after=to_status if to_status is not None else self.status_of(obj),
                               reason=(reason or "").strip(), details=details, event_fields=event_fields)

    def _event_row(self, rec, name, *, actor, before, after, reason, details, event_fields):
        if self.event_model is None:
            return None
        return self.event_model(
            **{self.event_fk: rec}, **(event_fields or {}),
            actor=actor if getattr(actor, "is_authenticated", False) else None,
            action=name, from_status=before or "", to_status=after, reason=(reason or "")[:REASON_MAX],
            details=details or {})

    def _write_event(self, rec, name, *, actor, before, after, reason, details, event_fields):
        event = self._event_row(rec, name, actor=actor, before=before, after=after, reason=reason,
                                details=details, event_fields=event_fields)
        if event is not None:
            event.save(force_insert=True)
        return event

    def buttons(self, obj, user) -> list[dict]:
        """allowed_actions as plain dicts for templates and API answers: name, label, style, reason_required
        (without the actions marked button=False, which the page shows elsewhere)."""
        return [{"name": a.name, "label": a.label, "style": a.style, "reason_required": a.reason_required}
                for a in self.allowed_actions(obj, user) if a.button]
