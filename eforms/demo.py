"""Demo content for eforms, loaded by `manage.py load_demo` (idempotent).

Sixteen forms for the fictional Northbrook Borough Council, the schools lookup list and a few
addresses in the fictional NB postcode area. Forms are found by slug and only get a new
revision when their definition has changed, so a second run changes nothing.
"""

import copy
import datetime

from django.db import transaction
from wagtail.blocks.list_block import ListValue
from wagtail.blocks.stream_block import StreamValue
from wagtail.models import Locale

from core.models import DeliveryUnit

from . import builders as b
from .blocks import FormPagesBlock
from .models import AddressPoint, FormDefinition, LookupList

SCHOOLS = [
    ("NB-1001", "Northbrook Primary School"),
    ("NB-1002", "St Aidan’s Church of England Primary School"),
    ("NB-1003", "Millbrook Infant and Nursery School"),
    ("NB-1004", "Riverside Junior School"),
    ("NB-1005", "Hollins Park Primary Academy"),
    ("NB-1006", "Northbrook Academy"),
    ("NB-1007", "Kingsmead High School"),
    ("NB-1008", "Our Lady of Hope Catholic School"),
    ("NB-1009", "Westfield Community School"),
    ("NB-1010", "Brookside Special School"),
    ("OUTSIDE", "A school outside Northbrook"),
]

ADDRESSES = [
    # uprn, line 1, street, postcode, latitude, longitude
    ("100090000001", "1 Mill Lane", "MILL LANE", "NB1 1AA", 51.5310, -0.1030),
    ("100090000002", "3 Mill Lane", "MILL LANE", "NB1 1AA", 51.5311, -0.1032),
    ("100090000003", "5 Mill Lane", "MILL LANE", "NB1 1AA", 51.5312, -0.1034),
    ("100090000004", "7 Mill Lane", "MILL LANE", "NB1 1AA", 51.5313, -0.1036),
    ("100090000005", "Flat 1, 12 High Street", "HIGH STREET", "NB1 1AB", 51.5320, -0.1010),
    ("100090000006", "Flat 2, 12 High Street", "HIGH STREET", "NB1 1AB", 51.5320, -0.1010),
    ("100090000007", "14 High Street", "HIGH STREET", "NB1 1AB", 51.5321, -0.1012),
    ("100090000008", "2 Orchard Close", "ORCHARD CLOSE", "NB2 4QT", 51.5402, -0.0950),
    ("100090000009", "4 Orchard Close", "ORCHARD CLOSE", "NB2 4QT", 51.5403, -0.0952),
    ("100090000010", "6 Orchard Close", "ORCHARD CLOSE", "NB2 4QT", 51.5404, -0.0954),
    ("100090000011", "21 Station Road", "STATION ROAD", "NB3 2LX", 51.5250, -0.1100),
    ("100090000012", "23 Station Road", "STATION ROAD", "NB3 2LX", 51.5251, -0.1102),
    ("100090000013", "The Old Bakery, Station Road", "STATION ROAD", "NB3 2LX", 51.5252, -0.1104),
]

SEARCH_SERVICES = "/directory/?q="

# A form without a "known_issue" entry checks for nothing (and loses any check it had).
NO_KNOWN_ISSUE_CHECK = {
    "known_issue_check": "",
    "known_issue_field": "",
    "known_issue_same_answer": "",
    "known_issue_radius_m": 30,
    "known_issue_window": "open",
}

CONTACT = b.contact_page


def _bin_type():
    return b.q(
        "radios",
        "bin_type",
        "Which bin was missed?",
        error="Select which bin was missed",
        options=b.options(
            ("general", "General rubbish (black bin)"),
            ("recycling", "Recycling (blue bin)"),
            ("garden", "Garden waste (green bin)", "Only if you pay for garden waste collection"),
            ("food", "Food waste (small grey caddy)"),
        ),
    )


