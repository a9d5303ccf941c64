"""The person admin: list with appearance counts, merge duplicates, and the JSON lookup
behind the preview's speaker autocomplete."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import JsonResponse
from django.template.response import TemplateResponse
from django.urls import path

from transcripts.models import Person, PersonRedirect, name_key
from transcripts.operations.people import delete_person, merge_people, save_person
from transcripts.staff.admin.events import FORM_FIELDS
from transcripts.staff.forms import MergePeopleForm

LOOKUP_LIMIT = 20


class RedirectInline(admin.TabularInline):
    model = PersonRedirect
    extra = 0
    verbose_name = "old address (after a merge)"
    verbose_name_plural = "old addresses (after merges)"


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "appearance_count", "updated")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    fields = ("name", "slug", "bio", "photo_url")
    inlines = [RedirectInline]
    actions = ["merge"]
    formfield_overrides = FORM_FIELDS

    def save_model(self, request, obj, form, change):
        pass  # stored with its old addresses (the inline) by save_person in save_related

    def save_related(self, request, form, formsets, change):
        save_person(
            form.instance, save_related=lambda: super(PersonAdmin, self).save_related(request, form, formsets, change)
        )

    def delete_model(self, request, obj):
        delete_person(obj, user=request.user)

    def delete_queryset(self, request, queryset):
        for person in queryset:
            delete_person(person, user=request.user)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_appearances=Count("appearances"))

    @admin.display(description="appearances", ordering="n_appearances")
    def appearance_count(self, obj):
        return obj.n_appearances

    def get_urls(self):
        lookup = path("lookup/", self.admin_site.admin_view(self.lookup_view), name="transcripts_person_lookup")
        return [lookup] + super().get_urls()

    def lookup_view(self, request):
        """People whose name contains what was typed: [{slug, name, appearances}]."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        typed = name_key(request.GET.get("q", ""))
        if len(typed) < 2:
            return JsonResponse({"results": []})
        people = (
            Person.objects.filter(Q(name_key__contains=typed) | Q(slug__startswith=typed.replace(" ", "-")))
            .annotate(n=Count("appearances"))
            .order_by("-n", "sort_name")[:LOOKUP_LIMIT]
        )
        return JsonResponse({"results": [{"slug": p.slug, "name": p.name, "appearances": p.n} for p in people]})

    @admin.action(
        description="Merge the selected people (the same person spelled two ways)", permissions=["change", "delete"]
    )
    def merge(self, request, queryset):
        people = queryset.order_by("-n_appearances", "id")
        if people.count() < 2:
            messages.error(request, "Select two or more records of the same person to merge.")
            return None
        form = MergePeopleForm(request.POST if "confirm" in request.POST else None, people=people)
        if form.is_valid():
            keep = form.cleaned_data["keep"]
            for duplicate in [p for p in people if p.pk != keep.pk]:
                old, old_url = f"{duplicate.name} ({duplicate.slug})", duplicate.get_absolute_url()
                events = merge_people(keep, duplicate, user=request.user)
                self.log_change(
                    request,
                    keep,
                    f"Merged {old} into this person: {len(events)} appearance(s) moved; {old_url} redirects here.",
                )
            messages.success(
                request, f"Merged into {keep.name}; the old addresses redirect to {keep.get_absolute_url()}."
            )
            return None
        return TemplateResponse(
            request,
            "admin/transcripts/person/merge.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": "Merge people",
                "form": form,
                "people": people,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )
