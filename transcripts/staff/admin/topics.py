"""The topic admin."""

from django.contrib import admin
from django.db.models import Count

from transcripts.models import Topic
from transcripts.operations.topics import delete_topics, save_topic


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "event_count")
    search_fields = ("name", "slug", "description")
    prepopulated_fields = {"slug": ("name",)}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_events=Count("events"))

    @admin.display(description="events", ordering="n_events")
    def event_count(self, obj):
        return obj.n_events

    # Saves and deletes go through the operations, which re-index the events tagged with the topic.
    def save_model(self, request, obj, form, change):
        save_topic(obj)

    def delete_model(self, request, obj):
        delete_topics([obj])

    def delete_queryset(self, request, queryset):
        delete_topics(queryset)