FORMS = [
    {
        "slug": "missed-bin-report",
        "title": "Report a missed bin collection",
        "unit": "street-scene",
        "prefix": "BIN",
        "purpose": "Tell us if your bin was not emptied on your collection day.",
        "what_you_need": "Your address\nWhich bin was missed",
        "service_level": "We aim to collect missed bins within 2 working days.",
        "days": 2,
        "next": "A crew will come back to empty your bin. Leave it out until it has been emptied.",
        # The same house and the same bin, today: a neighbour's missed bin is not this one.
        "known_issue": {
            "known_issue_check": "same_address",
            "known_issue_field": "address",
            "known_issue_same_answer": "bin_type",
            "known_issue_window": "today",
        },
        "pages": [
            b.page(
                "address",
                b.q(
                    "address",
                    "address",
                    "What is the address?",
                    hint="Where the bin was missed",
                    use_address_lookup=True,
                ),
            ),
            b.page("bin", _bin_type()),
            b.page(
                "put_out",
                b.q(
                    "yes_no",
                    "put_out_on_time",
                    "Was the bin out by 7am on your collection day?",
                    error="Select yes if the bin was out by 7am",
                ),
                routes=[(b.when("put_out_on_time", "no"), "too_late")],
            ),
            b.exit_page(
                "too_late",
                "We cannot come back for this bin",
                "<p>Bins must be out by 7am on collection day. Put it out on your next collection day.</p>",
                links=[("Check your bin collection days", "/bins/")],
            ),
            CONTACT(phone=True, texts=True),
        ],
    },
    {
        "slug": "new-bin-request",
        "title": "Request a new or replacement bin",
        "unit": "street-scene",
        "prefix": "BIN",
        "purpose": "Ask for a new bin if yours is lost, stolen or broken, or you have just moved in.",
        "what_you_need": "Your address",
        "service_level": "We aim to deliver bins within 10 working days.",
        "days": 10,
        "next": "We will deliver the bin to your address. You do not need to be in.",
        "pages": [
            b.page("address", b.q("address", "address", "Where should we deliver the bin?")),
            b.page(
                "which",
                b.q(
                    "checkboxes",
                    "bins",
                    "Which bins do you need?",
                    error="Select the bins you need",
                    options=b.options(
                        ("general", "General rubbish (black bin)"),
                        ("recycling", "Recycling (blue bin)"),
                        ("food", "Food waste caddy"),
                    ),
                ),
            ),
            b.page(
                "why",
                b.q(
                    "radios",
                    "reason",
                    "Why do you need a bin?",
                    error="Select why you need a bin",
                    options=b.options(
                        ("moved", "I have just moved in"),
                        ("lost", "It was lost or stolen"),
                        ("broken", "It is broken"),
                    ),
                ),
            ),
            CONTACT(),
        ],
    },
    {
        "slug": "bulky-waste-booking",
        "title": "Book a bulky waste collection",
        "unit": "street-scene",
        "prefix": "BWC",
        "purpose": "Book a collection of large items such as furniture, mattresses and fridges.",
        "what_you_need": "Your address\nA list of the items\nA debit or credit card (we will call you to take payment)",
        "service_level": "We will call you within 3 working days to agree a collection date and take payment.",
        "days": 3,
        "pages": [
            b.page("address", b.q("address", "address", "Where should we collect from?")),
            b.page(
                "items",
                b.q(
                    "long_text",
                    "items",
                    "What do you want collected?",
                    hint="List each item, for example: 1 sofa, 2 dining chairs, 1 fridge freezer",
                    error="List the items you want collected",
                    max_length=1000,
                ),
                b.q(
                    "number",
                    "item_count",
                    "How many items?",
                    error="Enter how many items",
                    min_value=1,
                    max_value=10,
                    whole_number=True,
                ),
                heading="Your items",
            ),
            b.page(
                "date",
                b.q(
                    "date",
                    "preferred_date",
                    "When would you like the collection?",
                    hint="We collect on weekdays. For example, 27 3 2026",
                    allow_past=False,
                    allow_today=False,
                    error="Enter the date you would like the collection",
                ),
            ),
            CONTACT(phone=True),
        ],
    },
    {
        "slug": "pothole-report",
        "title": "Report a pothole",
        "unit": "street-scene",
        "prefix": "RPT",
        "purpose": "Tell us about a pothole or damaged road surface so we can make it safe.",
        "what_you_need": "Where the pothole is\nA photo, if you can take one safely",
        "service_level": "We aim to fix potholes within 5 working days.",
        "days": 5,
        "next": "An inspector will check the pothole. Dangerous potholes are made safe within 24 hours.",
        # One pothole, however many people report it: within 50 metres, while it is open.
        "known_issue": {
            "known_issue_check": "nearby",
            "known_issue_field": "location",
            "known_issue_radius_m": 50,
            "known_issue_window": "open",
        },
        "pages": [
            b.page(
                "location",
                b.q(
                    "location",
                    "location",
                    "Where is the pothole?",
                    hint="Drop a pin or describe where it is",
                    error="Describe where the pothole is, or give a map pin",
                ),
            ),
            b.page(
                "size",
                b.q(
                    "radios",
                    "size",
                    "How big is it?",
                    error="Select how big the pothole is",
                    options=b.options(
                        ("small", "Smaller than a dinner plate"),
                        ("medium", "About the size of a car tyre"),
                        ("large", "Bigger than a car tyre"),
                    ),
                ),
            ),
            b.page(
                "photo",
                b.q(
                    "file_upload",
                    "photo",
                    "Upload a photo (optional)",
                    required=False,
                    hint="Only take a photo if it is safe to do so",
                    allowed_types=["jpg", "png", "heic"],
                    max_size_mb=10,
                    max_files=3,
                ),
            ),
            CONTACT(phone=True, texts=True),
        ],
    },
    {
        "slug": "fly-tipping-report",
        "title": "Report fly-tipping",
        "unit": "street-scene",
        "prefix": "FLY",
        "purpose": "Tell us about rubbish dumped illegally on a street or public land.",
        "what_you_need": "Where it is\nWhat has been dumped\nA photo, if you can take one safely",
        "service_level": "We aim to clear fly-tipping within 3 working days.",
        "days": 3,
        # Dumped rubbish is cleared within days: count reports within 50 metres this week.
        "known_issue": {
            "known_issue_check": "nearby",
            "known_issue_field": "location",
            "known_issue_radius_m": 50,
            "known_issue_window": "7_days",
        },
        "pages": [
            b.page(
                "location",
                b.q(
                    "location",
                    "location",
                    "Where is the fly-tipping?",
                    error="Describe where the fly-tipping is, or give a map pin",
                ),
            ),
            b.page(
                "what",
                b.q(
                    "checkboxes",
                    "dumped",
                    "What has been dumped?",
                    hint="Select all that apply",
                    error="Select what has been dumped",
                    options=b.options(
                        ("bags", "Black bags"),
                        ("furniture", "Furniture"),
                        ("building", "Building rubble"),
                        ("electrical", "Fridges or electrical items"),
                        (
                            "hazardous",
                            "Chemicals, asbestos or needles",
                            "Do not touch these. We treat them as urgent",
                        ),
                        ("other", "Something else"),
                    ),
                ),
                b.q(
                    "short_text",
                    "dumped_other",
                    "What else has been dumped?",
                    show_if=b.when("dumped", "other"),
                ),
                heading="What has been dumped?",
            ),
            b.page(
                "photo",
                b.q(
                    "file_upload",
                    "photo",
                    "Upload a photo (optional)",
                    required=False,
                    allowed_types=["jpg", "png", "heic"],
                    max_size_mb=10,
                    max_files=3,
                ),
            ),
            b.page(
                "witness",
                b.q("yes_no", "saw_it", "Did you see who dumped it?", error="Select yes or no"),
                b.q(
                    "long_text",
                    "witness_details",
                    "What did you see?",
                    hint="For example, a vehicle registration number",
                    show_if=b.when("saw_it", "yes"),
                    required=False,
                    max_length=1000,
                ),
                heading="Did you see who did it?",
            ),
            CONTACT(),
        ],
    },
    {
        # The in-year transfer form: a child moving school during the school year. Children
        # starting reception apply with reception-place-application. The promise (15 school
        # days) is the one the in-year journey makes, in every language.
        "slug": "school-place-application",
        "title": "Apply to move school during the school year",
        "unit": "education-and-skills",
        "prefix": "SCH",
        "purpose": "Apply for a place at a Northbrook school for a child moving school during the school year.",
        "what_you_need": "Your address\nEach child’s date of birth and current school\nAny reports about special educational needs",
        "service_level": "We’ll tell you within 15 school days if we can offer a place.",
        "days": 15,
        "next": "We will write to you with an offer of a place, or tell you which schools have waiting lists.",
        "retention": 365 * 7,
        "pages": [
            b.page("address", b.q("address", "address", "What is the child’s home address?")),
            b.page(
                "children",
                b.group(
                    "children",
                    "Child",
                    b.q(
                        "short_text",
                        "first_name",
                        "First name",
                        error="Enter the child’s first name",
                        max_length=60,
                    ),
                    b.q(
                        "short_text",
                        "last_name",
                        "Last name",
                        error="Enter the child’s last name",
                        max_length=60,
                    ),
                    b.q(
                        "date",
                        "date_of_birth",
                        "Date of birth",
                        hint="For example, 27 3 2016",
                        error="Enter the child’s date of birth",
                        allow_future=False,
                        allow_today=False,
                    ),
                    b.q(
                        "lookup",
                        "previous_school",
                        "Current or previous school",
                        error="Select the child’s school",
                        lookup_list="schools",
                    ),
                    hint="Add each child who needs a place",
                    min_items=1,
                    max_items=6,
                    add_another_label="Add another child",
                ),
            ),
            b.page(
                "preference",
                b.q(
                    "lookup",
                    "preferred_school",
                    "Which school would you like?",
                    error="Select the school you would like",
                    lookup_list="schools",
                ),
            ),
            b.page(
                "send",
                b.q(
                    "yes_no",
                    "has_send",
                    "Does any child have special educational needs or a disability?",
                    error="Select yes if any child has special educational needs",
                ),
                routes=[(b.when("has_send", "no"), "contact")],
            ),
            b.page(
                "send_details",
                b.q(
                    "yes_no",
                    "has_ehcp",
                    "Does the child have an education, health and care plan (EHCP)?",
                    error="Select yes if the child has an EHCP",
                ),
                b.q(
                    "long_text",
                    "send_needs",
                    "Tell us about the child’s needs",
                    required=False,
                    max_length=2000,
                ),
                b.q(
                    "file_upload",
                    "send_documents",
                    "Upload reports or the EHCP (optional)",
                    required=False,
                    allowed_types=["pdf", "docx", "jpg", "png"],
                    max_size_mb=10,
                    max_files=5,
                ),
                heading="Special educational needs",
            ),
            CONTACT(phone=True),
        ],
    },
    {
        # Starting school in September: the reception application. Places are offered on
        # national offer day, a date rather than a number of days.
        "slug": "reception-place-application",
        "title": "Apply for a reception place",
        "unit": "education-and-skills",
        "prefix": "REC",
        "purpose": "Apply for a reception place at a Northbrook primary school, for a child starting school in September.",
        "what_you_need": "Your address\nYour child’s date of birth\nThe schools you want, in order",
        "service_level": "We’ll email you on national offer day, 16 April, with the school we can offer.",
        "next": "Accept the place within 2 weeks of national offer day.",
        "retention": 365 * 7,
        "pages": [
            b.page("address", b.q("address", "address", "What is the child’s home address?")),
            b.page(
                "child",
                b.q(
                    "short_text",
                    "first_name",
                    "Child’s first name",
                    error="Enter the child’s first name",
                    max_length=60,
                ),
                b.q(
                    "short_text",
                    "last_name",
                    "Child’s last name",
                    error="Enter the child’s last name",
                    max_length=60,
                ),
                b.q(
                    "date",
                    "date_of_birth",
                    "Child’s date of birth",
                    hint="For example, 27 3 2022",
                    error="Enter the child’s date of birth",
                    allow_future=False,
                    allow_today=False,
                ),
                heading="About your child",
            ),
            b.page(
                "preferences",
                b.q(
                    "lookup",
                    "first_choice",
                    "Your first choice of school",
                    error="Select your first choice of school",
                    lookup_list="schools",
                ),
                b.q(
                    "lookup",
                    "second_choice",
                    "Your second choice (optional)",
                    required=False,
                    lookup_list="schools",
                ),
                b.q(
                    "lookup",
                    "third_choice",
                    "Your third choice (optional)",
                    required=False,
                    lookup_list="schools",
                ),
                heading="Which schools would you like?",
            ),
            b.page(
                "siblings",
                b.q(
                    "yes_no",
                    "has_sibling",
                    "Does the child have a brother or sister at one of these schools?",
                    error="Select yes if the child has a brother or sister at one of these schools",
                ),
            ),
            CONTACT(phone=True),
        ],
    },
    {
        "slug": "blue-badge-application",
        "title": "Apply for a Blue Badge",
        "unit": "adults-and-communities",
        "prefix": "BB",
        "purpose": "Apply for a Blue Badge to park closer to where you need to go.",
        "what_you_need": "Your National Insurance number\nA recent digital photo\nProof of your benefits, if you get any",
        "service_level": "We aim to decide on applications within 12 weeks.",
        "days": 60,
        "pages": [
            b.page(
                "eligibility",
                b.guidance("<p>Answer these questions to check if you can apply.</p>"),
                b.q(
                    "radios",
                    "qualifying_benefit",
                    "Do you get any of these?",
                    error="Select an answer",
                    options=b.options(
                        ("pip", "PIP with 8 points or more for moving around"),
                        ("dla", "The higher rate of the mobility part of DLA"),
                        ("war", "War Pensioners’ Mobility Supplement"),
                        ("none", "None of these"),
                    ),
                ),
                b.q(
                    "yes_no",
                    "walking_difficulty",
                    "Do you find it very hard to walk, or are you unable to walk?",
                    error="Select yes if you find it very hard to walk",
                ),
                heading="Check if you can apply",
                routes=[(b.when("walking_difficulty", "no"), "not_eligible")],
            ),
            b.exit_page(
                "not_eligible",
                "You are unlikely to get a Blue Badge",
                "<p>From your answers, you do not meet the rules for a Blue Badge.</p>"
                "<p>If your health changes, you can check again.</p>",
                links=[
                    (
                        "Help with travel and getting around",
                        SEARCH_SERVICES + "community+transport",
                    ),
                    ("Call us on 020 7946 0321", "tel:+442079460321"),
                ],
            ),
            b.page(
                "personal",
                b.q(
                    "date",
                    "date_of_birth",
                    "Date of birth",
                    error="Enter your date of birth",
                    allow_future=False,
                ),
                b.q(
                    "short_text",
                    "ni_number",
                    "National Insurance number",
                    hint="For example, QQ 12 34 56 C",
                    error="Enter your National Insurance number",
                    max_length=13,
                ),
                heading="About you",
            ),
            b.page("address", b.q("address", "address", "What is your address?")),
            b.page(
                "photo",
                b.q(
                    "file_upload",
                    "photo",
                    "Upload a photo of your face",
                    hint="A clear, recent photo on a plain background",
                    error="Upload a photo of your face",
                    allowed_types=["jpg", "png"],
                    max_size_mb=5,
                    max_files=1,
                ),
            ),
            CONTACT(phone=True),
        ],
    },
    {
        "slug": "repair-request",
        "title": "Report a repair in your council home",
        "unit": "housing",
        "prefix": "REP",
        "purpose": "Tell us about a repair needed in your council home.",
        "what_you_need": "Your address\nA photo of the problem, if you can",
        "service_level": "We aim to fix routine repairs within 20 working days and emergencies within 24 hours.",
        "days": 20,
        "pages": [
            b.page(
                "emergency",
                b.inset(
                    "<p>If there is a gas leak, call the National Gas Emergency line on 0800 111 999.</p>"
                ),
                b.q(
                    "yes_no",
                    "is_emergency",
                    "Is anyone in danger, or is water coming through a ceiling or light?",
                    error="Select yes if this is an emergency",
                ),
                heading="Is it an emergency?",
                routes=[(b.when("is_emergency", "yes"), "call_us")],
            ),
            b.exit_page(
                "call_us",
                "Call us now",
                "<p>Call our emergency repairs line on 020 7946 0999, day or night.</p>",
            ),
            b.page("address", b.q("address", "address", "What is your address?")),
            b.page(
                "room",
                b.q(
                    "radios",
                    "room",
                    "Where is the problem?",
                    error="Select where the problem is",
                    options=b.options(
                        "Kitchen",
                        "Bathroom",
                        "Bedroom",
                        "Living room",
                        "Outside",
                        ("communal", "Shared area (stairs, lift, hallway)"),
                    ),
                ),
            ),
            b.page(
                "problem",
                b.q(
                    "long_text",
                    "description",
                    "Describe the problem",
                    error="Describe the problem",
                    max_length=2000,
                ),
                b.q(
                    "file_upload",
                    "photo",
                    "Upload a photo (optional)",
                    required=False,
                    allowed_types=["jpg", "png", "heic"],
                    max_size_mb=10,
                    max_files=3,
                ),
                b.q(
                    "long_text",
                    "access",
                    "When can we get in?",
                    hint="For example, weekday mornings",
                    required=False,
                    max_length=500,
                ),
                heading="About the repair",
            ),
            CONTACT(phone=True, texts=True),
        ],
    },
    {
        "slug": "noise-complaint",
        "title": "Report a noise problem",
        "unit": "regulatory-services",
        "prefix": "NOI",
        "purpose": "Tell us about noise from neighbours, businesses, building work or alarms.",
        "service_level": "An officer will contact you within 5 working days.",
        "days": 5,
        "next": "We may ask you to keep a noise diary for 2 weeks.",
        "pages": [
            b.page(
                "source",
                b.q(
                    "radios",
                    "source",
                    "What is making the noise?",
                    error="Select what is making the noise",
                    options=b.options(
                        ("neighbour", "A neighbour"),
                        ("business", "A business or pub"),
                        ("building", "Building work"),
                        ("alarm", "An alarm"),
                        ("other", "Something else"),
                    ),
                ),
            ),
            b.page(
                "where",
                b.q(
                    "address",
                    "noise_address",
                    "Where is the noise coming from?",
                    use_address_lookup=True,
                ),
            ),
            b.page(
                "when",
                b.q(
                    "long_text",
                    "when",
                    "When does it happen?",
                    hint="For example, most nights after 11pm",
                    error="Tell us when it happens",
                    max_length=1000,
                ),
                b.q("date", "started", "When did it start?", required=False, allow_future=False),
                heading="When it happens",
            ),
            CONTACT(phone=True),
        ],
    },
    {
        "slug": "single-person-discount-application",
        "title": "Apply for a single person discount on Council Tax",
        "unit": "revenues-and-benefits",
        "prefix": "CTX",
        "purpose": "Get 25% off your Council Tax bill if you are the only adult living in your home.",
        "what_you_need": "Your Council Tax account number",
        "service_level": "We aim to process discounts within 10 working days.",
        "days": 10,
        "pages": [
            b.page(
                "account",
                b.q(
                    "short_text",
                    "account_number",
                    "Council Tax account number",
                    hint="It is 8 numbers and is on your bill",
                    error="Enter your Council Tax account number",
                    max_length=8,
                ),
            ),
            b.page("address", b.q("address", "address", "Which property is the discount for?")),
            b.page(
                "alone",
                b.q(
                    "yes_no",
                    "only_adult",
                    "Are you the only person aged 18 or over living there?",
                    error="Select yes if you are the only adult",
                ),
                routes=[(b.when("only_adult", "no"), "other_discounts")],
            ),
            b.exit_page(
                "other_discounts",
                "You cannot get a single person discount",
                "<p>The discount is only for homes where one adult lives.</p>",
                links=[("Other Council Tax discounts", "/search/?q=council+tax+discount")],
            ),
            b.page(
                "since",
                b.q(
                    "date",
                    "since",
                    "When did you start living alone?",
                    error="Enter the date you started living alone",
                    allow_future=False,
                ),
            ),
            CONTACT(),
        ],
    },
    {
        "slug": "parking-permit-application",
        "title": "Apply for a residents’ parking permit",
        "unit": "parking",
        "prefix": "PKG",
        "purpose": "Apply for a permit to park in your controlled parking zone.",
        "what_you_need": "Your vehicle registration number\nProof of address, such as a recent utility bill",
        "service_level": "We aim to issue permits within 5 working days.",
        "days": 5,
        "pages": [
            b.page("address", b.q("address", "address", "What is your address?")),
            b.page(
                "vehicle",
                b.q(
                    "short_text",
                    "registration",
                    "Vehicle registration number",
                    hint="For example, AB12 CDE",
                    error="Enter your vehicle registration number",
                    max_length=8,
                ),
                b.q(
                    "radios",
                    "fuel",
                    "What kind of vehicle is it?",
                    error="Select the kind of vehicle",
                    options=b.options(
                        ("petrol", "Petrol or diesel"),
                        ("hybrid", "Hybrid"),
                        ("electric", "Fully electric", "Electric vehicles pay less"),
                    ),
                ),
            ),
            b.page(
                "proof",
                b.q(
                    "file_upload",
                    "proof_of_address",
                    "Upload proof of address",
                    hint="A utility bill or bank statement from the last 3 months",
                    error="Upload proof of your address",
                    allowed_types=["pdf", "jpg", "png"],
                    max_size_mb=10,
                    max_files=2,
                ),
            ),
            CONTACT(phone=True),
        ],
    },
    {
        "slug": "trade-waste-enquiry",
        "title": "Ask about trade waste collection",
        "unit": "street-scene",
        "prefix": "TRW",
        "purpose": "Businesses must pay for their waste to be collected. Ask us for a quote.",
        "service_level": "We will send you a quote within 5 working days.",
        "days": 5,
        "pages": [
            b.page(
                "business",
                b.q(
                    "short_text",
                    "business_name",
                    "Business name",
                    error="Enter the business name",
                    max_length=150,
                ),
                b.q("address", "business_address", "Business address"),
                heading="About your business",
            ),
            b.page(
                "waste",
                b.q(
                    "checkboxes",
                    "waste_types",
                    "What waste do you produce?",
                    error="Select the waste you produce",
                    options=b.options(
                        ("general", "General waste"),
                        ("recycling", "Dry recycling"),
                        ("food", "Food waste"),
                        ("glass", "Glass"),
                    ),
                ),
                b.q(
                    "radios",
                    "frequency",
                    "How often do you need a collection?",
                    error="Select how often you need a collection",
                    options=b.options(
                        ("daily", "Every day"),
                        ("twice-weekly", "Twice a week"),
                        ("weekly", "Once a week"),
                    ),
                ),
                heading="Your waste",
            ),
            CONTACT(phone=True),
        ],
    },
    {
        "slug": "care-needs-self-assessment",
        "title": "Check what care and support you could get",
        "unit": "adults-and-communities",
        "prefix": "CAR",
        "purpose": "Answer a few questions about day-to-day life to find help near you, or ask us for a needs assessment.",
        "service_level": "If you ask for an assessment, we will contact you within 10 working days.",
        "days": 10,
        "pages": [
            b.page(
                "who",
                b.q(
                    "radios",
                    "for_whom",
                    "Who are you answering for?",
                    error="Select who you are answering for",
                    options=b.options(
                        ("myself", "Myself"), ("someone", "Someone I look after or help")
                    ),
                ),
            ),
            b.page(
                "daily",
                b.q(
                    "checkboxes",
                    "hard_tasks",
                    "Which of these are hard to do without help?",
                    hint="Select all that apply",
                    required=False,
                    options=b.options(
                        ("washing", "Washing and dressing"),
                        ("meals", "Making meals"),
                        ("moving", "Moving around the home"),
                        ("going-out", "Going out"),
                        ("medicines", "Taking medicines"),
                        ("money", "Managing money and post"),
                    ),
                ),
            ),
            b.page(
                "safety",
                b.q(
                    "yes_no",
                    "falls",
                    "Have there been any falls in the last 6 months?",
                    error="Select yes if there have been falls",
                ),
                b.q(
                    "yes_no",
                    "struggling",
                    "Is daily life getting much harder to manage?",
                    error="Select yes if daily life is getting much harder",
                ),
                heading="Staying safe",
                routes=[(b.when("struggling", "no"), "result_community")],
            ),
            b.page(
                "assessment",
                b.q(
                    "yes_no",
                    "wants_assessment",
                    "Would you like us to assess care needs?",
                    hint="A social care worker will talk to you about what help is needed",
                    error="Select yes if you would like an assessment",
                ),
                routes=[(b.when("wants_assessment", "no"), "result_community")],
            ),
            b.exit_page(
                "result_community",
                "Help you can get now, without an assessment",
                "<p>From your answers, these local services could help. Most do not need a referral.</p>",
                links=[
                    ("Falls prevention classes", SEARCH_SERVICES + "falls+prevention"),
                    ("Help at home and meals", SEARCH_SERVICES + "home+help"),
                    ("Equipment to help at home", SEARCH_SERVICES + "equipment"),
                    ("Lunch clubs and befriending", SEARCH_SERVICES + "befriending"),
                ],
            ),
            b.page("where", b.q("address", "address", "Where does the person needing care live?")),
            CONTACT(phone=True, texts=True),
        ],
    },
    {
        "slug": "carers-assessment-request",
        "title": "Ask for a carer’s assessment",
        "unit": "adults-and-communities",
        "prefix": "CRS",
        "purpose": "If you look after someone, a carer’s assessment looks at what could make caring easier for you.",
        "service_level": "We will contact you within 10 working days to arrange your assessment.",
        "days": 10,
        "pages": [
            b.page(
                "who",
                b.q(
                    "short_text",
                    "cared_for_relationship",
                    "Who do you look after?",
                    hint="For example, my mum, my partner, my son",
                    error="Tell us who you look after",
                    max_length=100,
                ),
            ),
            b.page(
                "hours",
                b.q(
                    "number",
                    "hours_per_week",
                    "About how many hours a week do you spend caring?",
                    error="Enter about how many hours a week",
                    min_value=0,
                    max_value=168,
                ),
            ),
            b.page(
                "help",
                b.q(
                    "long_text",
                    "hardest",
                    "What is hardest about caring at the moment?",
                    required=False,
                    max_length=2000,
                ),
            ),
            b.page("address", b.q("address", "address", "What is your address?")),
            CONTACT(phone=True, texts=True),
        ],
    },
    {
        "slug": "food-business-registration",
        "title": "Register a food business",
        "unit": "regulatory-services",
        "prefix": "FBR",
        "purpose": "You must register a food business with us at least 28 days before you start trading.",
        "what_you_need": "The business address\nWhen you plan to start trading",
        "service_level": "We will confirm your registration within 5 working days and arrange an inspection.",
        "days": 5,
        "pages": [
            b.page(
                "business",
                b.q(
                    "short_text",
                    "business_name",
                    "Business name",
                    error="Enter the business name",
                    max_length=150,
                ),
                b.q(
                    "radios",
                    "business_type",
                    "What kind of food business is it?",
                    error="Select the kind of business",
                    options=b.options(
                        ("restaurant", "Restaurant, café or takeaway"),
                        ("home", "Home caterer"),
                        ("mobile", "Market stall or food van"),
                        ("shop", "Shop"),
                        ("other", "Something else"),
                    ),
                ),
                heading="About the business",
            ),
            b.page("address", b.q("address", "business_address", "Where is the business based?")),
            b.page(
                "start",
                b.q(
                    "date",
                    "start_date",
                    "When will you start trading?",
                    error="Enter the date you will start trading",
                    allow_past=False,
                ),
            ),
            CONTACT(phone=True),
        ],
    },
]


