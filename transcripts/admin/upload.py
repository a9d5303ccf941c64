"""Upload → preview → confirm, as views of the event admin.

Nothing is stored until staff confirm the preview: the upload step only keeps the text
server-side (PendingUpload) so the preview can be reloaded, corrected and confirmed
once. The preview shows what confirming will do, computed by the same rules the
importer applies (see transcripts.actions and transcripts.suggest).
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html

from transcripts.actions import Review, confirm_upload, diff_summary, field_changes, reviewed_transcript, speaker_rows, stage_upload, target_event
from transcripts.forms import ReviewForm, SpeakerFormSet, UploadForm
from transcripts.importer import diff_turns, snapshot_event, transcript_to_snapshot
from transcripts.models import Event, PendingUpload, Topic
from transcripts.parsing import ParseError, parse_transcript
from transcripts.suggest import PersonMatch, mapping_for, match_person, suggest_topics

FIRST_LINE_CHARS = 160
EVENT_FIELDS = ("title", "date", "description", "organiser", "source_url", "media_url", "topics")


@dataclass
class SpeakerRow:
    form: object  # the row's SpeakerForm
    label: str
    parsed_name: str
    unresolved: bool
    turns: int
    mapping: PersonMatch  # what confirming will do with it


class UploadViews:
    """Mixed into EventAdmin: the upload and review pages."""

    # (route, view method, URL name): EventAdmin.get_urls wires them.
    upload_routes = [
        ("upload/", "upload_view", "transcripts_event_upload"),
        ("upload/<str:token>/", "review_view", "transcripts_event_review"),
    ]

    def _check_upload_permission(self, request, event):
        allowed = self.has_change_permission(request, event) if event else self.has_add_permission(request)
        if not allowed:
            raise PermissionDenied

    def upload_view(self, request):
        event_id = (request.POST if request.method == "POST" else request.GET).get("event", "")
        event = get_object_or_404(Event, pk=event_id) if event_id.isdigit() else None
        self._check_upload_permission(request, event)
        form = UploadForm(request.POST, request.FILES) if request.method == "POST" else UploadForm(initial={"event": event})
        if request.method == "POST" and form.is_valid():
            pending = stage_upload(
                form.cleaned_data["source_text"], filename=form.cleaned_data["filename"], metadata=form.metadata(),
                warnings=form.cleaned_data["warnings"], event=event, user=request.user,
            )
            return redirect("admin:transcripts_event_review", token=pending.token)
        return TemplateResponse(request, "admin/transcripts/event/upload.html", {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"Upload a corrected transcript for “{event}”" if event else "Upload transcript",
            "form": form,
            "event": event,
            "max_upload": settings.VERBATIM_MAX_UPLOAD_BYTES,
        })

    def review_view(self, request, token):
        pending = get_object_or_404(PendingUpload, token=token)
        self._check_upload_permission(request, pending.event)
        if pending.confirmed:
            return self._already_confirmed(request, pending)
        try:
            transcript = parse_transcript(pending.source_text)
        except ParseError as exc:  # only if the parser changed since the upload
            messages.error(request, f"This upload can no longer be read: {exc}")
            return redirect("admin:transcripts_event_upload")
        rows = speaker_rows(transcript)
        initial, guess = self._initial_review(pending, transcript)
        suggestions = suggest_topics(
            "\n".join(t.text for t in transcript.turns), names=[p.name for p in transcript.participants],
            exclude_event_id=guess.pk if guess else None,
        )
        bound = request.method == "POST"
        action = request.POST.get("action", "preview") if bound else ""
        if action == "discard":
            pending.delete()
            messages.info(request, "The upload was discarded; nothing was stored.")
            return redirect("admin:transcripts_event_upload")
        form = ReviewForm(request.POST if bound else None, initial=initial, terms=suggestions.terms)
        speakers = SpeakerFormSet(
            request.POST if bound else None, prefix="speakers", keys=[r["key"] for r in rows],
            initial=None if bound else self._initial_speakers(rows, guess),
        )
        if action == "confirm" and form.is_valid() and speakers.is_valid():
            review = Review(form.metadata(), [f.cleaned_data for f in speakers.forms])
            result = confirm_upload(
                pending, transcript, review, status=form.cleaned_data["status"], user=request.user,
                note=form.cleaned_data["note"],
            )
            if result is None:
                return self._already_confirmed(request, pending)
            return self._confirmed(request, pending, result)
        if bound:
            form.is_valid(), speakers.is_valid()  # show every problem, not just the first
        return TemplateResponse(request, "admin/transcripts/event/review.html", {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Review the upload",
            "pending": pending,
            "form": form,
            "speakers": speakers,
            "suggestions": suggestions,
            **self._preview(pending, transcript, form, speakers, rows, guess, suggestions),
        })

    # -- building the preview

    def _initial_review(self, pending, transcript) -> tuple[dict, Event | None]:
        """What the preview starts from: what staff typed on upload, else what the header
        says, else (for a correction) what the event has now; and the event it would update."""
        typed = pending.metadata
        parsed = transcript_to_snapshot(transcript)["event"]
        event = target_event(pending, {name: typed.get(name) or parsed.get(name) for name in ("title", "date")})
        current = snapshot_event(event)["event"] if event else {}
        initial = {name: typed.get(name) or parsed.get(name) or current.get(name) or "" for name in EVENT_FIELDS}
        names = typed.get("topics") or list(dict.fromkeys(current.get("topics", []) + parsed["topics"]))
        wanted = {n.casefold() for n in names}
        existing = {t.name.casefold(): t.name for t in Topic.objects.all() if t.name.casefold() in wanted}
        initial["topics"] = [existing[n.casefold()] for n in names if n.casefold() in existing]
        initial["new_topics"] = ", ".join(n for n in names if n.casefold() not in existing)
        initial["status"] = event.status if event else Event.Status.DRAFT
        return initial, event

    def _initial_speakers(self, rows, event) -> list[dict]:
        initial = []
        for row in rows:
            match = match_person(row["name"], row["label"], event)
            name = match.person.name if match.person and match.confidence >= 0.75 else row["name"]
            slug = match.person.slug if match.person and match.confidence >= 0.75 else ""
            initial.append({**row, "name": name, "person": slug})
        return initial

    def _preview(self, pending, transcript, form, speakers, rows, guess, suggestions) -> dict:
        """Everything the page shows about what confirming would store, from the values on the form now."""
        values = [{name: f[name].value() or "" for name in ("key", "name", "person", "role", "title", "affiliation")}
                  for f in speakers.forms]
        metadata = _current_metadata(form)
        edited, people = reviewed_transcript(transcript, Review(metadata, values))
        target = pending.event or target_event(pending, metadata)
        names = {key: p["name"] for key, p in people.items()}
        counts = Counter(t.speaker for t in edited.turns)
        speaker_table = []
        lookup_url = reverse("admin:transcripts_person_lookup")
        for f, row in zip(speakers.forms, rows):
            f.fields["name"].widget.attrs.update(
                {"list": f"{f['name'].auto_id}_people", "data-lookup-url": lookup_url, "data-person-input": f["person"].auto_id}
            )
            proposed = match_person(row["name"], row["label"], guess)
            mapping = mapping_for(proposed, f["name"].value() or "", f["person"].value() or "")
            speaker_table.append(SpeakerRow(f, row["label"], row["name"], row["unresolved"], counts[row["key"]], mapping))
        turns = [
            {"position": t.position, "label": t.label, "speaker": names.get(t.speaker, ""), "kind": t.kind,
             "section": t.section, "first_line": (t.paragraphs[0].text if t.paragraphs else "")[:FIRST_LINE_CHARS]}
            for t in edited.turns
        ]
        warnings = list(pending.warnings) + list(transcript.warnings)
        if not transcript.date:
            warnings.append("No date found in the transcript: give one above.")
        unresolved = [r["label"] for r in rows if r["unresolved"]]
        if unresolved:
            warnings.append("Labels the parser could not attribute: " + ", ".join(unresolved) + " — name them below.")
        context = {
            "topic_options": _topic_options(form, suggestions),
            "speaker_table": speaker_table,
            "turns": turns,
            "turn_count": len(turns),
            "questioners": [r for r in speaker_table if r.form["role"].value() == "questioner"],
            "warnings": warnings,
            "target": target,
        }
        if target is not None:
            old = snapshot_event(target)
            new = transcript_to_snapshot(edited, metadata=metadata, people=people)
            context["diff"] = diff_turns(old, new)
            context["field_changes"] = field_changes(old["event"], new["event"])
        return context

    # -- after confirming

    def _confirmed(self, request, pending, result):
        event, diff = result.event, result.diff
        source = f"“{pending.filename}”" if pending.filename else "pasted text"
        if result.action == "created":
            self.log_addition(request, event, f"Uploaded {source}: {event.turns.count()} turns, stored as {event.status}.")
            summary = f"{event.turns.count()} turns"
        elif result.action == "updated":
            summary = diff_summary(diff)
            self.log_change(request, event, f"Corrected from {source}: {summary}; status {event.status}.")
        else:
            summary = "nothing changed"
        link = self.public_or_preview_url(event)
        messages.success(request, format_html(
            "Stored “{}” as {} ({}). <a href=\"{}\">{}</a>", event.title, event.get_status_display().lower(),
            summary, link, "View it on the site" if event.is_published else "Preview the draft (staff only)",
        ))
        return redirect(reverse("admin:transcripts_event_change", args=[event.pk]))

    def _already_confirmed(self, request, pending):
        who = pending.confirmed_by or "someone"
        messages.warning(request, f"This upload was already stored by {who} at {pending.confirmed:%Y-%m-%d %H:%M} UTC; it was not stored twice.")
        if pending.result_id:
            return redirect(reverse("admin:transcripts_event_change", args=[pending.result_id]))
        return redirect("admin:transcripts_event_changelist")


def _current_metadata(form) -> dict:
    """The event fields as the preview form holds them now (a field that does not validate counts as empty)."""
    if form.is_bound:
        form.is_valid()
        return form.metadata()
    initial = form.initial
    metadata = {name: initial.get(name) or "" for name in EVENT_FIELDS if name != "topics"}
    new_topics = [n.strip() for n in initial.get("new_topics", "").split(",") if n.strip()]
    metadata["topics"] = list(initial.get("topics", [])) + new_topics
    return metadata


def _topic_options(form, suggestions) -> list[dict]:
    """The topic checkboxes, suggested ones first with why."""
    reasons = {s.topic.name: s.reasons for s in suggestions.topics}
    options = [{"widget": w, "reasons": reasons.get(w.choice_label, [])} for w in form["topics"]]
    return sorted(options, key=lambda o: not o["reasons"])
