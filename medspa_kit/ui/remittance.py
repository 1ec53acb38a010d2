"""The real 835 beside the explorer: flip a fact and watch the remittance change.

``RemittanceReader(preset=...)`` shows a :class:`~medspa_kit.ui.explorer.ScenarioExplorer` and,
next to it, the 835 the payer would send for its outcome, annotated segment by segment
(:func:`medspa_kit.edi.remittance_table`). The table follows the explorer's state; an outcome
X12 cannot carry, or a missing ``edi`` extra, shows its one-line message instead.
"""

from __future__ import annotations

from html import escape
from typing import Iterable

import ipywidgets as w

from ..errors import MedspaError
from .explorer import ScenarioExplorer
from .state import ExplorerState

CONTROLS = ("preset", "provider.credentialed", "facility.participating", "facility.credentialed", "plan",
            "documentation.prior_auth", "documentation.criteria_documented")


class RemittanceReader(w.HBox):
    """The explorer (a few controls) and the annotated 835 of its outcome, side by side."""

    def __init__(self, preset: str = "botox-underarm-sweating", controls: Iterable[str] = CONTROLS):
        self.preset = preset
        self.explorer = ScenarioExplorer(preset=preset, controls=controls, show_trace=False)
        self.explorer.layout.flex = "1 1 480px"
        self.table = w.HTML(layout=w.Layout(flex="1 1 520px", overflow="auto")).add_class("medspa-remittance")
        self.text = ""
        """the 835 itself (X12), empty when the outcome cannot be written"""
        self.explorer.state.listeners.append(self._show)
        self._show(self.explorer.state)
        super().__init__([self.explorer, self.table], layout=w.Layout(flex_flow="row wrap", align_items="flex-start"))

    def __repr__(self) -> str:
        return f"RemittanceReader(preset={self.preset!r})"

    def _show(self, state: ExplorerState) -> None:
        from ..edi import remittance_835, remittance_table

        try:
            self.text = remittance_835(state.outcome)
            frame = remittance_table(self.text, self.explorer.catalog)
        except MedspaError as err:
            self.text = ""
            self.table.value = f"<p><b>No 835:</b> {escape(str(err))}</p>"
            return
        self.table.value = ("<div style='font-size:90%'><b>The 835 remittance for this outcome</b>"
                            + frame.to_html(index=False, escape=True, classes="medspa-835") + "</div>")

    def adjustments(self) -> list[str]:
        """The CAS rows of the current 835 (``CAS*CO*45*374.00``), for a notebook to print."""
        return [line.rstrip("~") for line in self.text.splitlines() if line.startswith("CAS*")]


from .._public import plain_public  # noqa: E402 - (once the module is made)

plain_public(globals())  # text and numbers of a subclass reach each public function as plain values
