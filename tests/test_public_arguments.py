"""Every public function and method refuses a wrong kind of argument with the kit's own error.

docs/api.md promises it: an argument of the wrong kind — None, a number, a text, a table, an
object whose repr fails, NaN, a list holding None — is a MedspaError naming the argument, never
an AttributeError or TypeError from deep inside; a truth value given as 'no' is refused, never
read as true. Each public callable has one valid call below (SPECS); the test swaps one
argument at a time for each wrong value. A public name with parameters and no entry in SPECS
fails ``test_every_public_callable_is_checked``, so a new function is checked from its first day.
"""

from __future__ import annotations

import datetime as dt
import enum
import importlib
import inspect
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

import matplotlib
import numpy as np
import pandas as pd
import pytest

from medspa_kit.errors import MedspaError

matplotlib.use("Agg")

PUBLIC_MODULES = ["medspa_kit", "medspa_kit.model", "medspa_kit.outcome", "medspa_kit.engine", "medspa_kit.batch",
                  "medspa_kit.members", "medspa_kit.catalog", "medspa_kit.presets", "medspa_kit.explain",
                  "medspa_kit.lessons", "medspa_kit.year", "medspa_kit.clinic", "medspa_kit.payments", "medspa_kit.edi",
                  "medspa_kit.client_data", "medspa_kit.validation", "medspa_kit.codes", "medspa_kit.report",
                  "medspa_kit.report.html", "medspa_kit.ui", "medspa_kit.money", "medspa_kit.vocabulary"]

# Made by the kit's functions, not by callers (docs/api.md): constructors not argument-checked;
# their methods are. The scenario's parts are pydantic models: Scenario.from_dict builds them.
RESULT_TYPES = {"Outcome", "LineOutcome", "Cost", "Reason", "Adjustment", "PlanYear", "YearClaim", "State",
                "ClinicComparison", "Crossing", "Installment", "DeferredResult", "TaxSavings", "PackageSavings",
                "Membership", "BillCheck", "IssueDeadline", "GoodFaithEstimate", "ClientFile", "IcdCheck",
                "MythCheck", "GfeRules", "Catalog", "Check", "Policy", "Procedure", "ReasonCode", "Question",
                "QuizState", "ExplorerState", "CompareState", "Course", "Assumptions",
                "Service", "Line", "ClaimLine", "Documentation", "Provider", "Facility", "OutOfNetwork", "Plan",
                "EarlierService", "Accumulators"}
# Scenario(**fields) is pydantic's own constructor (its ValidationError wording): the kit's way in is
# Scenario.from_dict, from_json and load_scenario, which are checked here.
PYDANTIC_CONSTRUCTORS = {"Scenario"}
# Methods pydantic or dataclasses give every model; the kit's own methods are listed in SPECS.
INHERITED = {"model_validate", "model_dump", "model_copy", "model_construct", "model_json_schema",
             "model_validate_json", "model_validate_strings", "model_dump_json", "model_post_init",
             "model_parametrized_name", "model_rebuild", "copy", "dict", "json", "parse_obj", "parse_raw",
             "parse_file", "from_orm", "construct", "schema", "schema_json", "validate", "update_forward_refs"}


class Unshowable:
    """An object whose repr and str fail: a message about it must still be written."""

    def __repr__(self) -> str:
        raise RuntimeError("no repr")

    __str__ = __repr__


class Unreadable:
    """An iterable whose reading fails (the caller's own iterator raising as it is read)."""

    def __iter__(self):
        raise RuntimeError("cannot be read")


class UnreadableMapping(Mapping):
    """A Mapping whose reading fails (its ``__iter__`` raising; it says it holds one key)."""

    def __getitem__(self, key):
        raise KeyError(key)

    def __len__(self):
        return 1

    def __iter__(self):
        raise ValueError("cannot be read")


class HalfReadableMapping(Mapping):
    """A Mapping whose ``items`` works (empty) while ``__iter__`` and ``__len__`` fail: a function that
    reads it once and then uses what it read never meets them."""

    def __getitem__(self, key):
        raise KeyError(key)

    def __len__(self):
        raise ValueError("cannot be counted")

    def __iter__(self):
        raise ValueError("cannot be read")

    def items(self):
        return []


