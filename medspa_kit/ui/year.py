"""PlanYearExplorer: pick a course and plans, see the year month by month (notebook 09)."""

from __future__ import annotations

from html import escape
from numbers import Real

import ipywidgets as w

from .. import year
from ..arguments import frame, instance, texts, truth
from ..catalog import Catalog, given_catalog
from ..errors import MedspaError, ScenarioError, shown_value
from ..fields import plain
from .state import problem_html

CASH_DISCOUNT_MAX = 0.5
"""the largest package discount the cash slider offers (a fraction of the clinic's price)"""


class PlanYearExplorer(w.VBox):
    """A course, the plans this patient could hold (and cash), the comparison table and the running
    total by month. Original Medicare is offered only with ``medicare_eligible`` (a patient 65 or
    older): a working-age patient cannot choose it. The verdict is row 0 of
    :func:`medspa_kit.year.rank_options`, the ranking a quiz's "which costs least?" reads too."""

    def __init__(self, course: str = "chronic-migraine-every-12-weeks", plans: tuple[str, ...] = (
            "ppo-standard", "hdhp-hsa"), cash_discount: float = 0.1, medicare_eligible: bool = False,
            catalog: Catalog | None = None, charts: bool = True):
        """Raises ScenarioError: ``catalog`` not a Catalog; ``cash_discount`` not a number from 0
        to :data:`CASH_DISCOUNT_MAX` (the slider's range: a value outside it would be moved onto
        the slider's end, not used); an unknown course or plan."""
        given_catalog(catalog)
        cash_discount = plain(cash_discount)  # numpy's float32 0.1 is the 0.1 typed
        if isinstance(plans, (str, bytes)) or not isinstance(plans, (list, tuple)):
            raise ScenarioError.one("plans", f"expected a list of plan ids such as [\"ppo-standard\"], got "
                                             f"{shown_value(plans)}")
        plans = texts(plans, "plans", "plan ids")  # (a plan id of a subclass: the plain text it holds)
        medicare_eligible = truth(medicare_eligible, "medicare_eligible")
        charts = truth(charts, "charts")
        if isinstance(cash_discount, bool) or not isinstance(cash_discount, Real) or not (
                0 <= cash_discount <= CASH_DISCOUNT_MAX):
            raise ScenarioError.one("cash_discount", f"{shown_value(cash_discount)} is not a package discount from 0 "
                                                     f"to {CASH_DISCOUNT_MAX} (a fraction: 10 % is 0.1)")
        self.catalog = catalog
        self.medicare_eligible = medicare_eligible
        self.options = year.holdable_plans(medicare_eligible, catalog)
        year.preset_course(course, catalog)  # an unknown course is a ScenarioError naming it
        unknown = [p for p in plans if p not in self.options]
        if unknown:
            raise ScenarioError.one("plans", f"{shown_value(unknown[0])} is not a plan this patient could hold "
                                             f"(one of: {', '.join(self.options)})")
        titles = [(year.preset_course(name, catalog).title or name, name) for name in year.course_names(catalog)]
        self.course_picker = w.Dropdown(options=titles, value=course, description="Course",
                                        layout=w.Layout(width="460px")).add_class("medspa-control-course")
        names = given_catalog(catalog).keyed["plans"]
        self.plan_picker = w.SelectMultiple(options=[(str(names[p]["name"]), p) for p in self.options], value=plans, description="Plans",
                                            rows=min(8, len(self.options)),
                                            layout=w.Layout(width="460px")).add_class("medspa-control-plans")
        self.cash = w.FloatSlider(cash_discount, min=0.0, max=CASH_DISCOUNT_MAX, step=0.05, description="Cash: package discount",
                                  style={"description_width": "160px"}, layout=w.Layout(width="460px"),
                                  continuous_update=False).add_class("medspa-control-cash")
        self.verdict = w.HTML().add_class("medspa-decision")
        self.table = w.HTML()
        self.months = w.HTML()
        self.chart = w.Output()
        self._charts = charts
        self.compared = None
        self.by_month = None
        self._verdict = ""
        for control in (self.course_picker, self.plan_picker, self.cash):
            control.observe(lambda change: self.update(), names="value")
        super().__init__([self.course_picker, self.plan_picker, self.cash, self.verdict, self.table, self.chart,
                          self.months])
        self.add_class("medspa-year")
        self.update()

    def __repr__(self) -> str:
        return "PlanYearExplorer()"

    def update(self) -> None:
        from ..report import figure_png, months_table, year_figure, year_table

        try:
            course = year.preset_course(self.course_picker.value, self.catalog)
            options = year.patient_options(self.plan_picker.value, self.cash.value, self.medicare_eligible,
                                           self.catalog)
            compared = year.rank_options(course, options, catalog=self.catalog)
            by_month = year.compare_by_month(course, options, catalog=self.catalog)
        except MedspaError as err:  # a control set from code to a value no option can take (nan)
            if self.compared is None:
                raise
            self.verdict.value = problem_html(str(err)) + self._verdict
            return
        self.compared = compared
        notes = {row["option"]: f"{row['option']} ({row['denied']} of {row['claims']} claims denied)"
                 for _, row in self.compared.iterrows() if row["denied"]}
        self.by_month = by_month.rename(columns=notes)  # a denied plan's flat line says why it is flat
        self.verdict.value = self._verdict = verdict_html(course, self.compared, self.medicare_eligible)
        self.table.value = year_table(self.compared).to_html()
        self.months.value = months_table(self.by_month).to_html()
        if self._charts:
            from IPython.display import Image

            self.chart.outputs = ()
            self.chart.append_display_data(Image(data=figure_png(year_figure(self.by_month))))


def verdict_html(course: "year.Course", ranked, medicare_eligible: bool = False) -> str:
    """The explorer's verdict from :func:`medspa_kit.year.rank_options`: the lowest net cost among
    the options that pay for the care, and each option left out because its claims are denied,
    with what that costs the clinic (a denied plan's $0 is not a price)."""
    instance(course, year.Course, "course", "a Course (medspa_kit.year.preset_course gives one)")
    frame(ranked, "ranked", ["option", "net_cost", "denied", "claims", "denial_reasons", "patient_pays",
                            "provider_writeoff"],
          "medspa_kit.year.rank_options")
    medicare_eligible = truth(medicare_eligible, "medicare_eligible")
    best = ranked.iloc[0]
    among = "the plans this patient could hold and cash" if not medicare_eligible else "these options"
    refused = ranked[ranked["denied"] > 0]
    if best["denied"]:
        head = (f"every option here has claims denied; the lowest net cost is <b>{escape(best['option'])}</b> "
                f"(${best['net_cost']:,.2f}), but {escape(year.denial_note(best))}")
    else:
        head = (f"among {among}, the lowest net cost of the options that pay for the care is "
                f"<b>{escape(best['option'])}</b> (${best['net_cost']:,.2f})")
    notes = "".join(f"<br>Not counted: {escape(row['option'])}: {escape(year.denial_note(row))}; the patient pays "
                    f"${row['patient_pays']:,.2f} only because the clinic writes off ${row['provider_writeoff']:,.2f}."
                    for _, row in refused.iterrows() if row["option"] != best["option"])
    return (f"<div style='border-left:6px solid #1a5fb4;padding:6px 10px;margin:6px 0'>"
            f"{escape(course.title)}: {len(course.dates)} visits; {head}{notes}</div>")


from .._public import plain_public  # noqa: E402 - (once the module is made)

plain_public(globals())  # text and numbers of a subclass reach each public function as plain values
