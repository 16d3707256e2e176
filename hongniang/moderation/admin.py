from django.contrib import admin

from .models import PostingReport


@admin.register(PostingReport)
class PostingReportAdmin(admin.ModelAdmin):
    list_display = ("posting", "reason", "status", "created_at", "resolved_by", "resolved_at")
    list_filter = ("status", "reason")
    search_fields = ("posting__title", "posting__enterprise__name", "text")
    raw_id_fields = ("posting", "reporter", "resolved_by")
    readonly_fields = ("reporter_key", "ip_hash", "created_at")
    list_select_related = ("posting", "resolved_by")
