from django.contrib import admin

from .models import Notification, SmsMessage


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("created_at", "recipient", "title", "read_at")
    list_filter = ("template",)
    search_fields = ("title",)
    raw_id_fields = ("recipient",)
    readonly_fields = ("created_at",)


@admin.register(SmsMessage)
class SmsMessageAdmin(admin.ModelAdmin):
    """The outbox; phone numbers masked in the list."""

    list_display = ("created_at", "masked_phone", "template", "status", "attempts", "sent_at", "last_error")
    list_filter = ("status", "template")
    exclude = ("phone",)
    readonly_fields = ("masked_phone", "recipient", "template", "body", "status", "attempts", "last_error",
                       "created_at", "sent_at")

    def has_add_permission(self, request):
        return False
