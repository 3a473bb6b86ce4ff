"""Replaying per-minute metric series through the alarms of a synthesized template.

The alarms are read from the CloudFormation template as written (metrics, metric math, periods,
evaluation periods, datapoints to alarm, thresholds, missing-data treatment, composite rules),
and evaluated the way CloudWatch does: every minute, over a sliding window that ends at that
minute, each period's datapoint computed from the minutes it covers. Only additive statistics
(Sum, SampleCount, trimmed counts TC(...)) can be summed from per-minute values, which is what
SLO alarms use; anything else is refused rather than approximated.
"""

from __future__ import annotations

import itertools
import operator
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping, Sequence

SeriesKey = tuple[str, str]
"""(metric name, statistic), e.g. ("RequestCount", "Sum")."""
ADDITIVE = re.compile(r"^(Sum|SampleCount|TC\(.*\))$")
COMPARE: dict[str, Callable[[float, float], bool]] = {
    "GreaterThanThreshold": operator.gt,
    "GreaterThanOrEqualToThreshold": operator.ge,
    "LessThanThreshold": operator.lt,
    "LessThanOrEqualToThreshold": operator.le,
}


class ReplayError(Exception):
    """The template holds an alarm the replay cannot evaluate faithfully."""


@dataclass(frozen=True)
class Query:
    """One entry of an alarm's Metrics: a metric (by name and statistic) or an expression."""

    id: str
    key: SeriesKey | None
    expression: str | None
    period_minutes: int
    returned: bool


@dataclass(frozen=True)
class MetricAlarm:
    name: str
    queries: tuple[Query, ...]
    threshold: float
    compare: Callable[[float, float], bool]
    evaluation_periods: int
    datapoints_to_alarm: int
    treat_missing: str

    @property
    def period_minutes(self) -> int:
        return max(query.period_minutes for query in self.queries)


@dataclass(frozen=True)
class CompositeAlarm:
    name: str
    rule: str


@dataclass
class Alarms:
    """The metric and composite alarms of a template, by name."""

    metric: dict[str, MetricAlarm] = field(default_factory=dict)
    composite: dict[str, CompositeAlarm] = field(default_factory=dict)

    def named(self, prefix: str) -> Alarms:
        """Only the alarms whose names start with prefix."""
        return Alarms(
            {name: alarm for name, alarm in self.metric.items() if name.startswith(prefix)},
            {name: alarm for name, alarm in self.composite.items() if name.startswith(prefix)},
        )


def read_alarms(template: Mapping[str, Any]) -> Alarms:
    """Every CloudWatch alarm of a template."""
    resources: Mapping[str, Any] = template["Resources"]
    names = {
        logical: resource["Properties"]["AlarmName"]
        for logical, resource in resources.items()
        if resource["Type"].startswith("AWS::CloudWatch::")
        and "AlarmName" in resource["Properties"]
    }
    alarms = Alarms()
    for logical, resource in resources.items():
        properties = resource.get("Properties", {})
        if resource["Type"] == "AWS::CloudWatch::Alarm":
            alarms.metric[names[logical]] = _metric_alarm(names[logical], properties)
        elif resource["Type"] == "AWS::CloudWatch::CompositeAlarm":
            rule = _text(properties["AlarmRule"], names)
            alarms.composite[names[logical]] = CompositeAlarm(names[logical], rule)
    return alarms


def _text(value: Any, names: Mapping[str, str]) -> str:
    """A rule as a string: Fn::Join resolved, an alarm's Fn::GetAtt Arn replaced by its name."""
    if isinstance(value, str):
        return value
    if "Fn::Join" in value:
        separator, parts = value["Fn::Join"]
        return str(separator).join(_text(part, names) for part in parts)
    if "Fn::GetAtt" in value and value["Fn::GetAtt"][1] == "Arn":
        return names[value["Fn::GetAtt"][0]]
    raise ReplayError(f"cannot read {value!r} in an alarm rule")


