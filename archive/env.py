"""Reading settings from the environment, kept apart so settings.py reads as a list."""

import os
from pathlib import Path
from urllib.parse import parse_qs, urlparse

from django.core.exceptions import ImproperlyConfigured


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def search_connection(url: str, var_dir: Path) -> dict:
    """Turn SEARCH_URL into a HAYSTACK_CONNECTIONS entry.

    whoosh:///abs/path (default: var/whoosh_index), opensearch://host:9200/index,
    elasticsearch7://host:9200/index, solr://host:8983/solr/core. Whoosh and OpenSearch
    have Verbatim's adapters (the tested engines, docs/search-engines.md); the others are
    haystack's stock backends. opensearch:// takes more hosts after the first
    (opensearch://a:9200,b:9200/verbatim) and the options shards (2), replicas (1),
    write_copies (1, or all: a write waits for every copy) and tls=1.
    """
    if not url:
        return {
            "ENGINE": "transcripts.search.whoosh_backend.VerbatimWhooshEngine",
            "PATH": str(var_dir / "whoosh_index"),
        }
    parsed = urlparse(url)
    options = {k: v[-1] for k, v in parse_qs(parsed.query).items()}
    if parsed.scheme == "whoosh":
        return {"ENGINE": "transcripts.search.whoosh_backend.VerbatimWhooshEngine", "PATH": parsed.path}
    if parsed.scheme == "opensearch":
        scheme = "https" if options.get("tls") == "1" else "http"
        return {
            "ENGINE": "transcripts.search.opensearch_backend.VerbatimOpenSearchEngine",
            "URL": [f"{scheme}://{host}/" for host in parsed.netloc.split(",") if host],
            "INDEX_NAME": parsed.path.strip("/") or "verbatim",
            "INCLUDE_SPELLING": True,
            "TIMEOUT": int(options.get("timeout", 10)),
            "SHARDS": int(options.get("shards", 2)),
            "REPLICAS": int(options.get("replicas", 1)),
            "WRITE_COPIES": options.get("write_copies", "1"),
        }
    if parsed.scheme in {"elasticsearch7", "es7"}:
        index = parsed.path.strip("/") or "verbatim"
        scheme = "https" if options.get("tls") == "1" else "http"
        return {
            "ENGINE": "haystack.backends.elasticsearch7_backend.Elasticsearch7SearchEngine",
            "URL": f"{scheme}://{parsed.netloc}/",
            "INDEX_NAME": index,
            "INCLUDE_SPELLING": True,
        }
    if parsed.scheme in {"solr", "solrs"}:
        scheme = "https" if parsed.scheme == "solrs" else "http"
        return {
            "ENGINE": "haystack.backends.solr_backend.SolrEngine",
            "URL": f"{scheme}://{parsed.netloc}{parsed.path}",
            "INCLUDE_SPELLING": True,
        }
    raise ImproperlyConfigured(
        f"SEARCH_URL scheme {parsed.scheme!r} is not supported; use whoosh:///path, "
        "opensearch://host:9200/index, elasticsearch7://host:9200/index or solr://host:8983/solr/core."
    )
