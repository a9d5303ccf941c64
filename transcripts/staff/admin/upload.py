"""Upload → preview → confirm, as views of the event admin.

Nothing is stored until staff confirm the preview: the upload step keeps the text and its
parse server-side (PendingUpload), the preview renders an ImportPlan (transcripts.plan)
built once per request from staff's choices so far, and confirm stores that same plan.
The speaker table is paginated and each page's rows are saved on the PendingUpload, so a
POST carries one page of fields however many speakers the transcript has.

Nothing is attributed silently: the preview also lists the label-shaped line starts the
parser did not take as speakers. Ticking "make a speaker" there, or "not a speaker" on a
speaker row, is a label choice: it is stored with the upload, the text is parsed again
with it (transcripts.plan.ReviewChoices.labels), and confirm stores that parse. A confirm
posted together with a changed label choice only re-renders the preview, so staff always
see the parse they store.
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

from transcripts.models import Event, PendingUpload, Role, Topic
from transcripts.normalise import truncate
from transcripts.operations.uploads import confirm, discard_upload, remember_review, stage_upload
from transcripts.parsing import ParseError
from transcripts.plan import (
    SPEAKER_FIELDS,
    ImportPlan,
    ReviewChoices,
    SpeakerPlan,
    initial_metadata,
    parsed_transcript,
    plan,
    speaker_rows,
    target_event,
)
from transcripts.staff.forms import (
    ACCEPTED_FILES,
    REJECTED_LABELS_SHOWN,
    SPEAKERS_PER_PAGE,
    ReviewForm,
    SpeakerFormSet,
    UploadForm,
    too_many_speakers,
)
from transcripts.staff.suggest import suggest_topics
from transcripts.turn_rows import diff_summary
from transcripts.validation import InvalidInput

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
    words = property(lambda self: self.plan.words)
    mapping = property(lambda self: self.plan.mapping)  # what confirming will do with it
    event_only = property(lambda self: self.plan.event_only)  # Operator, Q, Speaker 2: no Person
    role_note = property(lambda self: self.plan.role_note)  # why the role is what it is


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
        form = (
            UploadForm(request.POST, request.FILES)
            if request.method == "POST"
            else UploadForm(initial={"event": event})
        )
        if request.method == "POST" and form.is_valid():
            pending = stage_upload(
                form.cleaned_data["source_text"],
                transcript=form.cleaned_data["transcript"],
                filename=form.cleaned_data["filename"],
                metadata=form.metadata(),
                warnings=form.cleaned_data["warnings"],
                event=event,
                user=request.user,
            )
            return redirect("admin:transcripts_event_review", token=pending.token)
        return TemplateResponse(
            request,
            "admin/transcripts/event/upload.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": f"Upload a corrected transcript for “{event}”" if event else "Upload transcript",
                "form": form,
                "event": event,
                "max_upload": settings.VERBATIM_MAX_UPLOAD_BYTES,
                "accepted_files": ACCEPTED_FILES,
            },
        )

    def review_view(self, request, token):
        """The review page, in steps: read the upload's parse, apply what was posted (choices
        kept on the upload), then confirm the plan or show its preview."""
        pending = get_object_or_404(PendingUpload, token=token)
        self._check_upload_permission(request, pending.event)
        if pending.confirmed:
            return self._already_confirmed(request, pending)
        review = _Review(request, pending)
        if review.action == "discard":
            discard_upload(pending)
            messages.info(request, "The upload was discarded; nothing was stored.")
            return redirect("admin:transcripts_event_upload")
        try:
            review.parse()
        except ParseError as exc:  # only if the parser changed since the upload
            messages.error(request, f"This upload can no longer be read: {exc}")
            return redirect("admin:transcripts_event_upload")
        if review.bound:
            review.apply_posted()
        import_plan = plan(pending, review.choices, parsed=review.parsed)
        if review.action == "confirm":
            response = self._confirm_step(request, review, import_plan)
            if response is not None:
                return response
        return self._preview_step(request, review, import_plan)

    def _confirm_step(self, request, review, import_plan):
        """Store the plan when everything posted is valid and staff saw this parse; a response
        after storing, else None (the preview shows again, saying why)."""
        if review.relabelled:  # staff have not seen this parse: show it, store nothing
            if review.reparsed:
                messages.warning(
                    request,
                    "Nothing was stored: your speaker choices changed the preview. "
                    "Check the speakers and turns below, then confirm again.",
                )
            return None
        if not (review.form_valid and review.speakers_valid) or import_plan.problems:
            return None
        form = review.form
        try:
            result = confirm(
                review.pending,
                import_plan,
                status=form.cleaned_data["status"],
                user=request.user,
                note=form.cleaned_data["note"],
            )
        except InvalidInput as exc:  # what the stored rows cannot hold: say so, store nothing
            messages.error(request, f"Nothing was stored: {exc}")
            return None
        if result is None:
            return self._already_confirmed(request, review.pending)
        return self._confirmed(request, review.pending, result)

    def _preview_step(self, request, review, import_plan):
        page = review.speaker_page(import_plan)
        return TemplateResponse(
            request,
            "admin/transcripts/event/review.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": "Review the upload",
                "pending": review.pending,
                "form": review.form,
                "speakers": review.speakers,
                "speaker_page": page,
                "suggestions": review.suggestions,
                "confirm_refused": review.action == "confirm",
                "event_rows": _event_rows(review),
                **_preview(import_plan, review.form, review.speakers, page, review.suggestions),
            },
        )

    # -- after confirming

    def _confirmed(self, request, pending, result):
        event, diff = result.event, result.diff
        source = f"“{pending.filename}”" if pending.filename else "pasted text"
        if result.action == "created":
            self.log_addition(
                request, event, f"Uploaded {source}: {event.turns.count()} turns, stored as {event.status}."
            )
            summary = f"{event.turns.count()} turns"
        elif result.action == "updated":
            summary = diff_summary(diff)
            self.log_change(request, event, f"Corrected from {source}: {summary}; status {event.status}.")
        else:
            summary = "nothing changed"
        link = self.public_or_preview_url(event)
        messages.success(
            request,
            format_html(
                'Stored “{}” as {} ({}). <a href="{}">{}</a>',
                event.title,
                event.get_status_display().lower(),
                summary,
                link,
                "View it on the site" if event.is_published else "Preview the draft (staff only)",
            ),
        )
        return redirect(reverse("admin:transcripts_event_change", args=[event.pk]))

    def _already_confirmed(self, request, pending):
        who = pending.confirmed_by or "someone"
        messages.warning(
            request,
            f"This upload was already stored by {who} at {pending.confirmed:%Y-%m-%d %H:%M} UTC; "
            "it was not stored twice.",
        )
        if pending.result_id:
            return redirect(reverse("admin:transcripts_event_change", args=[pending.result_id]))
        return redirect("admin:transcripts_event_changelist")


class _Review:
    """One request to the review page: the upload, its parse, the forms, and the choices
    (as stored on the upload, and as this request leaves them)."""

    def __init__(self, request, pending):
        self.request, self.pending = request, pending
        self.bound = request.method == "POST"
        self.action = request.POST.get("action", "preview") if self.bound else ""
        self.relabelled = self.reparsed = False  # a label choice was posted / and the text parsed with it
        self.form_valid = self.speakers_valid = False

    def parse(self) -> None:
        """The upload's parse and the forms that start from it (raises ParseError)."""
        request, pending = self.request, self.pending
        self.stored = stored = ReviewChoices.from_json(pending.review)
        self.parsed = parsed = parsed_transcript(pending, stored)
        self.rows = speaker_rows(parsed)
        self.pages = Paginator([row["key"] for row in self.rows], SPEAKERS_PER_PAGE, allow_empty_first_page=True)
        self.posted_page = self.pages.get_page(
            request.POST.get("speakers_page") if self.bound else request.GET.get("page")
        )
        self.start_metadata = stored.metadata if stored.metadata is not None else initial_metadata(pending, parsed)
        guess = target_event(pending, self.start_metadata)
        self.suggestions = suggest_topics(
            "\n".join(t.text for t in parsed.turns),
            names=[p.name for p in parsed.participants],
            exclude_event_id=guess.pk if guess else None,
        )
        self.shown = rejected_shown(parsed)
        initial = {
            **_form_initial(self.start_metadata, guess),
            "make_speaker": [r.label for r in self.shown if stored.labels.get(r.label) is True],
        }
        self.form = ReviewForm(
            request.POST if self.bound else None,
            initial=initial,
            terms=self.suggestions.terms,
            rejected_labels=[r.label for r in self.shown],
        )
        self.speakers = SpeakerFormSet(
            request.POST if self.bound else None, prefix="speakers", keys=list(self.posted_page)
        )
        self.choices = stored.merged(metadata=self.start_metadata)  # the plan starts where the form does

    def apply_posted(self) -> None:
        """What staff posted: the choices (kept on the upload when valid), parsed again if a
        label choice changed."""
        form, speakers, stored = self.form, self.speakers, self.stored
        self.form_valid, self.speakers_valid = form.is_valid(), speakers.is_valid()  # every problem, not just the first
        labels = _posted_labels(
            form.cleaned_data.get("make_speaker", []), stored.labels, speakers, self.rows, self.shown
        )
        choices = stored.merged(
            metadata=form.metadata() if self.form_valid else None, speakers=_posted_rows(speakers), labels=labels
        )
        self.relabelled = choices.parser_choices() != stored.parser_choices()
        if self.relabelled:
            self.parsed, self.reparsed = _reparse(self.request, self.pending, choices, self.parsed)
            if not self.reparsed:
                choices = choices.merged(labels=stored.labels)
        if choices != stored:
            remember_review(self.pending, choices.to_json())
        if not self.form_valid:  # preview what is typed, valid or not; store only what is valid
            choices = choices.merged(metadata={**self.start_metadata, **form.metadata()})
        self.choices = choices

    def speaker_page(self, import_plan):
        """The page of the speakers table to show, its forms made afresh when the rows changed."""
        pages, posted_page = self.pages, self.posted_page
        if self.reparsed:  # the speaker rows are the new parse's: start the table again from them
            pages = Paginator([s.key for s in import_plan.speakers], SPEAKERS_PER_PAGE, allow_empty_first_page=True)
            posted_page = pages.get_page(posted_page.number)
        page = posted_page
        if self.action.startswith("page:"):
            page = pages.get_page(self.action.removeprefix("page:"))
        if not self.bound or self.relabelled or page.number != posted_page.number:
            self.speakers = SpeakerFormSet(
                prefix="speakers", keys=list(page), initial=_speaker_initial(import_plan, page)
            )
        return page


