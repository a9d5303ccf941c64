"""Forms for uploading a transcript in the admin and reviewing it before it is stored.

Upload: a file or pasted text plus the metadata a header may lack. Review (the
preview): the event's fields and one row per speaker, each mapped to an existing or a
new Person. Every check that can fail says what to do, and a failed form keeps what
staff typed.
"""

from __future__ import annotations

import datetime
import re
from pathlib import Path

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat

from transcripts import event_fields, languages
from transcripts.models import Event, Role, Topic
from transcripts.normalise import truncate
from transcripts.parsing import ParseError, decode_bytes, parse_transcript, read_upload
from transcripts.parsing.dates import parse_date
from transcripts.parsing.formats.upload import SUFFIXES as TRANSCRIPT_SUFFIXES
from transcripts.plan import speaker_rows
from transcripts.validation import (
    HTTP_URL_VALIDATOR,
    MAX_SPEAKERS,
    TRANSCRIPT_PAGE_BREAK,
    check_speaker_count,
    strip_control_characters,
)

# A line that starts like a speaker label ("LAGON:", "Jane Doe:"): counted before parsing
# so that an absurd upload is refused at once instead of being parsed for a minute. Prose
# with a colon early in a line counts too, hence the margin over MAX_SPEAKERS.
LABEL_LINES_REFUSED_UNPARSED = 4 * MAX_SPEAKERS
LABEL_LINE = re.compile(r"^[ \t]*([^\s:][^:\n]{0,59}):[ \t]", re.MULTILINE)


class TranscriptDateField(forms.CharField):
    """A date written as the transcripts write them: 2022-02-17, February 17, 2022, 17 February 2022."""

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", "e.g. 2022-02-17 or February 17, 2022")
        super().__init__(**kwargs)  # no max_length: its validator would run on the date

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            pass
        date = parse_date(value)
        if date is None:
            raise forms.ValidationError(
                "“%(value)s” is not a date. Write it like 2022-02-17 or February 17, 2022.",
                params={"value": value},
            )
        return date

    def prepare_value(self, value):
        return value.isoformat() if isinstance(value, datetime.date) else value


class WebLinkField(forms.URLField):
    """A link readers will follow: http or https only."""

    # The one http(s)-only rule (transcripts.validation); the form's own wording gives an example.
    default_validators = [HTTP_URL_VALIDATOR]
    default_error_messages = {
        "invalid": "Enter a web address starting with http:// or https://, e.g. https://example.org/panel."
    }


def declared_form_field(declared: event_fields.EventField) -> forms.Field:
    """The form field staff type one event field into, as its declaration says."""
    label = declared.label or None
    if declared.kind == "date":
        return TranscriptDateField(label=label, required=False)
    if declared.kind == "url":
        return WebLinkField(label=label, max_length=declared.max_length, required=False, assume_scheme="https")
    if declared.kind == "language":
        return forms.ChoiceField(
            label=label,
            required=False,
            choices=[("", "Not said (searched as English)"), *languages.CHOICES],
            help_text="What the transcript is written in: its words are searched with this language's stemming.",
        )
    widget = forms.Textarea(attrs={"rows": 3, "cols": 100}) if declared.multiline else None
    return forms.CharField(label=label, max_length=declared.max_length, required=False, widget=widget)


def declared_form_fields(names) -> dict[str, forms.Field]:
    """Form fields for these declared event fields (topics have a form of their own below)."""
    return {name: declared_form_field(event_fields.BY_NAME[name]) for name in names if name != "topics"}


class EventFieldsFormBase(forms.Form):
    """The event fields staff may give on upload and correct in the preview: the ones
    transcripts.event_fields declares for the form (see EventFieldsForm, ReviewForm)."""

    topics = forms.ModelMultipleChoiceField(
        Topic.objects.all(), required=False, widget=forms.CheckboxSelectMultiple, to_field_name="name"
    )
    new_topics = forms.CharField(
        label="New topics",
        required=False,
        max_length=500,
        help_text="Comma-separated, e.g. Supply Chains, Forced Labor",
    )

    def event_fields(self) -> list:
        """The declared event fields of this form, bound, in declared order (the templates' list)."""
        return [self[name] for name in event_fields.names() if name in self.fields and name != "topics"]

    def clean_new_topics(self):
        typed = self.cleaned_data.get("new_topics") or ""
        longest = Topic._meta.get_field("name").max_length
        for name in typed.split(","):
            name = " ".join(name.split())
            if len(name) > longest:
                raise forms.ValidationError(
                    f"The topic “{truncate(name, 60)}” is {len(name):,} characters long; a topic name may be at "
                    f"most {longest}. Shorten it, or separate several topics with commas."
                )
        return typed

    def topic_names(self) -> list[str]:
        """The chosen topics and the new ones typed, once each, in order."""
        names = [t.name for t in self.cleaned_data.get("topics") or []]
        names += [n.strip() for n in (self.cleaned_data.get("new_topics") or "").split(",")]
        return list(dict.fromkeys(" ".join(n.split()) for n in names if n.strip()))

    def metadata(self) -> dict:
        data = {name: self.cleaned_data.get(name) or "" for name in event_fields.STRING_FIELDS if name in self.fields}
        if "date" in self.fields:
            date = self.cleaned_data.get("date")
            data["date"] = date.isoformat() if date else ""
        data["topics"] = self.topic_names()
        return data


