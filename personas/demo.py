"""Demo personas and delivery units for Northbrook Borough Council (fictional)."""

from wagtail.models import Locale

from core.models import DeliveryUnit

from .models import Persona

PERSONAS = [
    {
        "slug": "cusp-of-care",
        "name": "Cusp of care",
        "intent": "I\u2019m helping someone stay independent at home",
        "description": "Help for older or disabled people, and for the family and friends who support them.",
        "kinds_of_help": "Care and support at home\nPreventing falls\nEquipment and adaptations\nSupport for carers\nBlue Badge and Freedom Pass",
    },
    {
        "slug": "tenants",
        "name": "Tenants",
        "intent": "I need help with my home, my rent or money",
        "description": "Repairs, housing, benefits and help in a crisis.",
        "kinds_of_help": "Repairs\nHousing and homelessness\nHousing Benefit and Council Tax Support\nCrisis support",
    },
    {
        "slug": "parents",
        "name": "Parents",
        "intent": "I\u2019m looking after a child\u2019s education or care",
        "description": "School places, special educational needs, childcare and school travel.",
        "kinds_of_help": "School places\nSEND support\nFree early education\nSchool travel",
    },
    {
        "slug": "report-and-transact",
        "name": "Report & transact",
        "intent": "I want to report something or pay for something",
        "description": "Bins, potholes, council tax, parking and voting.",
        "kinds_of_help": "Bins and rubbish\nStreets and potholes\nCouncil Tax\nParking\nVoting",
    },
    {
        "slug": "business",
        "name": "Business",
        "intent": "I run a business in the borough",
        "description": "Business rates, trade waste, licences and food registration.",
        "kinds_of_help": "Business rates\nTrade waste\nLicences\nFood business registration",
    },
]

DELIVERY_UNITS = [
    (
        "adults-and-communities",
        "Adults & Communities",
        "adults@northbrook.example",
        "020 7946 0101",
    ),
    ("housing", "Housing (Northbrook Homes)", "repairs@northbrookhomes.example", "020 7946 0102"),
    (
        "revenues-and-benefits",
        "Revenues & Benefits",
        "revenues@northbrook.example",
        "020 7946 0103",
    ),
    (
        "education-and-skills",
        "Education & Skills",
        "admissions@northbrook.example",
        "020 7946 0104",
    ),
    ("family-services", "Family Services", "families@northbrook.example", "020 7946 0105"),
    ("parking", "Parking", "parking@northbrook.example", "020 7946 0106"),
    ("regulatory-services", "Regulatory Services", "licensing@northbrook.example", "020 7946 0107"),
    ("street-scene", "Street Scene", "streets@northbrook.example", "020 7946 0108"),
    ("elections", "Elections", "elections@northbrook.example", "020 7946 0109"),
    # The web team: owns site-wide pages such as the privacy notice and accessibility statement.
    ("customer-experience", "Customer Experience", "web@northbrook.example", "020 7946 0100"),
]


def load(stdout=None):
    locale = Locale.get_default()
    for order, data in enumerate(PERSONAS):
        Persona.objects.update_or_create(
            slug=data["slug"], locale=locale, defaults={**data, "order": order}
        )
    for slug, name, email, phone in DELIVERY_UNITS:
        DeliveryUnit.objects.update_or_create(
            slug=slug, defaults={"name": name, "contact_email": email, "contact_phone": phone}
        )
