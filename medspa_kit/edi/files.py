"""Writing EDI files whole or not at all."""

from __future__ import annotations

from pathlib import Path

from ..files import write_text_file, write_text_files


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


def write_edi_files(outputs: list[tuple[str | Path, str, str]]) -> None:
    """Write each ``(path, text, field)`` of X12 ``outputs`` (a claim and its remittance), all of
    them or none: every file is written whole beside its name before any is put in place, so an
    error with one leaves every earlier file as it was (:func:`medspa_kit.files.write_text_files`).

    Raises
    ------
    FileError
        naming the field of the output that cannot be written (``--remittance: cannot write
        'nodir/x.835': No such file or directory``); no file is changed.
    """
    write_text_files(outputs)


from .._public import plain_public  # noqa: E402 - (once the module is made)

plain_public(globals())  # text and numbers of a subclass reach each public function as plain values
