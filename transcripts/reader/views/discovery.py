"""robots.txt and /favicon.ico: the two files browsers and crawlers ask for at the site's root."""

from django.contrib.staticfiles import finders
from django.http import FileResponse, Http404, HttpResponse
from django.urls import reverse
from django.views.decorators.cache import cache_control

FAVICON = "img/favicon.ico"


def robots_txt(request):
    """Everything readable may be crawled except admin and the endless search result pages."""
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /search/",
        "Allow: /",
        "",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


@cache_control(max_age=86400, public=True)
def favicon(request):
    """The icon every browser asks for at /favicon.ico, admin pages included (a 404 before)."""
    path = finders.find(FAVICON)
    if not path:
        raise Http404("No favicon.")
    return FileResponse(open(path, "rb"), content_type="image/x-icon")
