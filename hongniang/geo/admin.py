from django.contrib import admin

from .models import Region, ServicePoint, StaffMembership


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "subkind", "parent", "lat", "lon", "approximate")
    list_filter = ("kind", "subkind", "approximate")
    search_fields = ("code", "name", "short_name")
    autocomplete_fields = ("parent",)
    list_select_related = ("parent",)


class StaffInline(admin.TabularInline):
    model = StaffMembership
    extra = 0
    raw_id_fields = ("user",)


@admin.register(ServicePoint)
class ServicePointAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "region", "phone", "contact_name", "is_demo")
    list_filter = ("kind", "is_demo")
    search_fields = ("name", "address", "region__name")
    autocomplete_fields = ("region",)
    list_select_related = ("region",)
    inlines = [StaffInline]


@admin.register(StaffMembership)
class StaffMembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "service_point", "title", "created_at")
    list_filter = ("service_point__kind",)
    search_fields = ("user__username", "user__display_name", "service_point__name")
    raw_id_fields = ("user",)
    autocomplete_fields = ("service_point",)
    list_select_related = ("user", "service_point")
