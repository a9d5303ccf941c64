"""URL fields accept http(s) addresses only (transcripts.validation.HTTP_URL_VALIDATOR), so
the admin's forms refuse `javascript:` and other links too. No change to the columns."""

import django.core.validators
from django.db import migrations, models


def http_url_field(**kwargs):
    validator = django.core.validators.URLValidator(
        message="Enter a web address starting with http:// or https:// (other kinds of link are not allowed).",
        schemes=["http", "https"],
    )
    return models.URLField(blank=True, validators=[validator], **kwargs)


class Migration(migrations.Migration):
    dependencies = [
        ("transcripts", "0003_editors_group"),
    ]

    operations = [
        migrations.AlterField(model_name="event", name="media_url", field=http_url_field(max_length=500)),
        migrations.AlterField(model_name="event", name="source_url", field=http_url_field(max_length=500)),
        migrations.AlterField(model_name="person", name="photo_url", field=http_url_field()),
    ]
