"""Media and captions in the event admin: attach a captions file, time the turns from it,
and see how much of the transcript the alignment timed."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse

from transcripts.media.captions import (
    MAX_CAPTIONS_BYTES,
    CaptionsError,
    decode_captions,
)
from transcripts.media.embed import media_for
from transcripts.models import Event, Turn
from transcripts.operations.media import AlignmentError, align_event
from transcripts.storage import StorageFailed

CAPTIONS_SUFFIXES = (".vtt", ".srt")
UNTIMED_LISTED = 30


class CaptionsForm(forms.Form):
    captions = forms.FileField(
        required=False,
        label="Captions file",
        help_text="WebVTT (.vtt) or SubRip (.srt): a YouTube caption download, or a Zoom, Teams, Rev or Otter export.",
    )
    realign = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def clean_captions(self):
        upload = self.cleaned_data.get("captions")
        if upload is None:
            return None
        if not upload.name.lower().endswith(CAPTIONS_SUFFIXES):
            raise forms.ValidationError(f"“{upload.name}” is not a captions file: choose a .vtt or .srt file.")
        if upload.size > MAX_CAPTIONS_BYTES:
            raise forms.ValidationError(f"The file is larger than {MAX_CAPTIONS_BYTES // (1024 * 1024)} MB.")
        return upload

    def clean(self):
        data = super().clean()
        if not data.get("captions") and not data.get("realign") and not self.errors:
            raise forms.ValidationError("Choose a captions file (.vtt or .srt) to time the transcript from.")
        return data


def report_rows(report: dict) -> list[tuple[str, str]]:
    if not report:
        return []
    offset = report.get("median_offset_seconds")
    return [
        ("Turns timed", f"{report['turns_timed']} of {report['turns_total']} ({report['coverage_percent']:g}%)"),
        ("Paragraphs timed", f"{report['paragraphs_timed']} of {report['paragraphs_total']}"),
        ("Transcript words found in the captions", f"{report['words_matched_percent']:g}%"),
        (
            "Median offset from the transcript's own times",
            "no turn had its own time" if offset is None else f"{offset:+.2f} s",
        ),
        ("Captions", report.get("captions_name") or "—"),
        ("Aligned", f"{report.get('aligned_at', '')} in {report.get('seconds_taken', 0):.2f} s"),
    ]


class CaptionsViews:
    """Mixed into EventAdmin: the event's media and captions page."""

    captions_routes = [("<int:pk>/captions/", "captions_view", "transcripts_event_captions")]

    def captions_view(self, request, pk):
        event = get_object_or_404(Event, pk=pk)
        if not self.has_view_permission(request, event):
            raise PermissionDenied
        can_change = self.has_change_permission(request, event)
        form = CaptionsForm()
        if request.method == "POST":
            if not can_change:
                raise PermissionDenied
            form = CaptionsForm(request.POST, request.FILES)
            if form.is_valid() and self._align(request, event, form):
                return redirect("admin:transcripts_event_captions", pk=event.pk)
        event.refresh_from_db()
        untimed = Turn.objects.filter(event=event, start_seconds__isnull=True).order_by("position")
        return TemplateResponse(
            request,
            "admin/transcripts/event/captions.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "original": event,
                "title": f"Media and captions of “{event}”",
                "form": form,
                "media": media_for(event),
                "report": report_rows(event.alignment),
                "untimed": list(untimed[:UNTIMED_LISTED]),
                "untimed_count": untimed.count() if event.alignment else 0,
                "can_change": can_change,
            },
        )

    def _align(self, request, event, form) -> bool:
        upload = form.cleaned_data.get("captions")
        try:
            if upload is not None:
                text, name = decode_captions(upload.read()), upload.name
            elif event.captions_file:
                with event.captions_file.open("rb") as stored:
                    text, name = decode_captions(stored.read()), event.alignment.get("captions_name", "")
            else:
                form.add_error(None, "This event has no captions file yet: choose one.")
                return False
            report = align_event(event, text, captions_name=name, keep_file=upload is not None)
        except (CaptionsError, AlignmentError) as exc:
            form.add_error("captions" if upload is not None else None, str(exc))
            return False
        except StorageFailed as exc:  # writing the new captions file failed (a full disk)
            form.add_error(None, str(exc))
            return False
        except OSError:
            form.add_error(None, "The stored captions file cannot be read any more; upload it again.")
            return False
        summary = f"{report.turns_timed} of {report.turns_total} turns"
        self.log_change(request, event, f"Timed from captions {name}: {summary}.")
        messages.success(
            request,
            f"Timed {report.turns_timed} of {report.turns_total} turns ({report.coverage_percent:g}%) from {name}."
            + ("" if report.turns_timed == report.turns_total else " Turns the captions do not cover have no time."),
        )
        return True
