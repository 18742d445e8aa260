"""`awml aws budget`: spend today and for the course, thresholds crossed, last update."""

from __future__ import annotations

import datetime as dt

import pytest
from moto import mock_aws
from typer.testing import CliRunner

from awml.aws.budgets import read_budget, sagemaker_costs_by_usage
from awml.cli.main import app
from awsfakes import NOW, aws_env, calls_are_declared, stubs  # noqa: F401

runner = CliRunner()
ACCOUNT = "111122223333"
TODAY = NOW.replace(hour=0, minute=0, second=0, microsecond=0)


def _budget(name: str, unit: str, limit: str, spend: str, start: dt.datetime) -> dict:
    return {"Budget": {
        "BudgetName": name, "BudgetType": "COST", "TimeUnit": unit,
        "BudgetLimit": {"Amount": limit, "Unit": "USD"},
        "CalculatedSpend": {"ActualSpend": {"Amount": spend, "Unit": "USD"}},
        "TimePeriod": {"Start": start, "End": start + dt.timedelta(days=3650)},
        "LastUpdatedTime": TODAY + dt.timedelta(hours=6, minutes=10)}}


def _notification(threshold: float, kind: str = "PERCENTAGE") -> dict:
    return {"NotificationType": "ACTUAL", "ComparisonOperator": "GREATER_THAN",
            "Threshold": threshold, "ThresholdType": kind}


def _history_page(periods: list[tuple[dt.datetime, str]], token: str | None) -> dict:
    page = {"BudgetPerformanceHistory": {
        "BudgetName": "x", "BudgetType": "COST", "TimeUnit": "DAILY",
        "BudgetedAndActualAmountsList": [
            {"BudgetedAmount": {"Amount": "10", "Unit": "USD"},
             "ActualAmount": {"Amount": amount, "Unit": "USD"},
             "TimePeriod": {"Start": start, "End": start + dt.timedelta(days=1)}}
            for start, amount in periods]}}
    if token:
        page["NextToken"] = token
    return page


def _cost_page(amounts: dict[str, str], token: str | None) -> dict:
    result = {"ResultsByTime": [{
        "TimePeriod": {"Start": "2026-01-01", "End": "2026-02-01"}, "Estimated": False,
        "Total": {}, "Groups": [
            {"Keys": [usage], "Metrics": {"UnblendedCost": {"Amount": a, "Unit": "USD"}}}
            for usage, a in amounts.items()]}]}
    if token:
        result["NextPageToken"] = token
    return result


def _queue_budgets(stubs) -> tuple[list[dt.datetime], dt.datetime]:
    """Queue the calls of `awml aws budget`; return the earlier days and the course start."""
    stubs("sts").add_response("get_caller_identity", {
        "UserId": "AIDEXAMPLE", "Account": ACCOUNT,
        "Arn": f"arn:aws:iam::{ACCOUNT}:user/jdoe"})
    budgets = stubs("budgets")
    # The daily budget: 8.50 of 10 today, alerts at 80 % and at 9 USD (90 %).
    budgets.add_response("describe_budget",
                         _budget("awml-daily", "DAILY", "10", "8.5", TODAY - dt.timedelta(30)),
                         {"AccountId": ACCOUNT, "BudgetName": "awml-daily"})
    budgets.add_response("describe_notifications_for_budget", {
        "Notifications": [_notification(80)], "NextToken": "n2"})
    budgets.add_response("describe_notifications_for_budget", {
        "Notifications": [_notification(9, "ABSOLUTE_VALUE")]})
    days = [TODAY - dt.timedelta(days=back) for back in (3, 2, 1)]
    budgets.add_response("describe_budget_performance_history",
                         _history_page([(days[0], "3.2"), (days[1], "0")], "h2"))
    budgets.add_response("describe_budget_performance_history",
                         _history_page([(days[2], "7.75"), (TODAY, "8.5")], None))
    # The course budget: monthly, started two months ago; earlier months add up.
    start = (TODAY.replace(day=1) - dt.timedelta(days=40)).replace(day=1)
    budgets.add_response("describe_budget",
                         _budget("awml-course", "MONTHLY", "300", "20", start))
    budgets.add_response("describe_notifications_for_budget", {"Notifications": []})
    budgets.add_response("describe_budget_performance_history", _history_page(
        [(start, "100"), (start.replace(month=start.month % 12 + 1), "40"),
         (TODAY.replace(day=1), "20")], None))
    return days, start


