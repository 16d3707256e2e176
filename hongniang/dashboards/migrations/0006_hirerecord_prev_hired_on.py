from django.db import migrations, models


def link_people(apps, schema_editor):
    """Each hire record's previous app hire of the same person (hirestats.link_people at the time of writing): one
    UPDATE over the hire records (200,000 at a prefecture: seconds), written here so later changes to the
    function do not change this migration."""
    conn = schema_editor.connection
    table = conn.ops.quote_name(apps.get_model("dashboards", "HireRecord")._meta.db_table)
    differs = "IS DISTINCT FROM" if conn.vendor == "postgresql" else "IS NOT"
    with conn.cursor() as cur:
        cur.execute(f"""
            UPDATE {table} AS h SET prev_hired_on = x.prev
            FROM (SELECT id, LAG(hired_on) OVER (PARTITION BY person_id ORDER BY hired_on, id) AS prev
                  FROM {table} WHERE source = %s) AS x
            WHERE h.id = x.id AND h.prev_hired_on {differs} x.prev""", ["app"])


class Migration(migrations.Migration):

    dependencies = [
        ('dashboards', '0005_fact_metric_day'),
    ]

    operations = [
        migrations.AddField(
            model_name='hirerecord',
            name='prev_hired_on',
            field=models.DateField(blank=True, null=True, verbose_name='本人上一次录用日期'),
        ),
        migrations.RunPython(link_people, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name='hirerecord',
            index=models.Index(condition=models.Q(('prev_hired_on__isnull', False)), fields=['prev_hired_on', 'hired_on'], name='hire_repeat_day'),
        ),
    ]
