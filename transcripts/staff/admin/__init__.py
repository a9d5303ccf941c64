"""Verbatim's staff admin. Importing this package registers every ModelAdmin on admin.site:

- events (events.py), with the upload → preview → confirm pages (upload.py) and the
  versions / restore / draft-preview pages (versions.py);
- people (people.py), with merging and the speaker lookup;
- turns (turns.py), topics (topics.py), and the admin log (log.py).
"""

from transcripts.staff.admin import events, log, people, topics, turns  # noqa: F401

__all__ = ["events", "log", "people", "topics", "turns"]
