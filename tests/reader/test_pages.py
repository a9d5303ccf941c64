"""Reader pages: what each shows, their JSON twins, and how many queries they cost."""

import datetime
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from search_helpers import process_queue, search_index, searchable_sample  # noqa: F401

from transcripts.counts import recount_everything
from transcripts.models import Appearance, Event, Person, PersonRedirect, Topic, Turn
from transcripts.search.api import SearchUnavailable

pytestmark = pytest.mark.django_db


def html_of(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def turn_of(event, name, nth=0):
    return list(event.turns.filter(appearance__person__name=name).order_by("position"))[nth]


def big_event(n_turns: int, *, title="A Long Panel", date=datetime.date(2023, 5, 1)) -> Event:
    """An event with two panelists and a presider taking turns, `n_turns` long."""
    event = Event.objects.create(title=title, slug=f"long-{n_turns}", date=date, status="published")
    people = [
        Person.objects.get_or_create(name=n, defaults={"slug": n.lower().replace(" ", "-")})[0]
        for n in ("Ann Chair", "Bo Panel", "Cy Panel")
    ]
    roles = ["presider", "panelist", "panelist"]
    apps = [
        Appearance.objects.create(event=event, person=p, role=r, order=i) for i, (p, r) in enumerate(zip(people, roles))
    ]
    turns = []
    for i in range(n_turns):
        turn = Turn(
            event=event,
            position=i + 1,
            appearance=apps[i % 3],
            label="X",
            public_id=f"big{n_turns}x{i:05d}",
            paragraphs=[f"Turn {i} says something (Laughs.) about policy.", "A second paragraph here."],
            section="qa" if i > n_turns // 2 else "discussion",
            kind="question" if i % 10 == 9 else "remark",
        )
        turn.refresh_derived()
        turns.append(turn)
    Turn.objects.bulk_create(turns)
    recount_everything()  # bulk_create sends no signals: count as the bulk corpus writer does
    return event


# --- Home and lists -------------------------------------------------------------------


def test_home_shows_latest_events_topics_speakers_and_a_search_box(client, sample_event):
    html = html_of(client.get("/"))
    assert f'href="/events/{sample_event.slug}/">Combating Human Trafficking and Modern Slavery</a>' in html
    assert '>Human Trafficking <span class="count">1</span>' in html
    speakers = re.findall(r'<li><a href="/people/([\w-]+)/">', html.split('id="speakers-h"')[1])
    assert speakers[:4] == ["mark-lagon", "siddharth-kara", "susan-coppedge", "maggy-krell"]  # most turns first
    assert "operator" not in speakers
    assert 'action="/search/"' in html and 'name="q"' in html
    data = client.get("/", {"format": "json"}).json()
    assert data["latest_events"][0]["title"] == "Combating Human Trafficking and Modern Slavery"
    assert data["frequent_speakers"][0] == {
        "slug": "mark-lagon",
        "name": "Mark Lagon",
        "url": "http://testserver/people/mark-lagon/",
        "events": 1,
        "turns": 29,
    }


def test_events_list_filters_by_year_and_topic_and_paginates(client, sample_event):
    for n in range(22):
        Event.objects.create(
            title=f"Event {n:02d}",
            slug=f"event-{n}",
            date=datetime.date(2020, 1, 1) + datetime.timedelta(days=n),
            status="published",
        )
    Event.objects.create(title="A Draft", slug="draft", date=datetime.date(2024, 1, 1), status="draft")
    html = html_of(client.get("/events/"))
    assert "23 events, newest first." in html and "A Draft" not in html
    assert html.index("Combating Human Trafficking") < html.index("Event 21")  # 2022 before 2020
    assert "Page 1 of 2" in html and 'href="?page=2"' in html
    assert "Event 00" in html_of(client.get("/events/", {"page": 2}))
    only_2022 = html_of(client.get("/events/", {"year": "2022"}))
    assert "1 event, newest first." in only_2022 and "Event 01" not in only_2022
    assert '<option value="2022" selected>' in only_2022
    by_topic = html_of(client.get("/events/", {"topic": "supply-chains"}))
    assert "Events on Supply Chains" in by_topic and "Event 01" not in by_topic
    assert "1 event" in html_of(client.get("/events/", {"year": "2022", "topic": "human-rights"}))
    bad = html_of(client.get("/events/", {"year": "twenty", "topic": "nope", "page": "zzz"}, follow=True))
    assert "“twenty” is not a year, so all years are shown." in bad
    assert "There is no topic “nope”, so all topics are shown." in bad
    data = client.get("/events/", {"year": "2020", "format": "json"}).json()
    assert data["page"]["count"] == 22 and data["filters"] == {"year": "2020", "topic": None}


def test_people_index_groups_speakers_by_family_name(client, sample_event):
    html = html_of(client.get("/people/"))
    assert "9 speakers, by family name." in html  # the operator is not a speaker
    k_section = html.split('id="letter-K"')[1].split("</section>")[0]
    assert re.findall(r'">([^<]+)</a>', k_section) == ["Siddharth Kara", "Maggy Krell"]
    assert 'href="#letter-T"' in html and "/people/operator/" not in html
    assert len(client.get("/people/", {"format": "json"}).json()["people"]) == 9


def test_topics_index_lists_topics_with_counts(client, sample_event):
    Topic.objects.create(name="Empty Topic", slug="empty-topic")
    html = html_of(client.get("/topics/"))
    assert '<span class="topic-name">Human Rights</span> <span class="muted">1 event</span>' in html
    assert "Empty Topic" not in html  # a topic no published event uses has no page
    data = client.get("/topics/", {"format": "json"}).json()
    assert [t["slug"] for t in data["topics"]] == [
        "human-rights",
        "human-trafficking",
        "modern-slavery",
        "supply-chains",
    ]


# --- Event page -----------------------------------------------------------------------


def test_event_page_shows_header_participants_and_contents(client, sample_event):
    html = html_of(client.get(f"/events/{sample_event.slug}/"))
    assert "<h1>Combating Human Trafficking and Modern Slavery</h1>" in html
    assert '<time datetime="2022-02-17">Thursday, 17 February 2022</time>' in html
    assert '<p class="eyebrow">Council on Foreign Relations</p>' in html
    assert "<p>Following National Slavery and Human Trafficking Prevention Month" in html
    participants = html.split('id="participants-h"')[1].split("</section>")[0]
    assert re.findall(r'class="participant-name"><a href="/people/([\w-]+)/">', participants) == [
        "mark-lagon",
        "susan-coppedge",
        "siddharth-kara",
        "maggy-krell",
    ]
    assert '<span class="badge role-presider">Presider</span>' in participants
    assert "Senior Counsel, Krevolin &amp; Horst; Former Ambassador-at-Large" in participants
    assert '<a href="/people/kristin-lord/">Kristin Lord</a>, <span class="muted">IREX</span>' in participants
    toc = html.split('id="toc-h"')[1].split("</nav>")[0]
    first_qa = sample_event.turns.filter(section="qa").order_by("position").first()
    assert re.findall(r'<a href="#t-\w+">([^<]+)</a>', toc) == [
        "Opening",
        "Discussion",
        "Audience Q&amp;A",
        "Peter Galbraith",
        "Shirin Tahir-Kheli",
        "Kristin Lord",
        "Elizabeth Verville",
        "Jaeduk Seo",
    ]
    assert f'<a href="#t-{first_qa.public_id}">Audience Q&amp;A</a>' in toc
    assert '<a href="#t-' in toc and '<span class="muted">Radio Free Asia</span>' in toc


def test_word_share_chart_is_drawn_on_the_server(client, sample_event):
    html = html_of(client.get(f"/events/{sample_event.slug}/"))
    chart = html.split('id="share-h"')[1].split("</section>")[0]
    names = re.findall(r'<a href="/people/[\w-]+/">([^<]+)</a>', chart)
    assert names[:4] == ["Siddharth Kara", "Susan Coppedge", "Mark Lagon", "Maggy Krell"]
    total = sum(t.word_count for t in sample_event.turns.all())
    kara = sum(t.word_count for t in sample_event.turns.filter(appearance__person__name="Siddharth Kara"))
    assert f'<span class="share-num">{round(100 * kara / total)}%</span>' in chart
    assert f'<rect class="share-fill role-panelist" width="{round(100 * kara / total, 1):.2f}"' in chart
    assert chart.count("<svg") == 10


def test_transcript_turns_have_anchors_speakers_badges_and_stage_directions(client, sample_event):
    html = html_of(client.get(f"/events/{sample_event.slug}/"))
    assert html.count('<article class="turn ') == 63
    kara = turn_of(sample_event, "Siddharth Kara")
    article = html.split(f'id="t-{kara.public_id}"')[1].split("</article>")[0]
    assert f'data-turn="{kara.public_id}"' in html
    assert (
        '<a href="/people/siddharth-kara/">Siddharth Kara</a> <span class="badge role-panelist">Panelist</span>'
        in article
    )
    assert f'<p id="t-{kara.public_id}-p2">' in article
    assert f'href="#t-{kara.public_id}-p2" aria-label="Link to paragraph 2 of this turn"' in article
    assert f'href="#t-{kara.public_id}" aria-label="Link to this turn by Siddharth Kara"' in article
    laughs = turn_of(sample_event, "Siddharth Kara", 2)
    assert laughs.paragraphs[0].startswith("Well, you took my idea")
    assert '<span class="stage">(Laughs.)</span>' in html.split(f'id="t-{laughs.public_id}"')[1].split("</article>")[0]
    inaudible = sample_event.turns.get(paragraphs=["(Inaudible.)"])
    assert f'<p id="t-{inaudible.public_id}-p1" class="stage-only"><span class="stage">(Inaudible.)</span>' in html


def test_turns_link_to_the_same_speakers_previous_and_next_turn(client, sample_event):
    html = html_of(client.get(f"/events/{sample_event.slug}/"))
    karas = [
        t.public_id for t in sample_event.turns.filter(appearance__person__name="Siddharth Kara").order_by("position")
    ]
    first = html.split(f'id="t-{karas[0]}"')[1].split("</article>")[0]
    middle = html.split(f'id="t-{karas[1]}"')[1].split("</article>")[0]
    last = html.split(f'id="t-{karas[-1]}"')[1].split("</article>")[0]
    assert 'class="prev"' not in first and f'<a href="#t-{karas[1]}" class="next">' in first
    assert f'<a href="#t-{karas[0]}" class="prev">' in middle and f'<a href="#t-{karas[2]}" class="next">' in middle
    assert f'<a href="#t-{karas[-2]}" class="prev">' in last and 'class="next"' not in last


def test_event_page_with_q_highlights_terms_and_lists_matching_turns(client, searchable_sample):
    event = searchable_sample
    html = html_of(client.get(f"/events/{event.slug}/", {"q": "cobalt"}))
    matches = html.split('id="matches-h" class="notice-title"')[1].split("</section>")[0]
    cobalt_turns = [t for t in event.turns.order_by("position") if "cobalt" in t.text.lower()]
    assert matches.startswith(f">{len(cobalt_turns)} turn{'s match' if len(cobalt_turns) > 1 else ' matches'} “cobalt”")
    for turn in cobalt_turns:
        assert f'<a href="#t-{turn.public_id}">' in matches
    transcript = html.split('id="transcript-h"')[1]
    assert transcript.count("<mark>cobalt</mark>") + transcript.count("<mark>Cobalt</mark>") >= 4
    assert 'value="cobalt"' in html  # the in-event search box keeps the words
    data = client.get(f"/events/{event.slug}/", {"q": "cobalt", "format": "json"}).json()
    assert [m["public_id"] for m in data["matches"]] and data["query"] == "cobalt"


def test_event_page_with_q_survives_a_broken_index(client, sample_event, monkeypatch):
    def broken(*args, **kwargs):
        raise SearchUnavailable("The search index is being rebuilt; try again in a minute.")

    monkeypatch.setattr("transcripts.reader.views.event_page.find_turns", broken)
    html = html_of(client.get(f"/events/{sample_event.slug}/", {"q": "cobalt"}))
    assert "The search index is being rebuilt; try again in a minute." in html
    assert html.count('<article class="turn ') == 63


def test_event_json_twin(client, sample_event):
    data = client.get(f"/events/{sample_event.slug}/", {"format": "json"}).json()
    assert data["title"] == "Combating Human Trafficking and Modern Slavery" and data["date"] == "2022-02-17"
    assert [t["slug"] for t in data["topics"]] == [
        "human-rights",
        "human-trafficking",
        "modern-slavery",
        "supply-chains",
    ]
    assert len(data["turns"]) == 63 and len(data["participants"]) == 10
    kara = turn_of(sample_event, "Siddharth Kara")
    turn = next(t for t in data["turns"] if t["id"] == kara.public_id)
    assert turn["speaker"] == "siddharth-kara" and turn["role"] == "panelist"
    assert turn["permalink"] == f"http://testserver/events/{sample_event.slug}/#t-{kara.public_id}"
    assert turn["paragraphs"][1]["permalink"].endswith(f"#t-{kara.public_id}-p2")
    assert [q["asker"] for q in data["questions"]][2:] == ["Kristin Lord", "Elizabeth Verville", "Jaeduk Seo"]
    assert sum(p["words"] for p in data["participants"]) == data["total_words"]


def test_drafts_and_unknown_events_are_friendly_404s(client, sample_event):
    sample_event.status = "draft"
    sample_event.save()
    response = client.get(f"/events/{sample_event.slug}/")
    assert response.status_code == 404
    assert "We could not find that page" in response.content.decode()
    assert client.get("/events/no-such-event/").status_code == 404


def test_event_page_query_count_does_not_grow_with_turns(client, sample_event):
    long = big_event(150)
    with CaptureQueriesContext(connection) as small:
        html_of(client.get(f"/events/{sample_event.slug}/"))
    with CaptureQueriesContext(connection) as large:
        html = html_of(client.get(f"/events/{long.slug}/"))
    assert html.count('<article class="turn ') == 150
    assert len(large) == len(small) <= 10, [q["sql"] for q in large.captured_queries]


# --- Person page ----------------------------------------------------------------------


def test_person_page_shows_bio_counts_appearances_turns_and_co_speakers(client, sample_event):
    kara = Person.objects.get(slug="siddharth-kara")
    kara.bio = "Writes about **modern slavery**."
    kara.save()
    html = html_of(client.get("/people/siddharth-kara/"))
    assert "<h1>Siddharth Kara</h1>" in html and "<strong>modern slavery</strong>" in html
    turns = list(Turn.objects.filter(appearance__person=kara))
    words = sum(t.word_count for t in turns)
    assert "<strong>1</strong> event" in html and f"<strong>{len(turns)}</strong> turns" in html
    assert f"<strong>{words:,}</strong> words spoken" in html
    appearances = html.split('id="appearances-h"')[1].split("</section>")[0]
    assert "Combating Human Trafficking and Modern Slavery" in appearances and "role-panelist" in appearances
    assert "British Academy Global Professor" in appearances
    assert f'<a href="/events/{sample_event.slug}/">' in appearances
    assert '<time datetime="2022-02-17">17 February 2022</time>' in appearances
    first = turn_of(sample_event, "Siddharth Kara")
    assert f'href="/t/{first.public_id}/">Read in context' in html  # lands on the turn's page of a long event
    assert client.get(f"/t/{first.public_id}/")["Location"] == f"/events/{sample_event.slug}/#t-{first.public_id}"
    with_section = html.split('id="with-h"')[1].split("</section>")[0]
    assert "Mark Lagon" in with_section and "Siddharth Kara" not in with_section and "Operator" not in with_section
    assert 'name="speaker" value="siddharth-kara"' in html  # search within their words
    assert 'href="/people/siddharth-kara/feed/"' in html


def test_person_turns_are_newest_first_and_paginated(client, sample_event):
    older = big_event(60, title="Older Panel", date=datetime.date(2019, 3, 1))
    html = html_of(client.get("/people/bo-panel/"))
    assert "Page 1 of 1" not in html and "Page 1 of 1" not in html
    newer = big_event(6, title="Newer Panel", date=datetime.date(2024, 3, 1))
    html = html_of(client.get("/people/bo-panel/"))
    excerpts = re.findall(r'<li class="excerpt">\s*<p class="meta"><a href="/events/([\w-]+)/">', html)
    assert excerpts[:2] == [newer.slug, newer.slug] and excerpts[2] == older.slug
    assert len(excerpts) == 20 and "Page 1 of 2" in html
    page2 = html_of(client.get("/people/bo-panel/", {"page": 2}))
    assert len(re.findall(r'<li class="excerpt">', page2)) == 2 + 20 - 20  # 22 turns in all
    data = client.get("/people/bo-panel/", {"format": "json", "page": 2}).json()
    assert data["page"]["count"] == 22 and data["counts"]["events"] == 2


def test_person_page_query_count_does_not_grow_with_turns(client, sample_event):
    big_event(300)
    with CaptureQueriesContext(connection) as small:
        html_of(client.get("/people/siddharth-kara/"))
    with CaptureQueriesContext(connection) as large:
        html_of(client.get("/people/bo-panel/"))
    assert len(large) == len(small) <= 10, [q["sql"] for q in large.captured_queries]


def test_merged_person_urls_redirect_and_unknown_people_404(client, sample_event):
    PersonRedirect.objects.create(old_slug="s-kara", person=Person.objects.get(slug="siddharth-kara"))
    response = client.get("/people/s-kara/", {"page": "2"})
    assert response.status_code == 301 and response["Location"] == "/people/siddharth-kara/?page=2"
    assert client.get("/people/nobody/").status_code == 404
    Person.objects.create(name="Only In Drafts", slug="only-in-drafts")
    assert client.get("/people/only-in-drafts/").status_code == 404


# --- Topic page -----------------------------------------------------------------------


def test_topic_page_shows_description_events_passages_and_related_topics(client, searchable_sample):
    topic = Topic.objects.get(slug="supply-chains")
    topic.description = "Goods made with *forced labor*."
    topic.save()
    html = html_of(client.get("/topics/supply-chains/"))
    assert "<h1>Supply Chains</h1>" in html and "<em>forced labor</em>" in html
    assert f'href="/events/{searchable_sample.slug}/">Combating Human Trafficking' in html
    passages = html.split('id="passages-h"')[1].split("</section>")[0]
    assert passages.count('<li class="excerpt">') >= 1 and "<mark>" in passages
    related = html.split('id="related-h"')[1].split("</section>")[0]
    assert re.findall(r'class="chip" href="/topics/([\w-]+)/"', related) == [
        "human-rights",
        "human-trafficking",
        "modern-slavery",
    ]
    data = client.get("/topics/supply-chains/", {"format": "json"}).json()
    assert data["events"][0]["slug"] == searchable_sample.slug and data["passages"]


def test_topic_page_without_search_says_so(client, sample_event, monkeypatch):
    def broken(*args, **kwargs):
        raise SearchUnavailable("")

    monkeypatch.setattr("transcripts.reader.views.pages.find_turns", broken)
    html = html_of(client.get("/topics/human-rights/"))
    assert "Search is unavailable right now, so no passages can be suggested." in html
    assert client.get("/topics/no-such-topic/").status_code == 404


# --- Shared page furniture ------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/", "/events/", "/people/", "/topics/", "/people/siddharth-kara/", "/topics/human-rights/"]
)
def test_every_page_has_landmarks_nav_canonical_and_a_json_twin(client, sample_event, path):
    html = html_of(client.get(path))
    assert '<a class="skip-link" href="#main">' in html and '<main id="main"' in html
    assert '<nav class="site-nav" aria-label="Main">' in html
    for label, href in (("Events", "/events/"), ("People", "/people/"), ("Topics", "/topics/"), ("Search", "/search/")):
        assert re.search(rf'<a href="{href}"[^>]*>{label}</a>', html)
    assert f'<link rel="canonical" href="http://testserver{path}">' in html
    twin = re.search(r'<link rel="alternate" type="application/json" href="([^"]+)">', html).group(1)
    assert json.loads(client.get(twin.replace("&amp;", "&")).content)
    assert "<script>" not in html  # no inline scripts (a strict CSP comes later)
    h_levels = [int(n) for n in re.findall(r"<h([1-6])[ >]", html)]
    assert h_levels[0] == 1 and all(b - a <= 1 for a, b in zip(h_levels, h_levels[1:]))


