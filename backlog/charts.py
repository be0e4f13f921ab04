"""Server-rendered SVG line charts: no JavaScript, and every chart ships with a data table
holding the same numbers (the template renders both from the one ``Chart``)."""

from dataclasses import dataclass

WIDTH, HEIGHT, PAD = 600, 220, 36


@dataclass
class Chart:
    title: str
    unit: str  # shown after each value, e.g. "%"
    points: list  # [(label, value or None)]
    target: float | None = None

    @property
    def values(self):
        return [v for _label, v in self.points if v is not None]

    def _scale(self):
        top = max(self.values + ([self.target] if self.target is not None else []) + [1])
        return top * 1.1

    def _xy(self, index, value):
        span = max(len(self.points) - 1, 1)
        x = PAD + (WIDTH - 2 * PAD) * index / span
        y = HEIGHT - PAD - (HEIGHT - 2 * PAD) * value / self._scale()
        return round(x, 1), round(y, 1)

    def markers(self):
        """[{"x", "y", "label", "value"}] for points that have a value."""
        result = []
        for index, (label, value) in enumerate(self.points):
            if value is not None:
                x, y = self._xy(index, value)
                result.append({"x": x, "y": y, "label": label, "value": value})
        return result

    def polyline(self):
        return " ".join(f"{m['x']},{m['y']}" for m in self.markers())

    def target_y(self):
        return None if self.target is None else self._xy(0, self.target)[1]

    @property
    def width(self):
        return WIDTH

    @property
    def height(self):
        return HEIGHT

    @property
    def baseline_y(self):
        return HEIGHT - PAD

    @property
    def first_label(self):
        return self.points[0][0] if self.points else ""

    @property
    def last_label(self):
        return self.points[-1][0] if self.points else ""
