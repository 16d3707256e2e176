from django.contrib import admin

from .models import Booth, BoothBar, Bus, Event, Intention, Registration


class BusInline(admin.TabularInline):
    model = Bus
    extra = 0


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "starts_at", "status", "organiser_point", "capacity", "is_demo")
    list_filter = ("kind", "status", "is_demo")
    search_fields = ("title", "venue")
    inlines = [BusInline]
    raw_id_fields = ("service_point", "host_enterprise", "organiser_point", "township", "created_by")
    readonly_fields = ("status",)  # status moves only through the state machine (pages / services)


@admin.register(Booth)
class BoothAdmin(admin.ModelAdmin):
    list_display = ("event", "number", "enterprise", "status", "cancelled_late")
    list_filter = ("status",)
    raw_id_fields = ("event", "enterprise", "requested_by")
    readonly_fields = ("status",)


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ("event", "code", "status", "channel", "created_at")
    list_filter = ("status", "channel")
    raw_id_fields = ("event", "seeker", "bus", "created_by", "checked_in_by", "followup_by")
    readonly_fields = ("status", "code")


@admin.register(Intention)
class IntentionAdmin(admin.ModelAdmin):
    list_display = ("event", "booth", "posting", "status", "outcome_30d")
    list_filter = ("status", "outcome_30d")
    raw_id_fields = ("event", "registration", "booth", "posting", "enterprise_by", "application")
    readonly_fields = ("status",)


admin.site.register(BoothBar)
