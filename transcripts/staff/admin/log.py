"""The admin's own log (uploads, corrections, restores, merges, edits), read-only.

Django writes a LogEntry for every add, change and delete made through the admin; the
upload, restore and merge views write theirs with log_addition/log_change. Only users
with the view_logentry permission (superusers) see this list; everyone sees their
"Recent actions" and each object's History page."""

from django.contrib import admin
from django.contrib.admin.models import LogEntry


@admin.register(LogEntry)
class LogEntryAdmin(admin.ModelAdmin):
    list_display = ("action_time", "user", "content_type", "object_repr", "action_flag", "change_message")
    list_filter = ("action_flag", "content_type", "user")
    search_fields = ("object_repr", "change_message")
    date_hierarchy = "action_time"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