def test_frequent_speakers_counts_published_events_and_turns_without_the_operator(sample_event, sample_text):
    from django.db.models import Count, Q

    from transcripts.operations.imports import import_transcript
    from transcripts.reader.views.pages import frequent_speakers

    second = sample_text.replace("Combating Human Trafficking and Modern Slavery\n", "A Second Panel\n", 1)
    import_transcript(second.replace("Thursday, February 17, 2022", "Tuesday, March 8, 2022"), status="published")
    draft = second.replace("A Second Panel\n", "A Draft Panel\n", 1)
    import_transcript(draft.replace("Thursday, February 17, 2022", "Friday, May 6, 2022"), status="draft")
    speaking = Q(appearances__event__status="published") & ~Q(appearances__role="operator")
    expected = list(
        Person.objects.annotate(
            event_count=Count("appearances__event", filter=speaking, distinct=True),
            turn_count=Count("appearances__turns", filter=speaking, distinct=True),
        )
        .filter(event_count__gt=0)
        .order_by("-event_count", "-turn_count", "sort_name")[:8]
    )
    got = frequent_speakers(8)
    assert [(p.name, p.event_count, p.turn_count) for p in got] == [
        (p.name, p.event_count, p.turn_count) for p in expected
    ]
    assert (got[0].name, got[0].event_count, got[0].turn_count) == ("Mark Lagon", 2, 58)
    assert "Operator" not in [p.name for p in got]


def test_an_event_is_drawn_alike_in_every_list_of_events(client, sample_event):
    # One renderer draws the home page's latest events, the events list and a topic's events:
    # the same item, its title a heading of the level the page gives it, everything escaped.
    Event.objects.filter(pk=sample_event.pk).update(organiser="<b>CFR</b> & friends")
    item = re.compile(r'<li class="event-item">.*?</li>', re.S)
    home = item.search(html_of(client.get("/"))).group()
    listed = item.search(html_of(client.get("/events/"))).group()
    topic = sample_event.topics.order_by("name").first()
    on_topic = item.search(html_of(client.get(topic.get_absolute_url()))).group()
    assert '<h2 class="event-item-title">' in listed and '<h3 class="event-item-title">' in home
    assert listed.replace("h2 class", "h3 class").replace("</h2>", "</h3>") == home
    assert "&lt;b&gt;CFR&lt;/b&gt; &amp; friends" in home and "<b>CFR</b>" not in home
    assert sample_event.title in on_topic and 'aria-label="Topics"' in home
