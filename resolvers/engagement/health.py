"""The health score: components that compare observed figures with targets. Pure: no I/O.

The formula is documented in resolvers/engagement/__init__.py (and the README).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Component:
    key: str
    label: str
    value: float
    target: float
    score: float  # 0..1
    weight: float  # share of the health score, renormalised over the components counted
    explanation: str


@dataclass(frozen=True)
class Measure:
    key: str
    label: str
    weight: float
    target: float
    explanation: str

    def score(self, value: float) -> float:
        return min(1.0, value / self.target) if self.target else 1.0


class ResponseTime(Measure):
    WITHIN_MINUTES, AFTER_MINUTES = 60.0, 1440.0

    def score(self, value: float) -> float:
        return max(0.0, min(1.0, (self.AFTER_MINUTES - value) / (self.AFTER_MINUTES - self.WITHIN_MINUTES)))


MEASURES = (
    Measure("activity", "Active members", 0.20, 0.30, "Share of the members who did anything; 30% is healthy."),
    Measure("participation", "Participation", 0.20, 0.50, "Share of the active members who posted or commented."),
    Measure("responsiveness", "Questions answered", 0.15, 0.90, "Share of the questions someone else answered."),
    ResponseTime(
        "response_time",
        "First response time",
        0.10,
        60.0,
        "Median minutes to a question's first answer: full marks within an hour, none after a day.",
    ),
    Measure(
        "newcomer_activation",
        "Newcomer activation",
        0.15,
        0.50,
        "Share of the new members who did something beyond joining within 7 days.",
    ),
    Measure("freshness", "Daily goal met", 0.10, 1.0, "Share of the days with the community's daily goal of posts."),
    Measure("event_attendance", "Event attendance", 0.10, 0.70, "Share of the seats held whose member checked in."),
)


def health(values: dict[str, float | None]) -> tuple[int, tuple[Component, ...]]:
    """The 0-100 score and its components, from each measure's observed value (None: undefined, left out)."""
    counted = [(measure, value) for measure in MEASURES if (value := values.get(measure.key)) is not None]
    total_weight = sum(measure.weight for measure, _ in counted)
    components = tuple(
        Component(
            key=measure.key,
            label=measure.label,
            value=value,
            target=measure.target,
            score=measure.score(value),
            weight=measure.weight / total_weight,
            explanation=measure.explanation,
        )
        for measure, value in counted
    )
    return int(100 * sum(c.weight * c.score for c in components) + 0.5), components
