"""One mailbox however its address is spelt, for rate limits: `"victim"@example.org`,
`"\\victim"@example.org`, `VICTIM@example.org` and `victim@EXAMPLE.org.` reach the same
mailbox, and so do a Unicode domain and its punycode (xn--) form."""

from __future__ import annotations

import contextlib
import hashlib
import re

_QUOTED_PAIR = re.compile(r"\\(.)")


def canonical_mailbox(address: str) -> str:
    """The address with its local part unquoted and lower-cased and its domain in ASCII
    (IDNA) form, lower-cased, without a trailing dot."""
    local, _, domain = address.strip().rpartition("@")
    if len(local) >= 2 and local.startswith('"') and local.endswith('"'):
        local = _QUOTED_PAIR.sub(r"\1", local[1:-1])
    domain = domain.strip().rstrip(".").lower()
    with contextlib.suppress(UnicodeError):  # not a valid IDNA name: compare it as written
        domain = domain.encode("idna").decode("ascii")
    return f"{local.lower()}@{domain.lower()}"


def mailbox_key(address: str) -> str:
    """A fixed-size key of the canonical mailbox (the column holds any address's key)."""
    return hashlib.sha256(canonical_mailbox(address).encode()).hexdigest()
