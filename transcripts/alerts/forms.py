from django import forms

from transcripts.alerts.models import Frequency


class SubscribeForm(forms.Form):
    email = forms.EmailField(
        label="Your email address",
        max_length=254,
        error_messages={
            "required": "Give the email address the alerts should go to.",
            "invalid": "That is not an email address: it should look like name@example.org.",
        },
    )
    frequency = forms.ChoiceField(
        label="How often",
        choices=Frequency.choices,
        initial=Frequency.IMMEDIATE,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose how often to get mail.",
            "invalid_choice": "Choose how often: immediately or daily.",
        },
    )
    # A 500-character search in a non-Latin script is up to 6,000 once percent-encoded.
    query = forms.CharField(widget=forms.HiddenInput, max_length=8000, required=False)

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()


class ManageLinkForm(forms.Form):
    email = SubscribeForm.base_fields["email"]

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()


class FrequencyForm(forms.Form):
    frequency = forms.ChoiceField(
        choices=Frequency.choices,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choose how often: immediately or daily."},
    )
