"""Seeded random scenarios that reach every check and every cost branch, and some invalid ones.

Used by the scalar ⇄ batch agreement test and by ``benchmarks/bench_batch.py``. The draws are
weighted so that each check both passes and fails often: services with and without coverage
policies, diagnoses that match a policy (and its second diagnosis) or not, cosmetic Z41 codes,
every provider type and facility kind, plans with and without out-of-network blocks, copays,
deductibles partly met, out-of-pocket maximums nearly reached, charges below the fee schedule.
"""

from __future__ import annotations

import copy
import datetime as dt
import random
from typing import Any, Callable

from medspa_kit.catalog import Catalog, default_catalog

PLACES = ["11", "19", "22", "24", "49", "99", "02"]
ALL_PLACES = ["11", "19", "22", "24", "49"]
# Billable codes outside the bundled list: an injury and a birthmark (HSA cosmetic exceptions), a rash.
OUTSIDE = ["S01.81XA", "Q82.0", "L30.9"]
NPIS = {"MD": "1749302851", "DO": "1482619370", "NP": "1593027489", "PA": "1364820591", "RN": "1938475625"}


def _money(rng: random.Random, low: float, high: float) -> float:
    return round(rng.uniform(low, high), 2) if rng.random() < 0.7 else float(round(rng.uniform(low, high)))


def _rate(rng: random.Random) -> float:
    return rng.choice([0.0, 0.1, 0.2, 0.25, 0.3, 0.4, 0.5, 1.0, round(rng.random(), 6)])


