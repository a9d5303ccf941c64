"""Where uploaded media and captions are stored: Django's file system storage, except that
a write that fails part way (a full disk, a quota, a read-only folder) leaves no truncated
file behind and says so in words staff can act on."""

from __future__ import annotations

import contextlib
import errno
import os

from django.core.files.storage import FileSystemStorage

DISK_FULL = (
    "The file could not be stored: the disk that holds the site's media folder is full. "
    "Nothing was kept. Free some space there (or ask whoever runs the site), then upload it again."
)
NOT_WRITABLE = (
    "The file could not be stored ({reason}). Nothing was kept. "
    "Ask whoever runs the site to check the media folder, then upload it again."
)


class StorageFailed(OSError):
    """A file could not be written; the message says why and what to do. Nothing of it is left."""

    def __str__(self) -> str:
        return self.args[0]


class MediaStorage(FileSystemStorage):
    def _save(self, name, content):
        # Only a file this call creates is removed: when the name was taken, Django picks
        # another one and the existing file is not ours to delete.
        existed = self.exists(name)
        try:
            return super()._save(name, content)
        except OSError as exc:
            if not existed:
                with contextlib.suppress(OSError):
                    os.remove(self.path(name))
            full = exc.errno in (errno.ENOSPC, errno.EDQUOT)
            raise StorageFailed(DISK_FULL if full else NOT_WRITABLE.format(reason=exc.strerror or exc)) from exc
