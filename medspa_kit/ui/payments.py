"""PaymentPicker: pick a scenario the plan will not (fully) pay, then a way to pay, and see the cost."""

from __future__ import annotations

from html import escape

import ipywidgets as w

from dataclasses import replace

from ..catalog import Catalog, given_catalog
from ..engine import evaluate
from ..errors import MedspaError, ScenarioError, shortened, shown_value
from ..explain import HSA_WORDS, money
from ..fields import OMITTED, read_text
from ..payments.compare import PaymentOptions, compare_payments
from ..presets import preset, preset_info

WHEN_INSURANCE_SAYS_NO = ("botox-forehead-lines", "laser-hair-removal", "weight-loss-program", "hmo-out-of-network",
                          "peel-actinic-keratosis", "acne-light-therapy")


class PaymentPicker(w.VBox):
    """Scenario → what the patient owes → each way to pay it, with totals, interest and tax saved.

    *Monthly payment* is what the patient will pay a month on a card or plan (empty: the payment
    that clears a promotion in time); a deferred-interest card paid less than that shows the trap
    springing — all the interest of the promotion added at once — and the payment that avoids it.
    """

    def __init__(self, preset_name: str = "botox-forehead-lines", options: PaymentOptions | None = None,
                 catalog: Catalog | None = None):
        self.catalog = given_catalog(catalog)
        if options is not None and not isinstance(options, PaymentOptions):
            raise ScenarioError.one("options", f"expected PaymentOptions (medspa_kit.payments), got "
                                               f"{type(options).__name__}")
        self.options = options or PaymentOptions()
        info = preset_info(self.catalog)
        if not isinstance(preset_name, str) or preset_name not in WHEN_INSURANCE_SAYS_NO:
            raise ScenarioError.one("preset", f"{shown_value(preset_name)} is not one of the picker's scenarios "
                                              f"({', '.join(WHEN_INSURANCE_SAYS_NO)})")
        style = {"description_width": "90px"}
        self.scenario = w.Dropdown(options=[(f"{n} — {info[n]['title']}", n) for n in WHEN_INSURANCE_SAYS_NO],
                                   value=preset_name, description="Scenario", style=style,
                                   layout=w.Layout(width="560px")).add_class("medspa-control-preset")
        self.way = w.Dropdown(description="Pay with", style=style, layout=w.Layout(width="560px"))
        self.way.add_class("medspa-control-payment")
        self.budget = w.Text(description="Monthly payment", placeholder="empty: the payment that clears the promotion",
                             continuous_update=False, style={"description_width": "120px"},
                             layout=w.Layout(width="560px")).add_class("medspa-control-budget")
        self.good_budget = ""
        """the last monthly payment typed that was accepted (what the table is computed with)"""
        self.message = w.HTML().add_class("medspa-message")
        self.owed = w.HTML().add_class("medspa-decision")
        self.detail = w.HTML().add_class("medspa-dollars")
        self.scenario.observe(lambda change: self._load(), names="value")
        self.way.observe(lambda change: self._show(), names="value")
        self.budget.observe(lambda change: self._budget(change["new"]), names="value")
        super().__init__([self.scenario, self.owed, self.way, self.budget, self.message, self.detail])
        self.add_class("medspa-payments")
        self._load()

    def __repr__(self) -> str:
        return f"PaymentPicker(preset={self.scenario.value!r})"

    def _budget(self, text: str) -> None:
        """A monthly payment typed in (``40``, ``$40``, ``1,200``): re-price every way to pay; bad
        input is shown here and the last table kept."""
        try:
            value = read_text("number", str(text).strip())
            budget = None if value is OMITTED else value
            if budget is not None and not isinstance(budget, float):
                raise MedspaError(f"monthly payment: {shortened(repr(text), 40)} is not a dollar amount")
            options = replace(self.options, monthly_budget=budget)
            table = compare_payments(self.outcome, options, self.catalog)
        except MedspaError as err:
            self.message.value = f"<div style='color:#b3261e'>⚠ {escape(str(err))}</div>"
            return
        self.message.value = ""
        self.good_budget = str(text)
        self.options, self.table = options, table
        self._ways(self.way.value or 0)

    def _load(self) -> None:
        """Another scenario picked: recompute every way to pay; a message about earlier input goes,
        and the box shows again the last good monthly payment, the one what is shown was computed with."""
        self.outcome = evaluate(preset(self.scenario.value, self.catalog), self.catalog)
        self.table = compare_payments(self.outcome, self.options, self.catalog)
        self.message.value = ""
        if self.budget.value != self.good_budget:
            self.budget.value = self.good_budget  # (re-prices with it, as typed before)
        o = self.outcome
        reason = f" ({o.primary_reason.label} {o.primary_reason.text})" if o.primary_reason else ""
        self.owed.value = (f"<div style='margin:6px 0'><b>{escape(o.headline.split(' — ')[0].capitalize())}"
                           f"{escape(reason)}</b> — the patient owes <b>{money(o.cost.patient_pays)}</b>; HSA/FSA: "
                           f"{escape(HSA_WORDS[o.hsa_fsa.status])}.</div>")
        self._ways(0)

    def _ways(self, selected: int) -> None:
        """The ways to pay in the picker (``selected`` picked), then the chosen one shown."""
        labels = [(row.option + ("" if row.available else " (not available)"), i)
                  for i, row in enumerate(self.table.itertuples())]
        self.way.options = labels  # (picks the first way)
        self.way.value = selected if selected < len(labels) else 0
        self._show()

    @property
    def choice(self):
        return self.table.iloc[self.way.value]

    def _show(self) -> None:
        owes_nothing = self.outcome.cost.patient_pays == 0
        for control in (self.way, self.budget):  # nothing to pay: no way to pay it
            control.layout.display = "none" if owes_nothing else None
        if owes_nothing:
            self.detail.value = "<div>The patient owes nothing for this visit: there is nothing to pay or finance.</div>"
            return
        row = self.choice
        if not row["available"]:
            self.detail.value = f"<div style='color:#b3261e'>Not available: {escape(row['note'])}</div>"
            return
        when = (f"${row['monthly_payment']:,.2f} once" if row["months"] == 1 else
                f"${row['monthly_payment']:,.2f} a month for {row['months']} months")
        lines = [("Payments", when),
                 ("Total paid", f"${row['total_paid']:,.2f}"), ("Interest", f"${row['interest']:,.2f}"),
                 ("Tax saved", f"${row['tax_saving']:,.2f}"), ("Net cost", f"${row['net_cost']:,.2f}")]
        cells = "".join(f"<tr><td style='padding-right:16px'>{k}</td><td><b>{v}</b></td></tr>" for k, v in lines)
        note = f"<div style='margin-top:4px'>{escape(row['note'])}</div>" if row["note"] else ""
        if row["deferred_interest"] > 0:
            note = (f"<div style='margin-top:6px;color:#b3261e'><b>⚠ The trap springs:</b> "
                    f"${row['monthly_payment']:,.2f} a month does not clear the balance inside the promotion, so "
                    f"<b>${row['deferred_interest']:,.2f}</b> of interest, counted from the first day, is added at "
                    f"once. Paying <b>${row['payment_to_clear']:,.2f}</b> a month would have cost no interest.</div>")
        elif row["payment_to_clear"] == row["payment_to_clear"]:  # not NaN: a deferred-interest card, paid in time
            note = ("<div style='margin-top:4px;color:#1e7b34'>Paid off inside the promotion: no interest. Pay less "
                    f"than ${row['payment_to_clear']:,.2f} a month and all of it is added at once.</div>")
        self.detail.value = f"<table>{cells}</table>{note}"


from .._public import plain_public  # noqa: E402 - (once the module is made)

plain_public(globals())  # text and numbers of a subclass reach each public function as plain values
