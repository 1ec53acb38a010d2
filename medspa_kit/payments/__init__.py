"""Paying when insurance says no: HSA/FSA tax savings and limits, deferred-interest
cards, installment plans, packages, memberships, a comparison of them all, and the Good Faith
Estimate a self-pay patient is owed.

Pure functions over whole cents with frozen dataclass results; schedules are pandas frames.
"""

from __future__ import annotations

from .._lazy import lazy

_LAZY = {
    "deferred_interest": ".financing",
    "minimum_payment_to_clear": ".financing",
    "installment": ".financing",
    "DeferredResult": ".financing",
    "Installment": ".financing",
    "tax_savings": ".tax",
    "annual_limit": ".tax",
    "check_limit": ".tax",
    "limits_summary": ".tax",
    "TaxSavings": ".tax",
    "package_savings": ".plans",
    "membership": ".plans",
    "compare_payments": ".compare",
    "good_faith_estimate": ".gfe",
    "GoodFaithEstimate": ".gfe",
    "GfeRules": ".gfe",
    "check_bill": ".gfe",
    "BillCheck": ".gfe",
    "issue_deadline": ".gfe",
    "IssueDeadline": ".gfe",
    "default_issue_date": ".gfe",
    "self_pay_reason": ".gfe",
    "business_days": ".gfe",
    "PaymentOptions": ".compare",
    "PaymentError": ".amounts",
}

__all__ = list(_LAZY)

__getattr__ = lazy(__name__, _LAZY, globals())