def _event_rows(review) -> list[tuple]:
    """The preview's event fields, each with what it says of a value the parser doubts."""
    doubts = field_doubts(review.parsed, review.form)
    return [(field, doubts.get(field.name, "")) for field in review.form.event_fields()]


def field_doubts(parsed, form) -> dict[str, str]:
    """What the preview says next to a title or date the parser is not sure of, while the
    field still holds what the parser read (typing over it answers the question)."""
    read = {"title": parsed.title, "date": parsed.date.isoformat() if parsed.date else ""}
    why = {"title": parsed.title_doubt, "date": parsed.date_doubt}
    asks = {
        "title": "Please check this title: {}. Type the event's real title, or keep it if it is right.",
        "date": "Please check this date: {}. Type the right date, or keep it if it is right.",
    }
    doubts = {}
    for name in ("title", "date"):
        shown = form[name].value()
        shown = shown.isoformat() if hasattr(shown, "isoformat") else str(shown or "").strip()
        if getattr(parsed, f"{name}_confidence") == "low" and why[name] and shown == read[name]:
            doubts[name] = asks[name].format(why[name])
    return doubts


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
        row = {
            name: " ".join(str(f[name].value() or "").split()) if name == "name" else str(f[name].value() or "")
            for name in SPEAKER_FIELDS
        }
        if row["role"] not in Role.values:
            row.pop("role")  # a forged value: keep what the parser found
        rows[key] = row
    return rows


