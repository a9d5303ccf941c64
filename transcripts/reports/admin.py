"""Staff see readers' problem reports grouped by event, open first, and act on each: accept
it as a correction (the turn's words and/or speaker, edited here and saved through the
domain's edit_turn, which keeps a version crediting the reporter) or dismiss it."""

from __future__ import annotations

import re

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse

from transcripts.models import Appearance
from transcripts.normalise import truncate
from transcripts.reports import actions
from transcripts.reports.models import ProblemReport
from transcripts.validation import InvalidInput

PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


class CorrectionForm(forms.Form):
    body = forms.CharField(
        label="The turn's text",
        widget=forms.Textarea(attrs={"rows": 14, "cols": 100}),
        help_text="Correct the words here; leave a blank line between paragraphs.",
    )
    speaker = forms.ModelChoiceField(queryset=Appearance.objects.none(), required=False, label="Speaker")

    def __init__(self, *args, turn, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].initial = "\n\n".join(turn.paragraphs)
        self.fields["speaker"].queryset = Appearance.objects.filter(event_id=turn.event_id).select_related("person")
        self.fields["speaker"].initial = turn.appearance_id
        self.fields["speaker"].label_from_instance = lambda a: f"{a.speaker_name} ({a.get_role_display()})"

    def paragraphs(self) -> list[str]:
        return [" ".join(p.split()) for p in PARAGRAPH_BREAK.split(self.cleaned_data["body"].strip()) if p.strip()]


@admin.register(ProblemReport)
class ProblemReportAdmin(admin.ModelAdmin):
    list_display = ("event", "kind", "passage", "status", "created", "told_by_email")
    list_display_links = ("passage",)
    list_filter = ("status", "kind", ("event", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("event", "turn")
    ordering = ("event__title", "status", "-created")  # grouped by event, open reports first
    search_fields = ("note", "turn_public_id", "event__title")

    @admin.display(description="Passage")
    def passage(self, report):
        return truncate(report.turn.text, 80) if report.turn else f"(turn {report.turn_public_id} no longer exists)"

    @admin.display(description="Email", boolean=True)
    def told_by_email(self, report):
        return bool(report.email)

    def has_add_permission(self, request):
        return False  # reports come from readers

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """The report and what to do about it, instead of a form over its fields."""
        report = get_object_or_404(ProblemReport.objects.select_related("event", "turn__appearance"), pk=object_id)
        if not self.has_view_or_change_permission(request, report):
            raise PermissionDenied
        turn = report.turn
        form = CorrectionForm(request.POST or None, turn=turn) if turn else None
        if request.method == "POST":
            if not self.has_change_permission(request, report):
                raise PermissionDenied
            if "dismiss" in request.POST:
                actions.dismiss_report(report, user=request.user)
                self.message_user(request, "The report was dismissed.", messages.SUCCESS)
                return redirect("admin:reports_problemreport_changelist")
            if "accept" in request.POST and (form is None or form.is_valid()):
                try:
                    if form is None:
                        actions.accept_report(report, user=request.user)
                    else:
                        speaker = form.cleaned_data["speaker"]
                        actions.accept_report(
                            report,
                            paragraphs=form.paragraphs(),
                            speaker=speaker,
                            change_speaker=speaker is not None and speaker.pk != turn.appearance_id,
                            user=request.user,
                        )
                except InvalidInput as exc:
                    form.add_error(None, str(exc))
                else:
                    self.message_user(request, "The correction was saved as a new version.", messages.SUCCESS)
                    return redirect("admin:reports_problemreport_changelist")
        context = {
            **self.admin_site.each_context(request),
            "title": f"Report: {report.get_kind_display()}",
            "opts": self.model._meta,
            "report": report,
            "turn": turn,
            "form": form,
            "can_change": self.has_change_permission(request, report),
        }
        return TemplateResponse(request, "admin/reports/problemreport/review.html", context)