EventFieldsForm = type(
    "EventFieldsForm",
    (EventFieldsFormBase,),
    {"__module__": __name__, **declared_form_fields(event_fields.UPLOAD_FIELDS)},
)


# Every kind of file an upload reads (transcripts.parsing.formats.upload.SUFFIXES), in words.
ACCEPTED_FILES = (
    "plain text (.txt), Markdown (.md), HTML (.html), Word (.docx), WebVTT captions (.vtt), SubRip "
    "subtitles (.srt), parliamentary XML (.xml) or JSON records (.json): court-reporter text, Zoom and "
    "Teams captions, Rev and Otter exports included"
)


class UploadForm(EventFieldsForm):
    file = forms.FileField(
        required=False,
        help_text=f"{ACCEPTED_FILES[0].upper()}{ACCEPTED_FILES[1:]}.",
        error_messages={"empty": "The file is empty. Upload the transcript as a plain-text (.txt) file."},
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(TRANSCRIPT_SUFFIXES) + ",text/plain,text/markdown"}),
    )
    text = forms.CharField(
        label="Or paste the text",
        required=False,
        strip=False,
        error_messages={
            "null_characters_not_allowed": (
                "The pasted text contains NUL characters, so it is not plain text. Copy the transcript from a "
                "plain-text editor, or upload it as a .txt file."
            )
        },
        widget=forms.Textarea(attrs={"rows": 14, "cols": 100, "spellcheck": "false"}),
    )
    event = forms.ModelChoiceField(Event.objects.all(), required=False, widget=forms.HiddenInput)

    field_order = ["file", "text", *event_fields.UPLOAD_FIELDS, "new_topics"]

    def clean(self):
        cleaned = super().clean()
        if self.has_error("file"):
            return cleaned  # Django's own check (an empty file) already said what is wrong
        upload, pasted = cleaned.get("file"), cleaned.get("text") or ""
        if upload and pasted.strip():
            raise forms.ValidationError("Choose a file or paste the text, not both.")
        if upload:
            text, warnings = self._read_file(upload)
        elif pasted.strip():
            text, warnings = self._check_pasted(pasted), []
        else:
            raise forms.ValidationError("Choose a transcript file or paste its text.")
        if text is None:
            return cleaned
        try:
            label_lines = len(set(LABEL_LINE.findall(text)))
            if label_lines > LABEL_LINES_REFUSED_UNPARSED:
                too_many_speakers(label_lines)
            cleaned["transcript"] = parse_transcript(text, filename=Path(upload.name).name if upload else "")
            too_many_speakers(len(speaker_rows(cleaned["transcript"])))
        except ParseError as exc:
            if upload:
                # Give staff the file's text to fix in place (a file input cannot be refilled).
                self.data = self.data.copy()
                self.data[self.add_prefix("text")] = text
                self.add_error("text", "The file's text is below: fix it here and preview again.")
            raise forms.ValidationError(str(exc)) from None
        cleaned["source_text"], cleaned["warnings"] = text, warnings
        cleaned["filename"] = Path(upload.name).name if upload else ""
        return cleaned

    def _read_file(self, upload) -> tuple[str | None, list[str]]:
        limit = settings.VERBATIM_MAX_UPLOAD_BYTES
        if not upload.name.lower().endswith(TRANSCRIPT_SUFFIXES):
            self.add_error(
                "file",
                f"“{upload.name}” is not a file Verbatim reads. It reads {ACCEPTED_FILES}; "
                "save the transcript as one of those and upload that.",
            )
            return None, []
        if upload.size > limit:
            self.add_error(
                "file",
                f"The file is {filesizeformat(upload.size)}; the limit is {filesizeformat(limit)}. "
                "Split the transcript or ask an administrator to raise VERBATIM_MAX_UPLOAD_BYTES.",
            )
            return None, []
        try:
            return read_upload(upload.read(), upload.name, upload_limit=limit)
        except ParseError as exc:
            self.add_error("file", str(exc))
            return None, []

    def _check_pasted(self, text: str) -> str | None:
        """Pasted text gets a file's checks (NUL bytes, mostly control characters, empty)."""
        limit = settings.VERBATIM_MAX_UPLOAD_BYTES
        data = text.encode("utf-8", errors="replace")  # a lone surrogate cannot be text
        if len(data) > limit:
            size, most = filesizeformat(len(data)), filesizeformat(limit)
            self.add_error("text", f"The pasted text is {size}; the limit is {most}.")
            return None
        try:
            checked, _ = decode_bytes(data)
        except ParseError as exc:
            self.add_error("text", str(exc).replace("The file", "The pasted text", 1))
            return None
        # The same cleaning the importer gives a file, so the preview shows what will be stored.
        checked, _removed = strip_control_characters(checked, keep=TRANSCRIPT_PAGE_BREAK)
        return checked.replace("\r\n", "\n")


