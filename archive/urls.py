from django.contrib import admin
from django.urls import include, path

from archive.security import ThrottledAdminAuthenticationForm
from transcripts.media.serve import serve_media

admin.site.login_form = ThrottledAdminAuthenticationForm
admin.site.site_header = "Verbatim administration"
admin.site.site_title = "Verbatim admin"

handler400 = "archive.errors.bad_request"
handler500 = "archive.errors.server_error"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("media/<path:path>", serve_media, name="media_file"),
    path("", include("transcripts.urls")),
]
