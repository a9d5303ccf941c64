"""Every write the domain knows, one plain function each, grouped by what it writes:

- `imports`: import_transcript, apply_snapshot, restore_revision (and resolve_person,
  resolve_topics, which an import uses to find or make people and topics);
- `uploads`: stage_upload, remember_review, discard_upload, confirm (an admin upload kept
  for review, then stored);
- `edits`: edit_turn, delete_turns, edit_event, set_status, create_event, delete_events;
- `people`: merge_people, delete_person, save_person;
- `topics`: save_topic, delete_topics;
- `media`: align_event (turn times from captions);
- `archive`: import_archive (restoring an export);
- `versions`: record_revision (called by the others, inside their transaction).

Each runs in one transaction, validates its input (transcripts.validation; the speaker cap
for every entry point), records the version it makes, and says its side effects through
`effects` (index work queued in the same transaction, counters recounted, the page cache
renewed on commit). No signal receiver does any of this behind its back.
"""
