"""The words the kit shows people, in one place: decisions, networks, groups, cost fields, HSA/FSA.

Every face (text summary, HTML, tables, quiz, CLI) takes its wording from here, so "not
billable", "clinic writes off" or "PR 204" read the same everywhere.
"""

from __future__ import annotations

import re
import textwrap

from .arguments import instance, whole
from .money import format_money

__all__ = ["wrap_words", "PRINT_WIDTH", "DECISION_WORDS", "HSA_WORDS", "COST_LABELS", "GROUP_NAMES", "GROUP_WHO"]

DECISIONS = ("covered", "denied", "not_billable")
"""what happens to a line (and to a claim whose lines all fare alike)"""
CLAIM_DECISIONS = DECISIONS + ("partly_covered",)
"""a claim some of whose lines are paid and others not is partly covered"""
NETWORKS = ("in", "out", "none")
GROUPS = ("CO", "PR")
HSA_STATUSES = ("eligible", "eligible_with_lmn", "not_eligible")
PAYER_KINDS = ("commercial", "medicare", "medicaid")
"""what kind of payer a row of payers.csv is: Original Medicare reads its own rules"""

DECISION_WORDS = {"covered": "covered", "denied": "denied", "not_billable": "not billable",
                  "partly_covered": "partly covered"}
"""the decision in running text ("denied PR 204")"""

NETWORK_WORDS = {"in": "in network", "out": "out of network", "none": "no network (cannot bill a plan)"}

MEDICARE_NETWORK_WORDS = {"in": "participating provider (accepts assignment)",
                          "in_not_on_assignment": "non-participating provider (does not accept assignment)",
                          "out": "not enrolled with Medicare", "none": NETWORK_WORDS["none"]}
"""Original Medicare has no network: an enrolled clinic bills it, and a participating one accepts
assignment (Medicare's amount as payment in full) on every claim (42 CFR 424.55, 414.48)"""


def network_words(network: str, medicare: bool = False, accepts_assignment: bool = True) -> str:
    """The network status in the field's words: ``in network`` for a plan, and under Original
    Medicare, which has no network, ``participating provider (accepts assignment)`` or
    ``non-participating provider (does not accept assignment)``.

    Parameters
    ----------
    network : str
        ``in``, ``out`` or ``none`` (:data:`NETWORKS`).
    medicare : bool
        The payer is Original Medicare.
    accepts_assignment : bool
        Under Medicare, the clinic participates (the scenario's ``facility.participating``).
    """
    if not medicare:
        return NETWORK_WORDS[network]
    if network == "in" and not accepts_assignment:
        return MEDICARE_NETWORK_WORDS["in_not_on_assignment"]
    return MEDICARE_NETWORK_WORDS[network]

GROUP_WHO = {"PR": "the patient owes it", "CO": "the clinic absorbs it"}
"""who carries an adjustment of this group code"""

GROUP_NAMES = {"PR": "patient responsibility", "CO": "contractual obligation: the clinic absorbs it"}

HSA_WORDS = {"eligible": "eligible", "eligible_with_lmn": "eligible with a letter of medical necessity",
             "not_eligible": "not eligible"}

COST_FIELDS = ("charge", "allowed", "deductible", "coinsurance", "copay", "plan_pays", "patient_pays",
               "provider_writeoff", "balance_bill")
"""the nine dollar fields of an outcome, in the order every table shows them"""

COST_LABELS = {
    "charge": "Charge",
    "allowed": "Allowed by the plan",
    "deductible": "Deductible",
    "coinsurance": "Coinsurance",
    "copay": "Copay",
    "plan_pays": "Plan pays",
    "patient_pays": "Patient pays",
    "provider_writeoff": "Clinic writes off",
    "balance_bill": "Balance bill",
}

money = format_money
"""``$1,234.50`` for an amount in cents (the one way the kit writes an amount)"""


def capitalized(text: str) -> str:
    return text[:1].upper() + text[1:]


BRAND_NAMES = ("Botox", "Sculptra", "Radiesse", "Levulan", "Ameluz", "HydraFacial")
"""product names that keep their capital inside a sentence (``procedures.csv`` names start with some)"""


def in_sentence(name: str) -> str:
    """A name that begins a label, as it reads inside a sentence: ``Laser hair removal`` →
    ``laser hair removal``; a brand, an acronym or a code keeps its capitals (``Botox for underarm
    sweating``, ``GLP-1 weight-loss program``). Only the first letter ever changes."""
    first = name.split(" ", 1)[0].strip('"“(')
    if not first or first in BRAND_NAMES or not first[1:] == first[1:].lower() or not first[:1].isupper():
        return name
    return name[:1].lower() + name[1:]


PRINT_WIDTH = 100
"""the widest line a printed report writes (JupyterLab breaks longer output lines anywhere, mid-word)"""

_CODE = re.compile(r"\b([A-Z]{2,5}) (?=[A-Z]?\d)")
"""a space inside a code that must stay on one line: ``PR 204``, ``CO B7``, ``LCD L33458``, ``CPB 0113``"""
_GLUE = "\x00"


def wrap_words(text: str, width: int = PRINT_WIDTH, indent: str = "") -> str:
    """``text`` with every line longer than ``width`` wrapped at spaces, never inside a word or a code.

    Parameters
    ----------
    text : str
        One or more lines (``\\n``); each is wrapped on its own.
    width : int
        The widest line, in characters (a word longer than that stays whole on its own line).
    indent : str
        Put before each continuation line; by default the continuation lines align under the text
        after a leading label (``WHY:     ``) or bullet (``- ``), else they start at the margin.

    Returns
    -------
    str
        The same words in the same order: only spaces became line breaks.

    Raises
    ------
    ScenarioError
        ``text`` or ``indent`` is no text, or ``width`` no whole number from 10 to 10,000.
    """
    instance(text, str, "text", "text")
    instance(indent, str, "indent", "text (spaces)")
    width = whole(width, "width", 10, 10_000)
    out = []
    for line in text.split("\n"):
        if len(line) <= width:
            out.append(line)
            continue
        label = re.match(r"(?:[A-Z][A-Za-z/ ]*:\s+|\s*[-•]\s+|\s+)", line)
        hang = indent or " " * (label.end() if label and label.end() < width // 2 else 0)
        glued = _CODE.sub(lambda m: m.group(1) + _GLUE, line)
        wrapped = textwrap.fill(glued, width=width, subsequent_indent=hang, break_long_words=False,
                                break_on_hyphens=False)
        out.append(wrapped.replace(_GLUE, " "))
    return "\n".join(out)


from ._public import plain_public  # noqa: E402 - (once the module is made)

plain_public(globals())  # text and numbers of a subclass reach each public function as plain values
