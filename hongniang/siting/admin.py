from django.contrib import admin

from .models import OpenedSite, Scenario, ScenarioEvent


class ScenarioEventInline(admin.TabularInline):
    model = ScenarioEvent
    extra = 0
    readonly_fields = ("at", "actor", "action", "from_status", "to_status", "reason")
    can_delete = False


@admin.register(Scenario)
class ScenarioAdmin(admin.ModelAdmin):
    list_display = ("title", "enterprise", "status", "by_enterprise", "created_by", "created_at", "is_demo")
    list_filter = ("status", "by_enterprise", "is_demo")
    search_fields = ("title", "enterprise__name")
    readonly_fields = ("status",)
    inlines = [ScenarioEventInline]


@admin.register(OpenedSite)
class OpenedSiteAdmin(admin.ModelAdmin):
    list_display = ("name", "enterprise", "kind", "opened_on", "predicted_3m", "predicted_6m", "predicted_12m", "is_demo")
    list_filter = ("kind", "is_demo")
    search_fields = ("name", "enterprise__name")
    raw_id_fields = ("enterprise", "region", "scenario", "postings")
