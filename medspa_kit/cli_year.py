"""``medspa-kit year COURSE.json``: a course of claims through the plan year (docs/plan-year.md)."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Callable

from .money import format_dollars


def cmd_year(args: argparse.Namespace) -> int:
    from .errors import ScenarioError
    from .files import read_stream
    from .year import Course, load_course, preset_course, run_year

    if (args.file is None) == (args.preset is None):
        raise ScenarioError.one("course", "give a course FILE or --preset NAME (one of them)")
    if args.preset is not None:
        course = preset_course(args.preset)
    elif args.file == "-":
        course = Course.from_json(read_stream(sys.stdin, "standard input"))
    else:
        course = load_course(args.file)
    year = run_year(course)
    if args.json:
        print(json.dumps(year.to_dict(), indent=2))
        return 0
    print(summary(year))
    return 0


def summary(year) -> str:
    """The course as a clerk reads it: one line per claim, with the running patient total, each
    warning once (a date of service outside the bundled code set's year), then totals."""
    course = year.course
    lines = []
    if course.title:
        lines.append(course.title)
    lines.append(f"Plan year from {course.plan_year_start.isoformat()} · {course.scenario.plan.type.value} plan · "
                 f"{len(year.claims)} claim{'s' if len(year.claims) != 1 else ''}")
    lines.append("")
    lines.append(f"{'date':<11} {'decision':<22} {'patient':>11} {'plan':>11} {'write-off':>11} {'patient so far':>15}")
    table = year.table()
    for _, row in table.iterrows():
        decision = row["decision"].replace("_", " ") + (f" {row['reason']}" if row["reason"] else "")
        lines.append(f"{row['date_of_service'].isoformat():<11} {decision:<22} {format_dollars(row['patient_pays']):>11} "
                     f"{format_dollars(row['plan_pays']):>11} {format_dollars(row['provider_writeoff']):>11} "
                     f"{format_dollars(row['patient_so_far']):>15}")
    warnings = list(dict.fromkeys(w for claim in year.claims for w in claim.outcome.warnings))
    if warnings:
        lines.append("")
        lines.extend(f"Warning: {warning}" for warning in warnings)
    totals = year.totals
    lines.append("")
    lines.append(f"Patient pays {format_dollars(totals.patient_pays / 100)}, plan pays "
                 f"{format_dollars(totals.plan_pays / 100)}, clinic writes off "
                 f"{format_dollars(totals.provider_writeoff / 100)} (of {format_dollars(totals.charge / 100)} charged)")
    return "\n".join(lines)


def register(sub: argparse._SubParsersAction, commands: dict[str, Callable[[argparse.Namespace], int]]) -> None:
    p = sub.add_parser("year", help="run a course of claims through the plan year (what will this cost this year?)")
    p.add_argument("file", nargs="?", metavar="COURSE.json", help="course file (see docs/plan-year.md), or - for stdin")
    p.add_argument("--preset", metavar="NAME", help="a bundled course instead of a file "
                   "(chronic-migraine-every-12-weeks, underarm-sweating-twice-a-year)")
    p.add_argument("--json", action="store_true", help="print each claim's outcome and the totals as JSON")
    commands["year"] = cmd_year
