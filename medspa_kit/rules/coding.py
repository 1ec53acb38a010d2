"""Checks 4–7: how a claim's lines are coded together — an add-on or a drug without its base
service, an office visit bundled into a procedure, two codes never billed together, too many units.

These read the claim as a whole (which other codes are on it) and the line's units and
modifiers; ``procedures.csv`` says which codes are add-ons (``add_on_to``), drugs (``drug_for``),
excluded together (``not_with``), and the most units a day (``max_units``).

References
----------
.. [1] docs/checks.md, checks 4 to 7.
.. [2] ``procedures.csv`` and ``modifiers.csv`` (with their sources).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..vector import logical_not
from .base import Explained

if TYPE_CHECKING:
    from ..facts import Facts


def _codes(codes: tuple[str, ...]) -> str:
    return " or ".join(codes)


def _absent(codes: tuple[str, ...]) -> str:
    """``17000 is not on the claim`` (one code) or ``none of 64650, 64653 is on the claim``: the
    codes that are missing, never the line itself, which is on the claim."""
    return f"{codes[0]} is not on the claim" if len(codes) == 1 else f"none of {', '.join(codes)} is on the claim"


def missing_qualifying_service(add_on_without_base: Any, drug_without_administration: Any) -> Any:
    """Check 4 fails for an add-on code without its base code, or a drug without the line that gives it.

    Parameters
    ----------
    add_on_without_base : bool or array of bool
        The line's code is an add-on (``add_on_to``) and none of its base codes is on the claim.
    drug_without_administration : bool or array of bool
        The line's code is a drug (``drug_for``) and none of its administration codes is on the claim.

    Returns
    -------
    bool or array of bool
        True where the check fails (CARC 107 in ``checks.csv``).
    """
    return add_on_without_base | drug_without_administration


def explain_add_on(f: "Facts", failed: bool) -> Explained:
    """The trace of the ``add_on`` check for one line: finding, facts used, rows read."""
    proc = f.procedure
    facts = {"code": proc.code, "add_on_to": list(proc.add_on_to) or None, "drug_for": list(proc.drug_for) or None,
             "codes_on_claim": [line.code for line in f.scenario.claim_lines]}
    where, sources = (f"procedures.csv row {proc.row}",), (proc.source,)
    if not proc.add_on_to and not proc.drug_for:
        return Explained(f"{proc.code or proc.id} stands on its own", facts, where, sources, applies=False)
    # a failure is decided by the add-on rule itself, so it cites the check's own row (CARC 107, the
    # payer's add-on rule), not the procedure row's coverage sources (an NCD says what is covered)
    if f.add_on_without_base:
        return Explained(f"{proc.code} is an add-on to {_codes(proc.add_on_to)}, and {_absent(proc.add_on_to)}", facts)
    if f.drug_without_administration:
        return Explained(f"{proc.code} is a drug given with {_codes(proc.drug_for)}, and {_absent(proc.drug_for)}", facts)
    if proc.add_on_to:
        return Explained(f"{proc.code} travels with its base code", facts, where, sources)
    given_by = f.scenario.claim_lines[f.administration].code
    return Explained(f"the drug is given with {given_by} on line {f.administration + 1}, and decided as that line",
                     facts, where, sources)


def bundled_visit(office_visit: Any, procedure_on_claim: Any, modifier_25: Any) -> Any:
    """Check 5 fails for an office visit billed with a procedure on the same claim without modifier 25.

    Parameters
    ----------
    office_visit : bool or array of bool
        The line is an office visit (evaluation and management, ``category`` office_visit).
    procedure_on_claim : bool or array of bool
        Another line of the claim is a procedure (not a visit, not a drug).
    modifier_25 : bool or array of bool
        The visit line carries modifier 25: a significant, separately identifiable problem.

    Returns
    -------
    bool or array of bool
        True where the check fails (CARC 97 in ``checks.csv``: paid as part of the procedure).
    """
    return office_visit & procedure_on_claim & logical_not(modifier_25)


def explain_bundling(f: "Facts", failed: bool) -> Explained:
    """The trace of the ``bundling`` check for one line: finding, facts used, rows read."""
    facts = {"office_visit": f.office_visit, "procedure_on_claim": f.procedure_on_claim,
             "modifiers": list(f.line.modifiers)}
    if not f.office_visit:
        return Explained("not an office visit", facts, applies=False)
    if failed:
        return Explained("an office visit on the day of a procedure, without modifier 25: paid as part of the "
                         "procedure", facts)
    if f.procedure_on_claim:
        return Explained("modifier 25: the visit treated a separate problem, paid on its own", facts)
    return Explained("no procedure on the claim: the visit stands on its own", facts)


def billed_with_excluded_code(excluded_code_on_claim: Any, modifier_59: Any) -> Any:
    """Check 6 fails for a code billed with one it is never billed with (a code-pair edit).

    Parameters
    ----------
    excluded_code_on_claim : bool or array of bool
        Another line of the claim carries a code of this line's ``not_with``.
    modifier_59 : bool or array of bool
        The line carries modifier 59: a distinct procedure (another site or session).

    Returns
    -------
    bool or array of bool
        True where the check fails (CARC 236 in ``checks.csv``).
    """
    return excluded_code_on_claim & logical_not(modifier_59)


def explain_not_together(f: "Facts", failed: bool) -> Explained:
    """The trace of the ``not_together`` check for one line: finding, facts used, rows read."""
    proc = f.procedure
    facts = {"code": proc.code, "not_with": list(proc.not_with) or None, "modifiers": list(f.line.modifiers)}
    where, sources = (f"procedures.csv row {proc.row}",), (proc.source,)
    if not proc.not_with:
        return Explained("no code-pair edit for this code", facts, where, sources, applies=False)
    if failed:
        return Explained(f"{proc.code} is not billed with {_codes(proc.not_with)} on the same day", facts, where,
                         sources)
    if f.excluded_code_on_claim:
        return Explained("modifier 59: a distinct procedure, so the code-pair edit does not apply", facts, where,
                         sources)
    return Explained(f"no {_codes(proc.not_with)} on the claim", facts, where, sources)


def too_many_units(units: Any, max_units: Any) -> Any:
    """Check 7 fails when a line has more units than the payer allows in a day.

    Parameters
    ----------
    units : int or array of int
        The line's units.
    max_units : float or array of float
        The most units a day (the medically unlikely edit); NaN with no limit.

    Returns
    -------
    bool or array of bool
        True where the check fails (CARC 151 in ``checks.csv``, the whole line denied).
    """
    return units > max_units


def explain_units(f: "Facts", failed: bool) -> Explained:
    """The trace of the ``units`` check for one line: finding, facts used, rows read."""
    proc = f.procedure
    limit = proc.max_units
    facts = {"units": f.units, "unit": proc.unit, "max_units": limit}
    where, sources = (f"procedures.csv row {proc.row}",), (proc.source,)
    if limit is None:
        return Explained("no daily limit on units", facts, where, sources, applies=False)
    if failed:
        return Explained(f"{f.units} billing units, each {proc.unit}: more than the {limit} a day the payer allows", facts, where,
                         sources)
    return Explained(f"{f.units} of at most {limit} a day", facts, where, sources)
