from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('dashboards', '0004_hirestat'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='fact',
            index=models.Index(fields=['grain', 'metric', 'period', 'day'], name='fact_metric_day'),
        ),
    ]