def rejected_shown(transcript) -> list:
    """The labels the "Not taken as speakers" table lists: the most frequent first, capped."""
    ranked = sorted(transcript.label_candidates, key=lambda r: (-r.count, r.line_no))
    return ranked[:REJECTED_LABELS_SHOWN]


def _posted_labels(ticked, labels: dict, speakers, rows: list[dict], shown: list) -> dict:
    """The label choices after this POST: "not a speaker" ticked on a posted speaker row
    refuses its label (unticked, a refusal is undone); "make a speaker" ticked on a listed
    rejected label forces it (unticked, forcing is undone). Labels come from the parse
    the page showed, never from the POST, so a forged label changes nothing."""
    labels = dict(labels)
    label_of = {row["key"]: row["label"] for row in rows}
    posted = [
        (label_of.get(f["key"].value()), bool(f["not_speaker"].value()))
        for f in speakers.forms
        if f["key"].value() in speakers.expected_keys
    ]
    # Several rows may share a label ("Q" for each questioner): one tick refuses it for all.
    refused = {label for label, tick in posted if label and tick}
    for label, _tick in posted:
        if label in refused:
            labels[label] = False
        elif label and labels.get(label) is False:
            del labels[label]
    ticked = set(ticked)
    for rejected in shown:
        if rejected.label in ticked:
            labels[rejected.label] = True
        elif labels.get(rejected.label) is True:
            del labels[rejected.label]
    return labels