class UnreadableDict(dict):
    """A dict whose ``items``, ``keys`` and ``__iter__`` fail."""

    def items(self):
        raise RuntimeError("items cannot be read")

    def keys(self):
        raise RuntimeError("keys cannot be read")

    def __iter__(self):
        raise RuntimeError("cannot be read")


WRONG: dict[str, Any] = {"None": None, "5": 5, "'x'": "x", "Unshowable": Unshowable(), "DataFrame": pd.DataFrame(),
                         "nan": float("nan"), "[None]": [None], "0-d array": np.array(5.0), "NaT": pd.NaT,
                         # numpy counts a duration as an integer: no number of dollars, months or units
                         "timedelta64": np.timedelta64(5, "D"),
                         # an iterable far too long to list: refused at its bound, never read to the end
                         "range(10**12)": range(10**12),
                         # an iterable whose reading fails: was the caller's RuntimeError from six functions
                         "Unreadable": Unreadable(),
                         # a Mapping whose reading fails, and a dict whose items() fails: was the caller's
                         # ValueError from evaluate, with_changes, compare_plans, clinic.compare, …
                         "UnreadableMapping": UnreadableMapping(), "UnreadableDict": UnreadableDict(a=1),
                         # read once by items(), then its __iter__ or __len__ asked: was ExplorerState.apply's
                         "HalfReadableMapping": HalfReadableMapping()}


@lru_cache(maxsize=1)
def world() -> dict[str, Any]:
    """Valid arguments, made once."""
    import medspa_kit as mk
    from medspa_kit import clinic, year
    from medspa_kit.catalog import datasets_folder
    from medspa_kit.edi import remittance_835
    from medspa_kit.payments import compare_payments, deferred_interest

    w: dict[str, Any] = {}
    w["cat"] = mk.default_catalog()
    w["sc"] = mk.preset("botox-underarm-sweating")
    w["sc2"] = mk.preset("botox-forehead-lines")
    w["out"] = mk.evaluate(w["sc"])
    w["out2"] = mk.evaluate(w["sc2"])
    w["course"] = year.preset_course("chronic-migraine-every-12-weeks")
    w["py"] = year.run_year(w["course"])
    w["ppo"] = year.plan_options()["ppo-standard"]
    w["opts"] = {"ppo": w["ppo"], "cash": year.Cash(0.1)}
    w["visits"] = clinic.load_visits().head(20)
    w["cmp"] = clinic.compare(w["visits"])
    w["sens"] = clinic.sensitivity(w["visits"], "cash_uptake", [0.2, 0.5])
    w["prices"] = (datasets_folder() / "sample_client_prices.csv").read_text()
    w["plans"] = (datasets_folder() / "sample_client_plans.csv").read_text()
    w["named"] = [("a", w["out"]), ("b", w["out2"])]
    w["compared"] = year.compare_plans(w["course"], w["opts"])
    w["payments"] = compare_payments(w["out2"])
    w["deferred"] = deferred_interest(1000, 0.27, 12, 50)
    w["t835"] = remittance_835(w["out"])
    w["d0"] = w["sc2"].date_of_service - dt.timedelta(days=10)
    return w