def test_budget_command_shows_today_course_thresholds_and_update_time(stubs):
    days, start = _queue_budgets(stubs)
    result = runner.invoke(app, ["aws", "budget"])
    assert result.exit_code == 0, result.output
    assert (f"Today ({TODAY.date()} UTC), budget awml-daily: 8.50 of 10.00 USD (85%), "
            "alert thresholds crossed: 80% (next: 90%).") in result.output
    assert (f"Course since {start:%Y-%m-%d}, budget awml-course: 160.00 of 300.00 USD (53%), "
            "alert thresholds crossed: 50% (next: 80%).") in result.output
    assert f"{days[0]:%m-%d} 3.20, {days[1]:%m-%d} 0.00, {days[2]:%m-%d} 7.75." in result.output
    assert f"awml-daily figures were last updated at {TODAY:%Y-%m-%d} 06:10 UTC" in result.output
    assert "every 8 to 12 hours" in result.output


def test_budget_by_usage_adds_cost_explorer_figures(stubs):
    from moto.ce.models import ce_backends

    _queue_budgets(stubs)
    with mock_aws():
        ce_backends["123456789012"]["global"].cost_usage_results_queue.append(
            _cost_page({"USE1-Studio:KernelGateway-ml.g4dn.4xlarge": "12.5"}, None))
        result = runner.invoke(app, ["aws", "budget", "--by-usage"])
    assert result.exit_code == 0, result.output
    assert "  USE1-Studio:KernelGateway-ml.g4dn.4xlarge: 12.50 USD" in result.output


@mock_aws
def test_budget_figures_from_moto_budgets(aws_env):
    import boto3

    budgets = boto3.client("budgets")
    budgets.create_budget(AccountId=ACCOUNT, Budget={
        "BudgetName": "awml-course", "BudgetType": "COST", "TimeUnit": "ANNUALLY",
        "BudgetLimit": {"Amount": "300", "Unit": "USD"},
        "CalculatedSpend": {"ActualSpend": {"Amount": "246", "Unit": "USD"}}},
        NotificationsWithSubscribers=[
            {"Notification": _notification(threshold), "Subscribers": [
                {"SubscriptionType": "EMAIL", "Address": "student@example.edu"}]}
            for threshold in (50, 80, 100)])
    figures = read_budget(budgets, ACCOUNT, "awml-course", "course", [])
    assert figures.thresholds == [50, 80, 100]
    assert figures.crossed == [50, 80]
    assert figures.percent == pytest.approx(82.0)
    assert figures.history == []  # AWS keeps no history of yearly budgets


@mock_aws
def test_budget_command_says_which_budget_is_missing(aws_env):
    result = runner.invoke(app, ["aws", "budget"])
    assert result.exit_code == 2
    assert "has no budget named 'awml-daily'" in result.output


@mock_aws
def test_sagemaker_costs_by_usage_reads_every_page(aws_env):
    import boto3
    from moto.ce.models import ce_backends

    backend = ce_backends["123456789012"]["global"]
    backend.cost_usage_results_queue.extend([
        _cost_page({"USE1-Studio:KernelGateway-ml.t3.xlarge": "1.25"}, "page-2"),
        _cost_page({"USE1-Studio:KernelGateway-ml.g4dn.4xlarge": "9.5",
              "USE1-Studio:KernelGateway-ml.t3.xlarge": "0.25"}, None)])
    costs = sagemaker_costs_by_usage(boto3.client("ce"), dt.date(2026, 1, 1), dt.date(2026, 2, 1))
    assert costs == {"USE1-Studio:KernelGateway-ml.g4dn.4xlarge": 9.5,
                     "USE1-Studio:KernelGateway-ml.t3.xlarge": 1.5}
