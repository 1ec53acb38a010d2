"""Citations: how a dataset row names the documents it rests on, and how a trace shows them.

Every ``source`` cell of a bundled dataset (and ``price_source`` in ``procedures.csv``) is one
or more citations separated by ``; ``. A citation is a key of the bibliography,
``datasets/sources.csv``, optionally followed by a detail in brackets::

    aetna-cpb-0113 (primary axillary hyperhidrosis, precertification required); evicore-cmm-205

A trace shows each citation by the bibliography's short label: ``Aetna CPB 0113 (primary …)``.
The keys ``illustrative`` (a number made up for teaching) and ``docs-…`` (the project's own
documents) are entries of the bibliography like any other.
"""

from __future__ import annotations

import re
from typing import Mapping

CITATION = re.compile(r"([a-z0-9]+(?:[-.][a-z0-9]+)*)(?: \((.+)\))?")
"""one citation: a bibliography key, then an optional detail in brackets"""
KEY = re.compile(r"[a-z0-9]+(?:[-.][a-z0-9]+)*")


def parse(cell: str) -> list[tuple[str, str]] | None:
    """``[(key, detail), …]`` for a cell of citations; None when the cell is not in that form."""
    out = []
    for part in _split(cell):
        match = CITATION.fullmatch(part.strip())
        if match is None:
            return None
        out.append((match.group(1), match.group(2) or ""))
    return out or None


def _split(cell: str) -> list[str]:
    """Split on ``; `` outside brackets (a detail may hold a semicolon)."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(cell):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        elif ch == ";" and depth == 0:
            parts.append(cell[start:i])
            start = i + 1
    parts.append(cell[start:])
    return [p for p in parts if p.strip()]


def unknown_keys(cell: str, labels: Mapping[str, str]) -> list[str] | None:
    """The keys a cell cites that the bibliography lacks ([] when all are known); None when the
    cell is not a list of citations at all."""
    cited = parse(cell)
    if cited is None:
        return None
    return [key for key, _ in cited if key not in labels]


def render(cell: str, labels: Mapping[str, str]) -> str:
    """A cell of citations in words (each key by its label); other text is shown as it is."""
    cited = parse(cell)
    if cited is None or any(key not in labels for key, _ in cited):
        return cell
    return "; ".join(labels[key] + (f" ({detail})" if detail else "") for key, detail in cited)


def bibliography_markdown(rows: list[dict[str, str]]) -> str:
    """``docs/sources.md``: the bibliography (rows of ``sources.csv``) as a Markdown page."""
    lines = [
        "# Sources",
        "",
        "Every rule and number in `datasets/` cites the documents below by key, in its `source`",
        "column: `key` or `key (detail)`, several separated by `; `. A trace shows each by its label.",
        "`illustrative` marks a number made up for teaching. This page is written from",
        "`datasets/sources.csv` by `make docs`; edit that file, not this one.",
        "",
        "| key | label | document | issuer | section | date | address | read or checked |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        cells = [f"`{r['key']}`", r["label"], r["title"], r["issuer"], r["section"] or "", r["date"] or "",
                 r["address"] or "", r["source"]]
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(lines) + "\n"
