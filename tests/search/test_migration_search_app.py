"""The index queue moved from the transcripts app to the search app without its table moving:
queued work and the content type (what permissions and the admin log point at) survive the
migration both ways."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("transcripts", "0008_merge_wave2"), ("search", None)]
AFTER = [("transcripts", "0009_split_indextask_to_search"), ("search", "0001_initial")]


CONTENT_TYPES = ("contenttypes", "0002_remove_content_type_name")


def migrate(targets):
    """Migrate to `targets`; the models as they stand there (with content types)."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    nodes = [(app, name) for app, name in targets if name] + [CONTENT_TYPES]
    return executor.loader.project_state(nodes).apps


@pytest.mark.django_db(transaction=True)
def test_queued_tasks_and_their_content_type_survive_the_move_and_its_reversal():
    try:
        old = migrate(BEFORE)
        OldTask = old.get_model("transcripts", "IndexTask")
        ContentType = old.get_model("contenttypes", "ContentType")
        ContentType.objects.filter(model="indextask").delete()
        ContentType.objects.create(app_label="transcripts", model="indextask")
        OldTask.objects.create(model="transcripts.event", object_id=7, action="update", attempts=2)

        new = migrate(AFTER)
        NewTask = new.get_model("search", "IndexTask")
        assert list(NewTask.objects.values_list("model", "object_id", "action", "attempts")) == [
            ("transcripts.event", 7, "update", 2)
        ]
        labels = set(
            new.get_model("contenttypes", "ContentType")
            .objects.filter(model="indextask")
            .values_list("app_label", flat=True)
        )
        assert labels == {"search"}

        back = migrate(BEFORE)
        assert back.get_model("transcripts", "IndexTask").objects.count() == 1
        labels = set(
            back.get_model("contenttypes", "ContentType")
            .objects.filter(model="indextask")
            .values_list("app_label", flat=True)
        )
        assert labels == {"transcripts"}
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
