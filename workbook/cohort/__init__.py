"""Cohort hosting (X3): a facilitator runs one server for a workshop; each participant signs
in and works in a workbook only they can read.

The public surface is here; the parts live in private-by-convention modules:
``accounts`` (who may sign in), ``throttle`` (slowing down guessing), ``hosting`` (opening
encrypted workbooks, the facilitator's view), ``summary`` (numbers only), ``sharing``
(worksheets sealed to the facilitator) and ``cli`` (``python -m workbook cohort``).
"""

from __future__ import annotations

from workbook.cohort.accounts import (
    NAME_MAX,
    PASSWORD_MIN,
    Account,
    Cohort,
    CohortError,
    Invite,
    Joined,
    Role,
    Session,
    SignInRefused,
    check_name,
    exists,
)
from workbook.cohort.hosting import Host, Row
from workbook.cohort.summary import Summary

__all__ = [
    "NAME_MAX",
    "PASSWORD_MIN",
    "Account",
    "Cohort",
    "CohortError",
    "Host",
    "Invite",
    "Joined",
    "Role",
    "Row",
    "Session",
    "SignInRefused",
    "Summary",
    "check_name",
    "exists",
]
