from django.db import migrations, models


class Migration(migrations.Migration):
    """PostingEvent becomes the kit's TransitionEvent: `detail` is renamed `details` (every row kept)."""

    dependencies = [("jobs", "0002_posting_review")]

    operations = [
        migrations.RenameField("postingevent", "detail", "details"),
        migrations.AlterField(
            model_name='postingevent',
            name='action',
            field=models.CharField(blank=True, max_length=32, verbose_name='操作'),
        ),
        migrations.AlterField(
            model_name='postingevent',
            name='from_status',
            field=models.CharField(blank=True, choices=[('draft', '草稿'), ('pending', '待审核'), ('published', '招聘中'), ('closed', '已关闭'), ('filled', '已招满'), ('expired', '已过期'), ('removed', '已下架')], max_length=24, verbose_name='原状态'),
        ),
        migrations.AlterField(
            model_name='postingevent',
            name='to_status',
            field=models.CharField(choices=[('draft', '草稿'), ('pending', '待审核'), ('published', '招聘中'), ('closed', '已关闭'), ('filled', '已招满'), ('expired', '已过期'), ('removed', '已下架')], max_length=24, verbose_name='新状态'),
        ),
    ]
