"""``medspa-kit finance …`` and ``medspa-kit gfe``: the payment arithmetic from a shell.

Rates are fractions (an APR of 26.99 % is 0.2699). A bad number exits 2 with one line naming
the option and the value.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
from pathlib import Path
from typing import Callable

from .cli import output_name, whole_number
from .errors import shortened


def _number(text: str) -> float:
    """A number as every face reads one (``1100``, ``$1,100.50``, ``0.2``; no ``1_100``, ASCII digits)."""
    from .fields import read_text

    value = read_text("number", text.strip())
    if not isinstance(value, float):
        raise argparse.ArgumentTypeError(f"{shortened(repr(text), 80)} is not a number")
    if value != value or value in (float("inf"), float("-inf")):
        raise argparse.ArgumentTypeError(f"{shortened(repr(text), 80)} is not a number")
    return value


def _print(data: dict, as_json: bool, lines: list[str]) -> None:
    print(json.dumps(data, indent=2) if as_json else "\n".join(lines))


def cmd_deferred(args: argparse.Namespace) -> int:
    from .payments.financing import deferred_interest, minimum_payment_to_clear

    r = deferred_interest(args.amount, args.apr, args.promo_months, args.payment)
    clear = minimum_payment_to_clear(args.amount, args.promo_months)
    verdict = ("paid off inside the promotion: no interest" if r.paid_off_in_promo else
               f"NOT paid off in {r.promo_months} months: ${r.deferred_interest:,.2f} of deferred interest "
               "is added at once")
    _print({**r.to_dict(), "payment_to_clear": clear}, args.json, [
        f"${r.amount:,.2f} at {r.apr:.2%} APR, {r.promo_months}-month promotion, paying ${r.payment:,.2f} a month",
        f"  {verdict}",
        f"  months to pay off:  {r.months_to_payoff}",
        f"  total paid:         ${r.total_paid:,.2f} (interest ${r.total_interest:,.2f})",
        f"  pay at least ${clear:,.2f} a month to clear it inside the promotion",
    ])
    return 0


def cmd_installment(args: argparse.Namespace) -> int:
    from .payments.financing import installment

    plan = installment(args.amount, args.apr, args.months)
    count = f"{plan.months_paid} month{'s' if plan.months_paid != 1 else ''}"
    sooner = ([f"  (the payment, rounded up to the cent, pays it off in {count} of the {plan.months})"]
              if plan.months_paid < plan.months else [])
    _print({**plan.to_dict(), "last_payment": plan.last_payment, "total_paid": plan.total_paid}, args.json, [
        f"${plan.amount:,.2f} over {plan.months} months at {plan.apr:.2%} APR",
        f"  payment:        ${plan.payment:,.2f} a month for {count} (last ${plan.last_payment:,.2f})",
        *sooner,
        f"  total interest: ${plan.total_interest:,.2f}",
        f"  total paid:     ${plan.total_paid:,.2f}",
    ])
    return 0


def cmd_tax_savings(args: argparse.Namespace) -> int:
    from .payments.tax import tax_savings

    t = tax_savings(args.amount, args.federal, args.state, args.payroll)
    how = "through payroll (income tax and 7.65 % FICA)" if args.payroll else "directly (income tax only)"
    _print(t.to_dict(), args.json, [
        f"${t.amount:,.2f} paid {how} at a combined {t.rate:.2%}",
        f"  savings:  ${t.savings:,.2f}",
        f"  net cost: ${t.net_cost:,.2f}",
    ])
    return 0


def cmd_gfe(args: argparse.Namespace) -> int:
    from .errors import ScenarioError
    from .files import refuse_same_file, write_text_file
    from .payments.amounts import PaymentError
    from .payments.gfe import default_issue_date, good_faith_estimate

    if (args.file is None) == (args.preset is None):
        raise ScenarioError.one("gfe", "give a scenario FILE or --preset NAME (one of them)")
    out = Path(args.output)
    refuse_same_file(out, [args.file])
    if out.suffix.lower() not in (".html", ".htm", ".md", ".markdown") and (out.is_file() or not out.exists()):
        raise ScenarioError.one("--output", f"{str(out)!r}: the estimate is written as .html or .md, not "
                                            f"{out.suffix or 'a file with no extension'!r}")
    from .cli import scenario_from_args

    scenario = scenario_from_args(args)  # a FILE, - for standard input, or --preset
    booked = dt.date.fromisoformat(args.booked) if args.booked else None
    note = None
    if args.issued:
        issued = dt.date.fromisoformat(args.issued)
    else:
        issued, note = default_issue_date(scenario.date_of_service, dt.date.today(), booked)
    try:
        estimate = good_faith_estimate(scenario, issued=issued, booked=booked, self_pay=args.self_pay,
                                       requested=args.requested)
    except PaymentError as err:
        raise PaymentError(_gfe_option_named(str(err), args)) from None
    text = estimate.markdown() if out.suffix.lower() in (".md", ".markdown") else estimate.html()
    write_text_file(out, text)
    print(f"Good Faith Estimate written to {out} (total expected charges ${estimate.total:,.2f})")
    print(f"  for: {estimate.self_pay}")
    print(f"  {estimate.timing}")
    for line in (note, estimate.rules.later_note("date_of_service", estimate.scheduled)):
        if line:
            print(f"  note: {line}")
    return 0


GFE_OPTIONS = {"issued": "--issued", "booked": "--booked", "self_pay": "--self-pay", "estimated": "--estimate",
               "billed": "--billed", "bill_date": "--bill-date"}
"""the option of ``gfe`` and ``gfe-check`` that gives each parameter of the estimate's functions"""


