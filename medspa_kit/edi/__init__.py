"""Real EDI: the 837P claim a clinic sends and the 835 remittance the payer answers with.

An outcome already balances like an 835 (``charge = plan_pays + Σ adjustments`` per line); this
package writes it as the real X12 5010 files, through ``x12sdk`` (the ``edi`` extra):

* :func:`claim_837p` — the claim (005010X222A1): billing and rendering provider, subscriber,
  payer, diagnoses, each line with its code, modifiers, units, charge and diagnosis pointers.
* :func:`remittance_835` — the answer (005010X221A1): ``BPR`` and ``TRN`` (a fictional check),
  one ``CLP`` per claim with its status, charge, payment and patient responsibility, each line's
  ``SVC`` with its ``CAS`` adjustments (group and CARC) and remark codes (``LQ*HE``).
* :func:`remittance_table` — an 835 read back and annotated for people: each segment, what it
  means, its amount and the outcome line it came from.

Every amount is taken from the outcome, never recomputed. Identifiers are the scenario's NPIs
and made-up ones (:mod:`medspa_kit.edi.parties`). ``import medspa_kit`` never imports x12sdk.
"""

from __future__ import annotations

from .._lazy import lazy

_LAZY = {
    "claim_837p": ".claim",
    "remittance_835": ".remittance",
    "remittance_table": ".reader",
    "read_remittance": ".reader",
    "write_edi_file": ".files",
    "write_edi_files": ".files",
    "require_x12": ".parties",
}

__all__ = sorted(_LAZY)
__getattr__ = lazy(__name__, _LAZY, globals())