class ListedChoicesField(forms.MultipleChoiceField):
    """Ticks from a list that may have changed since the page was shown (the preview
    re-parses): a value no longer listed is dropped, not an error."""

    def clean(self, value):
        return [v for v in self.to_python(value) if self.valid_value(v)]


# The event fields staff correct in the preview but do not give on upload (the description).
ReviewOnlyFields = type(
    "ReviewOnlyFields",
    (forms.Form,),
    {
        "__module__": __name__,
        **declared_form_fields(n for n in event_fields.REVIEWED_FIELDS if n not in event_fields.UPLOAD_FIELDS),
    },
)


class ReviewForm(ReviewOnlyFields, EventFieldsForm):
    """The preview's event fields, plus what to store it as."""

    status = forms.ChoiceField(choices=Event.Status.choices, widget=forms.RadioSelect, initial=Event.Status.DRAFT)
    note = forms.CharField(
        label="Note for the history",
        required=False,
        max_length=200,
        help_text="Why this version, e.g. “corrected speaker names”.",
    )
    suggested_terms = forms.MultipleChoiceField(
        label="Add as new topics", required=False, widget=forms.CheckboxSelectMultiple
    )
    # The "Not taken as speakers" table's ticks: labels to parse as speakers.
    make_speaker = ListedChoicesField(label="Make a speaker", required=False, widget=forms.CheckboxSelectMultiple)

    field_order = [
        *event_fields.REVIEWED_FIELDS,
        "new_topics",
        "suggested_terms",
        "status",
        "note",
        "make_speaker",
    ]

    def __init__(self, *args, terms=(), rejected_labels=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["make_speaker"].choices = [(label, label) for label in rejected_labels]
        self.fields["title"].required = True
        self.fields["title"].error_messages["required"] = "The event needs a title; none was found in the transcript."
        self.fields["suggested_terms"].choices = [(t, t.title()) for t in terms]

    def topic_names(self) -> list[str]:
        extra = [t.title() for t in self.cleaned_data.get("suggested_terms") or []]
        return list(dict.fromkeys(super().topic_names() + extra))


class SpeakerForm(forms.Form):
    """One speaker label in the preview, mapped to a person by name (or by slug, when the
    autocomplete or the matcher picked a specific record)."""

    key = forms.CharField(widget=forms.HiddenInput)
    label = forms.CharField(widget=forms.HiddenInput, required=False)
    name = forms.CharField(
        max_length=200, required=False, widget=forms.TextInput(attrs={"size": 28, "autocomplete": "off"})
    )
    person = forms.CharField(widget=forms.HiddenInput, required=False)
    role = forms.ChoiceField(choices=Role.choices)
    title = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2, "cols": 40}))
    affiliation = forms.CharField(max_length=200, required=False, widget=forms.TextInput(attrs={"size": 20}))
    # Ticked: the parser is told this label is not a speaker, and the preview re-parses.
    not_speaker = forms.BooleanField(label="Not a speaker", required=False)

    def clean(self):
        cleaned = super().clean()
        cleaned["name"] = " ".join((cleaned.get("name") or "").split())
        if not cleaned["name"] and not cleaned.get("not_speaker"):
            label = cleaned.get("label") or "This speaker"
            self.add_error("name", f"{label} is mapped to nobody: type the speaker's name or pick an existing person.")
        return cleaned


class BaseSpeakerFormSet(forms.BaseFormSet):
    def __init__(self, *args, keys=(), **kwargs):
        self.expected_keys = list(keys)
        super().__init__(*args, **kwargs)

    def clean(self):
        if any(self.errors):
            return
        keys = [form.cleaned_data.get("key") for form in self.forms]
        if sorted(keys) != sorted(self.expected_keys):
            raise forms.ValidationError("The speaker list no longer matches the upload: reload the preview.")


# One page of the preview's speaker table: the POST stays far below Django's
# DATA_UPLOAD_MAX_NUMBER_FIELDS whatever the speaker count (rows are saved page by page).
SPEAKERS_PER_PAGE = 50
SpeakerFormSet = forms.formset_factory(
    SpeakerForm,
    formset=BaseSpeakerFormSet,
    extra=0,
    max_num=SPEAKERS_PER_PAGE,
    absolute_max=SPEAKERS_PER_PAGE,
    validate_max=True,
)


# The "Not taken as speakers" table lists this many labels, most frequent first; a note
# says how many rarer ones are left out (the table posts one checkbox per row).
REJECTED_LABELS_SHOWN = 50


def too_many_speakers(count: int) -> None:
    """Refuse a transcript with more speakers than one event can have, saying why (before
    the preview; the import itself checks again)."""
    check_speaker_count(count, MAX_SPEAKERS)


class MergePeopleForm(forms.Form):
    keep = forms.ModelChoiceField(
        queryset=None,
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": "Choose the record to keep."},
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["keep"].queryset = people
        self.fields["keep"].label_from_instance = lambda p: f"{p.name} ({p.slug})"
