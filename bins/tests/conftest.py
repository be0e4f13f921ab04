import pytest

from bins import demo
from eforms import demo as eforms_demo
from eforms.models import AddressPoint
from tests.caches import clear_caches


@pytest.fixture(autouse=True)
def fresh_cache(db):
    clear_caches()
    yield
    clear_caches()


@pytest.fixture
def demo_rounds(db):
    """The demo council's addresses and rounds."""
    for uprn, line_1, street, postcode, lat, _lng in eforms_demo.ADDRESSES:
        AddressPoint.objects.update_or_create(
            uprn=uprn,
            defaults={"line_1": line_1, "street": street, "postcode": postcode, "latitude": lat},
        )
    demo.load()


def address(line_1):
    return AddressPoint.objects.get(line_1=line_1)
