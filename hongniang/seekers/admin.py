from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import Seeker


@admin.register(Seeker)
class SeekerAdmin(admin.ModelAdmin):
    """Masked ID number only: the decrypted number never appears in admin (use the audited staff page)."""

    list_display = ("name", "id_number_masked", "masked_phone", "home_region", "service_point", "is_active",
                    "created_at")
    list_filter = ("is_active", "service_point", "consent_channel", "is_demo")
    search_fields = ("name", "phone")
    readonly_fields = ("id_number_masked", "consent_at", "consent_channel", "consent_witness", "registered_by",
                       "created_at", "updated_at")
    exclude = ("id_number_encrypted", "id_number_hash")
    raw_id_fields = ("user", "home_region")
    list_select_related = ("home_region", "service_point")

    @admin.display(description=_("手机号码"))
    def masked_phone(self, obj):
        return obj.masked_phone
