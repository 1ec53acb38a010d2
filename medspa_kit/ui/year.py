"""PlanYearExplorer: pick a course and plans, see the year month by month (notebook 09)."""

from __future__ import annotations

from html import escape

import ipywidgets as w

from .. import year
from ..catalog import Catalog


class PlanYearExplorer(w.VBox):
    """A course, a set of plans (and cash), the comparison table and the running total by month."""

    def __init__(self, course: str = "chronic-migraine-every-12-weeks", plans: tuple[str, ...] = (
            "ppo-standard", "hdhp-hsa", "medicare-part-b"), cash_discount: float = 0.1,
            catalog: Catalog | None = None, charts: bool = True):
        self.catalog = catalog
        self.options = year.plan_options(catalog)
        self.course_picker = w.Dropdown(options=year.course_names(catalog), value=course, description="Course",
                                        layout=w.Layout(width="460px")).add_class("medspa-control-course")
        self.plan_picker = w.SelectMultiple(options=list(self.options), value=plans, description="Plans",
                                            rows=min(8, len(self.options)),
                                            layout=w.Layout(width="460px")).add_class("medspa-control-plans")
        self.cash = w.FloatSlider(cash_discount, min=0.0, max=0.5, step=0.05, description="Cash: package discount",
                                  style={"description_width": "160px"}, layout=w.Layout(width="460px"),
                                  continuous_update=False).add_class("medspa-control-cash")
        self.verdict = w.HTML().add_class("medspa-decision")
        self.table = w.HTML()
        self.months = w.HTML()
        self.chart = w.Output()
        self._charts = charts
        self.compared = None
        self.by_month = None
        for control in (self.course_picker, self.plan_picker, self.cash):
            control.observe(lambda change: self.update(), names="value")
        super().__init__([self.course_picker, self.plan_picker, self.cash, self.verdict, self.table, self.chart,
                          self.months])
        self.add_class("medspa-year")
        self.update()

    def __repr__(self) -> str:
        return "PlanYearExplorer()"

    def update(self) -> None:
        from ..report import figure_png, year_figure, year_table

        course = year.preset_course(self.course_picker.value, self.catalog)
        options = {plan: self.options[plan] for plan in self.plan_picker.value}
        options["cash"] = year.Cash(discount=self.cash.value)
        self.compared = year.compare_plans(course, options, catalog=self.catalog)
        self.by_month = year.compare_by_month(course, options, catalog=self.catalog)
        best = self.compared.sort_values("net_cost", kind="stable").iloc[0]
        self.verdict.value = (f"<div style='border-left:6px solid #1a5fb4;padding:6px 10px;margin:6px 0'>"
                              f"{escape(course.title)}: {len(course.dates)} visits; the lowest net cost is "
                              f"<b>{escape(best['option'])}</b> (${best['net_cost']:,.2f})</div>")
        self.table.value = year_table(self.compared).to_html()
        shown = self.by_month.copy()
        shown.index = [m.strftime("%b %Y") for m in shown.index]
        self.months.value = shown.map(lambda v: f"${v:,.2f}").to_html()
        if self._charts:
            from IPython.display import Image

            self.chart.outputs = ()
            self.chart.append_display_data(Image(data=figure_png(year_figure(self.by_month))))
