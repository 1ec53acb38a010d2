"""Tables, charts and handouts for outcomes side by side (a face: the core never imports it).

Charts are matplotlib figures (imported lazily) with labelled axes and dollar formatting; the
handout is a standalone HTML file plus a CSV that open without Jupyter.
"""

from __future__ import annotations

import base64
import io
import re
import textwrap
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

import pandas as pd

from ..arguments import choice, frame, instance, instances, listed, truth
from ..catalog import given_catalog
from ..clinic import MEASURES, STRATEGIES, STRATEGY_LABELS, ClinicComparison
from ..errors import ScenarioError, shown_value
from ..fields import plain
from ..files import check_folder_name, make_folder, spreadsheet_safe, write_text_files
from ..money import format_dollars
from ..outcome import Outcome
from ..vocabulary import COST_LABELS, HSA_WORDS, money
from .html import outcome_html

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from ..catalog import Catalog

__all__ = ["plan_words", "comparison_frame", "dollars_frame", "percent", "who_pays_figure", "figure_png",
           "handout_html", "decided_sources", "built_from", "handout_csv", "handout_files", "write_handout",
           "catalog_prices", "price_changes", "dollars_table", "payments_display", "clinic_totals",
           "clinic_visits_sentence", "clinic_visits_shown", "clinic_verdict", "dollar_ticks", "clinic_money_figure",
           "clinic_monthly_figure", "clinic_denials_figure", "clinic_denials_table", "clinic_losses_table",
           "fee_table", "sweep_table", "sweep_sentence", "sensitivity_figure", "deferred_figure", "year_figure",
           "year_table", "keep_codes_whole", "year_claims_table", "months_table", "totals_table"]

Named = Sequence[tuple[str, Outcome]]

SHOWN_COSTS = ("charge", "allowed", "plan_pays", "patient_pays", "provider_writeoff", "balance_bill")
ROWS = ("Service", "Diagnoses", "Plan", "Network", "Decision", *(COST_LABELS[n] for n in SHOWN_COSTS), "HSA/FSA")


def _named(named: object) -> list[tuple[str, Outcome]]:
    """``named`` as a list of (label, Outcome) pairs; else ScenarioError naming the bad entry."""
    pairs = listed(named, "named", "(label, Outcome) pairs", most=100)
    for i, pair in enumerate(pairs):
        if not (isinstance(pair, tuple) and len(pair) == 2 and isinstance(pair[1], Outcome)):
            raise ScenarioError.one(f"named[{i}]", "expected a (label, Outcome) pair (medspa_kit.evaluate gives the "
                                                   f"Outcome), got {shown_value(pair)}")
    if not pairs:
        raise ScenarioError.one("named", "no (label, Outcome) pairs: give at least one")
    return pairs


def _title(title: object, name: str = "title") -> str:
    """A heading given as text (one line of at most 200 characters)."""
    instance(title, str, name, "a heading as text")
    if len(title) > 200 or not title.isprintable():
        raise ScenarioError.one(name, f"{shown_value(title)} is not one line of at most 200 printable characters")
    return title


def _months(by_month: object, name: str, made_by: str) -> pd.DataFrame:
    """A table of months (:func:`medspa_kit.year.compare_by_month`): a DataFrame indexed by month."""
    instance(by_month, pd.DataFrame, name, f"{made_by}'s table (a pandas DataFrame)")
    if by_month.empty or not isinstance(by_month.index, (pd.PeriodIndex, pd.DatetimeIndex)):
        raise ScenarioError.one(name, f"expected {made_by}'s table: one row per month")
    return by_month


def _result(result: object) -> ClinicComparison:
    return instance(result, ClinicComparison, "result", "a ClinicComparison (medspa_kit.clinic.compare gives one)")


def plan_words(scenario, catalog: "Catalog | None" = None) -> str:
    """The plan as people name it: the catalog's name for a plan with exactly these terms
    (``Acme employer PPO``), else its type and main terms (``PPO: $1,500 deductible, 20 %``)."""
    from ..model import Plan, Scenario

    instance(scenario, Scenario, "scenario", "a Scenario (medspa_kit.preset or Scenario.from_dict gives one)")
    cat = given_catalog(catalog)
    for plan_id, row in cat.keyed["plans"].items():
        try:
            same = Plan.model_validate(cat.plan(plan_id), context={"catalog": cat}) == scenario.plan
        except ValueError:
            continue
        if same:
            return str(row["name"])
    plan = scenario.plan
    terms = []
    if plan.deductible is not None:
        terms.append(f"{format_dollars(plan.deductible)} deductible")
    if plan.coinsurance is not None:
        terms.append(f"{plan.coinsurance * 100:g} %")
    if plan.copay:
        terms.append(f"{format_dollars(plan.copay)} copay")
    return f"{plan.type.value}: {', '.join(terms)}" if terms else plan.type.value


def comparison_frame(named: Named, catalog: "Catalog | None" = None) -> pd.DataFrame:
    """One column per scenario; dollar rows as text like ``$1,100.00``; the plan by its name in
    ``catalog`` (a client's plans included) when one has the scenario's terms."""
    columns = {}
    for label, o in _named(named):
        c = o.cost
        columns[label] = [
            o.billed,
            ", ".join(o.scenario.diagnoses),
            plan_words(o.scenario, catalog),
            o.network_words,
            o.label,
            *(money(getattr(c, name)) for name in SHOWN_COSTS),
            HSA_WORDS[o.hsa_fsa.status],
        ]
    return pd.DataFrame(columns, index=list(ROWS))


def dollars_frame(named: Named) -> pd.DataFrame:
    """Who pays what, in dollars (numbers), one row per scenario."""
    return pd.DataFrame(
        [{"scenario": label, "plan pays": o.cost.plan_pays / 100, "patient pays": o.cost.patient_pays / 100,
          "clinic writes off": o.cost.provider_writeoff / 100} for label, o in _named(named)]
    ).set_index("scenario")


