"""Disparate-impact audit of ranked lists: selection rates, four-fifths flags, exposure, TPR gaps.

>>> from matcher.audit import run_audit  # doctest: +SKIP
>>> report = run_audit(ranker.top_candidates(vacancy_ids, k=50), candidates, attributes, k=10)  # doctest: +SKIP
>>> report.to_dict()["flagged"], report.to_html()  # doctest: +SKIP
"""

from .groups import AUDIT_ATTRIBUTES, PROFILE_GROUPS, attribute_groups, profile_groups, region
from .metrics import FOUR_FIFTHS, AuditInputs, GroupFigures, Interval, group_figures, position_weight
from .outcomes import Outcomes, simulated_outcomes
from .report import AuditReport, audit_inputs, latest_audit_section, lists_from_stored, run_audit

__all__ = [
    "AUDIT_ATTRIBUTES",
    "FOUR_FIFTHS",
    "PROFILE_GROUPS",
    "AuditInputs",
    "AuditReport",
    "GroupFigures",
    "Interval",
    "Outcomes",
    "attribute_groups",
    "audit_inputs",
    "group_figures",
    "latest_audit_section",
    "lists_from_stored",
    "position_weight",
    "profile_groups",
    "region",
    "run_audit",
    "simulated_outcomes",
]
