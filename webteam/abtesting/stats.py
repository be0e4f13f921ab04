"""The statistics of an A/B test, as pure functions of visitor and conversion counts.

We use the two-proportion z-test with a pooled standard error, Wilson score intervals for each
rate, Newcombe's hybrid score interval for the difference, and a fixed-horizon sample size.
Because a fixed-horizon test is only valid at its planned size, `verdict` refuses to name a
winner until every variant has reached that size: peeking at an early lead is the commonest way
A/B tests mislead.
"""

import math
from dataclasses import dataclass

Z_95 = 1.959963984540054
Z_POWER_80 = 0.8416212335729143
MINIMUM_VISITORS = 100  # below this per variant, even the required-size estimate is unreliable


def normal_cdf(x):
    return 0.5 * (1 + math.erf(x / math.sqrt(2)))


def _check_counts(conversions, visitors):
    if visitors < 0 or conversions < 0 or conversions > visitors:
        raise ValueError("Conversions must be between 0 and the number of visitors.")


def wilson_interval(conversions, visitors, z=Z_95):
    """The Wilson score interval for a proportion, as (low, high). (0, 1) when there are no visitors."""
    _check_counts(conversions, visitors)
    if visitors == 0:
        return 0.0, 1.0
    p = conversions / visitors
    denominator = 1 + z * z / visitors
    centre = (p + z * z / (2 * visitors)) / denominator
    half = z * math.sqrt(p * (1 - p) / visitors + z * z / (4 * visitors * visitors)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


def difference_interval(conv_a, n_a, conv_b, n_b, z=Z_95):
    """Newcombe's hybrid score interval for p_b - p_a (his method 10), as (low, high)."""
    p_a, p_b = conv_a / n_a, conv_b / n_b
    low_a, high_a = wilson_interval(conv_a, n_a, z)
    low_b, high_b = wilson_interval(conv_b, n_b, z)
    difference = p_b - p_a
    return (
        difference - math.sqrt((p_b - low_b) ** 2 + (high_a - p_a) ** 2),
        difference + math.sqrt((high_b - p_b) ** 2 + (p_a - low_a) ** 2),
    )


def two_proportion_z_test(conv_a, n_a, conv_b, n_b):
    """(z, two-sided p-value) for H0: p_a == p_b, with the pooled standard error."""
    _check_counts(conv_a, n_a)
    _check_counts(conv_b, n_b)
    if n_a == 0 or n_b == 0:
        return 0.0, 1.0
    pooled = (conv_a + conv_b) / (n_a + n_b)
    se = math.sqrt(pooled * (1 - pooled) * (1 / n_a + 1 / n_b))
    if se == 0:
        return 0.0, 1.0
    z = (conv_b / n_b - conv_a / n_a) / se
    return z, 2 * (1 - normal_cdf(abs(z)))


def required_sample_size(baseline_rate, minimum_effect, z_alpha=Z_95, z_power=Z_POWER_80):
    """Visitors needed per variant to detect a change of `minimum_effect` (absolute) from the baseline."""
    if not 0 < baseline_rate < 1:
        raise ValueError("The baseline rate must be between 0 and 1.")
    if minimum_effect <= 0:
        raise ValueError("The smallest change worth finding must be more than 0.")
    p1 = baseline_rate
    p2 = min(max(p1 + minimum_effect, 1e-9), 1 - 1e-9)
    mean = (p1 + p2) / 2
    n = (
        z_alpha * math.sqrt(2 * mean * (1 - mean))
        + z_power * math.sqrt(p1 * (1 - p1) + p2 * (1 - p2))
    ) ** 2
    return math.ceil(n / (p2 - p1) ** 2)


@dataclass
class Arm:
    label: str
    visitors: int
    conversions: int

    @property
    def rate(self):
        return self.conversions / self.visitors if self.visitors else 0.0


@dataclass
class Verdict:
    winner: str  # "" while undecided or when no variant differs
    decided: bool
    visitors_still_needed: int
    message: str


def _pct(rate):
    return f"{rate * 100:.0f}%"


def verdict(arms, minimum_effect=0.05, goal_phrase="reached the goal", alpha=0.05):
    """A plain-English verdict comparing each variant with A (the first arm).

    With more than one variant we divide alpha between the comparisons (Bonferroni), so adding
    variants doesn't make a false winner more likely.
    """
    control, challengers = arms[0], arms[1:]
    if not challengers:
        raise ValueError("A test needs at least two variants.")
    baseline = control.rate if 0 < control.rate < 1 else 0.5
    needed = max(MINIMUM_VISITORS, required_sample_size(baseline, minimum_effect))
    still_needed = max(needed - arm.visitors for arm in arms)
    if still_needed > 0:
        return Verdict(
            "",
            False,
            still_needed,
            f"Too early to tell: each version needs about {needed:,} visitors and the smallest has "
            f"{min(a.visitors for a in arms):,}. Keep the test running; don\u2019t pick a winner yet.",
        )
    level = alpha / len(challengers)
    best = None
    for arm in challengers:
        _, p_value = two_proportion_z_test(
            control.conversions, control.visitors, arm.conversions, arm.visitors
        )
        if p_value < level and (
            best is None or abs(arm.rate - control.rate) > abs(best.rate - control.rate)
        ):
            best = arm
    if best is None:
        rates = ", ".join(f"{a.label} {_pct(a.rate)}" for a in arms)
        return Verdict(
            "", True, 0, f"No clear difference ({rates} of visitors {goal_phrase}). Keep version A."
        )
    better, worse = (best, control) if best.rate > control.rate else (control, best)
    return Verdict(
        better.label,
        True,
        0,
        f"{better.label} is better: {_pct(better.rate)} vs {_pct(worse.rate)} of visitors {goal_phrase}.",
    )