def percent(fraction: float) -> str:
    """A fraction 0–1 as a whole percentage with a space, as the lessons write it (``0.4`` → ``40 %``)."""
    if isinstance(fraction, bool) or not isinstance(fraction, (int, float)) or not -1e6 <= fraction <= 1e6:
        raise ScenarioError.one("fraction", f"{shown_value(fraction)} is not a number (a fraction 0–1)")
    return f"{fraction:.0%}".replace("%", " %")


HEADROOM = 1.18
"""the value axis reaches this many times the tallest bar, so the charge written above it fits"""


def who_pays_figure(named: Named, title: str = "Who pays each scenario's charge?") -> "Figure":
    """Stacked bars, one per scenario: plan pays, patient pays, clinic writes off — each bar adds
    up to that scenario's charge (the charges may differ), written above it.

    ``named`` is (label, Outcome) pairs; the labels are shown under the bars as given, so pass
    plain words (a preset's title), not ids. The value axis leaves :data:`HEADROOM` above the
    tallest bar for its label."""
    from matplotlib.figure import Figure

    _title(title)
    data = dollars_frame(named)
    fig = Figure(figsize=(max(5.0, 1.6 * len(data) + 2), 3.6), dpi=100)
    ax = fig.subplots()
    bottom = [0.0] * len(data)
    colours = {"plan pays": "#1e7b34", "patient pays": "#b3261e", "clinic writes off": "#8a8f98"}
    for column, colour in colours.items():
        values = list(data[column])
        ax.bar(range(len(data)), values, bottom=bottom, label=column, color=colour, width=0.6)
        bottom = [b + v for b, v in zip(bottom, values)]
    tallest = max(bottom, default=0.0) or 1.0
    for x, total in enumerate(bottom):
        ax.text(x, total + tallest * 0.02, money(round(total * 100)), ha="center", va="bottom", fontsize=8)
    ax.set_ylim(0, tallest * HEADROOM)
    ax.set_xticks(range(len(data)))
    ax.set_xticklabels([_wrap(label) for label in data.index], fontsize=8)
    _money_axis(ax)
    ax.set_ylabel("dollars")
    ax.set_xlabel("scenario")
    ax.set_title(title)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False, fontsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    return fig


def _wrap(text: str, width: int = 16) -> str:
    """A bar's label on lines of about ``width`` characters, broken at spaces or after a hyphen
    (``Office-only`` keeps its hyphen)."""
    return textwrap.fill(text, width=width, break_long_words=False) or text


def figure_png(fig: "Figure") -> bytes:
    """A matplotlib figure as PNG bytes (no software name stored, so the same chart is the same bytes)."""
    from matplotlib.figure import Figure

    instance(fig, Figure, "fig", "a matplotlib Figure (the kit's *_figure functions give one)")
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()