def _lookup_ids(pages, lists):
    """Swap lookup list slugs for their ids (the chooser stores ids)."""
    for child in pages:
        if child["type"] != "page":
            continue
        for item in child["value"]["items"]:
            _swap(item, lists)


def _swap(item, lists):
    value = item["value"]
    if item["type"] == "lookup" and isinstance(value.get("lookup_list"), str):
        value["lookup_list"] = lists[value["lookup_list"]].pk
    if item["type"] == "group":
        for child in value["fields"]:
            _swap(child, lists)


def _strip_ids(data):
    if isinstance(data, dict):
        return {k: _strip_ids(v) for k, v in data.items() if k != "id"}
    if isinstance(data, list):
        return [_strip_ids(v) for v in data]
    return data


def _read_all(value):
    """Read every nested block, so get_prep_value() writes each one out in full.

    Blocks nobody has read are written back exactly as stored, so without this a form saved
    in full (by the admin or by translation) never compares equal to the spec here."""
    if isinstance(value, StreamValue):
        for child in value:
            _read_all(child.value)
    elif isinstance(value, dict):  # StructValue
        for item in value.values():
            _read_all(item)
    elif isinstance(value, list | ListValue):
        for item in value:
            _read_all(item)


def _normalised(pages):
    block = FormPagesBlock()
    value = block.to_python(pages)
    _read_all(value)
    return _strip_ids(block.get_prep_value(value))


