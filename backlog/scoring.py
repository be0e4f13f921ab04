"""The priority score of a user story: a small pure function the council can tune.

Default: (w_r \u00d7 residents + w_b \u00d7 borough + w_c \u00d7 council) \u00d7 log10(1 + demand) \u00f7 effort.
Weights come from the ``SIGNPOST_PRIORITY_WEIGHTS`` setting, e.g.
``{"residents": 2, "borough": 1, "council": 1}``.
"""

import math

from django.conf import settings

DEFAULT_WEIGHTS = {"residents": 1.0, "borough": 1.0, "council": 1.0}


def priority_weights():
    weights = dict(DEFAULT_WEIGHTS)
    weights.update(getattr(settings, "SIGNPOST_PRIORITY_WEIGHTS", None) or {})
    return weights


def priority_score(*, residents, borough, council, demand, effort, weights=None):
    w = weights or priority_weights()
    benefit = w["residents"] * residents + w["borough"] * borough + w["council"] * council
    return round(benefit * math.log10(1 + max(demand, 0)) / max(effort, 1), 3)