def _gfe_option_named(message: str, args: argparse.Namespace) -> str:
    """``message`` (``issued: 9999-12-31 is after …``) naming the option the user gave instead of the
    parameter: an issue date taken from ``--booked`` is named ``--booked``, one worked out from the
    visit and today is named as that (no option was given)."""
    field, _, rest = message.partition(": ")
    if field not in GFE_OPTIONS or not rest:
        return message
    if field == "issued" and getattr(args, "issued", None) is None:
        if getattr(args, "booked", None):
            return f"--booked: {rest} (the estimate is dated the booking day when --issued is not given)"
        return f"issued (not given; dated from the visit and today): {rest}; give --issued"
    return f"{GFE_OPTIONS[field]}: {rest}"


def cmd_gfe_check(args: argparse.Namespace) -> int:
    from .payments.gfe import check_bill

    result = check_bill(args.estimate, args.billed, dt.date.fromisoformat(args.bill_date))
    result = dataclasses.replace(result, note=_gfe_option_named(result.note, args))
    _print({**result.__dict__, "bill_date": result.bill_date.isoformat(),
            "dispute_by": result.dispute_by.isoformat()}, args.json, [result.describe()])
    return 0


def _iso(text: str) -> str:
    from .fields import iso_date

    if iso_date(text) is None:
        raise argparse.ArgumentTypeError(f"{shortened(repr(text), 80)} is not an ISO date (YYYY-MM-DD)")
    return text


def register(sub: argparse._SubParsersAction, commands: dict[str, Callable[[argparse.Namespace], int]]) -> None:
    finance = sub.add_parser("finance", help="deferred-interest cards, installment plans, HSA/FSA tax savings")
    kinds = finance.add_subparsers(dest="finance_command", metavar="KIND", required=True,
                                   parser_class=type(finance))

    p = kinds.add_parser("deferred", help="a 'no interest if paid in full' promotion, month by month")
    p.add_argument("--amount", type=_number, required=True, help="dollars financed")
    p.add_argument("--apr", type=_number, required=True, help="the card's APR as a fraction (0.3299)")
    p.add_argument("--promo-months", type=whole_number, required=True, help="length of the promotion")
    p.add_argument("--payment", type=_number, required=True, help="fixed dollars paid each month")
    p.add_argument("--json", action="store_true")
    p.set_defaults(finance_run=cmd_deferred)

    p = kinds.add_parser("installment", help="a fixed-APR installment plan")
    p.add_argument("--amount", type=_number, required=True, help="dollars financed")
    p.add_argument("--apr", type=_number, required=True, help="APR as a fraction (0.149; 0 for none)")
    p.add_argument("--months", type=whole_number, required=True, help="number of monthly payments")
    p.add_argument("--json", action="store_true")
    p.set_defaults(finance_run=cmd_installment)

    p = kinds.add_parser("tax-savings", help="what paying through an HSA or FSA saves in tax")
    p.add_argument("--amount", type=_number, required=True,
                   help="dollars paid from the account (not capped at one year's contribution limit: an HSA "
                        "carries its balance from year to year)")
    p.add_argument("--federal", type=_number, required=True, help="federal marginal rate as a fraction (0.22)")
    p.add_argument("--state", type=_number, required=True, help="state marginal rate as a fraction (0.05)")
    p.add_argument("--payroll", action="store_true", help="contributed through payroll: FICA is saved too")
    p.add_argument("--json", action="store_true")
    p.set_defaults(finance_run=cmd_tax_savings)

    p = sub.add_parser("gfe", help="write a Good Faith Estimate for a self-pay patient (HTML, or .md)")
    p.add_argument("file", nargs="?", metavar="SCENARIO.json",
                   help="the visit as a scenario file (the format of docs/scenario.md), or - for standard input; "
                        "or give --preset")
    p.add_argument("--preset", metavar="NAME", help="a bundled scenario instead of a file (medspa-kit presets lists them)")
    p.add_argument("-o", "--output", required=True, type=output_name, metavar="FILE.html", help="where to write (.html or .md)")
    p.add_argument("--issued", type=_iso, help="date the estimate is issued (default: the booking date if given, else today; for a visit "
                        "already past, 10 business days before it, with a note); never after the visit")
    p.add_argument("--booked", type=_iso, help="date the visit was booked (default: the issue date)")
    p.add_argument("--requested", action="store_true", help="the patient asked for an estimate (due within 3 business days)")
    p.add_argument("--self-pay", action="store_true",
                   help="the patient has a plan that covers the service but will not use it")

    p = sub.add_parser("gfe-check", help="can a self-pay patient dispute a bill against their Good Faith Estimate?")
    p.add_argument("--estimate", type=_number, required=True, help="dollars: the estimate's total for this provider")
    p.add_argument("--billed", type=_number, required=True, help="dollars: the bill's total from the same provider")
    p.add_argument("--bill-date", type=_iso, required=True, help="date on the original bill")
    p.add_argument("--json", action="store_true")
    p.set_defaults(finance_run=cmd_gfe_check)

    commands["finance"] = _as_options
    commands["gfe"] = cmd_gfe
    commands["gfe-check"] = _as_options


def _as_options(args: argparse.Namespace) -> int:
    """Run a finance command; a bad value is reported under the option's own name (``--apr``)."""
    from .payments.amounts import PaymentError

    try:
        return args.finance_run(args)
    except PaymentError as err:
        field, _, rest = str(err).partition(": ")
        if field in GFE_OPTIONS:
            raise PaymentError(_gfe_option_named(str(err), args)) from None
        option = "--" + field.replace("_", "-")
        raise PaymentError(f"{option}: {rest}" if hasattr(args, field) else str(err)) from None
