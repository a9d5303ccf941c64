"""The rough edges a newcomer meets first: empty states that say what to do, page numbers
past the end, plain sentences for searches that cannot match, the frequent speakers'
order, titles for files that carry none, and the upload page's list of file types."""

import datetime
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from search_helpers import make_event, process_queue, search_index, searchable_sample  # noqa: F401

from tests.staff.test_admin_support import editor, editor_client  # noqa: F401  (fixtures)
from transcripts.models import Event
from transcripts.operations.imports import import_transcript

DEMO = Path(__file__).resolve().parents[2] / "transcripts" / "demo"
CAPTIONS = DEMO / "transcripts" / "open-ledger-2024-03-19-worker-voice.vtt"


def few_events(count: int):
    for n in range(count):
        make_event(f"Panel {n}", date=datetime.date(2020 + n % 3, 1, 1 + n), turns=[("Ana Ruiz", "panelist", "Hi.")])


# --- empty states -------------------------------------------------------------------------


def test_an_empty_archive_says_how_to_add_a_transcript(db, client):
    for path in ("/", "/events/"):
        html = client.get(path).content.decode()
        assert "No events yet." in html
        assert "import_transcripts" in html
        assert reverse("admin:transcripts_event_upload") in html
        assert "match these filters" not in html
    assert 'class="filters"' not in client.get("/events/").content.decode()  # nothing to filter yet


def test_events_that_do_not_match_the_filters_are_not_called_no_events(db, client):
    few_events(3)
    html = client.get("/events/?year=2021").content.decode()
    assert "1 event, newest first" in html
    html = client.get("/events/?year=1999").content.decode()
    assert "No events in 1999." in html
    assert "No events yet" not in html and "import_transcripts" not in html
    assert 'href="/events/">Show all events</a>' in html


# --- page numbers -------------------------------------------------------------------------


def test_a_list_page_past_the_end_redirects_to_the_last_page(db, client, monkeypatch):
    monkeypatch.setattr("transcripts.reader.views.pages.EVENTS_PER_PAGE", 2)
    few_events(5)
    response = client.get("/events/?year=&page=999")
    assert response.status_code == 302 and response["Location"] == "/events/?year=&page=3"
    assert client.get("/events/?page=3").status_code == 200
    assert client.get("/events/?page=abc")["Location"] == "/events/"
    assert client.get("/events/?page=-1")["Location"] == "/events/?page=3"  # Django's paginator: the last page
    assert client.get("/events/?page=999&format=json")["Location"] == "/events/?page=3&format=json"


def test_a_search_or_event_page_past_the_end_redirects(client, searchable_sample):
    response = client.get("/search/?q=trafficker&page=999")
    assert response.status_code == 302 and response["Location"] == "/search/?q=trafficker&page=2"
    assert "page 2 of 2" in client.get(response["Location"]).content.decode()
    assert client.get("/search/?page=7")["Location"] == "/search/"  # no search: there is one page
    event_url = searchable_sample.get_absolute_url()
    assert client.get(f"{event_url}?page=999")["Location"] == event_url
    person_url = searchable_sample.appearances.first().person.get_absolute_url()
    last = client.get(f"{person_url}?page=50")["Location"]
    assert last.startswith(f"{person_url}?page=") and client.get(last).status_code == 200


# --- searches that cannot match -------------------------------------------------------------


def test_an_empty_search_asks_for_words(db, client, search_index):
    html = client.get("/search/?q=").content.decode()
    assert "Type a word, a name or a" in html
    assert "search-messages" not in html


def test_empty_quotes_get_a_sentence_not_an_empty_pair_of_quotes(db, client, search_index):
    html = client.get('/search/?q=""').content.decode()
    assert "Empty quotation marks were left out" in html
    assert "“”" not in html and "Very common words are left out" not in html


def test_a_speaker_nobody_is_called_says_so(client, searchable_sample):
    html = client.get("/search/?q=speaker:nobody").content.decode()
    assert "No one called “nobody” has spoken at a published event." in html
    assert "search-messages" not in html
    html = client.get("/search/?q=speaker:kara+zzzzqx").content.decode()
    assert "No one called" not in html  # Kara exists: the words are what did not match
    assert "Try fewer words" in html


