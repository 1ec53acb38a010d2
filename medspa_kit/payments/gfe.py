"""Good Faith Estimate for a self-pay or uninsured patient (No Surprises Act, 45 CFR 149.610).

Contents follow 45 CFR 149.610(e) (the data elements of a Good Faith Estimate): the patient (left blank here: the kit holds no patient data), the
primary service and its date, each expected item with its service and diagnosis codes and
expected charge, the provider and facility with NPI, the disclaimers, and the right to dispute a
bill that comes in $400 or more above the estimate.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any

from ..catalog import Catalog, default_catalog
from ..facts import resolve
from ..model import Scenario
from ..files import make_folder, write_text_file
from ..money import format_dollars

DISPUTE_THRESHOLD = 400.00
"""dollars above the estimate, for any one provider or facility, that open patient-provider dispute resolution"""
DISPUTE_DAYS = 120
DISPUTE_FEE = 25.00


@dataclass(frozen=True)
class GfeItem:
    description: str
    service_code: str
    diagnosis_codes: str
    expected_charge: float


# A line to write on. Styled inline: a notebook shows the estimate without the page's <style>.
BLANK = "<span style='display:inline-block;min-width:180px;border-bottom:1px solid #333'>&nbsp;</span>"


@dataclass(frozen=True)
class GoodFaithEstimate:
    issued: dt.date
    scheduled: dt.date
    provider: str
    provider_npi: str
    facility: str
    place_of_service: str
    items: tuple[GfeItem, ...]

    @property
    def total(self) -> float:
        return round(sum(item.expected_charge for item in self.items), 2)

    def save(self, path: str | Path) -> str:
        """Write the estimate as a standalone HTML page; returns a line saying where and the total."""
        target = Path(path)
        make_folder(target.parent)
        write_text_file(target, self.html(), field="file")
        return f"saved {target}: total expected charges {format_dollars(self.total)}"

    def _notes(self) -> list[str]:
        return [
            "This Good Faith Estimate shows the costs of items and services that are reasonably expected for "
            "your health care needs. The estimate is based on information known at the time it was created.",
            "It does not include unknown or unexpected costs that may arise during treatment. You could be "
            "charged more if complications or special circumstances occur.",
            "This estimate is not a contract and does not require you to obtain the items or services listed.",
            f"If you are billed ${DISPUTE_THRESHOLD:,.0f} or more above this estimate for any provider or facility, "
            f"you have the right to dispute the bill. Start the patient-provider dispute resolution process within "
            f"{DISPUTE_DAYS} calendar days of the date on the original bill (the administrative fee is "
            f"${DISPUTE_FEE:,.0f}); the provider may not send the bill to collections while the dispute is pending.",
            "Keep a copy of this estimate: it is part of your record.",
        ]

    def markdown(self) -> str:
        lines = [
            "# Good Faith Estimate",
            "",
            f"Issued {self.issued.isoformat()} · scheduled for {self.scheduled.isoformat()}",
            "",
            "**Patient:** ____________________  **Date of birth:** ____________",
            "",
            f"**Provider:** {self.provider} (NPI {self.provider_npi}) · **Facility:** {self.facility} "
            f"(place of service {self.place_of_service}) · TIN: ____________",
            "",
            "| item or service | service code | diagnosis codes | expected charge |",
            "|---|---|---|---:|",
        ]
        lines += [f"| {i.description} | {i.service_code} | {i.diagnosis_codes} | ${i.expected_charge:,.2f} |"
                  for i in self.items]
        lines += [f"| **total expected charges** | | | **${self.total:,.2f}** |", ""]
        lines += [f"- {note}" for note in self._notes()]
        # Dollar amounts, not math: renderers that typeset TeX (JupyterLab, GitHub) read $…$ as math.
        return "\n".join(lines).replace("$", "\\$") + "\n"

    def html(self) -> str:
        rows = "".join(
            f"<tr><td>{escape(i.description)}</td><td>{escape(i.service_code)}</td>"
            f"<td>{escape(i.diagnosis_codes)}</td><td style='text-align:right'>${i.expected_charge:,.2f}</td></tr>"
            for i in self.items
        )
        notes = "".join(f"<li>{escape(note)}</li>" for note in self._notes())
        return (
            "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Good Faith Estimate</title>"
            "<style>body{font-family:system-ui,sans-serif;max-width:860px;margin:24px auto;padding:0 16px}"
            "table{border-collapse:collapse;width:100%}td,th{border:1px solid #bbb;padding:4px 8px;text-align:left}"
            "</style></head><body>"
            # mathjax_ignore: JupyterLab would typeset the text between two dollar amounts as TeX
            f"<div class='mathjax_ignore'><h1>Good Faith Estimate</h1><p>Issued {self.issued.isoformat()} · scheduled for "
            f"{self.scheduled.isoformat()}</p>"
            f"<p><b>Patient:</b> {BLANK} <b>Date of birth:</b> {BLANK}</p>"
            f"<p><b>Provider:</b> {escape(self.provider)} (NPI {escape(self.provider_npi)}) · <b>Facility:</b> "
            f"{escape(self.facility)} (place of service {escape(self.place_of_service)}) · <b>TIN:</b> "
            f"{BLANK}</p>"
            "<table><tr><th>item or service</th><th>service code</th><th>diagnosis codes</th>"
            f"<th>expected charge</th></tr>{rows}<tr><td colspan='3'><b>total expected charges</b></td>"
            f"<td style='text-align:right'><b>${self.total:,.2f}</b></td></tr></table>"
            f"<ul>{notes}</ul></div></body></html>"
        )


def _provider_name(s: Scenario, cat: Catalog) -> str:
    for row in cat.rows["providers"]:
        if s.provider.npi and row["npi"] == s.provider.npi:
            return f"{row['name']}, {row['type']}"
    return f"the treating {s.provider.type.value}"


def good_faith_estimate(scenario: Scenario | dict[str, Any], issued: dt.date | None = None,
                        facility_name: str | None = None, catalog: Catalog | None = None) -> GoodFaithEstimate:
    """The estimate a self-pay patient is owed before the visit, from a scenario: one item per line.

    Each item gives the service in words (with its units), its billing code and modifiers, the
    diagnoses it treats and its expected charge (dollars).
    """
    cat = catalog or default_catalog()
    s = scenario if isinstance(scenario, Scenario) else Scenario.from_dict(scenario, catalog=cat)
    facts = resolve(s, cat)
    items = []
    for f in facts:
        proc, line = f.procedure, f.line
        units = f" ({line.units} × {proc.unit})" if line.units != 1 else ""
        code = (proc.code + "".join(f"-{m}" for m in line.modifiers)) if proc.code else "none (no billing code)"
        names = "; ".join(f"{c} {cat.diagnosis_name(c)}".strip() for c in line.diagnoses)
        items.append(GfeItem(proc.name + units, code, names, f.charge / 100))
    facility = facility_name or cat.record("facility_kinds", s.facility.kind.value)["name"]
    return GoodFaithEstimate(
        issued=issued or dt.date.today(), scheduled=s.date_of_service, provider=_provider_name(s, cat),
        provider_npi=s.provider.npi or "none", facility=facility, place_of_service=facts[0].place_of_service,
        items=tuple(items),
    )
