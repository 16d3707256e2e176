from django.contrib import admin

from .models import (
    Handover,
    OutsourcingOrder,
    PieceRecord,
    Share,
    WageArrearsAlert,
    WageLine,
    Workshop,
    WorkshopWorker,
)


@admin.register(Workshop)
class WorkshopAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "township", "stations", "status")
    list_filter = ("kind", "status")
    search_fields = ("name", "owner_phone")
    raw_id_fields = ("owner_user", "owner_enterprise", "region", "township", "service_point", "registered_by")


@admin.register(WorkshopWorker)
class WorkshopWorkerAdmin(admin.ModelAdmin):
    list_display = ("masked_name", "masked_phone", "workshop", "active")
    search_fields = ("phone",)
    raw_id_fields = ("workshop", "user", "home_region")


@admin.register(OutsourcingOrder)
class OutsourcingOrderAdmin(admin.ModelAdmin):
    list_display = ("product", "process", "enterprise", "quantity", "piece_rate", "fair_minimum_rate", "deadline",
                    "status", "needs_trial")
    list_filter = ("status", "needs_trial")
    raw_id_fields = ("enterprise", "occupation", "region", "created_by")
    readonly_fields = ("fair_minimum_rate",)


@admin.register(Share)
class ShareAdmin(admin.ModelAdmin):
    list_display = ("order", "workshop", "offered_quantity", "quantity", "status")
    list_filter = ("status",)
    raw_id_fields = ("order", "workshop")
    readonly_fields = ("status",)


@admin.register(Handover)
class HandoverAdmin(admin.ModelAdmin):
    list_display = ("share", "kind", "quantity", "date", "handed_by", "reason")
    raw_id_fields = ("share", "order", "recorded_by")


@admin.register(PieceRecord)
class PieceRecordAdmin(admin.ModelAdmin):
    list_display = ("share", "worker", "day", "pieces", "hours")
    raw_id_fields = ("share", "worker", "recorded_by")


@admin.register(WageLine)
class WageLineAdmin(admin.ModelAdmin):
    list_display = ("share", "worker", "pieces", "amount", "due_date", "status")
    list_filter = ("status",)
    raw_id_fields = ("share", "worker")
    readonly_fields = ("status",)


@admin.register(WageArrearsAlert)
class WageArrearsAlertAdmin(admin.ModelAdmin):
    list_display = ("wage", "workshop", "raised_at", "reason", "resolved_at")
    raw_id_fields = ("wage", "workshop", "order", "resolved_by")
