"""Upload → preview → confirm, as views of the event admin.

Nothing is stored until staff confirm the preview: the upload step keeps the text and its
parse server-side (PendingUpload), the preview renders an ImportPlan (transcripts.plan)
built once per request from staff's choices so far, and confirm stores that same plan.
The speaker table is paginated and each page's rows are saved on the PendingUpload, so a
POST carries one page of fields however many speakers the transcript has.
"""
from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html

from transcripts.actions import diff_summary, stage_upload
from transcripts.forms import SPEAKERS_PER_PAGE, ReviewForm, SpeakerFormSet, UploadForm
from transcripts.models import Event, PendingUpload, Role, Topic
from transcripts.normalise import truncate
from transcripts.parsing import ParseError
from transcripts.plan import (
    SPEAKER_FIELDS,
    ImportPlan,
    ReviewChoices,
    SpeakerPlan,
    confirm,
    initial_metadata,
    parsed_transcript,
    plan,
    speaker_rows,
    target_event,
)
from transcripts.suggest import suggest_topics

FIRST_LINE_CHARS = 160
# The preview lists this many turns and warnings; a longer transcript says how many more.
TURNS_SHOWN = 300
WARNINGS_SHOWN = 30


@dataclass
class SpeakerRow:
    """A row of the speaker table: its form and what the plan says about it."""

    form: object  # the row's SpeakerForm
    plan: SpeakerPlan

    label = property(lambda self: self.plan.label)
    parsed_name = property(lambda self: self.plan.parsed_name)
    unresolved = property(lambda self: self.plan.unresolved)
    turns = property(lambda self: self.plan.turns)
    mapping = property(lambda self: self.plan.mapping)  # what confirming will do with it


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
                form.cleaned_data["source_text"], transcript=form.cleaned_data["transcript"],
                filename=form.cleaned_data["filename"], metadata=form.metadata(),
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
        bound = request.method == "POST"
        action = request.POST.get("action", "preview") if bound else ""
        if action == "discard":
            pending.delete()
            messages.info(request, "The upload was discarded; nothing was stored.")
            return redirect("admin:transcripts_event_upload")
        stored = ReviewChoices.from_json(pending.review)
        try:
            parsed = parsed_transcript(pending, stored)
        except ParseError as exc:  # only if the parser changed since the upload
            messages.error(request, f"This upload can no longer be read: {exc}")
            return redirect("admin:transcripts_event_upload")
        keys = [row["key"] for row in speaker_rows(parsed)]
        pages = Paginator(keys, SPEAKERS_PER_PAGE, allow_empty_first_page=True)
        posted_page = pages.get_page(request.POST.get("speakers_page") if bound else request.GET.get("page"))
        start_metadata = stored.metadata if stored.metadata is not None else initial_metadata(pending, parsed)
        guess = target_event(pending, start_metadata)
        suggestions = suggest_topics(
            "\n".join(t.text for t in parsed.turns), names=[p.name for p in parsed.participants],
            exclude_event_id=guess.pk if guess else None,
        )
        form = ReviewForm(request.POST if bound else None, initial=_form_initial(start_metadata, guess),
                          terms=suggestions.terms)
        speakers = SpeakerFormSet(request.POST if bound else None, prefix="speakers", keys=list(posted_page))
        choices = stored.merged(metadata=start_metadata)  # the plan starts where the form does
        if bound:
            form_valid, speakers_valid = form.is_valid(), speakers.is_valid()  # every problem, not just the first
            choices = stored.merged(metadata=form.metadata() if form_valid else None, speakers=_posted_rows(speakers))
            if choices != stored:
                pending.review = choices.to_json()
                pending.save(update_fields=["review"])
            if not form_valid:  # preview what is typed, valid or not; store only what is valid
                choices = choices.merged(metadata={**start_metadata, **form.metadata()})
        # (staff's choices do not reach the parser yet: the parse above is the plan's)
        import_plan = plan(pending, choices, parsed=parsed)
        if action == "confirm" and form_valid and speakers_valid and not import_plan.problems:
            result = confirm(pending, import_plan, status=form.cleaned_data["status"], user=request.user,
                             note=form.cleaned_data["note"])
            if result is None:
                return self._already_confirmed(request, pending)
            return self._confirmed(request, pending, result)
        page = posted_page
        if action.startswith("page:"):
            page = pages.get_page(action.removeprefix("page:"))
        if not bound or page.number != posted_page.number:
            speakers = SpeakerFormSet(prefix="speakers", keys=list(page), initial=_speaker_initial(import_plan, page))
        return TemplateResponse(request, "admin/transcripts/event/review.html", {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Review the upload",
            "pending": pending,
            "form": form,
            "speakers": speakers,
            "speaker_page": page,
            "suggestions": suggestions,
            "confirm_refused": action == "confirm",
            **_preview(import_plan, form, speakers, page, suggestions),
        })

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