def specs(tmp: Path) -> dict[str, tuple[Callable[..., Any], dict[str, Any]]]:
    """``public name → (callable, valid keyword arguments)``; files are written under ``tmp``."""
    import medspa_kit as mk
    from medspa_kit import (client_data, clinic, codes, explain, lessons, members, model, money, presets, report,
                            validation, vocabulary, year)
    from medspa_kit import catalog as C
    from medspa_kit import payments as pay
    from medspa_kit.edi import (claim_837p, read_remittance, remittance_835, remittance_table, write_edi_file,
                                write_edi_files)
    from medspa_kit.report import html as rhtml
    from medspa_kit import ui

    w = world()
    cat, sc, sc2, out, out2 = w["cat"], w["sc"], w["sc2"], w["out"], w["out2"]
    course, cmp, sens, named = w["course"], w["cmp"], w["sens"], w["named"]
    scfile = tmp / "in.json"
    scfile.write_text(sc.to_json())
    coursefile = tmp / "course.json"
    coursefile.write_text(__import__("json").dumps(course.to_dict()))
    quiz_q = ui.deferred_question("p", 1000, 0.27, 12, 50)
    S: dict[str, tuple[Callable[..., Any], dict[str, Any]]] = {}

    def add(key: str, call: Callable[..., Any], /, **kw: Any) -> None:
        S[key] = (call, kw)

    # the engine and the scenario
    add("evaluate", mk.evaluate, scenario=sc, catalog=cat)
    add("evaluate_frame", mk.evaluate_frame, df=w["visits"].head(3), catalog=cat)
    add("evaluate_members", members.evaluate_members, df=w["visits"].head(3).assign(member_id="M1"), catalog=cat,
        refused=None)
    add("Scenario.from_json", model.Scenario.from_json, text=sc.to_json(), catalog=cat)
    add("Scenario.from_dict", model.Scenario.from_dict, data=sc.to_dict(), catalog=cat)
    add("Scenario.with_changes", sc.with_changes, changes={"service.charge": 100}, catalog=cat)
    add("Scenario.get", sc.get, path="service.charge")
    add("load_scenario", model.load_scenario, path=str(scfile), catalog=cat)
    add("save_scenario", model.save_scenario, scenario=sc, path=str(tmp / "saved.json"))
    add("Outcome.to_json", out.to_json, indent=2)
    add("Cost.dollars", out.cost.dollars, name="allowed")
    add("load_catalog", C.load_catalog, folder=None)
    add("given_catalog", C.given_catalog, catalog=cat)
    for method, kw in [("procedure", {"code_or_id": "64615"}), ("line_procedure", {"code_or_id": "J0585"}),
                       ("policies_for", {"procedure_id": "botox-migraine", "payer": "generic-commercial"}),
                       ("payer_has_rows", {"procedure_id": "botox-migraine", "payer": "generic-commercial"}),
                       ("matching_policy", {"procedure_id": "botox-migraine", "diagnoses": ["G43.709"],
                                            "payer": "generic-commercial"}),
                       ("recognised_use", {"procedure_id": "botox-migraine", "diagnoses": ["G43.709"]}),
                       ("criteria_bits", {"documented": []}), ("criterion_name", {"criterion": "x"}),
                       ("payer_kind", {"payer": "medicare"}), ("payer_plan", {"payer": "medicare"}),
                       ("payer_name", {"payer": "medicare"}), ("takes_generic_rows", {"payer": "medicare"}),
                       ("part_b", {"year": 2026}), ("code_set_for", {"day": dt.date(2026, 1, 1)}),
                       ("diagnosis_name", {"code": "L74.5"}), ("table", {"name": "procedures"}),
                       ("record", {"name": "plans", "key": "ppo-standard"}), ("records", {"name": "plans"}),
                       ("cosmetic_match", {"diagnoses": ["L74.5"]}), ("hsa_exception", {"diagnoses": ["L74.5"]}),
                       ("plan", {"plan_id": "ppo-standard"}),
                       ("adjustment_group", {"component": "deductible", "in_network": True}),
                       ("adjustment_carc", {"component": "deductible"}),
                       ("criteria_groups", {"policy": cat.policies[0]}),
                       ("missing_criteria", {"policy": cat.policies[0], "documented": []}),
                       ("cite", {"where": ("procedures.csv row 1",), "sources": ("illustrative",)})]:
        add(f"Catalog.{method}", getattr(cat, method), **kw)
    # presets, explain, lessons
    add("Policy.matches", cat.policies[0].matches, diagnoses=("G43.709",))
    add("preset", presets.preset, name="botox-forehead-lines", catalog=cat)
    add("preset_names", presets.preset_names, catalog=cat)
    add("preset_info", presets.preset_info, catalog=cat)
    add("preset_title", presets.preset_title, name="botox-forehead-lines", catalog=cat)
    add("summary", explain.summary, outcome=out)
    add("scenario_of", lessons.scenario_of, item="botox-forehead-lines", catalog=cat)
    add("outcome_row", lessons.outcome_row, label="a", outcome=out)
    add("outcomes_table", lessons.outcomes_table, items=["botox-forehead-lines"], columns=None, catalog=cat)
    add("lines_table", lessons.lines_table, item="botox-forehead-lines", changes=None, catalog=cat)
    add("vary", lessons.vary, item="botox-forehead-lines", path="service.charge", values=[100], columns=None,
        catalog=cat)
    add("show_value", lessons.show_value, path="service.charge", value=100.0)
    add("headlines", lessons.headlines, item="botox-forehead-lines", path="service.charge", values=[100], catalog=cat)
    add("network_grid", lessons.network_grid, item="botox-forehead-lines", plans=["ppo-standard"], catalog=cat)
    add("policy_table", lessons.policy_table, procedures=None, catalog=cat)
    add("payers_table", lessons.payers_table, catalog=cat)
    add("payer_scenario", lessons.payer_scenario, item="botox-underarm-sweating", payer="medicare", changes=None,
        catalog=cat)
    add("payers_compared", lessons.payers_compared, item="botox-underarm-sweating", payers=["generic-commercial"],
        changes=None, catalog=cat)
    add("presets_table", lessons.presets_table, catalog=cat)
    add("cost_breakdown", lessons.cost_breakdown, outcome=out)
    add("MythCheck.report", lessons.myth_wrinkles().report, catalog=cat)
    add("myths_summary", lessons.myths_summary, checks=None, catalog=cat)
    # client files
    add("apply_prices", client_data.apply_prices, data=w["prices"], catalog=cat, name="p.csv")
    add("apply_plans", client_data.apply_plans, data=w["plans"], catalog=cat, name="p.csv")
    add("client_files", client_data.client_files, catalog=cat)
    add("lines_left_at_kit_prices", client_data.lines_left_at_kit_prices, catalog=cat)
    add("checked_file_name", client_data.checked_file_name, name="p.csv")
    # the plan year
    add("Course.with_plan", course.with_plan, plan=w["ppo"], payer=None, catalog=cat)
    add("Course.from_dict", year.Course.from_dict, data=course.to_dict(), catalog=cat)
    add("Course.from_json", year.Course.from_json, text=__import__("json").dumps(course.to_dict()), catalog=cat)
    add("load_course", year.load_course, path=str(coursefile), catalog=cat)
    add("course_names", year.course_names, catalog=cat)
    add("preset_course", year.preset_course, name="chronic-migraine-every-12-weeks", catalog=cat)
    add("plan_year_index", year.plan_year_index, day=dt.date(2026, 5, 1), start=dt.date(2026, 1, 1))
    add("run_year", year.run_year, course=course, catalog=cat)
    add("plan_year_start", year.plan_year_start, course=course, index=0)
    add("Cash", year.Cash, discount=0.1, membership_fee=0.0, months=12)
    add("compare_plans", year.compare_plans, course=course, options=w["opts"], federal=0.22, state=0.05, payroll=True,
        catalog=cat)
    add("rank_options", year.rank_options, course=course, options=w["opts"], catalog=cat)
    add("compare_by_month", year.compare_by_month, course=course, options=w["opts"], catalog=cat)
    add("denial_note", year.denial_note, row=w["compared"].iloc[0])
    add("cash_label", year.cash_label, discount=0.1)
    add("patient_options", year.patient_options, plan_ids=("ppo-standard",), cash_discount=0.1,
        medicare_eligible=False, catalog=cat)
    add("holdable_plans", year.holdable_plans, medicare_eligible=False, catalog=cat)
    add("plan_options", year.plan_options, catalog=cat)
    add("State.accumulators", w["py"].claims[0].before.accumulators, template={}, day=dt.date(2026, 3, 1))
    add("State.after", w["py"].claims[0].before.after, outcome=out)
    # the clinic decision
    add("default_assumptions", clinic.default_assumptions, catalog=cat)
    add("Assumptions.with_changes", lambda **kw: clinic.default_assumptions().with_changes(**kw), cash_uptake=0.5)
    add("assumption_sources", clinic.assumption_sources, catalog=cat, readable=True)
    add("describe_visits", clinic.describe_visits, visits=w["visits"])
    add("check_visits", clinic.check_visits, visits=w["visits"])
    add("load_visits", clinic.load_visits, path=None, catalog=cat)
    add("ClinicComparison.costliest_denial", cmp.costliest_denial, strategy="credentialed", group="CO")
    add("ClinicComparison.clinic_losses", cmp.clinic_losses, catalog=cat)
    add("crossing", clinic.crossing, table=sens, measure="net_revenue")
    add("compare", clinic.compare, visits=w["visits"].head(8), assumptions=None, catalog=cat)
    add("sensitivity", clinic.sensitivity, visits=w["visits"].head(8), parameter="cash_uptake", values=[0.2],
        assumptions=None, catalog=cat)
    add("fee_vs_cash", clinic.fee_vs_cash, visits=w["visits"], catalog=cat)
    add("fee_share_of_cash", clinic.fee_share_of_cash, visits=w["visits"], catalog=cat, scale=1.0)
    add("fee_cap_scale", clinic.fee_cap_scale, visits=w["visits"], catalog=cat)
    # datasets and codes
    add("validate_datasets", validation.validate_datasets, folder=None)
    add("problem_lines", validation.problem_lines, problems=[], per_file=100)
    add("normalize_icd", codes.normalize_icd, code="L74.5")
    add("icd_problem", codes.icd_problem, code="L74.5")
    add("describe_icd", codes.describe_icd, code="L74.5")
    add("npi_problem", codes.npi_problem, npi="1234567893")
    add("format_dollars", money.format_dollars, dollars=12.5, decimals=2)
    add("wrap_words", vocabulary.wrap_words, text="a b c", width=40, indent="")
    # paying
    add("tax_savings", pay.tax_savings, amount=100, federal=0.22, state=0.05, payroll=False)
    add("annual_limit", pay.annual_limit, account="hsa", year=2026, family=False, age_55_or_older=False, catalog=cat)
    add("limits_summary", pay.limits_summary, year=2026, catalog=cat)
    add("check_limit", pay.check_limit, amount=100, account="hsa", year=2026, family=False, age_55_or_older=False,
        already=0.0, catalog=cat)
    add("installment", pay.installment, amount=1000, apr=0.1, months_=12)
    add("deferred_interest", pay.deferred_interest, amount=1000, apr=0.27, promo_months=12, payment=50)
    add("minimum_payment_to_clear", pay.minimum_payment_to_clear, amount=1000, promo_months=12)
    add("package_savings", pay.package_savings, single_price=100, sessions=3, package_price=250)
    add("membership", pay.membership, monthly_fee=50, discount=0.1, monthly_credit=0.0, visit_price=None)
    add("PaymentOptions", pay.PaymentOptions, federal=0.22, state=0.05, payroll=True, monthly_budget=None, offers=None)
    add("compare_payments", pay.compare_payments, outcome=out2, options=None, catalog=cat)
    add("business_days", pay.business_days, n=3)
    add("default_issue_date", pay.default_issue_date, visit=dt.date(2026, 12, 20), today=dt.date(2026, 12, 1),
        booked=None, holidays=(), catalog=cat)
    add("issue_deadline", pay.issue_deadline, booked=dt.date(2026, 12, 1), visit=dt.date(2026, 12, 20),
        requested=False, holidays=(), catalog=cat)
    add("IssueDeadline.check", pay.issue_deadline(dt.date(2026, 12, 1), dt.date(2026, 12, 20)).check,
        issued=dt.date(2026, 12, 2))
    add("self_pay_reason", pay.self_pay_reason, outcome=out2)
    add("check_bill", pay.check_bill, estimated=100, billed=600, bill_date=dt.date(2026, 12, 1), catalog=cat)
    add("GfeRules.from_catalog", pay.GfeRules.from_catalog, catalog=cat)
    add("GfeRules.later_note", pay.GfeRules.from_catalog().later_note, field="issued", day=dt.date(2026, 1, 2))
    add("good_faith_estimate", pay.good_faith_estimate, scenario=sc2, issued=w["d0"], booked=w["d0"],
        self_pay=False, requested=False)
    add("GoodFaithEstimate.save", pay.good_faith_estimate(sc2, issued=w["d0"], booked=w["d0"]).save,
        path=str(tmp / "gfe.html"))
    # EDI
    add("claim_837p", claim_837p, claims=out, created=dt.date(2026, 12, 1), control_number="0001")
    add("remittance_835", remittance_835, claims=out, paid_on=None, control_number="0001")
    add("read_remittance", read_remittance, text=w["t835"])
    add("remittance_table", remittance_table, text=w["t835"], catalog=cat)
    add("write_edi_file", write_edi_file, path=str(tmp / "x.835"), text=w["t835"], field="--output")
    add("write_edi_files", write_edi_files, outputs=[(str(tmp / "x.835"), w["t835"], "--remittance")])
    # reports
    add("plan_words", report.plan_words, scenario=sc, catalog=cat)
    add("comparison_frame", report.comparison_frame, named=named, catalog=cat)
    add("dollars_frame", report.dollars_frame, named=named)
    add("percent", report.percent, fraction=0.2)
    add("who_pays_figure", report.who_pays_figure, named=named, title="t")
    add("figure_png", report.figure_png, fig=report.who_pays_figure(named))
    add("handout_html", report.handout_html, named=named, title="t", catalog=cat)
    add("decided_sources", report.decided_sources, outcome=out)
    add("built_from", report.built_from, catalog=cat)
    add("handout_csv", report.handout_csv, named=named, catalog=cat)
    add("handout_files", report.handout_files, named=named, stem="h", title="t", catalog=cat)
    add("write_handout", report.write_handout, named=named, folder=str(tmp / "handouts"), stem="h", title="t",
        catalog=cat)
    add("catalog_prices", report.catalog_prices, catalog=cat)
    add("price_changes", report.price_changes, client=client_data.apply_prices(w["prices"], cat, "p.csv"), base=cat)
    add("dollars_table", report.dollars_table, frame=pd.DataFrame({"a": [1.0]}), columns=["a"], cents=False)
    add("payments_display", report.payments_display, table=w["payments"])
    for name in ("clinic_totals", "clinic_visits_sentence", "clinic_visits_shown", "clinic_verdict",
                 "clinic_money_figure", "clinic_monthly_figure", "clinic_denials_figure"):
        add(name, getattr(report, name), result=cmp)
    add("clinic_denials_table", report.clinic_denials_table, result=cmp, strategy="credentialed")
    add("clinic_losses_table", report.clinic_losses_table, result=cmp, catalog=cat)
    add("dollar_ticks", report.dollar_ticks, values=[0, 100.0])
    add("fee_table", report.fee_table, fees=clinic.fee_vs_cash(w["visits"]))
    add("sweep_table", report.sweep_table, table=sens, measure="net_revenue")
    add("sweep_sentence", report.sweep_sentence, table=sens, fee_share=None, visits=None, catalog=cat)
    add("sensitivity_figure", report.sensitivity_figure, table=sens, measure="net_revenue")
    add("deferred_figure", report.deferred_figure, results=[w["deferred"]], title="t")
    add("year_figure", report.year_figure, by_month=year.compare_by_month(course, w["opts"]), title="t")
    add("year_table", report.year_table, compared=w["compared"])
    add("keep_codes_whole", report.keep_codes_whole, text="CO 50")
    add("year_claims_table", report.year_claims_table, table=w["py"].table(), columns=["decision", "charge"])
    add("months_table", report.months_table, by_month=year.compare_by_month(course, w["opts"]))
    add("totals_table", report.totals_table, cost=out.cost, label="the year")
    for name in ("decision_html", "covered_meaning", "dollars_html", "lines_html", "hsa_html", "next_steps_html",
                 "trace_html", "outcome_html"):
        add(name, getattr(rhtml, name), outcome=out)
    # widgets and their state (constructed without a browser)
    add("ScenarioExplorer", ui.ScenarioExplorer, preset="botox-underarm-sweating", controls=None, catalog=cat,
        show_trace=True)
    add("ScenarioExplorer.set", lambda path, value: ui.ScenarioExplorer().set(path, value), path="service.charge",
        value=300)
    add("PlanYearExplorer", ui.PlanYearExplorer, course="chronic-migraine-every-12-weeks",
        plans=("ppo-standard", "hdhp-hsa"), cash_discount=0.1, medicare_eligible=False, catalog=cat)
    add("ClinicDecision", ui.ClinicDecision, visits=w["visits"], catalog=cat, charts=False)
    add("CompareScenarios", ui.CompareScenarios, scenarios=["botox-forehead-lines"], catalog=cat,
        handout_folder=str(tmp / "hf"), chart=False)
    add("CompareScenarios.save", lambda folder: ui.CompareScenarios(["botox-forehead-lines"], chart=False).save(folder),
        folder=str(tmp / "hf2"))
    add("CompareScenarios.use_catalog",
        lambda catalog: ui.CompareScenarios(["botox-forehead-lines"], chart=False).use_catalog(catalog), catalog=cat)
    add("PaymentPicker", ui.PaymentPicker, preset_name="botox-forehead-lines", options=None, catalog=cat)
    add("RemittanceReader", ui.RemittanceReader, preset="botox-underarm-sweating")
    add("code_verdict", ui.code_verdict, text="L74.5", catalog=cat)
    add("CodeChecker", ui.CodeChecker, value="L74.5", catalog=cat)
    add("ClientFiles", ui.ClientFiles, on_catalog=lambda c: None, catalog=cat)
    add("ClientFiles.load", lambda name, content, kind: ui.ClientFiles(lambda c: None).load(name, content, kind),
        name="p.csv", content=w["prices"].encode(), kind="prices")
    add("engine_question", ui.engine_question, prompt="p", scenario="botox-forehead-lines", ask="decision",
        choices=["covered", "denied"], changes=None, line=None)
    add("deferred_question", ui.deferred_question, prompt="p", amount=1000, apr=0.27, promo_months=12, payment=50)
    add("clinic_question", ui.clinic_question, prompt="p", visits=w["visits"].head(8), ask="winner",
        choices=["stay cash-pay", "credential with payers"])
    add("myth_question", ui.myth_question, prompt="p", check=lessons.myth_wrinkles)
    add("year_question", ui.year_question, prompt="p", course="chronic-migraine-every-12-weeks", ask="patient_pays",
        choices=["a"], options=None)
    add("Question.check", quiz_q.check, choice="x")
    add("Quiz", ui.Quiz, questions=[quiz_q], title="t")
    return S


