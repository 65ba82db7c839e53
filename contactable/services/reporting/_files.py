"""Writing a report so that only its owner can read it, and never half of it."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from contactable.sources import OutputNotWritable


@contextmanager
def private_file(target: Path) -> Iterator[IO[bytes]]:
    """Yield a file readable by its owner only that replaces ``target`` at the end.

    ``mkstemp`` creates it with mode 0o600 whatever the umask, and the rename
    keeps that mode, so a report written over an older one is private too; a
    failed write leaves any older report as it was, and raises
    OutputNotWritable.
    """
    try:
        descriptor, name = tempfile.mkstemp(
            dir=target.parent, prefix=f".{target.name}.", suffix=".tmp"
        )
    except OSError:
        raise OutputNotWritable(target) from None

    temporary = Path(name)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            yield handle
        temporary.replace(target)
    except BaseException as error:
        temporary.unlink(missing_ok=True)
        if isinstance(error, OSError):
            # A full disk, or a folder where the file should go.
            raise OutputNotWritable(target) from error
        raise
