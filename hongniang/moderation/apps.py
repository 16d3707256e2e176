from django.apps import AppConfig


class ModerationConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "hongniang.moderation"
    verbose_name = "内容审核与举报"
