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

    def __init__(self, seed: int = 2026, catalog: Catalog | None = None):
        self.rng = random.Random(seed)
        self.cat = catalog or default_catalog()
        self.procedures = list(self.cat.procedures.values())
        self.insurable = [p for p in self.procedures if self.cat.policies_for(p.id)]
        self.codes = [r["code"] for r in self.cat.rows["diagnoses"]]

    def _service_code(self, proc) -> str:
        if proc.code and self.cat.codes.get(proc.code) == proc.id and self.rng.random() < 0.6:
            return proc.code
        return proc.id

    def _diagnoses(self, proc) -> list[str]:
        rng = self.rng
        picked: list[str] = []
        policies = self.cat.policies_for(proc.id)
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
        return plan

    def _accumulators(self, plan: dict[str, Any], date: dt.date) -> dict[str, Any]:
        rng = self.rng
        acc: dict[str, Any] = {}

        def met(limit: float) -> float:
            draw = rng.random()
            if draw < 0.3:
                return 0.0
            if draw < 0.75:
                return round(rng.uniform(0, limit), 2)
            if draw < 0.9:
                return max(0.0, round(limit - rng.uniform(0, 300), 2))  # the cap is about to bind
            return round(limit + rng.uniform(0, 500), 2)

        if rng.random() < 0.85:
            acc["deductible_met"] = met(plan["deductible"])
            acc["oop_met"] = met(plan["oop_max"])
        oon = plan.get("oon")
        if oon and rng.random() < 0.85:
            acc["oon_deductible_met"] = met(oon["deductible"])
            acc["oon_oop_met"] = met(oon["oop_max"])
        if rng.random() < 0.5:
            acc["last_treatment"] = (date - dt.timedelta(days=rng.choice([0, 30, 60, 83, 84, 85, 120, 300]))).isoformat()
        return acc

    def scenario(self) -> dict[str, Any]:
        rng = self.rng
        proc = rng.choice(self.insurable if rng.random() < 0.6 else self.procedures)
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
        documentation = {name: rng.random() < p for name, p in (
            ("criteria_documented", 0.85), ("prior_auth", 0.8), ("lmn", 0.3), ("referral", 0.3),
            ("waiver_signed", 0.2)) if rng.random() < 0.9}
        plan = self._plan()
        data: dict[str, Any] = {
            "date_of_service": date.isoformat(),
            "service": service,
            "diagnoses": self._diagnoses(proc),
            "provider": provider,
            "facility": facility,
            "plan": plan,
            "accumulators": self._accumulators(plan, date),
        }
        if documentation:
            data["documentation"] = documentation
        if rng.random() < 0.5:
            data["version"] = 1
        return data

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
    data["plan"]["deductible"] = data["plan"]["oop_max"] + 1


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
]
