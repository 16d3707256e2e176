"""A seeker's own data (PIPL): the export gathers what every app holds about them; account deletion asks every
app to erase its part, in one transaction.

    delete_account: password check (seekers) → open applications withdrawn, notes cleared (applications) →
                    personal data erased (seekers) → inbox deleted, SMS texts blanked (notifications) →
                    tokens deleted, login closed (core) → one audit row.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from hongniang.applications.services import applications_close_for_account_deletion, applications_export
from hongniang.core.audit import audit
from hongniang.core.services import user_deactivate
from hongniang.notifications.models import Notification
from hongniang.notifications.services import notifications_erase
from hongniang.seekers.models import Seeker
from hongniang.seekers.services import (
    DELETED_NAME,
    account_check_password,
    seeker_erase,
    seeker_export_profile,
)


def export_my_data(*, actor, seeker: Seeker) -> dict:
    """Everything we hold about the seeker, for the seeker: profile (ID number in full), consents,
    applications with their history, inbox messages. The export is audited."""
    own = seeker_export_profile(actor=actor, seeker=seeker)
    applications, application_consents = applications_export(seeker=seeker)

    def iso(v):
        return v.isoformat() if v else None

    data = {
        "exported_at": timezone.now().isoformat(),
        "profile": own["profile"],
        "consents": [own["consent"], *application_consents],
        "applications": applications,
        "notifications": [{"at": iso(n.created_at), "title": n.title, "body": n.body, "read_at": iso(n.read_at)}
                          for n in Notification.objects.filter(recipient_id=seeker.user_id).order_by("created_at")],
    }
    audit(actor=actor, action="seeker.export", target=seeker, reason="本人下载个人数据")
    return data


def delete_account(*, user, password: str) -> None:
    """The seeker deletes their account, confirmed by their password. Personal data is erased; the login is
    closed; inbox messages and API tokens are deleted; open applications are withdrawn. Applications stay
    (anonymised) for statistics; gender, birth year and home village stay as statistics."""
    account_check_password(user=user, password=password)
    with transaction.atomic():
        seeker = Seeker.objects.select_for_update().filter(user=user).first()
        phones = [user.phone]
        if seeker is not None:
            applications_close_for_account_deletion(seeker=seeker)
            phones.append(seeker_erase(seeker=seeker))
        notifications_erase(user=user, phones=phones)
        user_deactivate(user=user, display_name=DELETED_NAME)
        audit(actor=user, action="account.delete", target=user, reason="本人注销账号",
              seeker=seeker.pk if seeker is not None else None)
