"""ClinicDecision: sliders over the clinic model's assumptions, the verdict and charts redrawn."""

from __future__ import annotations

from html import escape

import ipywidgets as w
import pandas as pd

from .. import clinic
from ..arguments import truth
from ..catalog import Catalog, given_catalog
from ..errors import MedspaError
from ..report import ASSUMPTION_AXIS
from .state import problem_html


COMPUTING = ("<div style='border-left:6px solid #8a8f98;padding:6px 10px;margin:6px 0;font-size:1.05em;"
             "color:#5f6368'>Computing…</div>")
"""what the verdict says while the year is recomputed"""


class ClinicDecision(w.VBox):
    """Move an assumption and see whether credentialing or cash pay keeps more (about 0.5 s a move)."""

    def __init__(self, visits: pd.DataFrame | None = None, catalog: Catalog | None = None, charts: bool = True):
        self.catalog = catalog = given_catalog(catalog)
        charts = truth(charts, "charts")
        self.visits = clinic.load_visits(catalog=catalog) if visits is None else visits
        clinic.check_visits(self.visits)
        a = clinic.default_assumptions(catalog)
        style = {"description_width": "230px"}
        layout = w.Layout(width="560px")
        self.sliders = {
            "lead_months": w.IntSlider(a.lead_months, 0, 12, description=ASSUMPTION_AXIS["lead_months"],
                                       style=style, layout=layout, continuous_update=False),
            "fee_schedule_scale": w.FloatSlider(a.fee_schedule_scale, min=0.5, max=3.0, step=0.25,
                                                description=ASSUMPTION_AXIS["fee_schedule_scale"], style=style,
                                                layout=layout, continuous_update=False),
            "cash_uptake": w.FloatSlider(a.cash_uptake, min=0.0, max=1.0, step=0.1,
                                         description=ASSUMPTION_AXIS["cash_uptake"], style=style, layout=layout,
                                         continuous_update=False),
            "paperwork": w.FloatSlider(a.paperwork, min=0.0, max=1.0, step=0.25,
                                       description=ASSUMPTION_AXIS["paperwork"], style=style, layout=layout,
                                       continuous_update=False),
            "admin_cost_per_claim": w.FloatSlider(a.admin_cost_per_claim, min=0.0, max=40.0, step=2.0,
                                                  description=ASSUMPTION_AXIS["admin_cost_per_claim"], style=style, layout=layout,
                                                  continuous_update=False),
        }
        for name, slider in self.sliders.items():
            slider.add_class(f"medspa-control-{name.replace('_', '-')}")
            slider.observe(lambda change: self.update(), names="value")
        self.verdict = w.HTML().add_class("medspa-decision")
        self.table = w.HTML()
        self.chart = w.Output()
        self._charts = charts
        self.result: clinic.ClinicComparison | None = None
        self._verdict = ""
        super().__init__([*self.sliders.values(), self.verdict, self.table, self.chart])
        self.add_class("medspa-clinic")
        self.update()

    def __repr__(self) -> str:
        return "ClinicDecision()"

    @property
    def assumptions(self) -> dict[str, float]:
        return {name: slider.value for name, slider in self.sliders.items()}

    def update(self) -> None:
        """Recompute for the sliders' values. While it runs (about half a second) the verdict says
        "Computing…"; if a slider moved meanwhile, it computes again, so the verdict shown is always
        the one for the sliders as they are."""
        from ..report import clinic_money_figure, clinic_totals, clinic_verdict, figure_png

        self.verdict.value = COMPUTING
        try:
            asked = self.assumptions
            result = clinic.compare(self.visits, catalog=self.catalog, **asked)
            while self.assumptions != asked:  # a slider moved while computing
                asked = self.assumptions
                result = clinic.compare(self.visits, catalog=self.catalog, **asked)
        except MedspaError as err:  # a slider set from code to a value the model refuses (nan)
            if self.result is None:
                raise
            self.verdict.value = problem_html(str(err)) + self._verdict
            return
        self.result = result
        gap = float(self.result.difference["net_revenue"])
        colour = "#1a5fb4" if gap > 0 else "#8a5300"
        self.verdict.value = self._verdict = (f"<div style='border-left:6px solid {colour};padding:6px 10px;"
                                              f"margin:6px 0;font-size:1.05em'>{escape(clinic_verdict(self.result))}"
                                              "</div>")
        self.table.value = clinic_totals(self.result).to_html()
        if self._charts:
            from IPython.display import Image

            self.chart.outputs = ()
            self.chart.append_display_data(Image(data=figure_png(clinic_money_figure(self.result))))


from .._public import plain_public  # noqa: E402 - (once the module is made)

plain_public(globals())  # text and numbers of a subclass reach each public function as plain values