def test_a_phrase_search_title_has_one_pair_of_quotes(client, searchable_sample):
    html = client.get('/search/?q="forced labor"').content.decode()
    assert "<title>&quot;forced labor&quot; · Search · Verbatim</title>" in html
    assert "“&quot;" not in html  # neither the title nor the follow box adds a second pair
    assert "<title>“cobalt” · Search · Verbatim</title>" in client.get("/search/?q=cobalt").content.decode()


def test_the_filters_fold_counts_the_active_filters(client, searchable_sample):
    html = client.get("/search/?q=trafficker").content.decode()
    assert '<details class="filter-fold" data-open-wide>' in html
    assert "<summary>Filters</summary>" in html
    html = client.get("/search/?q=trafficker&role=panelist&from=2020&sort=newest").content.decode()
    assert '<summary>Filters <span class="fold-count">· 3 active</span></summary>' in html


# --- frequent speakers ----------------------------------------------------------------------


def test_panelists_come_before_a_questioner_with_more_turns(db, client):
    text = (
        "---\ntitle: Ports\ndate: 2024-05-01\nparticipants:\n"
        "  - name: Ana Ruiz\n    label: RUIZ\n    role: presider\n"
        "  - name: Ben Okoro\n    label: OKORO\n    role: panelist\n"
        "  - name: Cy Quill\n    label: QUILL\n    role: questioner\n---\n\n"
        "RUIZ: Welcome.\n\nOKORO: One answer.\n\nQUILL: A question.\n\nRUIZ: Go on.\n\nQUILL: A second question.\n"
    )
    import_transcript(text, status="published")
    speakers = [(p["name"], p["turns"]) for p in client.get("/?format=json").json()["frequent_speakers"]]
    assert speakers == [("Ana Ruiz", 2), ("Ben Okoro", 1), ("Cy Quill", 2)]


# --- titles for files that carry none, and the upload page ----------------------------------


def test_import_transcripts_gives_a_caption_file_its_title_and_date(db):
    with pytest.raises(CommandError):
        call_command("import_transcripts", str(CAPTIONS), stdout=StringIO(), stderr=StringIO())
    assert not Event.objects.exists()
    out = StringIO()
    call_command(
        "import_transcripts",
        str(CAPTIONS),
        "--title",
        "Worker Voice",
        "--date",
        "2024-03-19",
        "--topic",
        "Labor Rights",
        stdout=out,
        stderr=StringIO(),
    )
    event = Event.objects.get()
    assert (event.title, event.date, [t.name for t in event.topics.all()]) == (
        "Worker Voice",
        datetime.date(2024, 3, 19),
        ["Labor Rights"],
    )
    assert event.turns.count() == 12
    assert "No title found" not in out.getvalue()


@pytest.mark.parametrize(
    "args, message",
    [
        ([str(CAPTIONS), "--date", "19/03/2024"], "write it as YYYY-MM-DD"),
        ([str(DEMO / "transcripts"), "--title", "x"], "describe one event, but 6 files were given"),
    ],
)
def test_import_transcripts_options_say_what_is_wrong(db, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("import_transcripts", *args, stdout=StringIO(), stderr=StringIO())
    assert not Event.objects.exists()


def test_the_upload_page_lists_every_accepted_type(editor_client):
    html = editor_client.get(reverse("admin:transcripts_event_upload")).content.decode()
    intro = html[html.index('<p class="intro">') : html.index("</p>", html.index('<p class="intro">'))]
    for kind in (".txt", ".md", ".html", ".docx", ".vtt", ".srt", "Rev and Otter exports"):
        assert kind in intro, kind


def test_the_event_page_skips_to_the_transcript_and_keeps_links_in_the_tab_order_without_javascript(
    client, sample_event
):
    html = client.get(sample_event.get_absolute_url()).content.decode()
    assert html.index('<a class="skip-link" href="#transcript">Skip to transcript</a>') < html.index(
        '<a class="skip-link" href="#main">'
    )
    assert '<section class="transcript" id="transcript" tabindex="-1"' in html
    assert "js/turns.js" in html
    # Without the script a turn is not a Tab stop of its own and none of its links leave the order.
    turns = html[html.index('id="transcript"') :]
    assert 'tabindex="0"' not in turns and "<a tabindex" not in turns
