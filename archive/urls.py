from django.contrib import admin
from django.urls import include, path

from archive.security import safe_next_login
from transcripts.reader.media_files import serve_media

admin.site.site_header = "Verbatim administration"
admin.site.site_title = "Verbatim admin"

handler400 = "archive.errors.bad_request"
handler500 = "archive.errors.server_error"

urlpatterns = [
    # Before admin.site.urls, so this wrapped login view is the one that answers.
    path("admin/login/", safe_next_login(admin.site.login), name="admin-login"),
    path("admin/", admin.site.urls),
    path("alerts/", include("transcripts.alerts.urls")),
    path("", include("transcripts.reports.urls")),
    path("media/<path:path>", serve_media, name="media_file"),
    path("", include("transcripts.reader.urls")),
]