def _form_initial(metadata: dict, event: Event | None) -> dict:
    """The review form's starting values: the event fields, topics split into existing ones
    (ticked) and new ones (typed), and the status the event has now."""
    initial = {name: metadata.get(name) or "" for name in metadata if name != "topics"}
    names = metadata.get("topics") or []
    wanted = {n.casefold() for n in names}
    existing = {t.name.casefold(): t.name for t in Topic.objects.all() if t.name.casefold() in wanted}
    initial["topics"] = [existing[n.casefold()] for n in names if n.casefold() in existing]
    initial["new_topics"] = ", ".join(n for n in names if n.casefold() not in existing)
    initial["status"] = event.status if event else Event.Status.DRAFT
    return initial


def _posted_rows(speakers) -> dict:
    """The posted page's speaker rows as review choices, by key (only keys of that page)."""
    rows = {}
    for f in speakers.forms:
        key = f["key"].value()
        if key not in speakers.expected_keys:
            continue
        row = {name: " ".join(str(f[name].value() or "").split()) if name == "name" else str(f[name].value() or "")
               for name in SPEAKER_FIELDS}
        if row["role"] not in Role.values:
            row.pop("role")  # a forged value: keep what the parser found
        rows[key] = row
    return rows


def _speaker_initial(import_plan: ImportPlan, page) -> list[dict]:
    by_key = {s.key: s for s in import_plan.speakers}
    return [{"key": key, "label": by_key[key].label, **by_key[key].choice} for key in page]


def _preview(import_plan: ImportPlan, form, speakers, page, suggestions) -> dict:
    """Everything the page shows about what confirming would store."""
    by_key = {s.key: s for s in import_plan.speakers}
    lookup_url = reverse("admin:transcripts_person_lookup")
    speaker_table = []
    for f, key in zip(speakers.forms, page):
        f.fields["name"].widget.attrs.update(
            {"list": f"{f['name'].auto_id}_people", "data-lookup-url": lookup_url, "data-person-input": f["person"].auto_id}
        )
        speaker_table.append(SpeakerRow(f, by_key[key]))
    names = import_plan.snapshot.speaker_names()
    turns = [
        {"position": t.position, "label": t.label, "speaker": names.get(t.speaker, ""), "kind": t.kind,
         "section": t.section, "first_line": truncate(t.paragraphs[0].text if t.paragraphs else "", FIRST_LINE_CHARS)}
        for t in import_plan.transcript.turns[:TURNS_SHOWN]
    ]
    on_page = set(page)
    elsewhere = [f"{s.label} (page {index // SPEAKERS_PER_PAGE + 1})" for index, s in enumerate(import_plan.speakers)
                 if s.problem and s.key not in on_page]
    more = f" and {len(elsewhere) - 10} more" if len(elsewhere) > 10 else ""
    return {
        "plan": import_plan,
        "topic_options": _topic_options(form, suggestions),
        "speaker_table": speaker_table,
        "speaker_count": len(import_plan.speakers),
        "problems_elsewhere": ", ".join(elsewhere[:10]) + more,
        "turns": turns,
        "turn_count": len(import_plan.transcript.turns),
        "turns_hidden": max(0, len(import_plan.transcript.turns) - TURNS_SHOWN),
        "questioners": [s for s in import_plan.speakers if s.choice["role"] == Role.QUESTIONER],
        "warnings": import_plan.warnings[:WARNINGS_SHOWN],
        "warnings_hidden": max(0, len(import_plan.warnings) - WARNINGS_SHOWN),
        "target": import_plan.target,
        "diff": import_plan.diff,
        "field_changes": list(import_plan.field_changes),
    }


def _topic_options(form, suggestions) -> list[dict]:
    """The topic checkboxes, suggested ones first with why."""
    reasons = {s.topic.name: s.reasons for s in suggestions.topics}
    options = [{"widget": w, "reasons": reasons.get(w.choice_label, [])} for w in form["topics"]]
    return sorted(options, key=lambda o: not o["reasons"])
