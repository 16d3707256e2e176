from django.contrib import admin

from .models import Industry, Occupation


@admin.register(Occupation)
class OccupationAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level", "common", "common_label", "parent")
    list_filter = ("level", "common")
    search_fields = ("code", "name", "common_label")
    list_editable = ("common", "common_label")
    autocomplete_fields = ("parent",)
    list_select_related = ("parent",)


@admin.register(Industry)
class IndustryAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level", "parent")
    list_filter = ("level",)
    search_fields = ("code", "name")
    autocomplete_fields = ("parent",)
    list_select_related = ("parent",)
