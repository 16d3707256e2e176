"""Keep the logged-in visitor's kept entry honest (hongniang.core.viewer): a write to what it holds bumps the
user's generation, in the writer's transaction.

    post_save / post_delete of    User (the user), Seeker (its user), EnterpriseMembership and StaffMembership
                                  (their user), Notification (its recipient: the unread count)

Bulk updates that bypass these signals bump it themselves (notifications.services.notification_mark_read)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models.signals import post_delete, post_save

from hongniang.core import viewer
from hongniang.employers.models import EnterpriseMembership
from hongniang.geo.models import StaffMembership
from hongniang.notifications.models import Notification
from hongniang.seekers.models import Seeker

#: model -> the attribute naming the user whose kept entry it is part of
OWNERS = {Seeker: "user_id", EnterpriseMembership: "user_id", StaffMembership: "user_id",
          Notification: "recipient_id"}


def _user_changed(sender, instance, **kwargs) -> None:
    viewer.bump_user(instance.pk)


def _part_changed(sender, instance, **kwargs) -> None:
    viewer.bump_user(getattr(instance, OWNERS[sender]))


def connect() -> None:
    user = get_user_model()
    post_save.connect(_user_changed, sender=user, dispatch_uid="viewer.user.save")
    post_delete.connect(_user_changed, sender=user, dispatch_uid="viewer.user.delete")
    for model in OWNERS:
        uid = f"viewer.{model._meta.label}"
        post_save.connect(_part_changed, sender=model, dispatch_uid=uid + ".save")
        post_delete.connect(_part_changed, sender=model, dispatch_uid=uid + ".delete")
