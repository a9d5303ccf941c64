"""Model fields that clean what they store: every write path (a model's save, an admin
form, bulk_create, a queryset update, the archive import) goes through a field's
pre_save or get_prep_value, so the cleaning rule in transcripts.validation cannot be
forgotten by one of them."""

from django.db import models

from transcripts.stored_text import clean_stored_text


class CleanTextMixin:
    """Control characters removed on every write; with `strip_invisible=True` invisible format
    characters too, and whitespace runs made one space."""

    def __init__(self, *args, strip_invisible: bool = False, **kwargs):
        self.strip_invisible = strip_invisible
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        field_name, path, args, kwargs = super().deconstruct()
        if self.strip_invisible:
            kwargs["strip_invisible"] = True
        return field_name, path, args, kwargs

    def pre_save(self, model_instance, add):
        # Cleans the instance too, so what the caller holds after save() is what is stored.
        value = clean_stored_text(super().pre_save(model_instance, add), name=self.strip_invisible)
        setattr(model_instance, self.attname, value)
        return value

    def get_prep_value(self, value):
        # queryset.update() and bulk_update() do not call pre_save.
        return clean_stored_text(super().get_prep_value(value), name=self.strip_invisible)


class CleanCharField(CleanTextMixin, models.CharField):
    pass


class CleanTextField(CleanTextMixin, models.TextField):
    pass
