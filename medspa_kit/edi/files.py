"""Writing an EDI file whole or not at all."""

from __future__ import annotations

from pathlib import Path

from ..files import write_text_file


def write_edi_file(path: str | Path, text: str, field: str) -> None:
    """Write the X12 ``text`` to ``path`` through a temporary file in the same folder, renamed
    into place only when complete: an error leaves no half-written file and an earlier file
    untouched (:func:`medspa_kit.files.atomic_output`).

    Raises
    ------
    FileError
        ``--claim: cannot write 'out/x.837': No such file or directory`` (a missing or read-only
        folder, a folder given as the file, a full disk).
    """
    write_text_file(path, text, field)