def _metric_alarm(name: str, properties: Mapping[str, Any]) -> MetricAlarm:
    if "Metrics" in properties:
        queries = tuple(_query(entry) for entry in properties["Metrics"])
    else:
        statistic = properties.get("Statistic") or properties.get("ExtendedStatistic", "")
        key = (properties["MetricName"], statistic)
        queries = (Query("m", key, None, int(properties["Period"]) // 60, True),)
    return MetricAlarm(
        name=name,
        queries=queries,
        threshold=float(properties["Threshold"]),
        compare=COMPARE[properties["ComparisonOperator"]],
        evaluation_periods=int(properties["EvaluationPeriods"]),
        datapoints_to_alarm=int(
            properties.get("DatapointsToAlarm", properties["EvaluationPeriods"])
        ),
        treat_missing=properties.get("TreatMissingData", "missing"),
    )


def _query(entry: Mapping[str, Any]) -> Query:
    returned = bool(entry.get("ReturnData", True))
    if "Expression" in entry:
        period = int(entry.get("Period", 60)) // 60
        return Query(entry["Id"], None, entry["Expression"], period, returned)
    stat = entry["MetricStat"]
    key = (stat["Metric"]["MetricName"], stat["Stat"])
    return Query(entry["Id"], key, None, int(stat["Period"]) // 60, returned)


class _Windows:
    """Sums of per-minute series over any range of minutes, in constant time."""

    def __init__(self, series: Mapping[SeriesKey, Sequence[float | None]]) -> None:
        self.sums: dict[SeriesKey, list[float]] = {}
        self.counts: dict[SeriesKey, list[int]] = {}
        for key, values in series.items():
            self.sums[key] = [0.0, *itertools.accumulate(value or 0.0 for value in values)]
            self.counts[key] = [0, *itertools.accumulate(int(v is not None) for v in values)]

    def total(self, key: SeriesKey, start: int, end: int) -> float | None:
        """The statistic over minutes [start, end); None when no minute has a datapoint."""
        if not ADDITIVE.match(key[1]):
            raise ReplayError(f"statistic {key[1]} is not additive; the replay cannot sum it")
        if key not in self.sums:
            return None
        last = len(self.sums[key]) - 1
        start, end = max(0, min(start, last)), max(0, min(end, last))
        if self.counts[key][end] - self.counts[key][start] == 0:
            return None
        return self.sums[key][end] - self.sums[key][start]


def _datapoint(alarm: MetricAlarm, windows: _Windows, start: int, end: int) -> float | None:
    values: dict[str, float | None] = {}
    for query in alarm.queries:
        if query.key is not None:
            values[query.id] = windows.total(query.key, start, end)
    result: float | None = None
    for query in alarm.queries:
        if query.expression is not None:
            values[query.id] = evaluate(query.expression, values)
        if query.returned:
            result = values[query.id]
    return result


def alarm_state(alarm: MetricAlarm, windows: _Windows, minute: int, previous: bool) -> bool:
    """In ALARM at the end of minute (True), after evaluating its last N periods."""
    period = alarm.period_minutes
    breaching = missing = 0
    for index in range(alarm.evaluation_periods):
        end = minute - index * period
        value = _datapoint(alarm, windows, end - period, end)
        if value is None:
            missing += 1
            breaching += alarm.treat_missing == "breaching"
        elif alarm.compare(value, alarm.threshold):
            breaching += 1
    if missing == alarm.evaluation_periods and alarm.treat_missing in ("missing", "ignore"):
        return previous
    return breaching >= alarm.datapoints_to_alarm


@dataclass
class Timeline:
    """Each alarm's state after every minute of a replay (True: ALARM)."""

    states: dict[str, list[bool]]

    def first_alarm(self, name: str, after: int = 0) -> int | None:
        """The first minute (>= after) the alarm is in ALARM."""
        return next((m for m, on in enumerate(self.states[name]) if on and m >= after), None)

    def first_ok(self, name: str, after: int) -> int | None:
        """The first minute (>= after) the alarm is back to OK."""
        return next((m for m, on in enumerate(self.states[name]) if not on and m >= after), None)

    def ever(self, name: str) -> bool:
        return any(self.states[name])


def replay(alarms: Alarms, series: Mapping[SeriesKey, Sequence[float | None]]) -> Timeline:
    """Evaluate every alarm at the end of each minute of the series."""
    windows = _Windows(series)
    minutes = max(len(values) for values in series.values())
    states: dict[str, list[bool]] = {name: [] for name in [*alarms.metric, *alarms.composite]}
    for minute in range(1, minutes + 1):
        current: dict[str, bool] = {}
        for name, alarm in alarms.metric.items():
            previous = states[name][-1] if states[name] else False
            current[name] = alarm_state(alarm, windows, minute, previous)
        for name, composite in alarms.composite.items():
            current[name] = rule_holds(composite.rule, current)
        for name, state in current.items():
            states[name].append(state)
    return Timeline(states)


# --- composite rules: ALARM("name"), OK("name"), AND, OR, NOT, parentheses, TRUE, FALSE ---

RULE_TOKEN = re.compile(
    r'\s*(?:(ALARM|OK|INSUFFICIENT_DATA)\("([^"]+)"\)|(AND|OR|NOT|TRUE|FALSE)|(\(|\)))'
)


def _rule_tokens(rule: str) -> Iterator[tuple[str, str]]:
    position = 0
    while position < len(rule.rstrip()):
        match = RULE_TOKEN.match(rule, position)
        if match is None:
            raise ReplayError(f"cannot read the alarm rule at {rule[position:]!r}")
        state, name, word, paren = match.groups()
        yield (state, name) if state else (word or paren, "")
        position = match.end()


def rule_holds(rule: str, states: Mapping[str, bool]) -> bool:
    """Whether a composite alarm rule holds, given each named alarm's state (True: ALARM)."""
    tokens = list(_rule_tokens(rule))
    value, rest = _disjunction(tokens, states)
    if rest:
        raise ReplayError(f"unexpected {rest[0]} in alarm rule {rule!r}")
    return value


Tokens = list[tuple[str, str]]


def _disjunction(tokens: Tokens, states: Mapping[str, bool]) -> tuple[bool, Tokens]:
    value, tokens = _conjunction(tokens, states)
    while tokens and tokens[0][0] == "OR":
        right, tokens = _conjunction(tokens[1:], states)
        value = value or right
    return value, tokens


def _conjunction(tokens: Tokens, states: Mapping[str, bool]) -> tuple[bool, Tokens]:
    value, tokens = _negation(tokens, states)
    while tokens and tokens[0][0] == "AND":
        right, tokens = _negation(tokens[1:], states)
        value = value and right
    return value, tokens


def _negation(tokens: Tokens, states: Mapping[str, bool]) -> tuple[bool, Tokens]:
    word, name = tokens[0]
    if word == "NOT":
        value, rest = _negation(tokens[1:], states)
        return not value, rest
    if word == "(":
        value, rest = _disjunction(tokens[1:], states)
        if not rest or rest[0][0] != ")":
            raise ReplayError("unbalanced parentheses in an alarm rule")
        return value, rest[1:]
    if word in ("TRUE", "FALSE"):
        return word == "TRUE", tokens[1:]
    if name not in states:
        raise ReplayError(f"the rule names alarm {name!r}, which is not replayed")
    in_alarm = states[name]
    return (in_alarm if word == "ALARM" else not in_alarm if word == "OK" else False), tokens[1:]


# --- metric math: numbers, ids, + - * /, unary minus, parentheses, FILL(x, value) ---

MATH_TOKEN = re.compile(r"\s*(?:(\d+(?:\.\d*)?(?:[eE][-+]?\d+)?)|([A-Za-z_][A-Za-z0-9_]*)|(.))")


def evaluate(expression: str, values: Mapping[str, float | None]) -> float | None:
    """A metric-math expression over single datapoints; None where CloudWatch has no datapoint."""
    tokens = [
        (number, word, symbol)
        for number, word, symbol in MATH_TOKEN.findall(expression)
        if number or word or symbol.strip()
    ]
    value, rest = _sum(tokens, values)
    if rest:
        raise ReplayError(f"cannot evaluate {expression!r} (at {rest[0]})")
    return value


MathTokens = list[tuple[str, str, str]]
ARITHMETIC: dict[str, Callable[[float, float], float]] = {
    "+": operator.add,
    "-": operator.sub,
    "*": operator.mul,
}


def _apply(symbol: str, left: float | None, right: float | None) -> float | None:
    if left is None or right is None:
        return None
    if symbol == "/":
        return None if right == 0 else left / right
    return ARITHMETIC[symbol](left, right)


def _sum(tokens: MathTokens, values: Mapping[str, float | None]) -> tuple[float | None, MathTokens]:
    value, tokens = _product(tokens, values)
    while tokens and tokens[0][2] in ("+", "-"):
        symbol = tokens[0][2]
        right, tokens = _product(tokens[1:], values)
        value = _apply(symbol, value, right)
    return value, tokens


def _product(
    tokens: MathTokens, values: Mapping[str, float | None]
) -> tuple[float | None, MathTokens]:
    value, tokens = _factor(tokens, values)
    while tokens and tokens[0][2] in ("*", "/"):
        symbol = tokens[0][2]
        right, tokens = _factor(tokens[1:], values)
        value = _apply(symbol, value, right)
    return value, tokens


def _factor(
    tokens: MathTokens, values: Mapping[str, float | None]
) -> tuple[float | None, MathTokens]:
    number, word, symbol = tokens[0]
    if number:
        return float(number), tokens[1:]
    if symbol == "-":
        value, rest = _factor(tokens[1:], values)
        return (None if value is None else -value), rest
    if symbol == "(":
        value, rest = _sum(tokens[1:], values)
        return value, _expect(rest, ")")
    if word == "FILL":
        series, rest = _sum(_expect(tokens[1:], "("), values)
        default, rest = _sum(_expect(rest, ","), values)
        return (default if series is None else series), _expect(rest, ")")
    if word in values:
        return values[word], tokens[1:]
    raise ReplayError(f"unknown name or function {word or symbol!r} in metric math")


def _expect(tokens: MathTokens, symbol: str) -> MathTokens:
    if not tokens or tokens[0][2] != symbol:
        raise ReplayError(f"expected {symbol!r} in metric math")
    return tokens[1:]
