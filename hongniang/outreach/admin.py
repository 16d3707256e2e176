from django.contrib import admin

from .models import CallLog, FollowUp, ImportBatch


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = ("created_at", "kind", "status", "filename", "service_point", "total_rows", "valid_rows",
                    "created_rows")
    list_filter = ("kind", "status")
    readonly_fields = ("kind", "status", "service_point", "enterprise", "created_by", "filename", "total_rows",
                       "valid_rows", "error_rows", "created_rows", "notes", "created_at", "finished_at")
    exclude = ("payload", "report")

    def has_add_permission(self, request):
        return False


@admin.register(CallLog)
class CallLogAdmin(admin.ModelAdmin):
    list_display = ("at", "posting", "seeker", "outcome", "staff", "service_point")
    list_filter = ("outcome",)
    raw_id_fields = ("posting", "seeker", "staff", "application")


@admin.register(FollowUp)
class FollowUpAdmin(admin.ModelAdmin):
    list_display = ("due_on", "day", "seeker", "enterprise", "service_point", "status", "still_working",
                    "paid_as_promised")
    list_filter = ("status", "day")
    raw_id_fields = ("application", "seeker", "enterprise", "done_by")
