from django import forms

from transcripts.reports.models import ProblemReport
from transcripts.validation import strip_control_characters


class ReportForm(forms.Form):
    kind = forms.ChoiceField(
        choices=ProblemReport.Kind.choices, widget=forms.RadioSelect, label="What is wrong?", initial="words"
    )
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=2000,
        required=False,
        label="What should it say? (optional)",
        help_text="The right words, or who really spoke, and how you know.",
    )
    name = forms.CharField(max_length=100, required=False, label="Your name (optional, to credit you)")
    email = forms.EmailField(
        max_length=254, required=False, label="Your email (optional)", help_text="Only to tell you what we did."
    )
    # A field people never see (hidden by the style sheet) and robots fill in.
    website = forms.CharField(max_length=200, required=False, label="Leave this empty")

    def clean_note(self):
        return strip_control_characters(self.cleaned_data["note"])[0].strip()

    def clean_name(self):
        return strip_control_characters(self.cleaned_data["name"])[0].strip()
