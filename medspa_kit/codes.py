"""ICD-10-CM and NPI checks.

ICD-10-CM codes are checked against the real FY2026 code set shipped by ``simple-icd-10-cm``.
That package parses its XML when imported (about 2 s, 200 MB), so it is imported lazily, once,
and only for a code that the bundled catalog (``datasets/diagnoses.csv``, itself verified by
``medspa-kit validate``) does not already know.

References
----------
NPI check digit: CMS "Requirements for National Provider Identifier (NPI) and NPI Enumeration
check digit" (Luhn formula with the implied card-issuer prefix 80840); 45 CFR 162.406.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from .errors import ScenarioError, shown_value

__all__ = ["normalize_icd", "icd_problem", "describe_icd", "npi_problem", "IcdCheck"]

_ICD_SHAPE = re.compile(r"^[A-Z][0-9][0-9A-Z](\.?[0-9A-Z]{1,4})?$")

IcdStatus = Literal["billable", "header", "unknown"]


def normalize_icd(code: str) -> str:
    """Upper-case, strip spaces and put the dot after the third character (``l74510`` → ``L74.510``).

    Text holding anything but ASCII letters, digits and dots is returned as written, spaces removed, with no dot
    moved (it names no code, and is refused as unknown).

    Raises ScenarioError naming ``code`` when it is no text (None, a number)."""
    if not isinstance(code, str):
        raise ScenarioError.one("code", f"{shown_value(code)} is not an ICD-10-CM code (write it as text, such as "
                                        "'L74.510')")
    written = code.strip().replace(" ", "")
    if not all(char.isascii() and (char.isalnum() or char == ".") for char in written):
        # Not a code's characters (an invisible or right-to-left mark, a dash, a German sharp s that upper-cases to
        # two letters): quoted back as written, since a dot placed by counting them shows a code nobody wrote.
        return written
    text = written.upper()
    bare = text.replace(".", "")
    if len(bare) > 3:
        return f"{bare[:3]}.{bare[3:]}"
    return bare


@lru_cache(maxsize=1)
def _icd():
    with warnings.catch_warnings():
        # The package reads its data with importlib.resources.read_text, deprecated in 3.11+.
        warnings.simplefilter("ignore", DeprecationWarning)
        import simple_icd_10_cm

    return simple_icd_10_cm


@dataclass(frozen=True)
class IcdCheck:
    """What the code set says of one code."""

    code: str
    status: IcdStatus
    description: str = ""
    suggestions: tuple[str, ...] = ()


@lru_cache(maxsize=4096)
def check_icd(code: str) -> IcdCheck:
    """Look a code up in the ICD-10-CM code set (imports ``simple-icd-10-cm`` on first use).

    ``billable`` means a valid category or subcategory with no children (a leaf); ``header`` a
    valid code with more specific codes under it (``L74.5``); anything else is ``unknown``.
    """
    norm = normalize_icd(code)
    if not _ICD_SHAPE.match(norm):
        return IcdCheck(norm, "unknown")
    icd = _icd()
    if not icd.is_valid_item(norm) or not icd.is_category_or_subcategory(norm):
        return IcdCheck(norm, "unknown")
    description = icd.get_description(norm)
    if icd.is_leaf(norm):
        return IcdCheck(norm, "billable", description)
    leaves = [c for c in icd.get_descendants(norm) if icd.is_leaf(c) and icd.is_category_or_subcategory(c)]
    return IcdCheck(norm, "header", description, tuple(icd.add_dot(c) for c in leaves))


def icd_problem(code: str, known: frozenset[str] = frozenset()) -> str | None:
    """A one-line reason why ``code`` cannot go on a claim, or None when it is billable.

    ``known`` is the set of codes already verified (the bundled catalog); they skip the lookup.
    """
    if not isinstance(known, (set, frozenset)):  # a text would match by substring: 'L74' in 'L74.510'
        raise ScenarioError.one("known", f"expected a set of ICD-10-CM codes (the catalog's known_diagnoses), got "
                                         f"{type(known).__name__}")
    if not isinstance(code, str):
        return f"{shown_value(code)} is not an ICD-10-CM code (write it as text, such as 'L74.510')"
    norm = normalize_icd(code)
    if norm in known:
        return None
    found = check_icd(norm)
    if found.status == "billable":
        return None
    if found.status == "header":
        examples = ", ".join(found.suggestions[:4])
        more = ", …" if len(found.suggestions) > 4 else ""
        return (
            f"{norm!r} ({found.description}) is a category, not billable: "
            f"pick a more specific code ({examples}{more})"
        )
    return f"{shown_value(code.strip())} is not an ICD-10-CM code"


def describe_icd(code: str) -> str:
    """The code set's own title for a code ('' when unknown)."""
    found = check_icd(normalize_icd(code))
    return found.description


def npi_check_digit(base9: str) -> int:
    """The Luhn check digit of a 9-digit NPI base, counting the implied 80840 prefix (+24)."""
    if not (isinstance(base9, str) and len(base9) == 9 and base9.isascii() and base9.isdigit()):
        raise ScenarioError.one("base9", f"{shown_value(base9)} is not the first 9 digits of an NPI (a text of 9 digits)")
    total = 24
    for i, ch in enumerate(reversed(base9)):
        d = int(ch)
        if i % 2 == 0:
            d = d * 2 - 9 if d * 2 > 9 else d * 2
        total += d
    return (10 - total % 10) % 10


def npi_problem(npi: str) -> str | None:
    """A one-line reason why ``npi`` is not a valid NPI, or None when it is valid."""
    if not isinstance(npi, str):
        return f"{shown_value(npi)} is not an NPI: write it as text of 10 digits"
    text = npi.strip()
    if not (len(text) == 10 and text.isascii() and text.isdigit()):
        return f"{shown_value(text)} is not an NPI: an NPI is exactly 10 digits"
    if text[0] not in "12":
        return f"{shown_value(text)} is not an NPI: an NPI starts with 1 (a person) or 2 (an organization)"
    expected = npi_check_digit(text[:9])
    if int(text[9]) != expected:
        return f"{shown_value(text)} fails the NPI check digit: the last digit should be {expected}"
    return None


from ._public import plain_public  # noqa: E402 - (once the module is made)

plain_public(globals())  # text and numbers of a subclass reach each public function as plain values
