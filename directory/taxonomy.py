"""Signpost's needs taxonomy: the needs the council's strategies name, as nested terms.

Ids are derived from the codes, so every Signpost site has the same term ids and directories
can exchange Open Referral UK data without mapping terms.
"""

import uuid

from django.db import transaction

TAXONOMY_NAMESPACE = uuid.UUID("6f1c7a2e-3d4b-4f59-9a57-1b0e2c9d4e21")
TAXONOMY_NAME = "Signpost needs"

# (code, name, [(child code, child name), ...])
TERMS = [
    ("care-and-support-at-home", "Care and support at home", [
        ("home-care", "Home care"), ("reablement", "Reablement after hospital"), ("personal-alarms", "Personal alarms and telecare"),
    ]),
    ("falls-and-mobility", "Falls and mobility", [
        ("falls-prevention-classes", "Falls prevention classes"), ("mobility-aids", "Mobility aids and walking support"),
    ]),
    ("equipment-and-adaptations", "Equipment and adaptations", [
        ("handyperson", "Handyperson and care and repair"), ("home-adaptations", "Home adaptations"),
    ]),
    ("carers", "Carers", [("carers-centres", "Carers\u2019 centres"), ("carers-breaks", "Breaks for carers")]),
    ("dementia", "Dementia", [("dementia-cafes", "Dementia caf\u00e9s"), ("memory-support", "Memory support")]),
    ("loneliness-and-befriending", "Loneliness and befriending", [
        ("befriending", "Befriending"), ("lunch-clubs", "Lunch clubs"), ("social-groups", "Social groups and activities"),
    ]),
    ("food-and-meals", "Food and meals", [
        ("foodbanks", "Foodbanks"), ("meals-on-wheels", "Meals on wheels"), ("community-meals", "Community meals and pantries"),
    ]),
    ("money-debt-and-benefits-advice", "Money, debt and benefits advice", [
        ("debt-advice", "Debt advice"), ("benefits-advice", "Benefits advice"), ("credit-unions", "Credit unions"),
    ]),
    ("crisis-support", "Crisis support", [("emergency-grants", "Emergency grants and crisis payments")]),
    ("housing-and-homelessness", "Housing and homelessness", [
        ("homelessness-advice", "Homelessness advice"), ("tenancy-support", "Tenancy support"),
    ]),
    ("domestic-abuse", "Domestic abuse", [("domestic-abuse-advice", "Domestic abuse advice and refuge")]),
    ("mental-health-and-wellbeing", "Mental health and wellbeing", [
        ("talking-therapies", "Talking therapies"), ("peer-support", "Peer support groups"),
    ]),
    ("childrens-centres-and-early-help", "Children\u2019s centres and early help", [
        ("stay-and-play", "Stay and play"), ("parenting-support", "Parenting support"),
    ]),
    ("childcare", "Childcare", [("childminders", "Childminders"), ("nurseries", "Nurseries and pre-schools")]),
    ("send-and-local-offer", "SEND and the Local Offer", [
        ("send-parent-support", "SEND parent support"), ("short-breaks", "Short breaks for disabled children"),
    ]),
    ("youth", "Youth", [("youth-clubs", "Youth clubs"), ("homework-clubs", "Homework clubs")]),
    ("employment-and-skills", "Employment and skills", [
        ("employment-support", "Employment support"), ("adult-learning", "Adult learning"),
    ]),
    ("digital-inclusion", "Digital inclusion", [("digital-skills", "Digital skills"), ("device-lending", "Device and data lending")]),
    ("transport", "Transport", [("community-transport", "Community transport"), ("travel-training", "Travel training")]),
    ("volunteering", "Volunteering", [("volunteer-opportunities", "Volunteer opportunities")]),
]


def term_id(code):
    return uuid.uuid5(TAXONOMY_NAMESPACE, f"term:{code}")


def taxonomy_id():
    return uuid.uuid5(TAXONOMY_NAMESPACE, "taxonomy")


@transaction.atomic
def ensure_taxonomy(taxonomy_model=None, term_model=None):
    """Create or update the seed taxonomy. Safe to run again. Models may be historical (migrations)."""
    if taxonomy_model is None:
        from .models import Taxonomy as taxonomy_model
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
            defaults={"taxonomy": taxonomy, "code": code, "name": name, "parent": None, "order": order},
        )
        for child_order, (child_code, child_name) in enumerate(children):
            term_model.objects.update_or_create(
                pk=term_id(child_code),
                defaults={"taxonomy": taxonomy, "code": child_code, "name": child_name, "parent": parent, "order": child_order},
            )
    return taxonomy