class ScenarioFactory:
    """``factory.scenario()`` draws one valid scenario dict; ``factory.invalid()`` one broken one."""

    def __init__(self, seed: int = 2026, catalog: Catalog | None = None, histories: str = "dense"):
        """``histories``: ``dense`` (40 % of claims carry a history, some a year of visits, so the
        yearly limits are reached) or ``rare`` (5 %, of one to three services, as in a clinic's
        export)."""
        self.rng = random.Random(seed)
        self.histories = histories
        self.cat = catalog or default_catalog()
        self.procedures = [p for p in self.cat.procedures.values() if p.billed_as != "line"]  # version 1 services
        self.insurable = [p for p in self.procedures if self.cat.policies_for(p.id)]
        self.codes = [r["code"] for r in self.cat.rows["diagnoses"]]
        self.line_codes = sorted(self.cat.line_codes)

    def _service_code(self, proc) -> str:
        if proc.code and self.cat.codes.get(proc.code) == proc.id and self.rng.random() < 0.6:
            return proc.code
        return proc.id

    def _diagnoses(self, proc, payer: str = "generic-commercial") -> list[str]:
        rng = self.rng
        picked: list[str] = []
        policies = self.cat.policies_for(proc.id, payer)
        if policies and rng.random() < 0.7:
            policy = rng.choice(policies)
            picked.append(rng.choice([c for c in self.codes if c.startswith(policy.diagnosis)]))
            if policy.with_diagnosis and rng.random() < 0.75:
                picked.append(rng.choice([c for c in self.codes if c.startswith(policy.with_diagnosis)]))
        if rng.random() < 0.12:
            picked.append(rng.choice(["Z41.1", "Z41.8"]))
        while not picked or rng.random() < 0.25:
            picked.append(rng.choice(OUTSIDE) if rng.random() < 0.03 else rng.choice(self.codes))
        unique = list(dict.fromkeys(picked))[:4]
        rng.shuffle(unique)
        return unique

    def _plan(self) -> dict[str, Any]:
        rng = self.rng
        if rng.random() < 0.2:  # Original Medicare: Part B amounts by year unless given
            plan: dict[str, Any] = {"type": "MEDICARE"}
            if rng.random() < 0.3:
                plan["deductible"] = rng.choice([257.0, 283.0, _money(rng, 0, 500)])
                plan["coinsurance"] = rng.choice([0.2, _rate(rng)])
            if rng.random() < 0.3:
                plan["covered_places_of_service"] = list(ALL_PLACES)
            if rng.random() < 0.2:
                plan["copay"] = 0.0
            return plan
        deductible = _money(rng, 0, 6000) if rng.random() < 0.9 else 0.0
        plan: dict[str, Any] = {
            "type": rng.choice(["HMO", "EPO", "PPO", "POS", "HDHP", "PPO", "POS"]),
            "deductible": deductible,
            "coinsurance": _rate(rng),
            "oop_max": deductible + _money(rng, 0, 8000),
        }
        choice = rng.random()
        if choice < 0.55:
            plan["covered_places_of_service"] = list(ALL_PLACES)
        elif choice < 0.75:
            plan["covered_places_of_service"] = ["11"]
        if rng.random() < 0.35:
            plan["copay"] = rng.choice([15.0, 25.0, 40.0, 60.0, 150.0, 2000.0])
        elif rng.random() < 0.5:
            plan["copay"] = 0.0
        if rng.random() < 0.7:
            oon_deductible = _money(rng, 0, 9000)
            plan["oon"] = {"deductible": oon_deductible, "coinsurance": _rate(rng),
                           "oop_max": oon_deductible + _money(rng, 0, 12000)}
            if rng.random() < 0.75:
                plan["oon"]["allowed_pct"] = rng.choice([1.0, 0.8, 0.9, 0.65, round(rng.uniform(0.3, 1), 4)])
        elif rng.random() < 0.1:
            plan["oon"] = None
        if rng.random() < 0.5:
            plan["hsa_qualified"] = rng.random() < 0.3
        if rng.random() < 0.2:
            plan["referral_required"] = rng.random() < 0.5
        if rng.random() < 0.25:
            plan["grandfathered"] = rng.random() < 0.4
        return plan

    def _payer(self, plan: dict[str, Any]) -> str | None:
        """A payer id, or None (the default for the plan) about half the time."""
        rng = self.rng
        if rng.random() < 0.45:
            return None
        if plan["type"] == "MEDICARE":
            return "medicare"
        return rng.choice([p for p, row in self.cat.keyed["payers"].items() if row["kind"] != "medicare"])

    def _criteria(self) -> list[str] | None:
        rng = self.rng
        if rng.random() < 0.55:
            return None
        known = list(self.cat.keyed["criteria"])
        return rng.sample(known, rng.randint(0, min(5, len(known))))

    def _history(self, codes: list[str], date: dt.date) -> list[dict[str, str]] | None:
        """Earlier services of the claim's codes: a few, or a year's worth of one (a yearly limit)."""
        rng = self.rng
        if rng.random() < (0.6 if self.histories == "dense" else 0.95) or not codes:
            return None
        code = rng.choice(codes)
        count = rng.choice([1, 2, 5, 21, 22, 30, 40] if self.histories == "dense" else [1, 2, 3])
        if self.histories == "dense" and "G0447" in codes and rng.random() < 0.6:  # a year of counselling
            code, count = "G0447", rng.choice([22, 30])
        return [{"code": rng.choice(codes) if rng.random() < 0.1 else code,
                 "date": (date - dt.timedelta(days=rng.choice([1, 7, 14, 83, 84, 85, 200, 364, 365, 400])
                                              if rng.random() < 0.2 else rng.randrange(1, 365))).isoformat()}
                for _ in range(count)]

    def _accumulators(self, plan: dict[str, Any], date: dt.date) -> dict[str, Any]:
        rng = self.rng
        acc: dict[str, Any] = {}

        def met(limit: float | None) -> float:
            limit = 5000.0 if limit is None else limit
            draw = rng.random()
            if draw < 0.3:
                return 0.0
            if draw < 0.75:
                return round(rng.uniform(0, limit), 2)
            if draw < 0.9:
                return max(0.0, round(limit - rng.uniform(0, 300), 2))  # the cap is about to bind
            return round(limit + rng.uniform(0, 500), 2)

        if rng.random() < 0.85 and plan["type"] != "MEDICARE":
            acc["deductible_met"] = met(plan["deductible"])
            acc["oop_met"] = met(plan["oop_max"])
        oon = plan.get("oon")
        if oon and rng.random() < 0.85:
            acc["oon_deductible_met"] = met(oon["deductible"])
            acc["oon_oop_met"] = met(oon["oop_max"])
        if plan["type"] == "MEDICARE":
            acc = {k: v for k, v in acc.items() if not k.startswith("oon")}
            if rng.random() < 0.8:
                acc["deductible_met"] = met(plan.get("deductible", 283.0))
                acc["oop_met"] = met(5000.0)
        if rng.random() < 0.5:
            acc["last_treatment"] = (date - dt.timedelta(days=rng.choice([0, 30, 60, 83, 84, 85, 120, 300]))).isoformat()
        return acc

    def scenario(self) -> dict[str, Any]:
        rng = self.rng
        plan = self._plan()
        payer = self._payer(plan)
        rules = payer or ("medicare" if plan["type"] == "MEDICARE" else "generic-commercial")
        insurable = [p for p in self.procedures if self.cat.policies_for(p.id, rules)]
        proc = rng.choice(insurable if rng.random() < 0.6 else self.procedures)
        if rules == "medicare" and rng.random() < 0.2:  # Medicare's yearly limit: obesity counselling
            proc = self.cat.procedures["weight-loss-counseling"]
        date = dt.date(2025, 1, 1) + dt.timedelta(days=rng.randrange(730))
        service: dict[str, Any] = {"code": self._service_code(proc)}
        fee = proc.fee_schedule
        if rng.random() < 0.65:
            service["fee_schedule"] = _money(rng, 10, 1500)
            fee = service["fee_schedule"]
        if rng.random() < 0.65:
            below = fee is not None and rng.random() < 0.2
            service["charge"] = round(rng.uniform(0, fee), 2) if below else _money(rng, 0, 2500)
        kind_draw = rng.random()
        provider_type = rng.choice(["MD", "DO", "NP", "PA", "NP", "PA", "RN", "aesthetician"] if rng.random() < 0.5
                                   else ["MD", "NP", "PA", "DO"])
        provider: dict[str, Any] = {"type": provider_type, "credentialed": rng.random() < 0.8}
        if provider_type in NPIS and rng.random() < 0.7:
            provider["npi"] = NPIS[provider_type]
        facility: dict[str, Any] = {
            "kind": "day_spa" if kind_draw < 0.07 else ("med_spa" if kind_draw < 0.45 else "medical_clinic"),
            "credentialed": rng.random() < 0.8,
            "participating": rng.random() < 0.7,
        }
        if rng.random() < 0.8:
            facility["place_of_service"] = rng.choice(PLACES if rng.random() < 0.3 else ["11"])
        documentation: dict[str, Any] = {name: rng.random() < p for name, p in (
            ("criteria_documented", 0.85), ("prior_auth", 0.8), ("lmn", 0.3), ("referral", 0.5),
            ("waiver_signed", 0.25)) if rng.random() < 0.9}
        criteria = self._criteria()
        if criteria is not None:
            documentation["criteria"] = criteria
        data: dict[str, Any] = {
            "date_of_service": date.isoformat(),
            "service": service,
            "diagnoses": self._diagnoses(proc, rules),
            "provider": provider,
            "facility": facility,
            "plan": plan,
            "accumulators": self._accumulators(plan, date),
        }
        if payer is not None:
            data["payer"] = payer
        history = self._history([proc.code] if proc.code else [], date)
        if history and proc.code == "G0447" and rng.random() < 0.5:  # and the ABN for it
            documentation["waiver_signed"] = True
        if history:
            data["accumulators"]["history"] = history
        if documentation:
            data["documentation"] = documentation
        if rng.random() < 0.5:
            data["version"] = 1
        return data

    # -- version 2: claims with lines -------------------------------------------------------------

    THEMES = ("toxin", "ak", "pdt", "visit", "filler", "counselling", "any")

    def _line(self, code: str, units: int | None = None, modifiers: list[str] | None = None) -> dict[str, Any]:
        rng = self.rng
        line: dict[str, Any] = {"code": code}
        if units is not None and (units != 1 or rng.random() < 0.3):
            line["units"] = units
        if modifiers:
            line["modifiers"] = modifiers
        proc = self.cat.line_procedure(code)
        n = units or 1
        if rng.random() < 0.5:
            line["fee_schedule"] = _money(rng, 0.5, 400) if n > 1 else _money(rng, 10, 900)
        if rng.random() < 0.5:
            fee = line.get("fee_schedule", proc.fee_schedule or 10.0) * n
            line["charge"] = round(rng.uniform(0, fee), 2) if rng.random() < 0.15 else _money(rng, 0, max(50, 2 * fee))
        return line

    def _lines(self) -> tuple[list[dict[str, Any]], list[str]]:
        """Lines of one claim (1 to 6) and diagnoses that suit them."""
        rng = self.rng
        theme = rng.choice(self.THEMES)
        lines: list[dict[str, Any]] = []
        if theme == "toxin":
            admin, dx = rng.choice([("64615", "G43.719"), ("64650", "L74.510"), ("64653", "L74.511"),
                                    ("64612", "G24.5"), ("64616", "G24.3")])
            if rng.random() < 0.9:
                lines.append(self._line(admin))
            given = rng.choice([50, 100, 155, 200, 450])
            lines.append(self._line("J0585", given))
            if rng.random() < 0.4:
                lines.append(self._line("J0585", rng.choice([5, 45, 100]), ["JW"]))
            elif rng.random() < 0.3:
                lines[-1].setdefault("modifiers", []).append("JZ")
        elif theme == "ak":
            dx = "L57.0"
            draw = rng.random()
            if draw < 0.5:
                lines.append(self._line("17000"))
                lines.append(self._line("17003", rng.choice([1, 3, 6, 13, 14])))
            elif draw < 0.65:
                lines.append(self._line("17003", rng.choice([2, 6])))
            elif draw < 0.8:
                lines.append(self._line("17004"))
                if rng.random() < 0.5:
                    lines.append(self._line("17000", modifiers=["59"] if rng.random() < 0.3 else None))
            else:
                lines.append(self._line("17000"))
        elif theme == "pdt":
            dx = "L57.0"
            first = rng.choice(["96567", "96573", "96574"])
            lines.append(self._line(first))
            if rng.random() < 0.3:
                other = rng.choice([c for c in ("96567", "96573", "96574") if c != first])
                lines.append(self._line(other, modifiers=["59"] if rng.random() < 0.3 else None))
            if rng.random() < 0.8:
                lines.append(self._line(rng.choice(["J7308", "J7345"]), rng.choice([1, 1, 2, 20])))
        elif theme == "filler":
            dx = "E88.14"
            if rng.random() < 0.85:
                lines.append(self._line("G0429"))
            lines.append(self._line(rng.choice(["Q2026", "Q2028"]), rng.choice([10, 30, 100])))
        elif theme == "counselling":
            dx = rng.choice(["E66.811", "E66.812", "Z68.35", "Z68.41"])
            lines.append(self._line("G0447"))
        elif theme == "visit":
            dx = rng.choice(["L57.0", "L70.0", "L70.0", "L74.510", "G43.719"])
            lines.append(self._line(rng.choice(["99212", "99213", "99214"]),
                                    modifiers=["25"] if rng.random() < 0.5 else None))
            if dx == "L70.0":  # acne: blue light, which payers call experimental
                lines.append(self._line("96999"))
            elif rng.random() < 0.7:
                lines.append(self._line(rng.choice(["17000", "96573", "11950", "64650"])))
        else:
            dx = rng.choice(self.codes)
            for _ in range(rng.randint(1, 3)):
                lines.append(self._line(rng.choice(self.line_codes), rng.choice([1, 1, 1, 2, 5])))
        while len(lines) < 6 and rng.random() < 0.15:  # now and then more on the claim
            lines.append(self._line(rng.choice(self.line_codes)))
        rng.shuffle(lines) if rng.random() < 0.1 else None
        if rng.random() < 0.25:  # the Medicare notice modifiers
            for line in lines:
                if rng.random() < 0.5:
                    line.setdefault("modifiers", []).append(rng.choice(["GA", "GZ", "GY"]))
        diagnoses = [dx]
        if policies := [p for p in self.cat.policies if p.diagnosis and dx.startswith(p.diagnosis) and p.with_diagnosis]:
            if rng.random() < 0.8:
                diagnoses.append(rng.choice([c for c in self.codes if c.startswith(policies[0].with_diagnosis)]))
        if rng.random() < 0.15:
            diagnoses.append(rng.choice(["Z41.1", "Z41.8"]))
        if rng.random() < 0.1:
            diagnoses.append(rng.choice(self.codes))
        diagnoses = list(dict.fromkeys(diagnoses))
        if len(diagnoses) > 1 and rng.random() < 0.4:  # diagnosis pointers: a line treats some of them
            for line in lines:
                if rng.random() < 0.6:
                    line["diagnoses"] = rng.sample(diagnoses, rng.randint(1, len(diagnoses)))
        return lines[:6], diagnoses

    def claim(self) -> dict[str, Any]:
        """A version 2 scenario: a claim of 1 to 6 lines."""
        data = self.scenario()
        data.pop("service")
        data["version"] = 2
        data["lines"], data["diagnoses"] = self._lines()
        data["accumulators"].pop("history", None)
        codes = [line["code"] for line in data["lines"]]
        history = self._history(codes, dt.date.fromisoformat(data["date_of_service"]))
        if history:
            data["accumulators"]["history"] = history
            if "G0447" in codes and self.rng.random() < 0.5:  # and the ABN for the visit over the limit
                data.setdefault("documentation", {})["waiver_signed"] = True
        return data

    def invalid_claim(self) -> dict[str, Any]:
        data = self.claim()
        self.rng.choice(LINE_MUTATIONS)(data, self.rng)
        return data

    def claims(self, valid: int, invalid: int) -> list[dict[str, Any]]:
        """``valid`` good claims with lines and ``invalid`` broken ones among them (seeded)."""
        items = [self.claim() for _ in range(valid)] + [self.invalid_claim() for _ in range(invalid)]
        self.rng.shuffle(items)
        return items

    def invalid(self) -> dict[str, Any]:
        data = self.scenario()
        mutate = self.rng.choice(MUTATIONS)
        mutate(data, self.rng)
        return data

    def batch(self, valid: int, invalid: int) -> list[dict[str, Any]]:
        """``valid`` good scenarios with ``invalid`` broken ones spread among them (seeded)."""
        items = [self.scenario() for _ in range(valid)] + [self.invalid() for _ in range(invalid)]
        self.rng.shuffle(items)
        return items


