import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True
    dependencies = [("jobs", "0001_initial")]
    operations = [
        migrations.CreateModel(
            name="PostingSearchEntry",
            fields=[
                ("posting", models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True,
                                                 related_name="search_entry", serialize=False, to="jobs.jobposting")),
                ("tokens", models.TextField()),
                ("updated_at", models.DateTimeField(auto_now=True)),
            ],
        ),
    ]
