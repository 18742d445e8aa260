"""A student's spending against the course budgets, as AWS Budgets reports it.

The daily budget covers one UTC day; the course budget covers the course. AWS refreshes
budget figures every 8 to 12 hours, so each figure comes with the time it was computed.
Thresholds are those of the budget's alert notifications (the course file's when a budget
has none).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

HISTORY_UNITS = frozenset({"DAILY", "MONTHLY", "QUARTERLY"})
"""Budget time units for which AWS keeps a performance history."""


@dataclass
class BudgetFigures:
    """One budget: its limit, spend so far and the alert thresholds crossed.

    Amounts are in ``unit`` (usually USD); thresholds are percentages of the limit.
    ``history`` lists (period start, actual spend) of earlier periods, oldest first.
    """

    kind: str
    name: str
    time_unit: str
    limit: float
    actual: float
    unit: str
    thresholds: list[float]
    last_updated: dt.datetime | None
    period_start: dt.datetime | None
    history: list[tuple[dt.date, float]] = field(default_factory=list)

    @property
    def percent(self) -> float:
        """Spend as a percentage of the limit (0 when the limit is 0)."""
        return 100.0 * self.actual / self.limit if self.limit else 0.0

    @property
    def crossed(self) -> list[float]:
        """The alert thresholds (percent) that the spend has reached."""
        return [threshold for threshold in self.thresholds if self.percent >= threshold]


def budget_name(template: str, user: str | None) -> str:
    """Return a budget name from the course file, ``{user}`` replaced by the user's name."""
    if "{user}" in template and not user:
        raise ValueError(f"budget name {template!r} needs a user name; pass --user")
    return template.replace("{user}", user or "")


def _thresholds(budgets, account_id: str, name: str, limit: float) -> list[float]:
    found = []
    paginator = budgets.get_paginator("describe_notifications_for_budget")
    for page in paginator.paginate(AccountId=account_id, BudgetName=name):
        for notification in page.get("Notifications", []):
            if notification.get("NotificationType", "ACTUAL") != "ACTUAL":
                continue
            threshold = float(notification["Threshold"])
            if notification.get("ThresholdType") == "ABSOLUTE_VALUE":
                threshold = 100.0 * threshold / limit if limit else 0.0
            found.append(round(threshold, 1))
    return sorted(set(found))


def _history(budgets, account_id: str, name: str, start: dt.datetime,
             end: dt.datetime) -> list[tuple[dt.date, float]]:
    periods = []
    paginator = budgets.get_paginator("describe_budget_performance_history")
    pages = paginator.paginate(AccountId=account_id, BudgetName=name,
                               TimePeriod={"Start": start, "End": end})
    for page in pages:
        performance = page.get("BudgetPerformanceHistory", {})
        for amounts in performance.get("BudgetedAndActualAmountsList", []):
            period = amounts.get("TimePeriod", {}).get("Start")
            actual = amounts.get("ActualAmount", {}).get("Amount")
            if period is not None and actual is not None:
                periods.append((period.date(), float(actual)))
    return sorted(set(periods))


def read_budget(budgets, account_id: str, name: str, kind: str,
                default_thresholds: list[float], history_days: int = 7,
                now: dt.datetime | None = None) -> BudgetFigures:
    """Return the figures of budget ``name``.

    For a daily budget, ``history`` holds up to ``history_days`` earlier days. For a budget
    whose period is shorter than the course (monthly, quarterly), ``actual`` adds the
    spend of the earlier periods since the budget started, so it covers the whole course.
    """
    now = now or dt.datetime.now(dt.timezone.utc)
    budget = budgets.describe_budget(AccountId=account_id, BudgetName=name)["Budget"]
    limit = float(budget.get("BudgetLimit", {}).get("Amount", 0))
    spend = budget.get("CalculatedSpend", {}).get("ActualSpend", {})
    figures = BudgetFigures(
        kind=kind, name=name, time_unit=budget.get("TimeUnit", "?"), limit=limit,
        actual=float(spend.get("Amount", 0)),
        unit=spend.get("Unit") or budget.get("BudgetLimit", {}).get("Unit", "USD"),
        thresholds=_thresholds(budgets, account_id, name, limit) or list(default_thresholds),
        last_updated=budget.get("LastUpdatedTime"),
        period_start=budget.get("TimePeriod", {}).get("Start"))
    if figures.time_unit not in HISTORY_UNITS:
        return figures

    current = _period_start(figures.time_unit, now)
    if figures.time_unit == "DAILY":
        start = current - dt.timedelta(days=history_days)
    else:
        start = figures.period_start or current
    earlier = [(day, amount) for day, amount in
               _history(budgets, account_id, name, start, now) if day < current.date()]
    figures.history = earlier
    if kind == "course" and figures.time_unit != "DAILY":
        figures.actual += sum(amount for _, amount in earlier)
    return figures


def _period_start(time_unit: str, now: dt.datetime) -> dt.datetime:
    day = now.astimezone(dt.timezone.utc).replace(hour=0, minute=0, second=0, microsecond=0)
    if time_unit == "MONTHLY":
        return day.replace(day=1)
    if time_unit == "QUARTERLY":
        return day.replace(month=3 * ((day.month - 1) // 3) + 1, day=1)
    return day


def sagemaker_costs_by_usage(ce, start: dt.date, end: dt.date) -> dict[str, float]:
    """Return SageMaker cost (USD, unblended) per usage type from ``start`` to ``end``.

    ``end`` is exclusive, as in Cost Explorer. Every page of results is read. Cost Explorer
    charges for each request and reports the whole account, not one student.
    """
    totals: dict[str, float] = {}
    request = {
        "TimePeriod": {"Start": start.isoformat(), "End": end.isoformat()},
        "Granularity": "MONTHLY", "Metrics": ["UnblendedCost"],
        "Filter": {"Dimensions": {"Key": "SERVICE", "Values": ["Amazon SageMaker"]}},
        "GroupBy": [{"Type": "DIMENSION", "Key": "USAGE_TYPE"}],
    }
    while True:
        response = ce.get_cost_and_usage(**request)
        for period in response.get("ResultsByTime", []):
            for group in period.get("Groups", []):
                usage = group["Keys"][0]
                amount = float(group["Metrics"]["UnblendedCost"]["Amount"])
                totals[usage] = totals.get(usage, 0.0) + amount
        token = response.get("NextPageToken")
        if not token:
            return dict(sorted(totals.items(), key=lambda item: -item[1]))
        request["NextPageToken"] = token
