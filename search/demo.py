"""Demo content for search, loaded by `manage.py load_demo` (idempotent).

Seeds the editors' synonym list with the words Northbrook residents use, then rebuilds the
index for the configured engine (and the embedded fallback) so the demo ends with working
search. Afterwards the background worker (``manage.py worker``) keeps the index current as
content changes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .engines.base import EngineUnavailable
from .models import Synonym
from .sync import rebuild

if TYPE_CHECKING:
    from _typeshed import SupportsWrite

SYNONYMS = [
    ("bin, refuse, rubbish, waste, bins, wheelie bin", "Residents rarely say \u201cwaste\u201d."),
    (
        "blue badge, disabled parking, disabled badge",
        "The scheme's name is not what people search for.",
    ),
    ("bulky waste, bulky rubbish, large items, furniture collection", ""),
    ("fly tipping, dumped rubbish, fly-tipping, illegal dumping", ""),
    ("pothole, hole in the road, road damage", ""),
    ("council flat, council house, social housing, tenancy", ""),
    ("repair, repairs, fix, broken", ""),
    ("noise, noisy, loud music, antisocial behaviour, anti-social behaviour", ""),
    ("carer, carers, looking after someone, caring for", ""),
    (
        "mother, mum, father, dad, elderly relative, older person",
        "Help for a relative is adult social care.",
    ),
    ("homeless, nowhere to live, sleeping rough, eviction", ""),
    ("food bank, foodbank, food parcel, emergency food", ""),
    ("send, special educational needs, ehcp, additional needs", ""),
    ("register to vote, electoral register, voting", ""),
    ("school place, school admission, school application", ""),
    ("parking permit, resident permit, residents parking", ""),
    ("council tax, ctax", ""),
    (
        "business rates, nndr, non-domestic rates, national non-domestic rates",
        "Business ratepayers' letters say NNDR.",
    ),
    ("stair lift, stairlift, grab rails, adaptations, home adaptations", ""),
    ("debt, debts, arrears, money worries, behind on bills", ""),
]


def load(stdout: SupportsWrite[str] | None = None) -> None:
    """Create or update this app's demo content, then rebuild the search index."""
    for terms, note in SYNONYMS:
        Synonym.objects.update_or_create(terms=terms, defaults={"note": note})
    try:
        counts = rebuild()
    except EngineUnavailable as error:
        if stdout:
            stdout.write(
                f"  Elasticsearch unreachable ({error}); run `manage.py search_rebuild` later."
            )
        return
    if stdout:
        for name, count in counts.items():
            stdout.write(f"  {name}: {count} documents indexed")