@transaction.atomic
def load(stdout=None):
    """Create or update this app's demo content."""
    schools, _created = LookupList.objects.update_or_create(
        slug="schools",
        defaults={
            "name": "Northbrook schools",
            "options": "\n".join(f"{code}|{name}" for code, name in SCHOOLS),
        },
    )
    for uprn, line_1, street, postcode, lat, lng in ADDRESSES:
        AddressPoint.objects.update_or_create(
            uprn=uprn,
            defaults={
                "line_1": line_1,
                "street": street,
                "postcode": postcode,
                "latitude": lat,
                "longitude": lng,
                "town": "Northbrook",
            },
        )
    locale = Locale.get_default()
    units = {unit.slug: unit for unit in DeliveryUnit.objects.all()}
    changed = 0
    for spec in FORMS:
        pages = copy.deepcopy(spec["pages"])
        _lookup_ids(pages, {"schools": schools})
        known_issue = {**NO_KNOWN_ISSUE_CHECK, **spec.get("known_issue", {})}
        values = {
            "title": spec["title"],
            "purpose": spec["purpose"],
            "what_you_need": spec.get("what_you_need", ""),
            "service_level": spec.get("service_level", ""),
            "service_level_days": spec.get("days"),
            "what_happens_next": spec.get("next", ""),
            "reference_prefix": spec["prefix"],
            "retention_days": spec.get("retention", 365 * 2),
            **known_issue,
            "delivery_unit": units.get(spec["unit"]),
            "notify_emails": f"{spec['unit']}@northbrook.example",
        }
        form = FormDefinition.objects.filter(slug=spec["slug"], locale=locale).first()
        if (
            form is not None
            and all(getattr(form, k) == v for k, v in values.items())
            and _normalised(list(form.pages.raw_data)) == _normalised(pages)
        ):
            continue
        if form is None:
            form = FormDefinition(
                slug=spec["slug"], locale=locale, review_by=datetime.date(2026, 12, 31)
            )
        for key, value in values.items():
            setattr(form, key, value)
        form.pages = pages
        form.save()
        form.save_revision().publish()
        changed += 1
    if stdout is not None:
        stdout.write(
            f"  {len(FORMS)} forms ({changed} created or updated), {len(SCHOOLS)} schools, {len(ADDRESSES)} addresses"
        )