def _set(path: str, value: Any) -> Callable[[dict[str, Any], random.Random], None]:
    def mutate(data: dict[str, Any], rng: random.Random) -> None:
        *parents, leaf = path.split(".")
        node = data
        for part in parents:
            if not isinstance(node.get(part), dict):
                node[part] = {}
            node = node[part]
        if value is _DROP:
            node.pop(leaf, None)
        else:
            node[leaf] = copy.deepcopy(value)

    return mutate


_DROP = object()


def _deductible_above_max(data: dict[str, Any], rng: random.Random) -> None:
    data["plan"] = {**data["plan"], "type": "PPO", "deductible": 600.0, "coinsurance": 0.2, "oop_max": 500.0}


def _medicare_unknown_year(data: dict[str, Any], rng: random.Random) -> None:
    data["plan"] = {"type": "MEDICARE"}
    data.pop("payer", None)
    data["date_of_service"] = "2027-03-01"
    data["accumulators"] = {}


def _medicare_with_a_cap(data: dict[str, Any], rng: random.Random) -> None:
    data["plan"] = {"type": "MEDICARE", "oop_max": 5000.0}
    data.pop("payer", None)


def _last_after_service(data: dict[str, Any], rng: random.Random) -> None:
    date = dt.date.fromisoformat(data["date_of_service"])
    data.setdefault("accumulators", {})["last_treatment"] = (date + dt.timedelta(days=3)).isoformat()


