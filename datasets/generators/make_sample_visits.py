"""Write datasets/sample_visits.csv: a synthetic year (2026) of visits to one med spa.

Illustrative teaching data, not real patients: about 1,900 fictional patients of Glow Medical
Spa (``facilities.csv``: a med spa under a medical director, not enrolled with any payer), each
on one of the plans in ``plans.csv``, come for cosmetic care (toxin, filler, lasers, facials,
peels, a weight-loss program) and for medical care the plans can cover (underarm sweating,
chronic migraine, precancerous spots, port-wine stains, obesity counselling, ...). Regulars come
back at their usual interval, so the frequency rule sees real gaps, some too short. Charges and
fee schedules are left empty: they come from ``procedures.csv``. What patients have already met
of their deductible and out-of-pocket maximum grows over the year.

Every row says where it comes from in its ``source`` column; the file is one scenario per row in
the batch file format of ``medspa-kit batch`` (docs/scenario.md). The same seed writes the same bytes.
Run: python datasets/generators/make_sample_visits.py
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
SEED = 2026
PATIENTS = 1900
YEAR = 2026
SOURCE = f"illustrative: synthetic visits (datasets/generators/make_sample_visits.py, seed {SEED})"
FACILITY = "glow-medspa"

# Share of patients on each plan, and a fictional insurer for each plan (illustrative).
PLANS = {"ppo-standard": 0.24, "ppo-copay": 0.13, "hmo-local": 0.14, "epo-basic": 0.10, "pos-choice": 0.08,
         "hdhp-hsa": 0.20, "ppo-office-only": 0.03, "medicare-part-b": 0.08}
INSURERS = {"ppo-standard": "Cascade Mutual", "ppo-copay": "Cascade Mutual", "hmo-local": "Summit Health Plan",
          "epo-basic": "Summit Health Plan", "pos-choice": "Northstar Health", "hdhp-hsa": "Northstar Health",
          "ppo-office-only": "Meridian Benefits", "medicare-part-b": "Original Medicare"}

# What brings a patient in: (share of patients, service, diagnosis sets, providers, visits a year,
# days between visits). Diagnosis sets are drawn with equal chance. Illustrative mix for a med spa.
COSMETIC = [["Z41.1"]]
PROGRAMS: list[tuple[float, str, list[list[str]], list[str], tuple[int, int], int]] = [
    (0.24, "botox-cosmetic", COSMETIC, ["reyes-np", "lin-np", "whitfield-rn"], (2, 4), 95),
    (0.10, "filler-cosmetic", COSMETIC, ["reyes-np", "okafor-md"], (1, 2), 180),
    (0.08, "laser-hair-removal", COSMETIC * 6 + [["L68.0", "E28.2"], ["F64.0"]],
     ["park-aesthetician", "whitfield-rn", "reyes-np"], (4, 6), 42),
    (0.06, "microneedling", COSMETIC + [["L90.5"]], ["park-aesthetician", "reyes-np"], (2, 3), 45),
    (0.07, "hydrafacial", COSMETIC, ["park-aesthetician"], (2, 6), 45),
    (0.04, "peel-cosmetic", COSMETIC + [["L81.1"]], ["park-aesthetician", "reyes-np"], (1, 3), 60),
    (0.02, "body-contouring", COSMETIC, ["whitfield-rn", "reyes-np"], (1, 2), 60),
    (0.02, "massage-spa", COSMETIC, ["park-aesthetician"], (2, 6), 30),
    (0.06, "weight-loss-program", [["E66.811", "Z68.32"], ["E66.812", "Z68.35"], ["E66.3", "Z68.27"]],
     ["reyes-np", "lin-np"], (3, 8), 30),
    (0.05, "weight-loss-counseling", [["E66.811", "Z68.32"], ["E66.812", "Z68.38"], ["E66.813", "Z68.41"],
                                      ["E66.9"]], ["reyes-np", "shah-pa", "okafor-md"], (3, 8), 30),
    (0.05, "botox-underarm-sweating", [["L74.510"], ["L74.510"], ["L74.519"], ["R61"]],
     ["reyes-np", "okafor-md", "lin-np"], (1, 3), 110),
    (0.03, "botox-palm-sweating", [["L74.512"]], ["okafor-md", "reyes-np"], (1, 2), 120),
    (0.04, "botox-chronic-migraine", [["G43.709"], ["G43.709"], ["G43.719"], ["G43.E09"], ["G43.909"]],
     ["haddad-do", "reyes-np", "shah-pa"], (3, 4), 86),
    (0.01, "botox-blepharospasm", [["G24.5"], ["G51.31"]], ["haddad-do", "okafor-md"], (3, 4), 90),
    (0.01, "botox-cervical-dystonia", [["G24.3"]], ["haddad-do"], (3, 4), 90),
    (0.04, "ak-destruction-first", [["L57.0"]], ["okafor-md", "shah-pa"], (1, 2), 150),
    (0.02, "ak-destruction-15-plus", [["L57.0"]], ["okafor-md"], (1, 1), 180),
    (0.02, "pdt-actinic-keratosis", [["L57.0"]], ["okafor-md", "shah-pa"], (1, 2), 120),
    (0.01, "peel-actinic-keratosis", [["L57.0"], ["L57.0", "Z41.1"]], ["okafor-md"], (1, 1), 180),
    (0.02, "vascular-laser-small", [["Q82.5"], ["D18.01"], ["I78.1"], ["I78.1", "Z41.1"]],
     ["okafor-md", "reyes-np"], (2, 4), 56),
    (0.02, "acne-light-therapy", [["L70.0"]], ["reyes-np", "park-aesthetician"], (3, 6), 30),
    (0.01, "massage-therapeutic", [["M54.50"], ["M62.830"]], ["shah-pa", "park-aesthetician"], (3, 6), 21),
    (0.005, "filler-hiv-lipodystrophy", [["B20", "E88.14"], ["E88.14"]], ["okafor-md"], (1, 2), 150),
]
MEDICAL_DOCS = {"criteria_documented": 0.9, "prior_auth": 0.85, "lmn": 0.3, "referral": 0.8, "waiver_signed": 0.15}
COSMETIC_DOCS = {"criteria_documented": 0.0, "prior_auth": 0.0, "lmn": 0.05, "referral": 0.0, "waiver_signed": 0.0}


def _open_days() -> list[dt.date]:
    """Days the clinic is open in the year: Monday to Saturday."""
    start = dt.date(YEAR, 1, 1)
    return [start + dt.timedelta(days=i) for i in range(365) if (start + dt.timedelta(days=i)).weekday() < 6]


def _accumulators(rng: random.Random, plan: dict[str, Any], date: dt.date, last: dt.date | None) -> dict[str, Any]:
    """What the patient has met this year: other care adds up as the months go by (illustrative)."""
    progress = (date.timetuple().tm_yday / 365) * rng.uniform(0.2, 1.6)
    deductible = plan["deductible"] if plan["deductible"] is not None else 283.0  # Part B, 2026
    deductible_met = round(min(deductible, deductible * progress), 2)
    oop_max = plan["oop_max"] if plan["oop_max"] is not None else 5000.0  # what other care has cost
    oop_met = round(min(oop_max, deductible_met + oop_max * 0.15 * progress), 2)
    acc: dict[str, Any] = {"deductible_met": deductible_met, "oop_met": oop_met}
    if plan.get("oon"):
        oon_met = round(min(plan["oon"]["deductible"], plan["oon"]["deductible"] * progress * 0.3), 2)
        acc.update(oon_deductible_met=oon_met, oon_oop_met=oon_met)
    if last is not None:
        acc["last_treatment"] = last.isoformat()
    return acc


def visits(catalog: Any) -> list[dict[str, Any]]:
    """The year of visits as flat rows: carried columns, then the scenario's dotted columns."""
    from medspa_kit.columns import scenario_to_row

    rng = random.Random(SEED)
    days = _open_days()
    facility = catalog.record("facilities", FACILITY)
    providers = catalog.records("providers")
    plan_ids, plan_weights = list(PLANS), list(PLANS.values())
    program_weights = [p[0] for p in PROGRAMS]
    rows: list[dict[str, Any]] = []
    for patient in range(1, PATIENTS + 1):
        plan_id = rng.choices(plan_ids, plan_weights)[0]
        plan = catalog.plan(plan_id)
        _, service, diagnosis_sets, staff, (low, high), gap = rng.choices(PROGRAMS, program_weights)[0]
        diagnoses = rng.choice(diagnosis_sets)
        medical = diagnoses != ["Z41.1"]
        docs = {k: rng.random() < p for k, p in (MEDICAL_DOCS if medical else COSMETIC_DOCS).items()}
        provider_id = rng.choice(staff)
        # A returning patient's last treatment may be from last year.
        last = (dt.date(YEAR, 1, 1) - dt.timedelta(days=rng.randrange(20, 200))) if rng.random() < 0.3 else None
        date = rng.choice(days[: len(days) // 2 if high > 2 else len(days)])
        for _ in range(rng.randint(low, high)):
            if date.year != YEAR:
                break
            provider = providers[provider_id]
            scenario = {
                "version": 1,
                "date_of_service": date.isoformat(),
                "service": {"code": service},
                "diagnoses": diagnoses,
                "documentation": docs,
                "provider": {"type": provider["type"], "npi": provider["npi"],
                             "credentialed": provider["credentialed"]},
                "facility": {"kind": facility["kind"], "place_of_service": facility["place_of_service"],
                             "credentialed": facility["credentialed"], "participating": facility["participating"]},
                "plan": plan,
                "accumulators": _accumulators(rng, plan, date, last),
            }
            rows.append({"visit_id": "", "patient_id": f"P{patient:04d}", "insurer": INSURERS[plan_id],
                         "plan_id": plan_id, "provider_id": provider_id, **scenario_to_row(scenario),
                         "source": SOURCE})
            last = date
            # The next visit: the usual gap, sometimes early (the frequency rule may then say no).
            date = date + dt.timedelta(days=max(7, round(gap * rng.uniform(0.75, 1.35))))
            if date.weekday() == 6:
                date += dt.timedelta(days=1)
    rows.sort(key=lambda r: (r["date_of_service"], r["patient_id"]))
    for i, row in enumerate(rows, start=1):
        row["visit_id"] = f"V{YEAR}-{i:05d}"
    return rows


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:.2f}" if value >= 1 or value == 0 else repr(value)
    return str(value)


def render(rows: list[dict[str, Any]]) -> str:
    from medspa_kit.columns import SCENARIO_COLUMNS

    header = ["visit_id", "patient_id", "insurer", "plan_id", "provider_id", *SCENARIO_COLUMNS, "source"]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([_cell(row.get(name)) for name in header])
    return buffer.getvalue()


def main() -> None:
    sys.path.insert(0, str(ROOT))
    from medspa_kit.catalog import load_catalog

    rows = visits(load_catalog(ROOT / "datasets"))
    path = ROOT / "datasets" / "sample_visits.csv"
    path.write_text(render(rows), encoding="utf-8")
    print(f"wrote {len(rows)} visits to {path}")


if __name__ == "__main__":
    main()
