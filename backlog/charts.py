"""Server-rendered SVG line charts: no JavaScript, and every chart ships with a data table
holding the same numbers (the template renders both from the one ``Chart``).

Each chart has labelled axes: a value axis from 0 with evenly spaced, labelled gridlines (0 to
100 for percentages, so 40% always looks like 40%), and months along the bottom.
"""

import datetime
import math
from dataclasses import dataclass

WIDTH, HEIGHT = 640, 290
LEFT, RIGHT, TOP, BOTTOM = 72, 40, 16, 64  # room for tick labels and the axis titles
MAX_MONTH_LABELS = 8


def nice_step(top, ticks=5):
    """A round gap between gridlines (1, 2, 2.5 or 5 times a power of ten) giving ~``ticks``."""
    if top <= 0:
        return 1
    rough = top / ticks
    power = 10 ** math.floor(math.log10(rough))
    for multiple in (1, 2, 2.5, 5, 10):
        if multiple * power >= rough:
            return multiple * power
    return 10 * power


def month_label(label):
    """ "2025-01" as "Jan 2025"; other labels unchanged."""
    try:
        return datetime.datetime.strptime(label, "%Y-%m").strftime("%b %Y")
    except ValueError:
        return label


def _number(value):
    return f"{value:g}" if isinstance(value, float) else str(value)


@dataclass
class Chart:
    title: str
    unit: str  # shown after each value, e.g. "%"
    points: list  # [(label, value or None)]
    target: float | None = None
    y_label: str = ""  # what the value axis measures, e.g. "Contacts done online (%)"
    x_label: str = "Month"

    @property
    def values(self):
        return [v for _label, v in self.points if v is not None]

    @property
    def top(self):
        """The value at the top of the chart: 100 for percentages, else a round number."""
        if self.unit == "%":
            return 100
        highest = max(self.values + ([self.target] if self.target is not None else []) + [1])
        step = nice_step(highest)
        return step * math.ceil(highest / step)

    @property
    def plot_left(self):
        return LEFT

    @property
    def plot_right(self):
        return WIDTH - RIGHT

    @property
    def plot_top(self):
        return TOP

    @property
    def baseline_y(self):
        return HEIGHT - BOTTOM

    def _y(self, value):
        return round(self.baseline_y - (self.baseline_y - TOP) * value / self.top, 1)

    def _x(self, index):
        span = max(len(self.points) - 1, 1)
        return round(LEFT + (self.plot_right - LEFT) * index / span, 1)

    def y_ticks(self):
        """[{"y", "label"}] for gridlines from 0 to the top, e.g. 0%, 20% ... 100%."""
        step = 20 if self.unit == "%" else nice_step(self.top)
        ticks, value = [], 0
        while value <= self.top + 1e-9:
            ticks.append({"y": self._y(value), "label": f"{_number(value)}{self.unit}"})
            value += step
        return ticks

    def x_ticks(self):
        """[{"x", "label"}] for months along the bottom: all of them, or every nth (and the last)."""
        every = max(1, math.ceil(len(self.points) / MAX_MONTH_LABELS))
        chosen = set(range(0, len(self.points), every)) | {len(self.points) - 1}
        return [
            {"x": self._x(index), "label": month_label(label)}
            for index, (label, _value) in enumerate(self.points)
            if index in chosen
        ]

    def markers(self):
        """[{"x", "y", "label", "value"}] for points that have a value."""
        return [
            {"x": self._x(index), "y": self._y(value), "label": label, "value": value}
            for index, (label, value) in enumerate(self.points)
            if value is not None
        ]

    def polyline(self):
        return " ".join(f"{m['x']},{m['y']}" for m in self.markers())

    def target_y(self):
        return None if self.target is None else self._y(self.target)

    @property
    def width(self):
        return WIDTH

    @property
    def height(self):
        return HEIGHT

    @property
    def x_label_y(self):
        return HEIGHT - 8

    @property
    def y_label_x(self):
        return 16

    @property
    def x_label_middle(self):
        return round((LEFT + self.plot_right) / 2, 1)

    @property
    def scale_text(self):
        """ "0% to 100%": the value axis, for the chart's text alternative."""
        ticks = self.y_ticks()
        return f"{ticks[0]['label']} to {ticks[-1]['label']}"

    @property
    def y_label_middle(self):
        return round((TOP + self.baseline_y) / 2, 1)

    @property
    def first_label(self):
        return month_label(self.points[0][0]) if self.points else ""

    @property
    def last_label(self):
        return month_label(self.points[-1][0]) if self.points else ""
