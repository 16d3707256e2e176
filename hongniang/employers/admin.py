from django.contrib import admin

from .models import Enterprise, EnterpriseMembership, VerificationEvent, VerificationRequest


class MembershipInline(admin.TabularInline):
    model = EnterpriseMembership
    extra = 0
    raw_id_fields = ("user",)


@admin.register(Enterprise)
class EnterpriseAdmin(admin.ModelAdmin):
    list_display = ("name", "credit_code", "industry", "region", "verification_status", "verified_at",
                    "verified_until", "is_demo",
                    "created_at")
    list_filter = ("verification_status", "is_demo")
    search_fields = ("name", "credit_code", "contact_name", "contact_phone")
    autocomplete_fields = ("industry", "region")
    list_select_related = ("industry", "region")
    inlines = [MembershipInline]


@admin.register(EnterpriseMembership)
class EnterpriseMembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "enterprise", "created_at")
    search_fields = ("user__username", "user__display_name", "enterprise__name", "enterprise__credit_code")
    raw_id_fields = ("user",)
    autocomplete_fields = ("enterprise",)
    list_select_related = ("user", "enterprise")


@admin.register(VerificationRequest)
class VerificationRequestAdmin(admin.ModelAdmin):
    """Decisions go through the bureau's review page (/moderation/verifications/), which writes the events."""

    list_display = ("enterprise", "credit_code", "status", "submitted_at", "reviewer", "decided_at")
    list_filter = ("status",)
    search_fields = ("enterprise__name", "credit_code")
    list_select_related = ("enterprise", "reviewer")
    readonly_fields = [f.name for f in VerificationRequest._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(VerificationEvent)
class VerificationEventAdmin(admin.ModelAdmin):
    list_display = ("enterprise", "at", "action", "from_status", "to_status", "actor", "reason")
    list_filter = ("action", "to_status")
    search_fields = ("enterprise__name",)
    list_select_related = ("enterprise", "actor")
    readonly_fields = [f.name for f in VerificationEvent._meta.fields]

    def has_add_permission(self, request):
        return False
