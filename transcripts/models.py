"""Verbatim's data: events, the people who speak at them, and what they said."""

from django.conf import settings
from django.core.validators import FileExtensionValidator
from django.db import models
from django.urls import reverse

from transcripts import languages
from transcripts.fields import CleanCharField, CleanTextField
from transcripts.markup import render_markdown
from transcripts.normalise import name_key  # Person.name_key; importable from here as before
from transcripts.stored_text import HTTP_URL_VALIDATOR, clean_stored_text


class Role(models.TextChoices):
    """Who a speaker is at an event. The parser emits these values; staff can change them in the preview."""

    HOST = "host", "Host"  # runs the programme: a podcast's host and co-host, a series' anchor
    PRESIDER = "presider", "Presider"  # also a moderator
    CHAIR = "chair", "Chair"  # presides over a hearing, committee or chamber
    MEMBER = "member", "Member"  # of the committee, chamber or council holding the session
    PANELIST = "panelist", "Panelist"
    SPEAKER = "speaker", "Speaker"  # gives a talk rather than sitting on a panel
    WITNESS = "witness", "Witness"  # answers a hearing's or a court's questions
    COUNSEL = "counsel", "Counsel"
    QUESTIONER = "questioner", "Questioner"
    OPERATOR = "operator", "Operator"
    OTHER = "other", "Other speaker"


class Kind(models.TextChoices):
    REMARK = "remark", "Remark"
    QUESTION = "question", "Question"
    PROCEDURAL = "procedural", "Procedural"


class Section(models.TextChoices):
    DISCUSSION = "discussion", "Discussion"
    QA = "qa", "Audience Q&A"


class TopicQuerySet(models.QuerySet):
    def public(self):
        """Topics of at least one published event: the only ones readers may see named."""
        return self.filter(
            models.Exists(
                Event.topics.through.objects.filter(topic_id=models.OuterRef("pk")).filter(
                    is_published(models.OuterRef("event_id"))
                )
            )
        )


def is_published(event_id) -> models.Exists:
    """A condition true when the event `event_id` (an OuterRef) is published, looked up by
    its primary key. Written as a join or as `event__in=Event.objects.published()`, the
    condition let SQLite walk every published event (its status index promises few, having
    no statistics) before looking at the one row asked about: 15 ms at 15,000 events."""
    return models.Exists(Event.objects.filter(pk=event_id, status=Event.Status.PUBLISHED))


class Topic(models.Model):
    name = CleanCharField(max_length=200, unique=True, strip_invisible=True)
    slug = models.SlugField(max_length=200, unique=True)
    description = CleanTextField(blank=True, help_text="Markdown.")
    description_html = models.TextField(blank=True, editable=False)
    # Kept by transcripts.counts in the transaction of every change to the archive (the home
    # page's topics box read a GROUP BY over every event's topics).
    published_event_count = models.PositiveIntegerField(default=0, editable=False)

    objects = TopicQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.description_html = render_markdown(self.description)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("topic", args=[self.slug])


class PersonQuerySet(models.QuerySet):
    def named(self, given: str):
        """The person whose address (slug) is `given`, else whose name compares equal to it
        (case, accents and spacing aside); None for nobody or an empty name."""
        if not given:
            return None
        return self.filter(slug=given).first() or self.filter(name_key=name_key(given)).first()

    def public(self):
        """People who appear at a published event: a draft-only person has no public page, feed or name."""
        return self.filter(
            models.Exists(
                Appearance.objects.filter(person_id=models.OuterRef("pk")).filter(
                    is_published(models.OuterRef("event_id"))
                )
            )
        )


class Person(models.Model):
    name = CleanCharField(max_length=200, strip_invisible=True)
    # At most NAME_KEY_LENGTH characters whatever the name folds to (see normalise.name_key).
    name_key = models.CharField(max_length=200, db_index=True, editable=False)
    # Family name first, for the A–Z index ("Kara Siddharth").
    sort_name = models.CharField(max_length=200, db_index=True, editable=False)
    slug = models.SlugField(max_length=200, unique=True)
    bio = CleanTextField(blank=True, help_text="Markdown.")
    bio_html = models.TextField(blank=True, editable=False)
    photo_url = models.URLField(blank=True, validators=[HTTP_URL_VALIDATOR])
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)
    # Published events they spoke at other than as the call operator, and their turns there:
    # kept by transcripts.counts in the transaction of every change to the archive (the home
    # page's most frequent speakers read a GROUP BY over every appearance and turn).
    speaking_event_count = models.PositiveIntegerField(default=0, editable=False)
    speaking_turn_count = models.PositiveIntegerField(default=0, editable=False)

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["sort_name"]
        verbose_name_plural = "people"
        indexes = [
            models.Index(
                fields=["-speaking_event_count", "-speaking_turn_count", "sort_name"], name="person_frequent_speaker"
            )
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name = clean_stored_text(self.name, name=True)  # the derived fields below read it
        self.name_key = name_key(self.name)
        parts = self.name.split()
        # Case-folding can lengthen a name ("ß" -> "ss"); the sort key needs only its start.
        self.sort_name = " ".join(parts[-1:] + parts[:-1]).casefold()[:200] if parts else ""
        self.bio_html = render_markdown(self.bio)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("person", args=[self.slug])


class PersonRedirect(models.Model):
    """An old person URL that now belongs to another record (after a merge)."""

    old_slug = models.SlugField(max_length=200, unique=True)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="redirects")

    def __str__(self):
        return f"{self.old_slug} -> {self.person_id}"


class EventQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Event.Status.PUBLISHED)


class Event(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    title = CleanCharField(max_length=300)
    slug = models.SlugField(max_length=200, unique=True)
    date = models.DateField(null=True, blank=True)
    description = CleanTextField(blank=True, help_text="Markdown.")
    description_html = models.TextField(blank=True, editable=False)
    organiser = CleanCharField("organiser or series", max_length=200, blank=True)
    source_url = models.URLField(max_length=500, blank=True, validators=[HTTP_URL_VALIDATOR])
    media_url = models.URLField(max_length=500, blank=True, validators=[HTTP_URL_VALIDATOR])
    # Media for the player: an uploaded file wins over media_url (see transcripts.media.embed).
    media_file = models.FileField(
        upload_to="media/",
        blank=True,
        help_text="An MP3, M4A, WAV, MP4 or WebM recording (instead of a media URL).",
        validators=[FileExtensionValidator(["mp3", "m4a", "wav", "ogg", "oga", "opus", "mp4", "m4v", "webm", "mov"])],
    )
    captions_file = models.FileField(
        upload_to="captions/", blank=True, help_text="The WebVTT or SubRip captions the turns were timed from."
    )
    # The last alignment's report (transcripts.media.alignment.AlignmentReport.as_dict()).
    alignment = models.JSONField(default=dict, blank=True, editable=False)
    photo_credit = CleanCharField(max_length=200, blank=True)
    # ISO 639-1; "" when not said (searched as English, as before languages were recorded).
    language = models.CharField(
        max_length=2,
        blank=True,
        choices=languages.CHOICES,
        help_text="What the transcript is written in: its words are searched with this language's stemming.",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    source_text = models.TextField(blank=True, help_text="The raw text this event was imported from.")
    source_sha256 = models.CharField(max_length=64, blank=True, editable=False)
    topics = models.ManyToManyField(Topic, blank=True, related_name="events")
    people = models.ManyToManyField(Person, through="Appearance", related_name="events")
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-id"]
        indexes = [
            models.Index(fields=["status", "-date"], name="event_status_date"),
            # The search page's Language menu reads the published events' languages: from
            # this index alone, not every event's row (on SQLite `language` sits past the
            # whole source text, so a scan read every transcript: 70 ms at 15,000 events).
            models.Index(fields=["status", "language"], name="event_status_language"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.description_html = render_markdown(self.description)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("event", args=[self.slug])

    @property
    def is_published(self):
        return self.status == self.Status.PUBLISHED

    @property
    def language_name(self) -> str:
        return languages.language_name(self.language)


class Appearance(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="appearances")
    # Empty for a speaker of this event only ("Operator", "Q", "Speaker 2"): no person page,
    # no "appeared with", not in the People A–Z; `name` is what the event shows for them.
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.CASCADE, related_name="appearances")
    name = models.CharField(max_length=200, blank=True, help_text="The name shown for a speaker of this event only.")
    role = models.CharField(max_length=12, choices=Role.choices, default=Role.OTHER)
    # Parliamentary labels carry the office and constituency: "The Chair (Mr. … (Guelph, Lib.))".
    label = CleanCharField(max_length=300, blank=True, help_text="As written in the transcript, e.g. LAGON.")
    title = CleanTextField(blank=True, help_text="Title or affiliation held at this event.")
    affiliation = CleanCharField(max_length=200, blank=True)
    order = models.PositiveIntegerField(default=0)
    # Their turns and spoken words at this event, kept by transcripts.counts (the person page
    # adds these up and pages through them instead of counting and sorting every turn).
    turn_count = models.PositiveIntegerField(default=0, editable=False)
    word_count = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["event", "order"]
        constraints = [models.UniqueConstraint(fields=["event", "person"], name="one_appearance_per_person")]
        indexes = [
            models.Index(fields=["person", "event"], name="appearance_person"),
            # Covers a person's recount (transcripts.counts): their appearances by role with
            # each one's turn count, without reading the appearance rows.
            models.Index(fields=["person", "role", "event", "turn_count"], name="appearance_speaking"),
        ]

    def __str__(self):
        return f"{self.speaker_name} ({self.get_role_display()}) at {self.event}"

    @property
    def speaker_name(self) -> str:
        return self.person.name if self.person_id else self.name


class Turn(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="turns")
    position = models.PositiveIntegerField()
    appearance = models.ForeignKey(Appearance, null=True, blank=True, on_delete=models.SET_NULL, related_name="turns")
    label = CleanCharField(max_length=300)
    paragraphs = models.JSONField(default=list, help_text="The turn's paragraphs, stage directions in place.")
    text = models.TextField(editable=False)
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.REMARK)
    section = models.CharField(max_length=12, choices=Section.choices, default=Section.DISCUSSION)
    word_count = models.PositiveIntegerField(default=0, editable=False)
    timestamp = CleanCharField(max_length=12, blank=True)
    # Seconds into the event's media where the turn starts (from the transcript or from
    # aligned captions); null when unknown. One entry per paragraph, null where unknown.
    start_seconds = models.FloatField(null=True, blank=True)
    paragraph_starts = models.JSONField(default=list, blank=True)
    # The public id is what permalinks and quote links carry: it survives re-imports.
    public_id = models.CharField(max_length=16, unique=True)

    class Meta:
        ordering = ["event", "position"]
        constraints = [models.UniqueConstraint(fields=["event", "position"], name="one_turn_per_position")]
        indexes = [models.Index(fields=["appearance", "event"], name="turn_appearance")]

    def __str__(self):
        return f"{self.event.slug} #{self.position} {self.label}"

    def save(self, *args, **kwargs):
        self.refresh_derived()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("event", args=[self.event.slug]) + f"#{self.anchor}"

    @property
    def anchor(self):
        return f"t-{self.public_id}"

    def refresh_derived(self):
        from transcripts.parsing import split_stage_directions

        self.text = "\n\n".join(self.paragraphs)
        self.word_count = sum(
            len(seg.text.split())
            for paragraph in self.paragraphs
            for seg in split_stage_directions(paragraph)
            if seg.kind == "speech"
        )


class EventRevision(models.Model):
    """A version of an event as it stood after an import or an edit: restoring it puts it back."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    created = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    note = models.CharField(max_length=300, blank=True)
    source_text = models.TextField(blank=True)
    snapshot = models.JSONField()

    class Meta:
        ordering = ["event", "-number"]
        constraints = [models.UniqueConstraint(fields=["event", "number"], name="one_revision_number")]

    def __str__(self):
        return f"{self.event} v{self.number}"


class TurnRevision(models.Model):
    """A text a turn had before an operation changed or removed it, keyed by the turn's
    public id: quote and turn links to an earlier wording are checked here, without
    reading whole event versions (transcripts.revisions fills and reads it)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="turn_revisions")
    public_id = models.CharField(max_length=16)
    # The event version (EventRevision.number) that held this text, and the turn's place in it.
    number = models.PositiveIntegerField()
    position = models.PositiveIntegerField()
    paragraphs = models.JSONField(default=list)

    class Meta:
        ordering = ["-number", "-id"]
        indexes = [models.Index(fields=["public_id", "-number"], name="turn_revision_public_id")]

    def __str__(self):
        return f"{self.public_id} in v{self.number}"


class PendingUpload(models.Model):
    """A transcript staff uploaded in the admin and have not confirmed yet.

    The text lives here, server-side, under a random token: the preview form cannot
    smuggle in a different text, and the row lock taken on confirm makes a second
    confirm (a double click, two staff) find the upload already stored."""

    token = models.CharField(max_length=64, unique=True)
    created = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    filename = models.CharField(max_length=255, blank=True)
    source_text = models.TextField()
    # What staff typed on the upload form (title, date, organiser, URLs, topics).
    metadata = models.JSONField(default=dict, blank=True)
    # What decoding the file noticed (e.g. "read as Windows-1252"), shown in the preview.
    warnings = models.JSONField(default=list, blank=True)
    # The event this upload corrects, when staff started from that event.
    event = models.ForeignKey(Event, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    # The parser's result (Transcript.to_dict()) and what it was parsed from (a hash of the
    # text and the parser's review choices): re-rendering the preview does not parse again.
    parsed = models.JSONField(null=True, blank=True, editable=False)
    parsed_key = models.CharField(max_length=64, blank=True, editable=False)
    # What staff chose in the preview so far (event fields, speaker rows by key), kept here
    # so a paginated speaker table posts one page at a time: see transcripts.plan.
    review = models.JSONField(default=dict, blank=True)
    confirmed = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    result = models.ForeignKey(Event, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-created"]

    def __str__(self):
        return f"Upload {self.filename or self.token[:8]}"
