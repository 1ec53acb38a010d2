"""Small widgets for single lessons: a live ICD-10-CM code checker, client file uploads."""

from __future__ import annotations

from html import escape
from typing import Callable

import ipywidgets as w

from ..arguments import instance
from ..catalog import Catalog, given_catalog
from ..client_data import apply_plans, apply_prices, checked_file_name, client_files, lines_left_at_kit_prices
from ..codes import check_icd, normalize_icd
from ..errors import DatasetError, ScenarioError, shortened, shown_value


def code_verdict(text: str, catalog: Catalog | None = None) -> str:
    """One line on a typed code: billable (with its title), a category (with codes to pick) or unknown."""
    if not isinstance(text, str):
        raise ScenarioError.one("code", f"expected a code as text, such as 'L74.5', got {type(text).__name__}")
    raw = text.strip()
    if not raw:
        return "Type a code, such as L74.510 or Z41.1."
    found = check_icd(raw)
    cat = given_catalog(catalog)
    if found.status == "billable":
        ours = cat.diagnosis_name(found.code)
        extra = f" — in this kit: “{ours}”" if ours else ""
        return f"✓ {found.code} is billable: {found.description}{extra}."
    if found.status == "header":
        picks = ", ".join(found.suggestions[:6]) + (", …" if len(found.suggestions) > 6 else "")
        return (f"✗ {found.code} ({found.description}) is a category, not billable: a claim needs one of "
                f"{picks}.")
    return f"✗ {shortened(repr(normalize_icd(raw)), 80)} is not an ICD-10-CM code."


class CodeChecker(w.VBox):
    """Type a diagnosis code and see at once whether it can go on a claim."""

    def __init__(self, value: str = "L74.5", catalog: Catalog | None = None):
        if not isinstance(value, str):
            raise ScenarioError.one("value", f"expected a code as text, such as 'L74.5', got {type(value).__name__}")
        self.catalog = given_catalog(catalog)
        self.text = w.Text(value=value, description="ICD-10-CM code", continuous_update=False,
                           style={"description_width": "110px"}).add_class("medspa-control-code")
        self.verdict = w.HTML().add_class("medspa-message")
        self.text.observe(lambda change: self._show(), names="value")
        self._show()
        super().__init__([self.text, self.verdict])
        self.add_class("medspa-code-checker")

    def __repr__(self) -> str:
        return f"CodeChecker({self.text.value!r})"

    def _show(self) -> None:
        text = code_verdict(self.text.value, self.catalog)
        colour = "#1e7b34" if text.startswith("✓") else "#b3261e"
        self.verdict.value = f"<div style='color:{colour}'>{escape(text)}</div>"


def applied_html(catalog: Catalog | None = None, heading: str = "Applied client files") -> str:
    """Every client file the catalog is built from, prices and plans, one line each under
    ``heading`` (the upload status, also under a refused upload's error; the handout names the
    same files)."""
    catalog = given_catalog(catalog)
    instance(heading, str, "heading", "a text")
    files = client_files(catalog)
    if not files:
        return "<i>No client files uploaded: using the kit's own prices and plans.</i>"
    items = "".join(f"<li>{escape(str(f))}</li>" for f in files)
    notes = "".join(f"<li>{escape(note)}</li>" for note in lines_left_at_kit_prices(catalog))
    return (f"<div style='color:#1e7b34'>✓ {escape(heading)}:<ul style='margin:2px 0'>{items}</ul></div>"
            + (f"<div style='color:#8a5300'>Note:<ul style='margin:2px 0'>{notes}</ul></div>" if notes else ""))


class ClientFiles(w.VBox):
    """Upload a clinic's prices and plans (CSV); each good upload hands a new catalog on."""

    def __init__(self, on_catalog: Callable[[Catalog], None], catalog: Catalog | None = None):
        if not callable(on_catalog):
            raise ScenarioError.one("on_catalog", f"expected a function that takes the new catalog, got "
                                                  f"{type(on_catalog).__name__}")
        self.catalog = given_catalog(catalog)
        self.on_catalog = on_catalog
        self.prices = w.FileUpload(accept=".csv", description="Prices CSV").add_class("medspa-upload-prices")
        self.plans = w.FileUpload(accept=".csv", description="Plans CSV").add_class("medspa-upload-plans")
        self.status = w.HTML("<i>No client files uploaded: using the kit's own prices and plans.</i>" if catalog is None
                             else "<i>Using the prices and plans already loaded; upload files to replace them.</i>")
        self.status.add_class("medspa-message")
        self.prices.observe(lambda change: self._load(change["new"], apply_prices, "prices"), names="value")
        self.plans.observe(lambda change: self._load(change["new"], apply_plans, "plans"), names="value")
        super().__init__([w.HBox([self.prices, self.plans]), self.status])

    def __repr__(self) -> str:
        return "ClientFiles()"

    def load(self, name: str, content: bytes, kind: str) -> bool:
        """Apply one uploaded file (what an upload does; also callable from code and tests).

        ``kind`` is ``"prices"`` or ``"plans"``; a bad file — or content that is no file, such as
        None — is shown in the widget (False); a bad ``kind`` or ``name`` raises
        :class:`~medspa_kit.errors.ScenarioError`."""
        if not isinstance(kind, str) or kind not in ("prices", "plans"):
            raise ScenarioError.one("kind", f"{shown_value(kind)} is not 'prices' or 'plans'")
        checked_file_name(name)  # (the upload's own name: the status shows it)
        apply = apply_prices if kind == "prices" else apply_plans
        try:
            catalog = apply(content, self.catalog, name=name)
        except DatasetError as err:
            lines = "".join(f"<li>{escape(str(p))}</li>" for p in err.problems)
            self.status.value = (f"<div style='color:#b3261e'><b>⚠ {escape(name)} was not applied:</b>"
                                 f"<ul>{lines}</ul></div>"
                                 + applied_html(self.catalog, "Still in effect (applied earlier)"))
            return False
        self.on_catalog(catalog)
        self.catalog = catalog
        self.status.value = applied_html(catalog)
        return True

    def _load(self, files, apply, kind: str) -> None:
        for item in files or ():
            self.load(item["name"], bytes(item["content"]), kind)


from .._public import plain_public  # noqa: E402 - (once the module is made)

plain_public(globals())  # text and numbers of a subclass reach each public function as plain values
