from django.apps import AppConfig


class StaffConfig(AppConfig):
    """The staff admin (transcripts.staff.admin, found by admin autodiscovery), its forms
    and its suggestions. The ModelAdmins are for the domain's models, so their URLs and
    templates stay under admin/transcripts/."""

    name = "transcripts.staff"
    label = "staff"
    verbose_name = "Staff"
