from django.contrib import admin

from .models import ArrearsAlert, GigAssignment, GigEmployer, GigNotice, GigOrder, GigWorker, Rating


@admin.register(GigEmployer)
class GigEmployerAdmin(admin.ModelAdmin):
    list_display = ("name", "enterprise", "phone", "phone_verified_at", "late_cancel_count")
    search_fields = ("name", "phone")
    raw_id_fields = ("enterprise", "user", "verified_by")


@admin.register(GigWorker)
class GigWorkerAdmin(admin.ModelAdmin):
    list_display = ("masked_name", "masked_phone", "home_region", "completed_count", "no_show_count",
                    "late_cancel_count")
    search_fields = ("phone",)
    raw_id_fields = ("user", "seeker", "home_region", "registered_by")


class AssignmentInline(admin.TabularInline):
    model = GigAssignment
    extra = 0
    raw_id_fields = ("worker",)
    readonly_fields = ("status", "checked_in_at", "checked_out_at", "hours_worked", "pay_amount", "paid_at",
                       "worker_confirmed_at")


@admin.register(GigOrder)
class GigOrderAdmin(admin.ModelAdmin):
    """Read-mostly: state changes go through the services (pages / API), not the admin."""

    list_display = ("pk", "work_type", "date", "employer", "township", "headcount", "status")
    list_filter = ("status", "work_type", "township")
    date_hierarchy = "date"
    raw_id_fields = ("employer", "region", "township", "service_point", "posted_by")
    readonly_fields = ("status",)
    inlines = [AssignmentInline]


@admin.register(ArrearsAlert)
class ArrearsAlertAdmin(admin.ModelAdmin):
    list_display = ("pk", "employer", "order", "raised_at", "reason", "resolved_at")
    list_filter = ("resolved_at",)
    readonly_fields = ("assignment", "order", "employer", "raised_at", "reason", "resolved_at", "resolved_by",
                       "resolution")


admin.site.register(Rating)
admin.site.register(GigNotice)
