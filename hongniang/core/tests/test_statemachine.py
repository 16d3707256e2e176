"""The state-machine kit itself, on a made-up ticket model whose tables exist only for these tests."""

from __future__ import annotations

import importlib
import importlib.util
import re

import pytest
from django.apps import apps
from django.db import connection, models
from django.utils import translation

from hongniang.core.errors import Conflict, InvalidInput, PermissionDeniedError
from hongniang.core.models import User
from hongniang.core.statemachine import (
    Action,
    InvalidTransition,
    StateMachine,
    TransitionEvent,
    machine_for,
)


class KitTicket(models.Model):
    status = models.CharField(max_length=16, choices=[("open", "处理中"), ("done", "已完成"), ("dropped", "已放弃")],
                              default="open")
    owner = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    note = models.CharField(max_length=50, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        app_label = "core"


class KitTicketEvent(TransitionEvent):
    ticket = models.ForeignKey(KitTicket, on_delete=models.CASCADE, related_name="events")

    ACTION_LABELS = {"finish": "完成"}

    class Meta(TransitionEvent.Meta):
        app_label = "core"


def _owner(user, ticket) -> bool:
    return ticket.owner_id == getattr(user, "pk", None)


TICKET = StateMachine(
    KitTicket, event_model=KitTicketEvent, event_fk="ticket", noun="工单", touch_fields=("updated_at",),
    actions=[
        Action("finish", sources={"open"}, target="done", label="完成", allowed=_owner, style="primary"),
        Action("drop", sources={"open", "done"}, target="dropped", label="放弃", reason_required=True,
               message="工单“%(status)s”不能改为“%(target)s”"),
        Action("note", sources={"open", "done"}, target=None, label="备注"),
        Action("remind", sources={"open"}, target=None, label="提醒", allowed=_owner, button=False),
    ],
)


@pytest.fixture
def tables(django_db_blocker):
    with django_db_blocker.unblock(), connection.schema_editor() as editor:
        editor.create_model(KitTicket)
        editor.create_model(KitTicketEvent)
    yield
    with django_db_blocker.unblock(), connection.schema_editor() as editor:
        editor.delete_model(KitTicketEvent)
        editor.delete_model(KitTicket)


pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def owner(tables):
    return User.objects.create_user(username="kit_owner", password="x")


@pytest.fixture
def other(tables):
    return User.objects.create_user(username="kit_other", password="x")


def test_transition_moves_saves_and_writes_one_event(owner):
    t = KitTicket.objects.create(owner=owner)
    rec, ev = TICKET.transition(t, "finish", actor=owner, reason="  修好了 ", details={"n": 1})
    assert t.status == rec.status == "done"
    assert KitTicket.objects.get(pk=t.pk).status == "done"
    ev = KitTicketEvent.objects.get(ticket=t)
    assert (ev.action, ev.from_status, ev.to_status, ev.reason, ev.details, ev.actor) == \
        ("finish", "open", "done", "修好了", {"n": 1}, owner)
    assert ev.action_label == "完成"


def test_a_status_outside_the_table_is_refused_and_nothing_is_written(owner):
    t = KitTicket.objects.create(owner=owner, status="dropped")
    with pytest.raises(InvalidTransition) as exc:
        TICKET.transition(t, "finish", actor=owner)
    assert isinstance(exc.value, Conflict) and exc.value.code == "invalid_transition" and exc.value.status == 409
    assert exc.value.message == "该工单当前为“已放弃”，不能完成"
    assert KitTicket.objects.get(pk=t.pk).status == "dropped"
    assert not KitTicketEvent.objects.exists()


def test_an_action_message_names_the_status_and_the_target(owner):
    t = KitTicket.objects.create(owner=owner, status="dropped")
    with pytest.raises(InvalidTransition, match="工单“已放弃”不能改为“已放弃”"):
        TICKET.transition(t, "drop", actor=owner, reason="x")


#: a second machine on the kit ticket (machine_for still finds TICKET first), for the messages' placeholders
SENTENCES = StateMachine(
    KitTicket, event_model=None, event_fk="", noun="工单", field="status",
    actions=[
        Action("finish", sources={"open"}, target="done", label="完成"),
        Action("poke", sources={"open"}, target=None),
        Action("close", sources={"open"}, target="done", label="关闭",
               message="“%(action)s”只适用于处理中的%(noun)s，这张是“%(status)s”，不能改为“%(target)s”"),
    ],
)


def test_each_refusal_is_one_whole_sentence_with_named_placeholders():
    t = KitTicket(status="dropped")
    assert SENTENCES.error_for(t, "finish").message == "该工单当前为“已放弃”，不能完成"
    assert SENTENCES.error_for(t, "poke").message == "该工单当前为“已放弃”，不能进行此操作"  # no label
    assert SENTENCES.error_for(t, "close").message == "“关闭”只适用于处理中的工单，这张是“已放弃”，不能改为“已完成”"
    err = SENTENCES.error_for(t, "close")
    assert isinstance(err, InvalidTransition) and err.code == "invalid_transition" and err.status == 409


def _leftovers(text: str) -> list[str]:
    """What a filled message should no longer hold: a %(name)s or {name} placeholder, a stray brace."""
    return re.findall(r"%\(\w+\)s|[{}]", text)


def test_in_english_each_refusal_is_still_one_filled_string():
    """Under English (whether or not the catalogue has the sentence yet) a refusal is one plain string with
    every placeholder filled: the kit's default sentences, an action's own message, and every app machine's."""
    for app in apps.get_app_configs():  # the apps' machines.py register their machines when imported
        if app.name.startswith("hongniang.") and importlib.util.find_spec(f"{app.name}.machines"):
            importlib.import_module(f"{app.name}.machines")
    from hongniang.core.statemachine import _MACHINES

    t = KitTicket(status="dropped")
    with translation.override("en"):
        for name in ("finish", "poke", "close"):
            msg = SENTENCES.error_for(t, name).message
            assert isinstance(msg, str) and msg and not _leftovers(msg), (name, msg)
            assert "已放弃" in msg, msg  # the status label is in it (the kit's choices are not translated)
        checked = 0
        for machines in list(_MACHINES.values()):
            for machine in machines:
                if machine.model is KitTicket:
                    continue
                statuses = [value for value, _label in machine.model._meta.get_field(machine.field).flatchoices]
                for act in machine.actions:
                    outside = [s for s in statuses if s not in act.sources]
                    if not outside:
                        continue
                    obj = machine.model(**{machine.field: outside[0]})
                    msg = machine.error_for(obj, act.name).message
                    where = f"{machine.model.__name__}.{act.name}"
                    assert isinstance(msg, str) and msg, where
                    assert not _leftovers(msg), (where, msg)
                    checked += 1
        assert checked > 50


def test_the_check_uses_the_row_in_the_database_not_a_stale_copy(owner):
    t = KitTicket.objects.create(owner=owner)
    stale = KitTicket.objects.get(pk=t.pk)
    TICKET.transition(t, "finish", actor=owner)
    with pytest.raises(InvalidTransition):
        TICKET.transition(stale, "finish", actor=owner)  # the copy still says "open"
    assert KitTicketEvent.objects.count() == 1


def test_a_required_reason_is_asked_for(owner):
    t = KitTicket.objects.create(owner=owner)
    with pytest.raises(InvalidInput) as exc:
        TICKET.transition(t, "drop", actor=owner, reason="   ")
    assert exc.value.errors == {"reason": ["请填写原因"]}
    assert KitTicket.objects.get(pk=t.pk).status == "open"


def test_check_user_refuses_someone_the_action_does_not_allow(owner, other):
    t = KitTicket.objects.create(owner=owner)
    with pytest.raises(PermissionDeniedError):
        TICKET.transition(t, "finish", actor=other, check_user=True)
    assert KitTicket.objects.get(pk=t.pk).status == "open"
    TICKET.transition(t, "finish", actor=owner, check_user=True)
    assert KitTicket.objects.get(pk=t.pk).status == "done"


def test_an_action_without_target_keeps_the_status_and_logs(owner):
    t = KitTicket.objects.create(owner=owner)
    TICKET.transition(t, "note", actor=owner, reason="打过电话", fields={"note": "已联系"})
    t.refresh_from_db()
    assert (t.status, t.note) == ("open", "已联系")
    ev = KitTicketEvent.objects.get()
    assert (ev.from_status, ev.to_status, ev.action) == ("open", "open", "note")


def test_fields_and_touch_fields_are_saved_with_the_move(owner):
    t = KitTicket.objects.create(owner=owner)
    before = t.updated_at
    TICKET.transition(t, "finish", actor=owner, fields={"note": "完工"})
    fresh = KitTicket.objects.get(pk=t.pk)
    assert fresh.note == "完工" and t.note == "完工"
    assert fresh.updated_at > before


def test_an_anonymous_or_system_actor_is_stored_as_empty(tables):
    from django.contrib.auth.models import AnonymousUser

    t = KitTicket.objects.create()
    TICKET.transition(t, "drop", actor=AnonymousUser(), reason="无人处理")
    assert KitTicketEvent.objects.get().actor is None


def test_allowed_actions_and_buttons_follow_status_and_user(owner, other):
    t = KitTicket.objects.create(owner=owner)
    assert TICKET.allowed_names(t, owner) == ["finish", "drop", "note", "remind"]
    assert TICKET.allowed_names(t, other) == ["drop", "note"]
    assert TICKET.buttons(t, owner)[0] == {"name": "finish", "label": "完成", "style": "primary",
                                           "reason_required": False}
    # an action shown elsewhere on the page (button=False) is allowed but not among the record's buttons
    assert [b["name"] for b in TICKET.buttons(t, owner)] == ["finish", "drop", "note"]
    assert TICKET.can(t, "finish") and TICKET.can(t, "finish", owner) and not TICKET.can(t, "finish", other)
    t.status = "dropped"
    assert TICKET.allowed_names(t, owner) == []


def test_record_writes_a_creation_event_without_moving(owner):
    t = KitTicket.objects.create(owner=owner)
    ev = TICKET.record(t, "note", actor=owner, reason="新建")
    assert (ev.from_status, ev.to_status, ev.reason) == ("", "open", "新建")
    assert KitTicket.objects.get(pk=t.pk).status == "open"


def test_lock_false_moves_the_callers_copy(owner):
    t = KitTicket.objects.create(owner=owner)
    rec, _ev = TICKET.transition(t, "finish", actor=owner, lock=False)
    assert rec is t and KitTicket.objects.get(pk=t.pk).status == "done"


def test_questions_without_a_database(owner):
    assert machine_for(KitTicket) is TICKET and machine_for(KitTicket(), "status") is TICKET
    assert TICKET.statuses_with("drop") == ["open", "done"]
    with pytest.raises(ValueError):
        TICKET.action("fly")
    with pytest.raises(InvalidTransition, match="不能完成"):
        TICKET.check(KitTicket(status="done"), "finish")
    with pytest.raises(ValueError):
        StateMachine(KitTicket, event_model=None, event_fk="", field="note",
                     actions=[Action("a", sources={"x"}, target="y"), Action("a", sources={"y"}, target="x")])


def test_the_template_tag_gives_the_buttons(owner, other):
    from django.template import Context, Template

    t = KitTicket.objects.create(owner=owner)
    tpl = Template('{% load statemachine %}{% allowed_actions t u as acts %}'
                   '{% if "finish" in acts %}[完成]{% endif %}{% if "drop" in acts %}[放弃]{% endif %}')
    assert tpl.render(Context({"t": t, "u": owner})) == "[完成][放弃]"
    assert tpl.render(Context({"t": t, "u": other})) == "[放弃]"


def test_the_status_tag_asks_only_the_status(owner, other):
    from django.template import Context, Template

    t = KitTicket.objects.create(owner=owner)
    tpl = Template('{% load statemachine %}{% status_allows t "finish" as ok %}{% if ok %}yes{% else %}no{% endif %}')
    assert tpl.render(Context({"t": t})) == "yes"  # "finish" is the owner's, but the status allows it
    t.status = "done"
    assert tpl.render(Context({"t": t})) == "no"
    assert tpl.render(Context({"t": None})) == "no" and tpl.render(Context({})) == "no"
