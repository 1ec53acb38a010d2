"""An 835's envelope checked before any parser sees it: delimiters, segments and control counts.

X12 fixes the interchange header ``ISA`` at 106 characters: sixteen elements of fixed widths, its
4th character the element separator, its 105th the component separator and its 106th the segment
terminator [x12-envelope]. Every interchange closes what it opens, with counts: ``SE01`` the
segments of its transaction (``ST`` to ``SE``), ``GE01`` the transactions of a group, ``IEA01``
the groups of the interchange, and ``SE02``/``GE02``/``IEA02`` repeat their header's control
number. A file cut short or pasted together breaks one of these, and this module says which.

Line breaks after a segment terminator (``~`` then CR LF, as most 835s come) are not part of the
data: they are dropped. Any other control character (a NUL, a tab) or invisible format character (a
right-to-left mark) inside a segment is refused.
Pure: no x12sdk, no I/O.

References
----------
.. [1] x12-envelope: ASC X12 5010 control segments ISA/IEA, GS/GE, ST/SE (x12.org); x12-835
   (005010X221A1, the segments an 835 holds).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation

from ..errors import EdiError
from ..fields import DATES
from ..files import TABLE_MAX_BYTES
from .parties import FILE_DATES, VERSIONS

ISA_LENGTH = 106
"""characters: the interchange header, its segment terminator included"""
ISA_WIDTHS = (2, 10, 2, 10, 2, 15, 2, 15, 6, 4, 1, 5, 9, 1, 1)
"""characters: ISA01 to ISA15 (ISA16, the component separator, is one character)"""
GROUP_835, VERSION_835 = VERSIONS["835"]
"""GS01 and GS08: the 835's functional group and the implementation guide HIPAA names (the ones
the kit writes)"""
SEGMENTS_835 = frozenset({"ST", "BPR", "TRN", "CUR", "REF", "DTM", "N1", "N2", "N3", "N4", "PER", "RDM",
                          "LX", "TS3", "TS2", "CLP", "CAS", "NM1", "MIA", "MOA", "AMT", "QTY", "SVC", "LQ",
                          "PLB", "SE"})
"""the segment ids of an 835 transaction (005010X221A1)"""
NUMBERS_835 = {"BPR": (2,), "CLP": (3, 4, 5, 9), "CAS": (3, 4, 6, 7, 9, 10, 12, 13, 15, 16, 18, 19),
               "AMT": (2,), "QTY": (2,), "SVC": (2, 3, 5, 7), "PLB": (4, 6, 8, 10, 12, 14), "TS3": (4,)}
"""the elements of an 835 that hold a number (X12 types R and N): each is written with ASCII
digits, an optional leading minus, one decimal point and an exponent after ``E`` (no ``１４０``,
``1_40`` or ``+140``)"""
NUMBER = re.compile(r"-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:E-?[0-9]+)?")  # X12's R: an exponent after E
PROCEDURE_COMPONENTS = 7
"""components of a composite procedure (SVC01, SVC06: C003) in an 835: qualifier, code, four
modifiers and a description (C003-08 is not used in an 835); more would be dropped unread"""


@dataclass(frozen=True)
class Segment:
    """One segment: its 1-based position in the interchange and its elements (``[0]`` is its id)."""

    number: int
    elements: tuple[str, ...]

    @property
    def id(self) -> str:
        return self.elements[0]

    def element(self, i: int) -> str:
        """Element ``i`` (1-based, ``SE01``), empty when the segment stops before it."""
        return self.elements[i] if i < len(self.elements) else ""

    def at(self) -> str:
        return f"segment {self.number} ({self.id})"


@dataclass(frozen=True)
class Interchange:
    """An interchange whose envelope is whole; ``text`` is it rewritten without line breaks."""

    segments: tuple[Segment, ...]
    text: str
    transactions: int


def read_interchange(text: object, transaction: str = "835") -> Interchange:
    """The segments of an X12 interchange, its envelope checked.

    Parameters
    ----------
    text : str
        ``ISA … IEA``; leading white space (and a byte-order mark) is ignored, and so are line
        breaks (CR, LF) after a segment terminator.
    transaction : str
        The transaction set every ``ST01`` must name (``835``).

    Returns
    -------
    Interchange
        Its segments in order and its text rewritten with the same delimiters and no line breaks
        (with ``~`` as terminator when the file ends segments with a line break alone).

    Raises
    ------
    EdiError
        One line naming the segment (id and position) and element: not text, too long, an ISA
        that is not 106 characters of fixed-width elements, a control character, a segment the
        835 does not have, a missing ``SE``/``GE``/``IEA`` trailer, a count or control number
        that does not match, another transaction set (``ST01 is 837``) or version.
    """
    if not isinstance(text, str):
        raise EdiError(f"remittance: expected the 835 as text (str), got {type(text).__name__}"
                       + ("; decode it first: data.decode('utf-8')" if isinstance(text, (bytes, bytearray)) else ""))
    if len(text) > TABLE_MAX_BYTES:  # the limit of every table file the kit reads
        raise EdiError(f"remittance: {len(text):,} characters; the kit reads an 835 of at most "
                       f"{TABLE_MAX_BYTES:,}")
    text = text.lstrip("\ufeff \t\r\n")
    if not text.startswith("ISA"):
        raise EdiError("remittance: not an X12 interchange (it does not begin with ISA)")
    separator, component, terminator = _isa_delimiters(text)
    segments = _segments(text, separator, terminator)
    count = _check_envelope(segments, transaction, component)
    canonical = terminator
    if terminator in "\r\n":  # x12sdk drops every LF: end segments with a character the text lacks
        canonical = next((c for c in "~!`" if c not in text), "")
        if not canonical:
            raise EdiError("ISA: segments end with a line break and the text holds every usable terminator")
    rows = [separator.join(s.elements) for s in segments]
    return Interchange(tuple(segments), canonical.join(rows) + canonical, count)


def _isa_delimiters(text: str) -> tuple[str, str, str]:
    """The element separator, the component separator (ISA16) and the segment terminator."""
    separator = text[3:4]
    if not separator or separator.isalnum() or separator in " \r\n":
        raise EdiError(f"ISA: {separator!r} (its 4th character) cannot be the element separator")
    fields = text[:ISA_LENGTH + 20].split(separator, 16)
    if len(fields) < 17:
        raise EdiError(f"ISA: {len(fields) - 1} of its 16 elements found separated by {separator!r} (its 4th "
                       f"character, the element separator, used throughout)")
    for i, width in enumerate(ISA_WIDTHS, start=1):
        if len(fields[i]) != width:
            raise EdiError(f"ISA{i:02d} is {len(fields[i])} characters ({fields[i]!r}); X12 fixes it at {width} "
                           f"(the ISA is {ISA_LENGTH} characters, padded with spaces)")
    if len(fields[16]) < 2:
        raise EdiError("ISA: the text ends inside the interchange header")
    component, terminator = fields[16][0], fields[16][1]
    after = sum(len(f) + 1 for f in fields[:16]) + 2  # where the segment after the ISA begins
    if terminator in "\r\n" and text[after:after + 10_000].split(terminator, 1)[0].rstrip("\r").endswith(component):
        # "…*P*~" then a line break: the "~" ends every segment, so ISA16 is what is missing
        raise EdiError(f"ISA: it ends {component!r} and a line break, as the next segment ends {component!r}: ISA16, "
                       f"the component separator, is missing (X12 fixes the ISA at {ISA_LENGTH} characters: ISA16, "
                       "then the segment terminator)")
    repetition = fields[11]
    for name, char in (("ISA16 component separator", component), ("segment terminator", terminator)):
        if char.isalnum() or char == " " or char in (separator, repetition) or component == terminator:
            raise EdiError(f"ISA: {char!r} cannot be the {name} (delimiters must differ from each other and "
                           f"from letters, digits and spaces)")
    return separator, component, terminator


def _invisible(char: str) -> bool:
    """A control (C1) or format character (a right-to-left mark, a zero-width space): shown as
    nothing, it would make a code look like another."""
    return unicodedata.category(char) in ("Cc", "Cf")


def _segments(text: str, separator: str, terminator: str) -> list[Segment]:
    pieces = text.split(terminator)
    if pieces[-1].strip("\r\n \t"):
        raise EdiError(f"segment {len(pieces)} ({pieces[-1][:3].strip()!r}…): the text ends without a segment "
                       f"terminator {terminator!r} (cut short?)")
    segments = []
    for number, piece in enumerate(pieces[:-1], start=1):
        body = piece.strip("\r\n")
        elements = tuple(body.split(separator))
        name = elements[0]
        if not body:
            raise EdiError(f"segment {number}: empty (two segment terminators {terminator!r} in a row)")
        bad = next((c for c in body if ord(c) < 32 or ord(c) == 127 or not c.isascii() and _invisible(c)), None)
        if bad is not None:
            where = next(i for i, e in enumerate(elements) if bad in e)
            kind = "a control character" if unicodedata.category(bad) == "Cc" else "an invisible format character"
            raise EdiError(f"segment {number} ({name[:3]!r}): {kind} U+{ord(bad):04X} in element "
                           f"{where}; X12 data holds none")
        if not (2 <= len(name) <= 3 and name.isascii() and name.isalnum() and name == name.upper()):
            raise EdiError(f"segment {number}: {name[:10]!r} is not a segment id (2 or 3 capital letters or digits)")
        segments.append(Segment(number, elements))
    return segments


ENVELOPE_ELEMENTS = {"GS": 8, "ST": 3, "SE": 2, "GE": 2, "IEA": 2}
"""the most elements each envelope segment has (X12 005010; ISA's 16 are checked as it is read)"""


def _check_envelope(segments: list[Segment], transaction: str, component: str) -> int:
    """The number of transactions; EdiError at the first envelope problem, or at a number written
    as no X12 number (a reader would take ``１４０`` or ``1_40`` for 140), or a procedure of more
    components than X12 has (a reader would drop the rest)."""
    isa, last = segments[0], segments[-1]
    second = next((s for s in segments[1:] if s.id == "ISA"), None)
    if second is not None:  # two files pasted together
        raise EdiError(f"{second.at()}: a second interchange begins here; read one 835 interchange at a time")
    _date(isa, 9, "%y%m%d", "YYMMDD")  # the interchange's date: ISA09
    if last.id != "IEA":
        raise EdiError(f"IEA: the interchange has no IEA trailer (it ends at {last.at()}; cut short?)")
    groups = transactions = 0
    group: Segment | None = None
    st: Segment | None = None
    in_group = 0
    for s in segments[1:-1]:
        if st is not None and s.id not in ("SE", "ST", "GE", "GS", "IEA", "ISA"):
            if s.id not in SEGMENTS_835:
                raise EdiError(f"{s.at()}: not a segment of an 835 remittance")
            if s.id == "DTM" or (s.id == "BPR" and s.element(16)):
                _date(s, 2 if s.id == "DTM" else 16)
            for i in NUMBERS_835.get(s.id, ()):
                if _read_as_another_number(s.element(i)):
                    raise EdiError(f"{s.at()}: {s.id}{i:02d} {s.element(i)[:20]!r} is not a number (ASCII digits and "
                                   "one point, no commas: 1550.00)")
            for i in ((1, 6) if s.id == "SVC" else ()):
                if len(s.element(i).split(component)) > PROCEDURE_COMPONENTS:
                    raise EdiError(f"{s.at()}: SVC{i:02d} {s.element(i)[:40]!r} has more than {PROCEDURE_COMPONENTS} "
                                   "components (qualifier, code, four modifiers, description): "
                                   "a line carries at most four modifiers")
            continue
        _elements_at_most(s)
        if s.id == "GS":
            _expect(group is None, s, "the group before it has no GE trailer")
            _expect(s.element(1) == GROUP_835, s, f"GS01 is {s.element(1)!r}; an 835's group is {GROUP_835}")
            _expect(s.element(8) == VERSION_835, s,
                    f"GS08 is {s.element(8)!r}; the kit reads the 835 of version {VERSION_835}")
            _date(s, 4)  # the group's date: GS04, CCYYMMDD
            group, in_group, groups = s, 0, groups + 1
        elif s.id == "ST":
            _expect(group is not None, s, "ST outside a functional group (no GS before it)")
            _expect(st is None, s, f"the transaction at segment {st.number if st else 0} has no SE trailer")
            if s.element(1) != transaction:
                raise EdiError(f"{s.at()}: not an {transaction} remittance (ST01 is {s.element(1)!r})")
            st, in_group, transactions = s, in_group + 1, transactions + 1
        elif s.id == "SE":
            if st is None:
                raise EdiError(f"{s.at()}: SE without its ST")
            _count(s, 1, s.number - st.number + 1, f"the transaction's segments (ST at segment {st.number} to SE)")
            _control(s, 2, st, 2)
            st = None
        elif s.id == "GE":
            _expect(st is None, s, f"the transaction at segment {st.number if st else 0} has no SE trailer")
            if group is None:
                raise EdiError(f"{s.at()}: GE without its GS")
            _count(s, 1, in_group, "the group's transactions (ST)")
            _control(s, 2, group, 6)
            group = None
        else:
            raise EdiError(f"{s.at()}: outside a transaction (between ST and SE)")
    _expect(st is None, last, f"the transaction at segment {st.number if st else 0} has no SE trailer")
    _expect(group is None, last, "the last group has no GE trailer")
    _expect(transactions > 0, last, "the interchange holds no 835 transaction (ST … SE)")
    _elements_at_most(last)
    _count(last, 1, groups, "the interchange's groups (GS)")
    _control(last, 2, isa, 13)
    return transactions


def _elements_at_most(segment: Segment) -> None:
    """EdiError when an envelope segment has more elements than its kind (``GE*1*1*X``), which a
    reader would otherwise drop unread."""
    most = ENVELOPE_ELEMENTS.get(segment.id)
    if most is not None and len(segment.elements) - 1 > most:
        raise EdiError(f"{segment.at()}: {len(segment.elements) - 1} elements; {segment.id} has {most}")


def _read_as_another_number(value: str) -> bool:
    """Text that is no X12 number, yet that Python's Decimal (the parser's) reads as one: ``１４０``,
    ``1_40``, ``+140``, `` 140``. (What Decimal refuses too, or reads as NaN, the parser names.)"""
    if not value or NUMBER.fullmatch(value):
        return False
    try:
        return Decimal(value).is_finite()
    except InvalidOperation:
        return False


def _date(segment: Segment, i: int, layout: str = "%Y%m%d", shape: str = "CCYYMMDD") -> None:
    value = segment.element(i)
    try:
        if len(value) != len(shape):
            raise ValueError(value)
        day = datetime.strptime(value, layout).date()
    except ValueError:
        raise EdiError(f"{segment.at()}: {segment.id}{i:02d} {value[:20]!r} is not a date ({shape})") from None
    # a date of service (DTM*472) is one the kit reads; a payment or file date comes after it, up to a year
    service = segment.id == "DTM" and segment.element(1) == "472"
    latest = DATES[1] if service else FILE_DATES[1]
    if shape == "CCYYMMDD" and not DATES[0] <= day <= latest:
        raise EdiError(f"{segment.at()}: {segment.id}{i:02d} {value!r} is outside the dates the kit reads "
                       f"({DATES[0].isoformat()} to {latest.isoformat()}{'' if service else ' for a payment'})")


def _expect(condition: bool, segment: Segment, message: str) -> None:
    if not condition:
        raise EdiError(f"{segment.at()}: {message}")


def _count(segment: Segment, i: int, actual: int, what: str) -> None:
    value = segment.element(i)
    if not (value.isascii() and value.isdigit()) or int(value) != actual:
        raise EdiError(f"{segment.at()}: {segment.id}{i:02d} is {value[:20]!r} but {what} number {actual}")


def _control(trailer: Segment, i: int, header: Segment, j: int) -> None:
    if trailer.element(i).strip() != header.element(j).strip():
        raise EdiError(f"{trailer.at()}: {trailer.id}{i:02d} {trailer.element(i)[:20]!r} does not match "
                       f"{header.id}{j:02d} {header.element(j)[:20]!r} at segment {header.number}")
