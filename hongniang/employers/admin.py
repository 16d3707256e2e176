from django.contrib import admin

from .models import Enterprise, EnterpriseMembership


class MembershipInline(admin.TabularInline):
    model = EnterpriseMembership
    extra = 0
    raw_id_fields = ("user",)


@admin.register(Enterprise)
class EnterpriseAdmin(admin.ModelAdmin):
    list_display = ("name", "credit_code", "industry", "region", "verification_status", "verified_at", "is_demo",
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
