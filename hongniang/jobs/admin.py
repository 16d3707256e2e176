from django.contrib import admin

from .models import JobPosting, PostingEvent


class PostingEventInline(admin.TabularInline):
    model = PostingEvent
    extra = 0
    can_delete = False
    readonly_fields = ("at", "actor", "action", "from_status", "to_status", "reason", "details")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(JobPosting)
class JobPostingAdmin(admin.ModelAdmin):
    list_display = ("title", "enterprise", "township", "pay_type", "pay_min", "pay_max", "monthly_min", "monthly_max",
                    "headcount", "shift", "status", "published_at")
    list_filter = ("status", "pay_type", "shift", "board", "lodging", "shuttle", "social_insurance", "is_demo")
    search_fields = ("title", "enterprise__name", "description")
    autocomplete_fields = ("enterprise", "occupation", "region")
    list_select_related = ("enterprise", "township")
    readonly_fields = ("township", "created_at", "updated_at", "check_flags", "duplicate_ids", "submitted_at",
                       "expiry_warned_at")
    date_hierarchy = "published_at"
    inlines = [PostingEventInline]

    def save_model(self, request, obj, form, change):
        # township follows the region (a village's township is its parent); pages and API go through services
        obj.township = obj.region.township or obj.region
        super().save_model(request, obj, form, change)
