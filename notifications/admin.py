from django.contrib import admin

from notifications.models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("kind", "person", "created_at", "sent_at")
    list_filter = ("kind",)
    raw_id_fields = ("person",)
