"""API tokens stored as hashes, with an expiry (issue 13 item 10). Existing tokens keep working: each key is
hashed in place (clients send the same key) and given API_TOKEN_DAYS (90) from now; then the plain key column
goes."""

import datetime as dt
import hashlib

from django.db import migrations, models
from django.utils import timezone


def hash_existing(apps, schema_editor):
    ApiToken = apps.get_model("core", "ApiToken")
    expires = timezone.now() + dt.timedelta(days=90)
    for row in ApiToken.objects.all().only("pk", "key"):
        ApiToken.objects.filter(pk=row.pk).update(
            key_hash=hashlib.sha256(row.key.encode()).hexdigest(), prefix=row.key[:8], expires_at=expires)


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0003_rateevent"),
    ]

    operations = [
        migrations.AddField(
            model_name="apitoken", name="key_hash",
            field=models.CharField(editable=False, max_length=64, null=True),
        ),
        migrations.AddField(
            model_name="apitoken", name="prefix",
            field=models.CharField(editable=False, help_text="用于辨认，不能用来登录", max_length=8, default="",
                                   verbose_name="令牌开头"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="apitoken", name="expires_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="到期时间"),
        ),
        migrations.RunPython(hash_existing, migrations.RunPython.noop),
        migrations.RemoveField(model_name="apitoken", name="key"),
        migrations.AlterField(
            model_name="apitoken", name="key_hash",
            field=models.CharField(editable=False, max_length=64, unique=True),
        ),
    ]
