from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .models import ApiToken, AuditEvent, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "display_name", "phone", "is_bureau", "is_staff", "is_active", "date_joined")
    list_filter = ("is_bureau", "is_staff", "is_superuser", "is_active")
    search_fields = ("username", "display_name", "phone", "email")
    fieldsets = (*BaseUserAdmin.fieldsets, (_("红娘"), {"fields": ("phone", "display_name", "is_bureau")}))
    add_fieldsets = (*BaseUserAdmin.add_fieldsets, (_("红娘"), {"fields": ("phone", "display_name", "is_bureau")}))


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("at", "actor", "action", "target_type", "target_id", "reason")
    list_filter = ("action", "target_type")
    search_fields = ("action", "target_id", "actor__username", "reason")
    raw_id_fields = ("actor",)
    date_hierarchy = "at"
    readonly_fields = ("at", "actor", "action", "target_type", "target_id", "reason", "detail")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are shown once, when made (only a hash is kept); revoke by deleting."""

    list_display = ("user", "name", "prefix", "created_at", "expires_at")
    search_fields = ("user__username", "name", "prefix")
    raw_id_fields = ("user",)
    fields = ("user", "name", "expires_at", "prefix", "created_at")
    readonly_fields = ("prefix", "created_at")

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change and obj.key:
            messages.warning(request, gettext("新令牌（只显示这一次，请立即复制保存）：%(key)s") % {"key": obj.key})