def _twice(data: dict[str, Any], rng: random.Random) -> None:
    code = data["diagnoses"][0]
    data["diagnoses"] = [code, code.lower().replace(".", "")]


def _oon_over(data: dict[str, Any], rng: random.Random) -> None:
    data["plan"]["oon"] = {"deductible": 500.0, "coinsurance": 0.4, "oop_max": 100.0}


MUTATIONS: list[Callable[[dict[str, Any], random.Random], None]] = [
    _set("plan.coinsurance", 1.5),
    _set("plan.deductible", -5.0),
    _set("service.charge", 10.005),
    _set("service.fee_schedule", 20_000_000.0),
    _set("diagnoses", ["L74.5"]),
    _set("diagnoses", ["XYZ.1"]),
    _twice,
    _set("provider.npi", "1234567890"),
    _set("provider.type", "nurse"),
    _set("facility.place_of_service", "77"),
    _set("plan.covered_places_of_service", ["11", "88"]),
    _deductible_above_max,
    _last_after_service,
    _set("date_of_service", "2026-02-30"),
    _set("service.code", "99999"),
    _set("plan.oon", {"deductible": 100.0}),
    _oon_over,
    _set("provider.credentialed", _DROP),
    _set("plan.type", _DROP),
    _set("plan.deductible", "abc"),
    _set("documentation.lmn", "maybe"),
    _set("plan.oon.allowed_pct", 0.1234567),
    _set("accumulators.oop_met", float("inf")),
    _set("plan.copay", True),
    _set("payer", "acme-health"),
    _set("payer", "medicare"),
    _set("documentation.criteria", ["not-a-criterion"]),
    _set("accumulators.history", [{"code": "99999", "date": "2025-06-01"}]),
    _set("accumulators.history", [{"code": "64650", "date": "2027-06-01"}]),
    _set("accumulators.history", [{"code": "64650"}]),
    _medicare_unknown_year,
    _medicare_with_a_cap,
]


