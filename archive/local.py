"""The secret key of a local `make run`: generated once and kept in var/secret_key, so
sessions and signed links survive a restart without anyone having to set SECRET_KEY."""

import os
import secrets
from pathlib import Path


def local_secret_key(var_dir: Path) -> str:
    path = var_dir / "secret_key"
    try:
        key = path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        key = ""
    if len(key) >= 50:
        return key
    var_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    # Readable by its owner only, and written whole: a second process starting at the same
    # moment reads either nothing (and writes its own) or a complete key.
    tmp = path.with_name(f"secret_key.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as out:
        out.write(key + "\n")
    os.replace(tmp, path)
    return key


def announce_when_up(url: str, timeout: float = 60.0) -> bool:
    """Print the site's address once it answers (any HTTP status counts), so the address
    `make run` shows is never one that does not answer yet."""
    import time
    import urllib.error
    import urllib.request

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2).close()
        except urllib.error.HTTPError:
            pass  # it answered, with an error page: up all the same
        except OSError:
            time.sleep(0.25)
            continue
        print(f"\n  Verbatim is at {url}  (Ctrl-C stops it)\n", flush=True)
        return True
    print(f"\n  !! Nothing answered at {url} after {timeout:.0f} s: see the messages above.\n", flush=True)
    return False


if __name__ == "__main__":
    import sys

    sys.exit(0 if announce_when_up(sys.argv[1]) else 1)
