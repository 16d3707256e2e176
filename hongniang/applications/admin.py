from django.contrib import admin

from .models import Application, ApplicationEvent


class ApplicationEventInline(admin.TabularInline):
    model = ApplicationEvent
    extra = 0
    can_delete = False
    readonly_fields = ("at", "actor", "from_status", "to_status", "reason")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ("id", "seeker", "posting", "status", "channel", "created_at")
    list_filter = ("status", "channel")
    search_fields = ("seeker__name", "posting__title")
    raw_id_fields = ("seeker", "posting", "created_by")
    readonly_fields = ("status", "created_at", "updated_at")
    list_select_related = ("seeker", "posting")
    inlines = [ApplicationEventInline]


@admin.register(ApplicationEvent)
class ApplicationEventAdmin(admin.ModelAdmin):
    list_display = ("application", "at", "actor", "from_status", "to_status", "reason")
    list_filter = ("to_status",)
    raw_id_fields = ("application", "actor")
    readonly_fields = ("at",)
