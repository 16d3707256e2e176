"""Every outbox row gets its own idempotency key (existing rows one each, then unique)."""

import uuid

from django.db import migrations, models


def fill_keys(apps, schema_editor):
    SmsMessage = apps.get_model("notifications", "SmsMessage")
    for pk in SmsMessage.objects.values_list("pk", flat=True).iterator():
        SmsMessage.objects.filter(pk=pk).update(idempotency_key=uuid.uuid4())


class Migration(migrations.Migration):

    dependencies = [("notifications", "0002_phonecode")]

    operations = [
        migrations.AddField(model_name="smsmessage", name="idempotency_key",
                            field=models.UUIDField(null=True, editable=False, verbose_name="幂等键")),
        migrations.RunPython(fill_keys, migrations.RunPython.noop),
        migrations.AlterField(model_name="smsmessage", name="idempotency_key",
                              field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True,
                                                     verbose_name="幂等键")),
    ]
