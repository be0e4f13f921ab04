"""Signpost's needs taxonomy: the needs the council's strategies name, as nested terms.

Ids are derived from the codes, so every Signpost site has the same term ids and directories
can exchange Open Referral UK data without mapping terms.
"""

import uuid

from django.db import transaction
from django.utils.translation import gettext_noop

TAXONOMY_NAMESPACE = uuid.UUID("6f1c7a2e-3d4b-4f59-9a57-1b0e2c9d4e21")
TAXONOMY_NAME = "Signpost needs"

# (code, name, [(child code, child name), ...]). The names are Signpost's vocabulary, so they are
# in the interface catalogues (gettext_noop marks them): residents read them in their language
# through TaxonomyTerm.local_name, while the database and the ORUK API keep the English.
TERMS = [
    (
        "care-and-support-at-home",
        gettext_noop("Care and support at home"),
        [
            ("home-care", gettext_noop("Home care")),
            ("reablement", gettext_noop("Reablement after hospital")),
            ("personal-alarms", gettext_noop("Personal alarms and telecare")),
        ],
    ),
    (
        "falls-and-mobility",
        gettext_noop("Falls and mobility"),
        [
            ("falls-prevention-classes", gettext_noop("Falls prevention classes")),
            ("mobility-aids", gettext_noop("Mobility aids and walking support")),
        ],
    ),
    (
        "equipment-and-adaptations",
        gettext_noop("Equipment and adaptations"),
        [
            ("handyperson", gettext_noop("Handyperson and care and repair")),
            ("home-adaptations", gettext_noop("Home adaptations")),
        ],
    ),
    (
        "carers",
        gettext_noop("Carers"),
        [
            ("carers-centres", gettext_noop("Carers’ centres")),
            ("carers-breaks", gettext_noop("Breaks for carers")),
        ],
    ),
    (
        "dementia",
        gettext_noop("Dementia"),
        [
            ("dementia-cafes", gettext_noop("Dementia cafés")),
            ("memory-support", gettext_noop("Memory support")),
        ],
    ),
    (
        "loneliness-and-befriending",
        gettext_noop("Loneliness and befriending"),
        [
            ("befriending", gettext_noop("Befriending")),
            ("lunch-clubs", gettext_noop("Lunch clubs")),
            ("social-groups", gettext_noop("Social groups and activities")),
        ],
    ),
    (
        "food-and-meals",
        gettext_noop("Food and meals"),
        [
            ("foodbanks", gettext_noop("Foodbanks")),
            ("meals-on-wheels", gettext_noop("Meals on wheels")),
            ("community-meals", gettext_noop("Community meals and pantries")),
        ],
    ),
    (
        "money-debt-and-benefits-advice",
        gettext_noop("Money, debt and benefits advice"),
        [
            ("debt-advice", gettext_noop("Debt advice")),
            ("benefits-advice", gettext_noop("Benefits advice")),
            ("credit-unions", gettext_noop("Credit unions")),
        ],
    ),
    (
        "crisis-support",
        gettext_noop("Crisis support"),
        [("emergency-grants", gettext_noop("Emergency grants and crisis payments"))],
    ),
    (
        "housing-and-homelessness",
        gettext_noop("Housing and homelessness"),
        [
            ("homelessness-advice", gettext_noop("Homelessness advice")),
            ("tenancy-support", gettext_noop("Tenancy support")),
        ],
    ),
    (
        "domestic-abuse",
        gettext_noop("Domestic abuse"),
        [("domestic-abuse-advice", gettext_noop("Domestic abuse advice and refuge"))],
    ),
    (
        "mental-health-and-wellbeing",
        gettext_noop("Mental health and wellbeing"),
        [
            ("talking-therapies", gettext_noop("Talking therapies")),
            ("peer-support", gettext_noop("Peer support groups")),
        ],
    ),
    (
        "childrens-centres-and-early-help",
        gettext_noop("Children’s centres and early help"),
        [
            ("stay-and-play", gettext_noop("Stay and play")),
            ("parenting-support", gettext_noop("Parenting support")),
        ],
    ),
    (
        "childcare",
        gettext_noop("Childcare"),
        [
            ("childminders", gettext_noop("Childminders")),
            ("nurseries", gettext_noop("Nurseries and pre-schools")),
        ],
    ),
    (
        "send-and-local-offer",
        gettext_noop("SEND and the Local Offer"),
        [
            ("send-parent-support", gettext_noop("SEND parent support")),
            ("short-breaks", gettext_noop("Short breaks for disabled children")),
        ],
    ),
    (
        "youth",
        gettext_noop("Youth"),
        [
            ("youth-clubs", gettext_noop("Youth clubs")),
            ("homework-clubs", gettext_noop("Homework clubs")),
        ],
    ),
    (
        "employment-and-skills",
        gettext_noop("Employment and skills"),
        [
            ("employment-support", gettext_noop("Employment support")),
            ("adult-learning", gettext_noop("Adult learning")),
        ],
    ),
    (
        "digital-inclusion",
        gettext_noop("Digital inclusion"),
        [
            ("digital-skills", gettext_noop("Digital skills")),
            ("device-lending", gettext_noop("Device and data lending")),
        ],
    ),
    (
        "transport",
        gettext_noop("Transport"),
        [
            ("community-transport", gettext_noop("Community transport")),
            ("travel-training", gettext_noop("Travel training")),
        ],
    ),
    (
        "volunteering",
        gettext_noop("Volunteering"),
        [("volunteer-opportunities", gettext_noop("Volunteer opportunities"))],
    ),
]


def term_id(code):
    return uuid.uuid5(TAXONOMY_NAMESPACE, f"term:{code}")


def taxonomy_id():
    return uuid.uuid5(TAXONOMY_NAMESPACE, "taxonomy")


@transaction.atomic
def ensure_taxonomy(taxonomy_model=None, term_model=None):
    """Create or update the seed taxonomy. Safe to run again. Models may be historical (migrations)."""
    if taxonomy_model is None:
        # Imported when called: migration 0002 imports this module before the models exist
        from .models import Taxonomy as taxonomy_model

        # Imported when called: migration 0002 imports this module before the models exist
        from .models import TaxonomyTerm as term_model
    taxonomy, _ = taxonomy_model.objects.update_or_create(
        pk=taxonomy_id(),
        defaults={
            "name": TAXONOMY_NAME,
            "description": "The needs residents come to Northbrook Borough Council with, grouped as its strategies name them.",
            "version": "1",
        },
    )
    for order, (code, name, children) in enumerate(TERMS):
        parent, _ = term_model.objects.update_or_create(
            pk=term_id(code),
            defaults={
                "taxonomy": taxonomy,
                "code": code,
                "name": name,
                "parent": None,
                "order": order,
            },
        )
        for child_order, (child_code, child_name) in enumerate(children):
            term_model.objects.update_or_create(
                pk=term_id(child_code),
                defaults={
                    "taxonomy": taxonomy,
                    "code": child_code,
                    "name": child_name,
                    "parent": parent,
                    "order": child_order,
                },
            )
    return taxonomy
