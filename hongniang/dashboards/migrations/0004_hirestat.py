# Hire records pre-summed per day and month (hongniang.dashboards.hirestats); filled by the next aggregation run
# (until then the county's figures count the records, as before)

from django.db import migrations, models


def measure(label):
    return models.BigIntegerField(default=0, verbose_name=label)


class Migration(migrations.Migration):

    dependencies = [
        ('dashboards', '0003_snapshot'),
    ]

    operations = [
        migrations.CreateModel(
            name='HireStat',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('period', models.CharField(choices=[('d', '日'), ('m', '月（按日汇总）')], default='d', max_length=1)),
                ('day', models.DateField(verbose_name='日期（月：当月 1 日）')),
                ('anchor', models.CharField(max_length=1)),
                ('grain', models.CharField(max_length=4)),
                ('township', models.CharField(blank=True, max_length=12)),
                ('point_id', models.IntegerField(default=0)),
                ('key', models.CharField(blank=True, max_length=20, verbose_name='渠道 / 职业 / 录用周期天数')),
                ('n', measure('记录数')),
                ('app', measure('岗位录用')),
                ('gig', measure('零工完工')),
                ('verified', measure('已核实录用')),
                ('gig_confirmed', measure('零工工人确认收款')),
                ('gig_r30', measure('零工 30 天已知')),
                ('gig_w30', measure('零工 30 天内再次上工')),
                ('r7', measure('7 天已回访')),
                ('w7', measure('7 天仍在岗')),
                ('r30', measure('30 天已回访')),
                ('w30', measure('30 天仍在岗')),
                ('r90', measure('90 天已回访')),
                ('w90', measure('90 天仍在岗')),
                ('promised', measure('承诺月收入下限合计')),
                ('actual', measure('首月实发合计')),
                ('below', measure('低于承诺')),
                ('confirmed', measure('回访确认按约定发放')),
            ],
            options={
                'verbose_name': '录用汇总',
                'verbose_name_plural': '录用汇总',
                'indexes': [models.Index(fields=['anchor', 'period', 'day'], name='hire_stat_day')],
                'constraints': [models.UniqueConstraint(fields=('period', 'day', 'anchor', 'grain', 'township', 'point_id', 'key'), name='uniq_hire_stat_cell')],
            },
        ),
        migrations.AddIndex(
            model_name='hirerecord',
            index=models.Index(fields=['verified_on'], name='hire_verified_day'),
        ),
        migrations.AddIndex(
            model_name='hirerecord',
            index=models.Index(fields=['confirmed_on'], name='hire_confirmed_day'),
        ),
        migrations.AddIndex(
            model_name='hirerecord',
            index=models.Index(fields=['f7_on'], name='hire_f7_day'),
        ),
        migrations.AddIndex(
            model_name='hirerecord',
            index=models.Index(fields=['f30_on'], name='hire_f30_day'),
        ),
        migrations.AddIndex(
            model_name='hirerecord',
            index=models.Index(fields=['f90_on'], name='hire_f90_day'),
        ),
        migrations.AddIndex(
            model_name='hirerecord',
            index=models.Index(fields=['paid_ok_on'], name='hire_paid_ok_day'),
        ),
    ]
