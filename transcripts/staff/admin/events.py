"""The event admin: list, edit (appearances inline), publish, and the upload and version pages."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.db import models
from django.db.models import Count, Prefetch
from django.http import HttpResponseRedirect
from django.urls import path

from transcripts import event_fields
from transcripts.models import Appearance, Event, Role
from transcripts.operations.edits import create_event, delete_events, edit_event, set_status
from transcripts.staff.admin.captions import CaptionsViews
from transcripts.staff.admin.upload import UploadViews
from transcripts.staff.admin.versions import VersionViews
from transcripts.storage import StorageFailed

SPEAKERS_LISTED = 5
# Links typed without a scheme are https (Django 6's default; saying so silences 5.x's warning).
FORM_FIELDS = {
    models.URLField: {"assume_scheme": "https"},
    models.TextField: {"widget": forms.Textarea(attrs={"rows": 3, "cols": 60})},
}


class AppearanceInline(admin.TabularInline):
    model = Appearance
    extra = 0
    fields = ("order", "person", "role", "label", "title", "affiliation", "turn_count")
    readonly_fields = ("turn_count",)
    autocomplete_fields = ("person",)
    formfield_overrides = FORM_FIELDS

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("person").annotate(n_turns=Count("turns"))

    @admin.display(description="turns")
    def turn_count(self, obj):
        return getattr(obj, "n_turns", "—")


@admin.register(Event)
class EventAdmin(UploadViews, VersionViews, CaptionsViews, admin.ModelAdmin):
    list_display = ("title", "date", "status", "turn_count", "speakers")
    list_filter = ("status", "language", "topics")
    search_fields = ("title", "slug", "organiser")
    date_hierarchy = "date"
    ordering = ("-date", "-id")
    inlines = [AppearanceInline]
    filter_horizontal = ("topics",)
    readonly_fields = ("source_text", "created", "updated")
    actions = ["publish", "unpublish"]
    formfield_overrides = FORM_FIELDS

    class Media:
        css = {"all": ["admin-extra/verbatim-admin.css"]}  # the change page's layout fixes

    fieldsets = (
        (None, {"fields": ("title", "slug", "date", "status", "description")}),
        ("Source", {"fields": event_fields.names(admin_source=True)}),
        ("Topics", {"fields": ("topics",)}),
        ("Imported text", {"classes": ("collapse",), "fields": ("source_text", "created", "updated")}),
    )

    def get_urls(self):
        wrap = self.admin_site.admin_view
        own = [
            path(route, wrap(getattr(self, view)), name=name)
            for route, view, name in self.upload_routes + self.version_routes + self.captions_routes
        ]
        return own + super().get_urls()

    def get_queryset(self, request):
        speakers = Prefetch("appearances", queryset=Appearance.objects.select_related("person").order_by("order"))
        return super().get_queryset(request).annotate(n_turns=Count("turns", distinct=True)).prefetch_related(speakers)

    @admin.display(description="turns", ordering="n_turns")
    def turn_count(self, obj):
        return obj.n_turns

    @admin.display(description="speakers")
    def speakers(self, obj):
        names = [a.speaker_name for a in obj.appearances.all() if a.role not in (Role.QUESTIONER, Role.OPERATOR)]
        more = len(names) - SPEAKERS_LISTED
        return ", ".join(names[:SPEAKERS_LISTED]) + (f" and {more} more" if more > 0 else "")

    def changeform_view(self, request, *args, **kwargs):
        # The form's transaction has rolled back and the storage removed what it wrote;
        # say why (a full disk) on the same page instead of a 500.
        try:
            return super().changeform_view(request, *args, **kwargs)
        except StorageFailed as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def save_model(self, request, obj, form, change):
        if not change:  # a new event needs its row before its appearances are saved
            create_event(obj)
        # An edit is stored by edit_event in save_related, with the appearances, as one version.

    def save_related(self, request, form, formsets, change):
        # Even when nothing changed: saving the inlines (nothing, then) is what gives the
        # admin's history message its lists of added, changed and deleted rows.
        inline_changed = any(fs.has_changed() for fs in formsets)
        # The form has put its values on the instance; topics are only in cleaned_data.
        fields = {
            name: form.cleaned_data[name] if name == "topics" else getattr(form.instance, name)
            for name in form.changed_data
        }
        what = ", ".join(form.changed_data) or "appearances"

        def save_appearances():
            for formset in formsets:
                self.save_formset(request, form, formset, change=change)

        edit_event(
            form.instance,
            fields,
            user=request.user,
            note=f"Edited in the admin ({what})"[:300],
            related_changed=inline_changed or not change,
            save_related=save_appearances,
        )

    def delete_model(self, request, obj):
        delete_events([obj])

    def delete_queryset(self, request, queryset):
        delete_events(queryset)

    @admin.action(description="Publish the selected events", permissions=["change"])
    def publish(self, request, queryset):
        self._set_status(request, queryset, Event.Status.PUBLISHED)

    @admin.action(description="Unpublish the selected events (back to draft)", permissions=["change"])
    def unpublish(self, request, queryset):
        self._set_status(request, queryset, Event.Status.DRAFT)

    def _set_status(self, request, queryset, status):
        changed = set_status(queryset, status)
        for event in changed:
            self.log_change(request, event, f"Status set to {event.get_status_display().lower()}.")
        label = Event.Status(status).label.lower()
        messages.success(
            request, f"{len(changed)} event(s) now {label}; {queryset.count() - len(changed)} already were."
        )
