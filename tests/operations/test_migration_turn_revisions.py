"""The migration that adds TurnRevision fills it from the versions events already have: each
turn a version changed or removed from the one before, with the text and place it had."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("transcripts", "0011_clean_text_fields")]
AFTER = [("transcripts", "0012_turn_revisions")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


def snapshot(*turns):
    return {
        "schema": 2,
        "event": {"title": "River Hearing"},
        "participants": [],
        "turns": [
            {
                "public_id": pid,
                "label": "LEE",
                "speaker": None,
                "kind": "remark",
                "section": "discussion",
                "paragraphs": p,
            }
            for pid, p in turns
        ],
    }


@pytest.mark.django_db(transaction=True)
def test_existing_versions_fill_the_earlier_texts():
    try:
        old = migrate(BEFORE)
        Event, EventRevision = old.get_model("transcripts", "Event"), old.get_model("transcripts", "EventRevision")
        event = Event.objects.create(title="River Hearing", slug="river-hearing", status="published")
        other = Event.objects.create(title="Other", slug="other", status="published")
        versions = [
            snapshot(("aaaaaaaaaa", ["The levee held in April."]), ("bbbbbbbbbb", ["Thanks."])),
            snapshot(("aaaaaaaaaa", ["The levee held in May."]), ("bbbbbbbbbb", ["Thanks."])),
            snapshot(("bbbbbbbbbb", ["Thanks."])),
        ]
        for number, data in enumerate(versions, start=1):
            EventRevision.objects.create(event=event, number=number, snapshot=data)
        EventRevision.objects.create(event=other, number=1, snapshot=snapshot(("cccccccccc", ["Hello."])))
        EventRevision.objects.create(event=other, number=2, snapshot={"turns": "damaged"})
        unreadable = {**snapshot(("dddddddddd", ["Hi."])), "schema": 99}  # vouches for nothing
        EventRevision.objects.create(event=other, number=3, snapshot=unreadable)
        EventRevision.objects.create(event=other, number=4, snapshot=snapshot())

        new = migrate(AFTER)
        rows = new.get_model("transcripts", "TurnRevision").objects.order_by("event_id", "number")
        assert list(rows.values_list("event_id", "public_id", "number", "position", "paragraphs")) == [
            (event.pk, "aaaaaaaaaa", 1, 1, ["The levee held in April."]),
            (event.pk, "aaaaaaaaaa", 2, 1, ["The levee held in May."]),
            (other.pk, "cccccccccc", 1, 1, ["Hello."]),
        ]
    finally:
        migrate([("transcripts", "0012_turn_revisions")])