def _line_set(field: str, value: Any) -> Callable[[dict[str, Any], random.Random], None]:
    def mutate(data: dict[str, Any], rng: random.Random) -> None:
        data["lines"][rng.randrange(len(data["lines"]))][field] = copy.deepcopy(value)

    return mutate


def _both_service_and_lines(data: dict[str, Any], rng: random.Random) -> None:
    data["service"] = {"code": "64650"}


def _pointer_elsewhere(data: dict[str, Any], rng: random.Random) -> None:
    data["lines"][0]["diagnoses"] = ["G24.5"] if "G24.5" not in data["diagnoses"] else ["L57.0"]


def _modifier_on_the_wrong_line(data: dict[str, Any], rng: random.Random) -> None:
    """JW (a drug's discarded units) or 25 (an office visit) on a line of a procedure."""
    line = data["lines"][rng.randrange(len(data["lines"]))]
    line["code"], line["modifiers"] = "17000", [rng.choice(["JW", "JZ", "25"])]


def _version_one(data: dict[str, Any], rng: random.Random) -> None:
    data["version"] = 1


LINE_MUTATIONS: list[Callable[[dict[str, Any], random.Random], None]] = [
    _line_set("units", 0),
    _line_set("units", 1.5),
    _line_set("units", 20_000),
    _line_set("modifiers", ["XX"]),
    _line_set("modifiers", ["25", "25"]),
    _line_set("code", "99999"),
    _line_set("code", "botox-underarm-sweating"),  # a version 1 visit, not a line
    _line_set("charge", -1.0),
    _line_set("fee_schedule", 0.001),

    _pointer_elsewhere,
    _modifier_on_the_wrong_line,
    _version_one,
    *MUTATIONS[:2],
    _set("diagnoses", ["L74.5"]),
]