def _reparse(request, pending, choices, previous):
    """Parse again with new label choices: (transcript, True), or, when the choices leave
    no transcript (no speaker turns, too many speakers), the previous parse and a message."""
    try:
        parsed = parsed_transcript(pending, choices)
        too_many_speakers(len(speaker_rows(parsed)))
    except ParseError as exc:
        messages.error(request, f"That speaker choice was not applied: {exc}")
        return previous, False
    return parsed, True


def _speaker_initial(import_plan: ImportPlan, page) -> list[dict]:
    by_key = {s.key: s for s in import_plan.speakers}
    # A refused label can still have a row (a participant named in the header): keep it ticked.
    return [
        {
            "key": key,
            "label": by_key[key].label,
            **by_key[key].choice,
            "not_speaker": import_plan.labels.get(by_key[key].label) is False,
        }
        for key in page
    ]


def _preview(import_plan: ImportPlan, form, speakers, page, suggestions) -> dict:
    """Everything the page shows about what confirming would store."""
    by_key = {s.key: s for s in import_plan.speakers}
    lookup_url = reverse("admin:transcripts_person_lookup")
    speaker_table = []
    for f, key in zip(speakers.forms, page):
        f.fields["name"].widget.attrs.update(
            {
                "list": f"{f['name'].auto_id}_people",
                "data-lookup-url": lookup_url,
                "data-person-input": f["person"].auto_id,
            }
        )
        speaker_table.append(SpeakerRow(f, by_key[key]))
    names = import_plan.snapshot.speaker_names()
    turns = [
        {
            "position": t.position,
            "label": t.label,
            "speaker": names.get(t.speaker, ""),
            "kind": t.kind,
            "section": t.section,
            "first_line": truncate(t.paragraphs[0].text if t.paragraphs else "", FIRST_LINE_CHARS),
        }
        for t in import_plan.transcript.turns[:TURNS_SHOWN]
    ]
    on_page = set(page)
    elsewhere = [
        f"{s.label} (page {index // SPEAKERS_PER_PAGE + 1})"
        for index, s in enumerate(import_plan.speakers)
        if s.problem and s.key not in on_page
    ]
    more = f" and {len(elsewhere) - 10} more" if len(elsewhere) > 10 else ""
    return {
        "plan": import_plan,
        "topic_options": _topic_options(form, suggestions),
        "speaker_table": speaker_table,
        "speaker_count": len(import_plan.speakers),
        **_rejected_table(import_plan),
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


def _rejected_table(import_plan: ImportPlan) -> dict:
    """The "Not taken as speakers" rows, each with whether staff ticked it already (a label
    forced that the parser still could not use as a speaker stays listed, ticked)."""
    candidates = import_plan.transcript.label_candidates
    forced = {label for label, take in import_plan.labels.items() if take}
    shown = rejected_shown(import_plan.transcript)
    return {
        "rejected_labels": [{"row": r, "ticked": r.label in forced} for r in shown],
        "rejected_count": len(candidates),
        "rejected_hidden": len(candidates) - len(shown),
    }


def _topic_options(form, suggestions) -> list[dict]:
    """The topic checkboxes, suggested ones first with why."""
    reasons = {s.topic.name: s.reasons for s in suggestions.topics}
    options = [{"widget": w, "reasons": reasons.get(w.choice_label, [])} for w in form["topics"]]
    return sorted(options, key=lambda o: not o["reasons"])
