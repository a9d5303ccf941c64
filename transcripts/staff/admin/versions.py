"""An event's versions (EventRevision rows: one per import, edit, merge or restore), the
restore of an earlier one, and the staff-only preview of a draft."""

from __future__ import annotations

import re

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.html import format_html

from transcripts.models import Event, EventRevision
from transcripts.operations.imports import restore_revision
from transcripts.plan import field_changes
from transcripts.reader.views.event_page import fetch_rows, render_event_page
from transcripts.snapshots import EventSnapshot, SnapshotError
from transcripts.turn_rows import diff_summary, diff_turns

MAIN_TAG = re.compile(r"<main\b[^>]*>")


class VersionViews:
    """Mixed into EventAdmin: versions, restore, draft preview."""

    version_routes = [
        ("<int:pk>/versions/", "versions_view", "transcripts_event_versions"),
        ("<int:pk>/versions/<int:number>/", "version_view", "transcripts_event_version"),
        ("<int:pk>/preview/", "draft_preview_view", "transcripts_event_preview"),
    ]

    def public_or_preview_url(self, event: Event) -> str:
        """Where staff see the event as readers will: the public page, or the staff preview of a draft."""
        if event.is_published:
            return event.get_absolute_url()
        return reverse("admin:transcripts_event_preview", args=[event.pk])

    def view_on_site(self, obj):
        return self.public_or_preview_url(obj)

    def _event_for(self, request, pk) -> Event:
        event = get_object_or_404(Event, pk=pk)
        if not self.has_view_permission(request, event):
            raise PermissionDenied
        return event

    def versions_view(self, request, pk):
        event = self._event_for(request, pk)
        revisions = list(event.revisions.select_related("created_by").order_by("-number"))
        for revision in revisions:
            try:
                snapshot = EventSnapshot.from_json(revision.snapshot)
            except SnapshotError:  # shown as unreadable; its own page says why
                revision.turn_count = revision.speaker_count = "?"
                continue
            revision.turn_count, revision.speaker_count = len(snapshot.turns), len(snapshot.participants)
        return TemplateResponse(
            request,
            "admin/transcripts/event/versions.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "original": event,
                "title": f"Versions of “{event}”",
                "revisions": revisions,
                "can_restore": self.has_change_permission(request, event),
            },
        )

    def version_view(self, request, pk, number):
        """One version, what restoring it would change, and (POST) the restore itself."""
        event = self._event_for(request, pk)
        revision = get_object_or_404(EventRevision, event=event, number=number)
        try:
            snapshot = EventSnapshot.from_json(revision.snapshot)
        except SnapshotError as error:
            messages.error(request, f"Version {number} cannot be read ({error}); it cannot be shown or restored.")
            return redirect("admin:transcripts_event_versions", pk=event.pk)
        if request.method == "POST":
            if not self.has_change_permission(request, event):
                raise PermissionDenied
            diff = restore_revision(revision, user=request.user)
            self.log_change(request, event, f"Restored version {number}: {diff_summary(diff)}.")
            messages.success(
                request, f"Restored version {number} of “{event}” ({diff_summary(diff)}); it is kept as a new version."
            )
            return redirect("admin:transcripts_event_versions", pk=event.pk)
        current = EventSnapshot.from_event(event)
        return TemplateResponse(
            request,
            "admin/transcripts/event/version.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "original": event,
                "title": f"Version {number} of “{event}”",
                "revision": revision,
                "diff": diff_turns(current, snapshot),
                "field_changes": field_changes(current.event, snapshot.event),
                "is_latest": number == event.revisions.order_by("-number").values_list("number", flat=True).first(),
                "can_restore": self.has_change_permission(request, event),
            },
        )

    def draft_preview_view(self, request, pk):
        """The event as its public page will show it, drafts included; staff only, never cached or indexed."""
        event = self._event_for(request, pk)
        appearances, turns = fetch_rows(event)
        change_url = reverse("admin:transcripts_event_change", args=[event.pk])
        response = render_event_page(
            request,
            event,
            appearances=appearances,
            turns=turns,
            extra={"staff_preview": True, "admin_change_url": change_url},
        )
        if response.get("Content-Type", "").startswith("text/html"):
            # The reader template has no slot for this notice, so it goes in at the top of <main>.
            banner = format_html(
                '<div class="notice staff-preview" role="status"><p><strong>Staff preview.</strong> '
                "This event is {}{}. "
                '<a href="{}">Back to the admin</a></p></div>',
                event.get_status_display().lower(),
                "" if event.is_published else " and not visible to readers",
                change_url,
            )
            response.content = MAIN_TAG.sub(lambda m: m.group(0) + banner, response.content.decode(), count=1)
        response["X-Robots-Tag"] = "noindex, nofollow"
        add_never_cache_headers(response)
        return response
