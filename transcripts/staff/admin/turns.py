"""The turn admin: search turns by text, filter by event and speaker, fix a turn's text or
speaker. Saving goes through transcripts.operations.edits (edit_turn, delete_turns), which
queue the turn's index work and keep a version."""

from __future__ import annotations

import re

from django import forms
from django.contrib import admin

from transcripts.models import Appearance, Turn
from transcripts.normalise import truncate
from transcripts.operations.edits import TURN_FIELDS, delete_turns, edit_turn

PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
EMPTY_TURN = "A turn needs some text; delete the turn instead if it should go."


class TurnForm(forms.ModelForm):
    """The turn's paragraphs as one text box, a blank line between paragraphs; the speaker
    chosen among the people appearing at the turn's event."""

    body = forms.CharField(
        label="Text",
        error_messages={"required": EMPTY_TURN},
        widget=forms.Textarea(attrs={"rows": 16, "cols": 100}),
        help_text=(
            "One paragraph per block; leave a blank line between paragraphs. "
            "Stage directions in brackets, e.g. (Laughs.)"
        ),
    )

    class Meta:
        model = Turn
        fields = ("appearance", "label", "kind", "section", "timestamp")
        labels = {"appearance": "Speaker"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].initial = "\n\n".join(self.instance.paragraphs)
        if self.instance.event_id:
            self.fields["appearance"].queryset = Appearance.objects.filter(
                event_id=self.instance.event_id
            ).select_related("person")
        self.fields["appearance"].label_from_instance = lambda a: (
            f"{a.speaker_name} ({a.get_role_display()}, {a.label or 'no label'})"
        )

    def clean_body(self):
        paragraphs = [" ".join(p.split()) for p in PARAGRAPH_BREAK.split(self.cleaned_data["body"].strip())]
        paragraphs = [p for p in paragraphs if p]
        if not paragraphs:
            raise forms.ValidationError(EMPTY_TURN)
        return paragraphs

    def save(self, commit=True):
        self.instance.paragraphs = self.cleaned_data["body"]
        return super().save(commit)


class SpeakerFilter(admin.RelatedOnlyFieldListFilter):
    title = "speaker"


@admin.register(Turn)
class TurnAdmin(admin.ModelAdmin):
    form = TurnForm
    list_display = ("event", "position", "speaker", "first_words", "kind", "public_id")
    list_display_links = ("first_words",)
    list_filter = (
        ("event", admin.RelatedOnlyFieldListFilter),
        ("appearance__person", SpeakerFilter),
        "kind",
        "section",
    )
    search_fields = ("text", "label", "public_id")
    list_select_related = ("event", "appearance__person")
    readonly_fields = ("event", "position", "public_id", "word_count")
    fields = (
        "event",
        "position",
        "public_id",
        "appearance",
        "label",
        "body",
        "kind",
        "section",
        "timestamp",
        "word_count",
    )
    ordering = ("event", "position")
    list_per_page = 50

    def has_add_permission(self, request):
        return False  # turns come from transcripts; a missing one is added by uploading a correction

    @admin.display(description="speaker", ordering="appearance__person__sort_name")
    def speaker(self, obj):
        return obj.appearance.speaker_name if obj.appearance else f"{obj.label} (unresolved)"

    @admin.display(description="text")
    def first_words(self, obj):
        return truncate(obj.text, 100)

    def save_model(self, request, obj, form, change):
        # The form has put the new values on `obj`; edit_turn compares them with the stored
        # turn, saves, and keeps a version when something changed.
        edit_turn(
            obj,
            paragraphs=obj.paragraphs,
            speaker=obj.appearance,
            user=request.user,
            note=f"Edited turn {obj.position} in the admin",
            **{name: getattr(obj, name) for name in TURN_FIELDS},
        )

    def delete_model(self, request, obj):
        delete_turns([obj], user=request.user, note=f"Deleted turn {obj.position} in the admin")

    def delete_queryset(self, request, queryset):
        delete_turns(list(queryset), user=request.user, note="Deleted turns in the admin")
