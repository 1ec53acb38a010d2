"""What every check shares: the trace step it makes, the rule record, and the liability rule.

A check is a :class:`Rule`: a **verdict** (a pure function over plain values that works on one
value and on numpy arrays alike: does the claim fail this check?) and an **explanation** (the
trace wording for one scenario, which never re-decides). The scalar engine calls the verdict
with one scenario's facts, the batch engine with whole columns of the same names; which CARC
and group a failure carries is data, a row of ``datasets/checks.csv``.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass, field
from operator import attrgetter
from typing import TYPE_CHECKING, Any, Callable, Literal, NamedTuple

from ..vector import logical_not


if TYPE_CHECKING:
    from ..facts import Facts

Group = Literal["CO", "PR"]
Status = Literal["pass", "fail", "not applicable"]


class Step(NamedTuple):
    """One line of the trace: what was checked, with which values, what it found, and why.

    Immutable (a named tuple: an outcome makes eleven of them, so they must be cheap).
    """

    step: str
    title: str
    status: Status
    facts: dict[str, Any]
    source: str
    """where the rule lives (dataset file and row) and the documents it rests on, in words"""
    finding: str
    carc: str | None = None
    group: Group | None = None
    decisive: bool = False
    references: tuple[str, ...] = ()
    """the raw ``source`` cells read (bibliography citations), for checking and for exports"""
    line: int | None = None
    """the claim line this step decided (from 1); None for a check of the whole claim"""

    @property
    def failed(self) -> bool:
        return self.status == "fail"


class Explained(NamedTuple):
    """What an explanation returns: the finding in words, the values used, the rows read."""

    finding: str
    facts: dict[str, Any]
    where: tuple[str, ...] = ()
    """dataset rows read, e.g. ``coverage_policies.csv row 2`` (empty: the check's own row)"""
    sources: tuple[str, ...] = ()
    """the ``source`` cells of those rows (bibliography citations)"""
    applies: bool = True
    """False when the check has nothing to test for this scenario (shown as "not applicable")"""


@dataclass(frozen=True)
class Rule:
    """One check: its verdict (scalar or array) and its explanation (scalar, for the trace)."""

    id: str
    explain: Callable[["Facts", bool], Explained]
    verdict: Callable[..., Any] | None = None
    inputs: tuple[str, ...] = field(init=False)
    """the names of the facts the verdict reads (its parameters), the same in both engines"""
    _get: Callable[[Any], Any] | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        names = tuple(inspect.signature(self.verdict).parameters) if self.verdict else ()
        object.__setattr__(self, "inputs", names)
        object.__setattr__(self, "_get", attrgetter(*names) if names else None)

    def fails(self, values: Any) -> Any:
        """The verdict on ``values``: an object (one scenario's facts) or a mapping (columns)."""
        if self._get is None:
            return False
        if isinstance(values, dict):
            return self.verdict(*[values[name] for name in self.inputs])
        got = self._get(values)  # one value for one input, a tuple for several
        return self.verdict(*got) if len(self.inputs) > 1 else self.verdict(got)


def liability_is_co(in_network: Any, waiver_signed: Any) -> Any:
    """The liability rule for medical-policy denials (CARC 50, 151, 197): is it the clinic's?

    Parameters
    ----------
    in_network : bool or array of bool
        The clinic is credentialed and participating with the payer.
    waiver_signed : bool or array of bool
        The patient signed a specific pre-service waiver naming the service and its cost.

    Returns
    -------
    bool or array of bool
        True: group CO (the network contract holds the patient harmless); False: group PR.

    References
    ----------
    .. [1] docs/checks.md, "The liability rule".
    """
    return in_network & logical_not(waiver_signed)


def denial_is_co(group: str, in_network: Any, waiver_signed: Any, medicare: Any = False) -> Any:
    """Is a denial under a ``checks.csv`` group (``CO``, ``PR``, ``liability`` or ``limit``) the clinic's?

    ``limit`` (a benefit used up, CARC 119) is PR, except under Original Medicare: going over a
    frequency limit there needs an ABN for the patient to owe it, as the liability rule says.
    """
    if group == "liability" or (group == "limit" and medicare):
        return liability_is_co(in_network, waiver_signed)
    return group == "CO"


def network_index(not_billable: Any, in_network: Any) -> Any:
    """0 in network, 1 out of network, 2 no network (a claim that cannot be billed at all).

    Arithmetic on flags is the vector form of *if*: a billable claim gives ``1 − in_network``,
    an unbillable one ``1 − in_network + 1 + in_network = 2``.
    """
    return (1 - in_network) + not_billable * (1 + in_network)