def public_callables() -> dict[str, Any]:
    """Every public function and class, and each public class's own methods with parameters."""
    found: dict[str, Any] = {}
    for name in PUBLIC_MODULES:
        module = importlib.import_module(name)
        for attr in module.__all__:
            obj = getattr(module, attr)
            if inspect.isclass(obj) and (issubclass(obj, (BaseException, enum.Enum))):
                continue
            if inspect.isclass(obj):
                if attr not in RESULT_TYPES | PYDANTIC_CONSTRUCTORS:
                    found[attr] = obj
                for method, fn in vars(obj).items():
                    fn = fn.__func__ if isinstance(fn, (classmethod, staticmethod)) else fn
                    if method.startswith("_") or method in INHERITED or not inspect.isfunction(fn):
                        continue
                    params = [p for p in inspect.signature(fn).parameters if p not in ("self", "cls")]
                    if params:
                        found[f"{attr}.{method}"] = fn
            elif callable(obj):
                if inspect.signature(obj).parameters:
                    found[attr] = obj
    return found


def test_every_public_callable_is_checked(tmp_path: Path) -> None:
    """A public name with parameters and no valid call in SPECS is a gap."""
    missing = sorted(name for name in public_callables() if name not in specs(tmp_path))
    assert missing == []


@pytest.fixture(scope="module")
def all_specs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Callable[..., Any], dict[str, Any]]]:
    return specs(tmp_path_factory.mktemp("specs"))


SPEC_NAMES = sorted(specs(Path(__import__("tempfile").mkdtemp(prefix="specs"))))


@pytest.mark.parametrize("name", SPEC_NAMES)
def test_wrong_kinds_of_argument_are_named(name: str, all_specs: dict, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # a text given as a file name writes here, never into the repository
    fn, valid = all_specs[name]
    fn(**valid)  # the valid call works
    bools = {p for p, info in inspect.signature(fn).parameters.items() if "bool" in str(info.annotation)}
    for parameter in valid:
        wrongs = dict(WRONG)
        if parameter in bools:
            wrongs["'no'"] = "no"
        for label, wrong in wrongs.items():
            try:
                fn(**{**valid, parameter: wrong})
            except MedspaError as err:
                assert str(err), (name, parameter, label)
                continue
            except Exception as err:  # noqa: BLE001 - the point: nothing but the kit's own errors
                pytest.fail(f"{name}({parameter}={label}): {type(err).__name__}: {err}")
            if label == "'no'":
                pytest.fail(f"{name}({parameter}='no') was read as a truth value")
