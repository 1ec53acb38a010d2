"""Writing an EDI file whole or not at all."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from ..errors import EdiError


def write_edi_file(path: str | Path, text: str, field: str) -> None:
    """Write ``text`` to ``path`` through a temporary file in the same folder, renamed into place
    only when complete: an error leaves no half-written file and an earlier file untouched.

    Raises
    ------
    EdiError
        ``--claim: cannot write 'out/x.837': No such file or directory`` (a missing or read-only
        folder, a folder given as the file, a full disk).
    """
    target = Path(path)
    if target.is_dir():
        raise EdiError(f"{field}: cannot write {str(path)!r}: it is a folder")
    try:
        fd, temp = tempfile.mkstemp(dir=target.parent if str(target.parent) else ".", prefix=f".{target.name}.",
                                    suffix=".part")
    except OSError as err:
        raise EdiError(f"{field}: cannot write {str(path)!r}: {err.strerror}") from None
    try:
        with os.fdopen(fd, "w", encoding="ascii", newline="\n") as handle:
            handle.write(text)
        os.chmod(temp, 0o644)
        os.replace(temp, target)
    except OSError as err:
        Path(temp).unlink(missing_ok=True)
        raise EdiError(f"{field}: cannot write {str(path)!r}: {err.strerror}") from None
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