HANDOUT_CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;max-width:1100px;margin:24px auto;
padding:0 16px;color:#202124}
table.compare{border-collapse:collapse;margin:12px 0}
table.compare th,table.compare td{border:1px solid #dadce0;padding:4px 8px;text-align:left;font-size:.92em}
h2{margin-top:28px}.note{color:#5f6368;font-size:.9em}
"""


HANDOUT_TITLE = "Will insurance pay? Scenarios side by side"


def handout_html(named: Named, title: str = HANDOUT_TITLE, catalog: "Catalog | None" = None) -> str:
    """A standalone page: the comparison table, the chart, each scenario explained, sources."""
    _title(title)
    table = comparison_frame(named, catalog).to_html(classes="compare", border=0, escape=True)
    chart = base64.b64encode(figure_png(who_pays_figure(named))).decode("ascii")
    sections = []
    for label, o in named:
        sources = decided_sources(o)
        sections.append(
            f"<h2>{escape(label)}</h2><p class='note'>{escape(o.billed)} · "
            f"{escape(', '.join(o.scenario.diagnoses))} · {escape(plan_words(o.scenario, catalog))} · "
            f"date of service {o.scenario.date_of_service}</p>{outcome_html(o)}"
            f"<details><summary class='note'>Sources used</summary><ul class='note'>"
            + "".join(f"<li>{escape(s)}</li>" for s in sources) + "</ul></details>"
        )
    return (
        f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{escape(title)}</title>"
        f"<style>{HANDOUT_CSS}</style></head><body><h1>{escape(title)}</h1>"
        f"<p class='note'>Made with medspa-kit. A teaching estimate, not billing, legal or medical advice; "
        f"rules and numbers carry their sources, teaching numbers are illustrative.</p>"
        f"<p class='note medspa-built-from'>{escape(built_from(catalog))}</p>{table}"
        f"<img alt='Who pays: plan, patient and clinic for each scenario' src='data:image/png;base64,{chart}'>"
        f"{''.join(sections)}</body></html>"
    )


DECIDING_WHEN_COVERED = ("necessity", "cost")
"""the checks that decide a covered claim: the coverage policy that covers it and the pricing"""


def _citations(reference: str) -> list[str]:
    """The citations of one ``references`` cell, split at the semicolons outside brackets."""
    parts, depth, start = [], 0, 0
    for i, char in enumerate(reference):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == ";" and depth == 0:
            parts.append(reference[start:i].strip())
            start = i + 1
    return [p for p in parts + [reference[start:].strip()] if p]


def decided_sources(outcome: Outcome) -> list[str]:
    """``check title: documents`` for the checks that decided the outcome, in plain words: a denial's
    deciding checks, or for a covered claim the coverage policy and the pricing. The kit's own
    documents and illustrative numbers are not sources (``docs-…``, ``illustrative``)."""
    instance(outcome, Outcome, "outcome", "an Outcome (medspa_kit.evaluate gives one)")
    steps = [s for s in outcome.steps if s.decisive] or [
        s for s in outcome.steps if s.step in DECIDING_WHEN_COVERED and s.status == "pass"]
    out: list[str] = []
    for step in steps:
        cited = [c for ref in step.references for c in _citations(ref)
                 if not c.startswith(("docs-", "illustrative"))]
        words = outcome.catalog.cite((), tuple(dict.fromkeys(cited)))
        if words and f"{step.title}: {words}" not in out:
            out.append(f"{step.title}: {words}")
    return out


def built_from(catalog: "Catalog | None" = None) -> str:
    """Which prices and plans a handout was computed with: the client's files by name and rows
    (:func:`medspa_kit.client_data.client_files`), or the kit's own."""
    from ..client_data import client_files

    files = client_files(given_catalog(catalog))
    if not files:
        return "Built from the kit's own prices and plans (no client files)."
    kinds = {f.kind for f in files}
    own = "" if kinds == {"prices", "plans"} else (
        "; the kit's own plans" if "prices" in kinds else "; the kit's own prices")
    return f"Built from the client's files: {'; '.join(str(f) for f in files)}{own}."


def handout_csv(named: Named, catalog: "Catalog | None" = None) -> str:
    """The comparison table as CSV text, spreadsheet-safe (no cell a spreadsheet would run)."""
    return spreadsheet_safe(comparison_frame(named, catalog)).to_csv(index_label="")


def handout_files(named: Named, stem: str = "handout", title: str = HANDOUT_TITLE,
                  catalog: "Catalog | None" = None) -> dict[str, str]:
    """The handout's two files by name, ``{"handout.html": ..., "handout.csv": ...}``: what is
    saved to a folder or downloaded to a browser. ``stem``: the files' name without extension
    (letters, digits, ``-``, ``_``, ``.`` and spaces; no folder)."""
    instance(stem, str, "stem", "a file name without extension, such as 'handout'")
    if not 1 <= len(stem) <= 100 or not re.fullmatch(r"[\w\-. ]+", stem) or stem.strip(". ") == "":
        raise ScenarioError.one("stem", f"{shown_value(stem)} is not a file name without extension (1 to 100 "
                                        "letters, digits, '-', '_', '.' or spaces; no folder)")
    return {f"{stem}.html": handout_html(named, title, catalog), f"{stem}.csv": handout_csv(named, catalog)}


def write_handout(named: Named, folder: str | Path, stem: str = "handout", title: str = HANDOUT_TITLE,
                  catalog: "Catalog | None" = None) -> tuple[Path, Path]:
    """Write ``<stem>.html`` and ``<stem>.csv`` into ``folder``, both whole or neither (an earlier
    pair is never left half replaced); returns both paths. Raises :class:`~medspa_kit.errors.FileError` when the folder cannot be
    written."""
    check_folder_name(folder, "folder", "write into")
    target = Path(folder)
    make_folder(target)
    files = handout_files(named, stem, title, catalog)
    write_text_files([(target / name, text, "file") for name, text in files.items()])  # (both or neither)
    html, csv = (target / name for name in files)
    return html, csv


def catalog_prices(catalog: "Catalog | None" = None) -> pd.DataFrame:
    """The services with codes, cash prices and fee schedules (dollars) of a catalog."""
    cat = given_catalog(catalog)
    rows = [{"id": p.id, "code": p.code, "service": p.name, "cash price": p.cash_price,
             "fee schedule": p.fee_schedule} for p in cat.procedures.values()]
    return pd.DataFrame(rows).set_index("id")


def price_changes(client: "Catalog", base: "Catalog | None" = None) -> pd.DataFrame:
    """The services whose cash price or fee schedule a client's file changed: before and after."""
    before, after = catalog_prices(base), catalog_prices(client)
    changed = (before["cash price"] != after["cash price"]) | (
        before["fee schedule"].fillna(-1) != after["fee schedule"].fillna(-1))
    def dollars(values: pd.Series) -> list[str]:
        return [format_dollars(v) for v in values]

    table = before.loc[changed, ["code", "service"]].copy()
    table["cash price"] = dollars(before.loc[changed, "cash price"])
    table["client cash price"] = dollars(after.loc[changed, "cash price"])
    table["fee schedule"] = dollars(before.loc[changed, "fee schedule"])
    table["client fee schedule"] = dollars(after.loc[changed, "fee schedule"])
    return table


# ---------------------------------------------------------------------------------------------
# The clinic decision (notebook 06): a year of visits as cash pay against credentialed.

STRATEGY_COLOURS = {"cash_pay": "#8a5300", "credentialed": "#1a5fb4"}


def dollars_table(frame: pd.DataFrame, columns: Sequence[str], cents: bool = False) -> pd.DataFrame:
    """A copy for display: the given columns as dollars (``$1,234``, or ``$1,234.56`` with
    ``cents``), every empty cell as "—"."""
    instance(frame, pd.DataFrame, "frame", "a pandas DataFrame")
    digits = 2 if truth(cents, "cents") else 0
    columns = listed(columns, "columns", "column names")  # (a name of a subclass: the plain text it holds)
    for i, column in enumerate(columns):
        if not isinstance(column, (str, int)) or column not in frame.columns:
            raise ScenarioError.one(f"columns[{i}]", f"{shown_value(column)} is no column of the table")
    out = frame.copy().astype(object)
    for column in columns:
        out[column] = [format_dollars(v, digits) for v in out[column]]
    return out.where(out.notna(), "—")


PAYMENT_HEADINGS = {"monthly_payment": "a month", "months": "months", "total_paid": "total paid",
                    "interest": "interest", "tax_saving": "tax saved", "net_cost": "net cost", "note": "note"}


def payments_display(table: pd.DataFrame) -> pd.DataFrame:
    """``compare_payments``'s table for people: the ways to pay that are available, by name, with
    headings in words and dollars with cents (``$520.78``)."""
    frame(table, "table", ["available", "option", *PAYMENT_HEADINGS], "medspa_kit.payments.compare_payments")
    shown = table[table["available"]].set_index("option")[list(PAYMENT_HEADINGS)]
    shown = dollars_table(shown, ["monthly_payment", "total_paid", "interest", "tax_saving", "net_cost"], cents=True)
    shown.index.name = "way to pay"
    return shown.rename(columns=PAYMENT_HEADINGS)


TOTAL_HEADINGS = {"visits": "visits", "claims": "claims filed", "revenue": "revenue (what the clinic collects)",
                  "write_off": "write-off", "admin_cost": "claim admin cost", "net_revenue": "net revenue",
                  "patients_to_clinic": "of the revenue: patients pay the clinic",
                  "plan_pays": "of the revenue: plans pay the clinic",
                  "superbill_refund": "note: patients' own refunds from their plans (not clinic income)",
                  "patient_oop": "note: patients' cost after those refunds"}
"""the rows of :func:`clinic_totals`: the clinic's money first, what its revenue is made of, then
what patients get back from their own plans (superbills), which is no income of the clinic's"""


def clinic_totals(result) -> pd.DataFrame:
    """The year's totals per strategy, one column per strategy and their difference.

    Each figure is rounded to what is shown (whole visits and claims, whole dollars) before the
    difference is taken, so the difference column is always the shown credentialed figure minus
    the shown cash-pay one (5,495 − 5,135 = 360 visits, never 359 from 5,494.8 − 5,135.4).
    """
    totals = _result(result).totals.set_index("strategy").astype({"patient_oop": float, "superbill_refund": float})
    # what patients hand the clinic: their cost plus what their own plans later refund them (cash pay)
    totals["patients_to_clinic"] = totals["patient_oop"] + totals["superbill_refund"]
    t = totals[list(TOTAL_HEADINGS)].T.astype(float).round(0)
    t.columns = [STRATEGY_LABELS[c] for c in t.columns]
    t["difference"] = t.iloc[:, 1] - t.iloc[:, 0]
    shown = t.copy().astype(object)
    for name in t.index:
        for column in t.columns:
            value = t.loc[name, column]
            sign = "−" if value < 0 else ""
            number = f"{abs(value):,.0f}"
            shown.loc[name, column] = f"{sign}{number}" if name in ("visits", "claims") else f"{sign}${number}"
    shown.index = [TOTAL_HEADINGS[name] for name in t.index]
    return shown


def clinic_visits_sentence(result) -> str:
    """Why each strategy's visits are fewer than the visits in the file: patients lost while the
    clinic is cash-only (the covered patients who do not stay, ``cash_uptake``) and, credentialed,
    during the lead time before the contracts take effect (``lead_months``); whole visits as shown."""
    shown = clinic_visits_shown(_result(result))
    per_visit = result.visits
    in_file = int((per_visit["strategy"] == "cash_pay").sum())
    cash, cred = shown[STRATEGY_LABELS["cash_pay"]], shown[STRATEGY_LABELS["credentialed"]]
    a = result.assumptions
    return (f"The file has {in_file:,} visits, but not all of them happen. Staying cash-pay, {cash:,} do: "
            f"{in_file - cash:,} are lost, because of the visits a plan would cover in network only "
            f"{percent(a.cash_uptake)} still happen at a clinic that takes cash only. Credentialed, {cred:,} do: "
            f"{in_file - cred:,} are lost in the first {a.lead_months} months, before the contracts take effect, "
            f"while the clinic is still cash-only to those patients.")


def clinic_visits_shown(result) -> dict[str, int]:
    """The visits of each strategy as every table and sentence shows them: whole visits
    (weighted visits rounded once, here), by strategy label."""
    t = _result(result).totals.set_index("strategy")["visits"].astype(float).round(0)
    return {STRATEGY_LABELS[s]: int(v) for s, v in t.items()}


def clinic_verdict(result) -> str:
    """One sentence: which strategy keeps more net revenue, and by how much (dollars a year)."""
    gap = float(_result(result).difference["net_revenue"])
    a = result.assumptions
    if abs(gap) < 1:
        head = "Both strategies keep the same net revenue"
    elif gap > 0:
        head = f"Credentialing with payers keeps ${gap:,.0f} more net revenue a year than staying cash-pay"
    else:
        head = f"Staying cash-pay keeps ${-gap:,.0f} more net revenue a year than credentialing"
    sentence = (f"{head} (lead time {a.lead_months} months, payers allow {a.fee_schedule_scale:g}× the fee schedules, "
                f"{percent(a.cash_uptake)} of covered patients stay when the clinic is cash-only, "
                f"{percent(a.paperwork)} of missing paperwork caught, ${a.admin_cost_per_claim:,.2f} per claim).")
    refused = result.errors
    if len(refused):  # never a figure that quietly leaves visits out
        visits = result.visits["visit"].nunique()
        first = refused.iloc[0]
        sentence += (f" {len(refused):,} of {visits:,} visits could not be read and are left out of every figure "
                     f"(row {int(first['row'])} of the visits: {first['error']}).")
    return sentence


def dollar_ticks(values: Sequence[float]) -> list[str]:
    """Labels for one axis of dollar ticks: $800, $12k, $2.15M — as many decimals as the step needs.

    One unit for the whole axis (the largest tick decides), and the fewest decimals (at most 3)
    that show every tick exactly, so neighbouring ticks never print the same label.
    """
    values = [plain(v) for v in listed(values, "values", "numbers")]  # (a Decimal, a Fraction: the number it holds)
    for i, v in enumerate(values):
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not -1e300 < v < 1e300:
            raise ScenarioError.one(f"values[{i}]", f"{shown_value(v)} is not a finite number of dollars")
    largest = max((abs(v) for v in values), default=0.0)
    unit, suffix = (1_000_000, "M") if largest >= 1_000_000 else (1000, "k") if largest >= 10_000 else (1, "")
    scaled = [v / unit for v in values]
    decimals = next((d for d in range(4) if all(abs(round(x, d) - x) < 1e-9 for x in scaled)), 3)
    return ["$0" if round(x, decimals) == 0 else ("-" if x < 0 else "") + f"${abs(x):,.{decimals}f}{suffix}"
            for x in scaled]


def _money_axis(ax, axis: str = "y") -> None:
    from matplotlib.ticker import Formatter

    class Dollars(Formatter):
        def format_ticks(self, values):  # all ticks at once: one unit, enough decimals
            return dollar_ticks(list(values))

        def __call__(self, x: float, pos: int | None = None) -> str:
            return dollar_ticks([x])[0]

    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(Dollars())


def clinic_money_figure(result) -> "Figure":
    """Grouped bars: revenue, write-off, admin cost and net revenue for each strategy (dollars a year)."""
    from matplotlib.figure import Figure

    measures = ["revenue", "write_off", "admin_cost", "net_revenue"]
    t = _result(result).totals.set_index("strategy")
    fig = Figure(figsize=(7.5, 3.6), dpi=100)
    ax = fig.subplots()
    width = 0.38
    for i, strategy in enumerate(("cash_pay", "credentialed")):
        xs = [m + (i - 0.5) * width for m in range(len(measures))]
        ax.bar(xs, [t.loc[strategy, m] for m in measures], width=width, label=STRATEGY_LABELS[strategy],
               color=STRATEGY_COLOURS[strategy])
    ax.set_xticks(range(len(measures)))
    ax.set_xticklabels([m.replace("_", " ") for m in measures])
    _money_axis(ax)
    ax.set_ylabel("dollars a year")
    ax.set_title("A year of visits: what the clinic keeps")
    ax.legend(frameon=False, fontsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    return fig


def clinic_monthly_figure(result) -> "Figure":
    """Net revenue by month for each strategy; the credentialing lead time is shaded."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(7.5, 3.4), dpi=100)
    ax = fig.subplots()
    by = _result(result).by_month
    for strategy in ("cash_pay", "credentialed"):
        rows = by[by["strategy"] == strategy]
        ax.plot(rows["month"], rows["net_revenue"], marker="o", label=STRATEGY_LABELS[strategy],
                color=STRATEGY_COLOURS[strategy])
    lead = result.assumptions.lead_months
    if lead:
        ax.axvspan(0.5, lead + 0.5, color="#dadce0", alpha=0.5, label=f"credentialing pending ({lead} months)")
    ax.set_xticks(range(1, 13))
    ax.set_xlabel("month of the year")
    _money_axis(ax)
    ax.set_ylabel("net revenue")
    ax.set_title("Net revenue by month")
    ax.legend(frameon=False, fontsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    return fig


def clinic_denials_figure(result) -> "Figure":
    """Dollars denied by the plan when credentialed, by reason: who absorbs them, the clinic (CO)
    or the patient (PR). Visits not billable to insurance (no claim filed: PR 204, 170) are left
    out — they are the same under either strategy (:func:`clinic_denials_table` shows both)."""
    from matplotlib.figure import Figure

    from ..clinic import DENIED

    d = _result(result).denials
    d = d[(d["strategy"] == "credentialed") & (d["kind"] == DENIED) & (d["charge"] > 0)].copy()
    d["label"] = d["reason_group"] + " " + d["reason_carc"] + " " + d["reason_text"]
    d = d.sort_values("charge")
    fig = Figure(figsize=(7.5, 0.45 * len(d) + 1.2), dpi=100)
    ax = fig.subplots()
    ax.barh(d["label"], d["clinic_absorbs"], color="#8a8f98", label="the clinic absorbs (CO)")
    ax.barh(d["label"], d["patient_pays"], left=d["clinic_absorbs"], color="#b3261e", label="the patient owes (PR)")
    _money_axis(ax, "x")
    ax.set_xlabel("dollars a year denied by the plan (credentialed; claims filed)")
    ax.set_title("Denied by the plan: where the dollars go")
    ax.tick_params(axis="y", labelsize=8)
    ax.legend(frameon=False, fontsize=8, loc="lower right")
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    return fig


def clinic_denials_table(result, strategy: str = "credentialed") -> pd.DataFrame:
    """The year's unpaid visits of one strategy in two kinds, each with the gist of what it means
    (:data:`medspa_kit.clinic.DENIAL_KINDS`): "not billable to insurance (no claim is filed)" and
    "denied by the plan (a claim is filed and the plan refuses it)"; one row per kind
    and reason (``CO 50`` kept on one line), visits and dollars (whole), the clinic's and the
    patient's part."""
    from ..clinic import DENIAL_KINDS

    choice(strategy, "strategy", STRATEGIES)
    d = _result(result).denials
    d = d[d["strategy"] == strategy]
    rows = []
    for kind, meaning in DENIAL_KINDS.items():
        part = d[d["kind"] == kind].sort_values(["charge", "reason_carc"], ascending=[False, True], kind="stable")
        for r in part.itertuples():
            rows.append({"kind": f"{kind} ({meaning.split(':')[0]})", "reason": keep_codes_whole(f"{r.reason_group} {r.reason_carc}"),
                         "in words": r.reason_text, "visits": f"{r.visits:,.0f}",
                         "dollars": format_dollars(r.charge, 0), "the clinic absorbs": format_dollars(r.clinic_absorbs, 0),
                         "the patient owes": format_dollars(r.patient_pays, 0)})
    return pd.DataFrame(rows).set_index(["kind", "reason"])


def clinic_losses_table(result, catalog: "Catalog | None" = None) -> pd.DataFrame:
    """Why credentialing costs the clinic money: every reason code that cost it dollars this year,
    largest first (:meth:`medspa_kit.clinic.ClinicComparison.clinic_losses`), formatted (codes
    kept on one line)."""
    losses = _result(result).clinic_losses(catalog)
    return pd.DataFrame({"reason": [keep_codes_whole(r) for r in losses["reason"]], "in words": losses["name"],
                         "visits": [f"{v:,.0f}" for v in losses["visits"]],
                         "dollars a year": [format_dollars(v, 0) for v in losses["dollars"]]}).set_index("reason")


def fee_table(fees: pd.DataFrame) -> pd.DataFrame:
    """:func:`medspa_kit.clinic.fee_vs_cash` for people: the service by name, visits, cash price and
    fee schedule in dollars, the fee schedule as a percentage of the cash price (``63 %``)."""
    frame(fees, "fees", ["name", "visits", "cash_price", "fee_schedule", "fee_to_cash"], "medspa_kit.clinic.fee_vs_cash")
    return pd.DataFrame({
        "service": fees["name"], "visits": [f"{v:,}" for v in fees["visits"]],
        "cash price": [format_dollars(v) for v in fees["cash_price"]],
        "fee schedule": [format_dollars(v) for v in fees["fee_schedule"]],
        "fee schedule as % of cash price": ["—" if r is None or r != r else percent(r)
                                            for r in fees["fee_to_cash"]],
    }).set_index("service")


#: How each assumption of the clinic model is said, for one value (sweeps and sentences).
ASSUMPTION_WORDS = {
    "fee_schedule_scale": ("Payers allow", lambda v: f"{v:g}× the fee schedules"),
    "lead_months": ("Credentialing lead time", lambda v: f"{v:g} months"),
    "cash_uptake": ("Covered patients who stay cash", percent),
    "paperwork": ("Missing paperwork caught", percent),
    "admin_cost_per_claim": ("Admin cost per claim", lambda v: format_dollars(v)),
}


#: Each assumption as the clinic decision's sliders and the sensitivity chart's x axis name it.
ASSUMPTION_AXIS = {
    "lead_months": "Credentialing lead time (months)",
    "fee_schedule_scale": "Payers allow (× fee schedule)",
    "cash_uptake": "Covered patients who stay cash",
    "paperwork": "Missing paperwork caught",
    "admin_cost_per_claim": "Admin cost per claim ($)",
}


def _sweep(table: object, measure: object) -> None:
    """A :func:`medspa_kit.clinic.sensitivity` table and one of its measures, else ScenarioError."""
    choice(measure, "measure", MEASURES)
    frame(table, "table", ["parameter", "value", "strategy", measure], "medspa_kit.clinic.sensitivity")


def sweep_table(table: pd.DataFrame, measure: str = "net_revenue") -> pd.DataFrame:
    """:func:`medspa_kit.clinic.sensitivity` for people: one row per value swept (in words), the
    measure of each strategy and what credentialing gains (−: loses), whole dollars a year."""
    _sweep(table, measure)
    parameter = str(table["parameter"].iloc[0])
    heading, say = ASSUMPTION_WORDS.get(parameter, (parameter.replace("_", " "), lambda v: f"{v:g}"))
    wide = table.pivot(index="value", columns="strategy", values=measure).sort_index()
    words = measure.replace("_", " ")
    out = pd.DataFrame({
        f"{STRATEGY_LABELS['cash_pay']}: {words}": [format_dollars(v, 0) for v in wide["cash_pay"]],
        f"{STRATEGY_LABELS['credentialed']}: {words}": [format_dollars(v, 0) for v in wide["credentialed"]],
        "credentialing gains (− loses)": [format_dollars(round(c) - round(k), 0)
                                          for c, k in zip(wide["credentialed"], wide["cash_pay"])],
    }, index=pd.Index([say(v) for v in wide.index], name=heading))
    return out


def sweep_sentence(table: pd.DataFrame, fee_share: float | None = None, visits: pd.DataFrame | None = None,
                   catalog: "Catalog | None" = None) -> str:
    """One sentence: does credentialing pay anywhere in the range swept, and where it starts or
    stops paying (:func:`medspa_kit.clinic.crossing`), in the assumption's words.

    ``fee_share``: for a fee-schedule sweep, the fee schedules as a fraction of the cash prices
    (:func:`medspa_kit.clinic.fee_share_of_cash`), so the range is also said as a share of the
    clinic's price ("63 % to 100 % of the cash price", never above 100 %: the allowed amount is
    capped at the charge). ``visits``: the visits swept; for a fee-schedule sweep the shares are
    then read from them, and a second sentence says from which scale nothing changes any more
    (:func:`medspa_kit.clinic.fee_cap_scale`).
    """
    from ..clinic import check_visits, crossing, fee_cap_scale, fee_share_of_cash

    if fee_share is not None and (isinstance(fee_share, bool) or not isinstance(fee_share, (int, float))
                                  or not 0 < fee_share <= 100):
        raise ScenarioError.one("fee_share", f"{shown_value(fee_share)} is not a fraction of the cash prices above 0 "
                                             "(clinic.fee_share_of_cash gives it)")
    if visits is not None:
        check_visits(visits)
    c = crossing(table)
    heading, say = ASSUMPTION_WORDS.get(c.parameter, (c.parameter.replace("_", " "), lambda v: f"{v:g}"))
    fee_sweep = c.parameter == "fee_schedule_scale"

    def cash(v: float) -> str:
        share = fee_share_of_cash(visits, catalog, scale=v) if visits is not None else min(v * fee_share, 1.0)
        return percent(share)

    shares = fee_sweep and (fee_share is not None or visits is not None)
    flat = ""
    if fee_sweep and visits is not None:
        cap = fee_cap_scale(visits, catalog)
        flat = (f" Payers never allow more than the clinic's charge, so from about {cap:.1f}× the fee schedules (where "
                f"the last of them reaches its cash price) raising them changes nothing: the line goes flat.")
    if fee_sweep:
        span = f"from {c.low:g}× to {c.high:g}× the fee schedules"
        if shares:
            span += f" ({cash(c.low)} to {cash(c.high)} of the cash price)"
        where = "at any fee schedule " + span
    else:
        span = f"from {say(c.low)} to {say(c.high)}"
        where = f"at any value of {heading[:1].lower() + heading[1:]} {span}"
    if c.at is None:
        if c.winner == "cash_pay":
            return f"Credentialing does not pay {where}: staying cash-pay keeps more net revenue at every value.{flat}"
        return f"Credentialing pays {where}: it keeps more net revenue at every value.{flat}"
    at = say(round(c.at, 2))
    if shares:
        at += f" ({cash(c.at)} of the cash price)"
    above = "above" if c.credentialing_wins_above else "below"
    other = "below" if above == "above" else "above"
    return (f"The answer changes at about {at}: credentialing keeps more net revenue {above} it, staying "
            f"cash-pay {other} it (swept {span}).{flat}")


def sensitivity_figure(table: pd.DataFrame, measure: str = "net_revenue") -> "Figure":
    """One assumption swept: the measure for both strategies (lines), from ``clinic.sensitivity``."""
    from matplotlib.figure import Figure

    _sweep(table, measure)
    parameter = str(table["parameter"].iloc[0])
    fig = Figure(figsize=(7.5, 3.4), dpi=100)
    ax = fig.subplots()
    for strategy in ("cash_pay", "credentialed"):
        rows = table[table["strategy"] == strategy]
        ax.plot(rows["value"], rows[measure], marker="o", label=STRATEGY_LABELS[strategy],
                color=STRATEGY_COLOURS[strategy])
    heading = ASSUMPTION_AXIS.get(parameter, parameter.replace("_", " "))
    ax.set_xlabel(heading)
    ax.set_ylim(bottom=0)  # from $0, so a gap is drawn to scale
    _money_axis(ax)
    ax.set_ylabel(measure.replace("_", " "))
    ax.set_title(f"{measure.replace('_', ' ').capitalize()} as {heading[:1].lower() + heading[1:]} changes")
    ax.legend(frameon=False, fontsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    return fig


# ---------------------------------------------------------------------------------------------
# Paying when insurance says no (notebook 04)


def deferred_figure(results: Sequence, title: str = "The deferred-interest cliff") -> "Figure":
    """Balance (solid) and interest accrued so far (dashed) by month for each plan of payments.

    ``results`` are :class:`~medspa_kit.payments.financing.DeferredResult` objects; the month the
    promotion ends is marked, and an unpaid balance jumps there by all the deferred interest.
    """
    from matplotlib.figure import Figure

    from ..payments.financing import DeferredResult

    colours = ["#b3261e", "#1e7b34", "#1a5fb4", "#8a5300"]
    results = listed(results, "results", "DeferredResult (medspa_kit.payments.deferred_interest gives one)",
                     most=len(colours))  # one colour each: a fifth plan would not be drawn
    what = "DeferredResult items (medspa_kit.payments.deferred_interest gives one)"
    if not instances(results, DeferredResult, "results", what):
        raise ScenarioError.one("results", f"expected {what}, got none")
    _title(title)
    fig = Figure(figsize=(7.5, 3.8), dpi=100)
    ax = fig.subplots()
    for colour, r in zip(colours, results):
        s = r.schedule
        months = [0, *s["month"]]
        ax.plot(months, [r.amount, *s["balance"]], color=colour, marker="o", markersize=3,
                label=f"${r.payment:,.0f}/month: balance")
        ax.plot(months, [0.0, *s["accrued_to_date"]], color=colour, linestyle="--",
                label=f"${r.payment:,.0f}/month: interest accrued")
    promo = results[0].promo_months
    ax.axvline(promo, color="#5f6368", linewidth=1)
    ax.annotate("promotion ends", xy=(promo, 0), xytext=(4, 4), textcoords="offset points", fontsize=8,
                color="#5f6368", xycoords=("data", "axes fraction"))
    ax.set_xlabel("month")
    _money_axis(ax)
    ax.set_ylabel("dollars")
    ax.set_title(title)
    ax.legend(frameon=False, fontsize=7, loc="upper right")
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    return fig


def year_figure(by_month: pd.DataFrame, title: str = "What the patient has paid so far this year") -> "Figure":
    """The patient's running total month by month, one line per plan or cash option (dollars;
    :func:`medspa_kit.year.compare_by_month`)."""
    from matplotlib.figure import Figure

    _months(by_month, "by_month", "medspa_kit.year.compare_by_month")
    _title(title)
    fig = Figure(figsize=(7.5, 3.6), dpi=100)
    ax = fig.subplots()
    labels = [str(m.strftime("%b %Y")) for m in by_month.index]
    for column in by_month.columns:
        ax.step(range(len(labels)), by_month[column], where="post", marker="o", markersize=3, label=column)
    ax.set_xticks(range(len(labels)))
    ax.set_xticklabels(labels, rotation=45, ha="right", fontsize=8)
    _money_axis(ax)
    ax.set_ylabel("patient has paid")
    ax.set_title(title)
    ax.legend(frameon=False, fontsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    return fig


YEAR_COLUMNS = {"option": "option", "claims": "claims", "covered": "covered", "denied": "denied",
                "denial_reasons": "denied for", "charge": "charge",
                "patient_pays": "patient pays", "plan_pays": "plan pays", "provider_writeoff": "clinic writes off",
                "cash_discount": "cash discount", "balance_bill": "balance bill", "hsa_tax_saving": "HSA tax saving",
                "net_cost": "net cost"}


def year_table(compared: pd.DataFrame) -> pd.DataFrame:
    """:func:`medspa_kit.year.compare_plans` with dollars as text (``$1,500.00``), one row per option;
    an option that files no claim (cash) says "no claim" for its claims, covered and denied, and
    the denied claims' reasons are shown with codes kept whole (``CO 288`` never wraps)."""
    frame(compared, "compared", list(YEAR_COLUMNS), "medspa_kit.year.compare_plans")
    out = compared.copy().astype({"claims": object, "covered": object, "denied": object})
    for name in ("charge", "patient_pays", "plan_pays", "provider_writeoff", "cash_discount", "balance_bill",
                 "hsa_tax_saving", "net_cost"):
        out[name] = [format_dollars(v) for v in out[name]]
    for name in ("claims", "covered", "denied"):
        out[name] = ["no claim" if n == 0 else str(c) for n, c in zip(compared["claims"], compared[name])]
    out["denial_reasons"] = [keep_codes_whole(r) if r else "—" for r in compared["denial_reasons"]]
    return out.rename(columns=YEAR_COLUMNS).set_index("option")


def keep_codes_whole(text: str) -> str:
    """``CO 288`` with a non-breaking space, so a table never wraps a code between its group and number."""
    instance(text, str, "text", "text")
    return re.sub(r"\b(CO|PR|OA|PI|CR) (\d{1,3}|[A-Z]\d{1,2})\b", "\\1\u00a0\\2", text)


#: Headings in words for :meth:`medspa_kit.year.PlanYear.table`'s columns; a running total says so.
CLAIM_HEADINGS = {
    "date_of_service": "Date of service", "plan_year_start": "Plan year from", "decision": "Decision",
    "reason": "Reason", "charge": "Charge", "allowed": "Allowed", "deductible": "Deductible",
    "coinsurance": "Coinsurance", "copay": "Copay", "plan_pays": "Plan pays", "patient_pays": "Patient pays",
    "provider_writeoff": "Clinic writes off", "balance_bill": "Balance bill",
    "patient_so_far": "Patient paid so far (running total)", "plan_so_far": "Plan paid so far (running total)",
    "deductible_met": "Deductible met so far (running total)",
    "oop_met": "Out-of-pocket met so far (running total)",
}
_CLAIM_WORDS = {"date_of_service", "plan_year_start", "decision", "reason"}


def year_claims_table(table: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """:meth:`medspa_kit.year.PlanYear.table` for people: the given columns under headings in
    words (:data:`CLAIM_HEADINGS`), dollars with cents (``$1,234.50``), dates as ISO text, the
    date of service as the row label (no row numbers). Raises ScenarioError naming an unknown
    column."""
    frame(table, "table", ["date_of_service"], "medspa_kit.year.PlanYear.table")
    columns = listed(columns, "columns", "column names")
    unknown = [c for c in columns if not isinstance(c, str) or c not in CLAIM_HEADINGS or c not in table.columns]
    if unknown:
        raise ScenarioError.one("columns", f"{shown_value(unknown[0])} is not a column of the plan year's table "
                                           f"({', '.join(c for c in CLAIM_HEADINGS if c in table.columns)})")
    shown = table[["date_of_service", *[c for c in columns if c != "date_of_service"]]].copy().astype(object)
    for column in shown.columns:
        if column in ("date_of_service", "plan_year_start"):
            shown[column] = [d.isoformat() for d in shown[column]]
        elif column == "decision":
            shown[column] = [str(d).replace("_", " ") for d in shown[column]]
        elif column not in _CLAIM_WORDS:
            shown[column] = [format_dollars(v) for v in shown[column]]
    shown = shown.rename(columns=CLAIM_HEADINGS).set_index(CLAIM_HEADINGS["date_of_service"])
    return shown


def months_table(by_month: pd.DataFrame) -> pd.DataFrame:
    """:func:`medspa_kit.year.compare_by_month` for people: one row per month (``Jan 2026``, kept on
    one line), one column per option headed by its name, all under "Patient paid so far (running
    total)", dollars with cents (short headings, so many plans fit side by side)."""
    _months(by_month, "by_month", "medspa_kit.year.compare_by_month")
    shown = by_month.copy().astype(object)
    for column in shown.columns:
        shown[column] = [format_dollars(v) for v in by_month[column]]
    shown.index = [m.strftime("%b\u00a0%Y") for m in by_month.index]  # "Jan 2026" never wraps
    shown.index.name = "Month"
    shown.columns.name = "Patient paid so far (running total)"
    return shown


def totals_table(cost, label: str) -> pd.DataFrame:
    """One row of a :class:`~medspa_kit.outcome.Cost` (cents) for people: the nine cost fields
    under headings in words, dollars with cents, the row labelled ``label`` (``the year``)."""
    from ..outcome import Cost

    instance(cost, Cost, "cost", "a Cost (an outcome's .cost, or a plan year's total)")
    _title(label, "label")
    values = cost.to_dict()
    row = {CLAIM_HEADINGS[name]: format_dollars(value) for name, value in values.items()}
    return pd.DataFrame([row], index=pd.Index([label], name=""))


from .._public import plain_public  # noqa: E402 - (once the module is made)

plain_public(globals())  # text and numbers of a subclass reach each public function as plain values
