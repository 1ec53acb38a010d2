"""The rule tables: ``datasets/*.csv`` loaded, checked and indexed.

``schema`` says what each table holds, ``reading`` parses a CSV against it, ``records`` holds
the small row records, ``consistency`` checks references between tables, and ``store`` builds
the :class:`Catalog` both engines read. Every problem names file, spreadsheet row and column.
"""

from __future__ import annotations

from .reading import parse_rows
from .records import Check, Policy, Procedure, ReasonCode
from .schema import PLANS, TABLES, Column, Table, money_cell, rate_cell
from .store import GENERIC_PAYER, Catalog, datasets_folder, default_catalog, given_catalog, load_catalog, with_rows

__all__ = ["GENERIC_PAYER", "Catalog", "Check", "Policy", "Procedure", "ReasonCode", "datasets_folder", "default_catalog",
           "given_catalog", "load_catalog"]

# For the kit's own modules (client files are parsed like datasets); not part of the public API.
_INTERNAL = (PLANS, TABLES, Column, Table, money_cell, parse_rows, rate_cell, with_rows)


from .._public import plain_public  # noqa: E402 - (once the module is made)

plain_public(globals())  # text and numbers of a subclass reach each public function as plain values
