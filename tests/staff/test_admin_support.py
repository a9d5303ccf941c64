"""Fixtures and helpers shared by the admin tests (this module holds no tests itself).

`form_data(response)` turns the review page's forms back into the POST a browser would
send, so a test changes only what a person would change and submits the rest as shown."""

import datetime
from importlib import import_module

import django.apps
import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

UPLOAD_URL = "/admin/transcripts/event/upload/"


def editors_group() -> Group:
    """The Editors group made by migration 0003. A transactional test (the browser tests)
    flushes the database, data migrations' rows included: then it is made again."""
    if not Group.objects.filter(name="Editors").exists():
        import_module("transcripts.migrations.0003_editors_group").create_editors(django.apps.apps)
        import_module("transcripts.reports.migrations.0002_editors_handle_reports").grant(django.apps.apps)
    return Group.objects.get(name="Editors")


@pytest.fixture
def editor(db, django_user_model):
    user = django_user_model.objects.create_user("edith", password="edith-pass-12345", is_staff=True)
    user.groups.add(editors_group())
    return user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def upload(client, text=None, *, filename="panel.txt", data=None, event=None, **fields):
    """POST the upload form: `text` as a file named `filename` (bytes or str), or `pasted=`."""
    post = {"text": fields.pop("pasted", ""), **fields}
    if text is not None:
        content = text.encode("utf-8") if isinstance(text, str) else text
        post["file"] = SimpleUploadedFile(filename, content, content_type="text/plain")
    if event is not None:
        post["event"] = str(event.pk)
    post.update(data or {})
    return client.post(UPLOAD_URL, post)


def review_url(pending) -> str:
    return reverse("admin:transcripts_event_review", args=[pending.token])


def post_data(forms) -> dict:
    """What a browser submits for these (bound or unbound) forms, as they are shown."""
    data = {}
    for form in forms:
        for bound in form:
            value = bound.value()
            if value is None or value is False:
                continue
            if isinstance(value, (list, tuple)):
                data[bound.html_name] = [str(v) for v in value]
            elif isinstance(value, datetime.date):
                data[bound.html_name] = value.isoformat()
            else:
                data[bound.html_name] = str(value)
    return data


def form_data(response) -> dict:
    """The review page's forms as the browser would submit them."""
    speakers = response.context["speakers"]
    data = post_data([response.context["form"], speakers.management_form, *speakers.forms])
    data["speakers_page"] = str(response.context["speaker_page"].number)  # a hidden input beside the forms
    return data


def change_form_data(response) -> dict:
    """An admin change page's form and inlines as the browser would submit them."""
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms += [inline.formset.management_form, *inline.formset.forms]
    return post_data(forms)


def speaker_field(response, label: str, field: str, nth: int = 0) -> str:
    """The POST name of `field` in the nth speaker row labelled `label`."""
    rows = [row for row in response.context["speaker_table"] if row.label == label]
    return rows[nth].form[field].html_name


def submit_review(client, url, response, action="confirm", **changes):
    data = form_data(response)
    data.update(changes)
    data["action"] = action
    return client.post(url, data)
