"""Northbrook's demo backlog: the stories the strategies name, and more, across every unit.

Scores: (persona, unit, story, residents, borough, council, demand a year, effort, MoSCoW, status,
form slugs, page slugs). Demand is of the size the strategies give: tens of thousands of parking,
street scene and revenues calls a year, a few thousand for specialist services.
"""

from django.db import transaction
from wagtail.models import Locale, Page

from .models import DeliveryUnit, Persona, UserStory

C, T, P, R, B = "cusp-of-care", "tenants", "parents", "report-and-transact", "business"

STORIES = [
    (C, "adults-and-communities", "How can I get help for my mother?", 5, 4, 4, 15000, 3, "must", "in_progress", "care-needs-self-assessment", "get-help-for-someone"),
    (C, "adults-and-communities", "How can I get help to protect my parent from falls?", 5, 4, 5, 4200, 2, "must", "backlog", "", "prevent-falls"),
    (C, "adults-and-communities", "As a carer I want a carer\u2019s assessment so that I get support to keep caring", 5, 3, 3, 3100, 2, "must", "backlog", "carers-assessment-request", ""),
    (C, "adults-and-communities", "As a disabled resident I want to apply for a Blue Badge online so that I can park near where I need to go", 4, 3, 4, 6000, 2, "must", "done", "blue-badge-application", "apply-for-a-blue-badge"),
    (C, "adults-and-communities", "As someone leaving hospital I want equipment at home so that I can live safely", 5, 3, 4, 2600, 4, "should", "idea", "", ""),
    (C, "adults-and-communities", "As an older resident I want to know what a Freedom Pass gives me so that I can travel free", 3, 3, 2, 5200, 1, "should", "backlog", "", ""),
    (C, "adults-and-communities", "How do I pay for my dad\u2019s care?", 4, 2, 4, 3800, 3, "should", "idea", "", ""),
    (C, "customer-experience", "As a family member I want one place to tell the council about a change so that I don\u2019t repeat myself", 4, 3, 4, 9000, 5, "could", "idea", "", ""),
    (T, "housing", "As a tenant I want to report a repair online so that I don\u2019t wait on the phone", 5, 3, 5, 48000, 3, "must", "in_progress", "repair-request", "report-a-repair"),
    (T, "housing", "As a tenant I want to see when my repair will be done so that I can plan to be in", 4, 2, 4, 21000, 3, "should", "backlog", "", ""),
    (T, "housing", "What\u2019s the best way to report a problem with my neighbour?", 4, 4, 3, 7000, 2, "must", "backlog", "noise-complaint", "report-a-neighbour-problem"),
    (T, "housing", "I\u2019m about to lose my home, what can I do?", 5, 5, 4, 4800, 4, "must", "in_progress", "", "homeless-or-at-risk"),
    (T, "housing", "As a tenant I want to report damp and mould so that it is fixed before it harms my health", 5, 4, 5, 6500, 3, "must", "backlog", "repair-request", ""),
    (T, "revenues-and-benefits", "As a tenant I want to check if I can get Housing Benefit so that I can pay my rent", 5, 3, 3, 14000, 3, "should", "backlog", "", ""),
    (T, "revenues-and-benefits", "As a resident in a crisis I want emergency help with food and fuel so that I get through the month", 5, 4, 3, 3500, 2, "must", "idea", "", ""),
    (T, "revenues-and-benefits", "As someone who lives alone I want the single person discount so that I pay the right Council Tax", 3, 2, 4, 12000, 1, "should", "done", "single-person-discount-application", "single-person-discount"),
    (T, "housing", "As a tenant I want to pay my rent online so that I don\u2019t fall behind", 3, 2, 5, 18000, 2, "should", "backlog", "", ""),
    (P, "education-and-skills", "As a parent moving to Northbrook I want an in-year school admission so that my child starts school quickly", 5, 4, 3, 2400, 3, "must", "in_progress", "school-place-application", "in-year-school-admission"),
    (P, "education-and-skills", "As a parent I want to apply for a primary school place so that my child starts in September", 4, 4, 4, 11000, 2, "must", "done", "school-place-application", "apply-for-a-school-place"),
    (P, "education-and-skills", "As a parent of a child with SEND I want to ask for an EHC needs assessment so that my child gets support", 5, 4, 3, 1800, 4, "must", "backlog", "", ""),
    (P, "education-and-skills", "As a parent I want to know if my child can get free school travel so that they get to school safely", 4, 2, 3, 3000, 2, "should", "backlog", "", ""),
    (P, "family-services", "As a parent I want to check if I can get free early education for my 2-year-old so that I can go back to work", 4, 4, 3, 4200, 2, "should", "backlog", "", ""),
    (P, "family-services", "As a parent who is struggling I want early help for my family so that things don\u2019t get worse", 5, 4, 4, 5000, 4, "must", "idea", "", ""),
    (P, "family-services", "As a foster carer I want to know what support I get so that I can keep fostering", 3, 3, 4, 900, 2, "could", "idea", "", ""),
    (P, "education-and-skills", "As a parent I want to know term dates so that I can plan holidays", 2, 1, 1, 6000, 1, "could", "done", "", ""),
    (R, "street-scene", "My bin wasn\u2019t emptied, what do I do?", 4, 3, 4, 42000, 1, "must", "done", "missed-bin-report", "report-a-missed-bin"),
    (R, "street-scene", "As a resident I want to book a bulky waste collection so that I can get rid of old furniture", 3, 3, 4, 9000, 2, "should", "done", "bulky-waste-booking", ""),
    (R, "street-scene", "As a resident I want to report fly-tipping with a photo so that it is cleared quickly", 3, 5, 3, 8000, 2, "must", "backlog", "fly-tipping-report", ""),
    (R, "street-scene", "As a resident I want to report a pothole so that it is fixed before someone is hurt", 3, 4, 3, 12000, 2, "should", "backlog", "pothole-report", ""),
    (R, "street-scene", "As a resident I want to order a new or replacement bin so that I can recycle", 3, 3, 3, 7500, 1, "should", "backlog", "new-bin-request", ""),
    (R, "parking", "As a resident I want to apply for a parking permit online so that I can park near my home", 3, 2, 4, 38000, 2, "must", "in_progress", "parking-permit-application", ""),
    (R, "parking", "As a driver I want to pay or challenge a parking fine online so that I don\u2019t have to call", 3, 2, 5, 26000, 3, "must", "backlog", "", ""),
    (R, "parking", "As a visitor\u2019s host I want to buy visitor parking vouchers online so that my visitors can park", 2, 2, 3, 15000, 2, "should", "idea", "", ""),
    (R, "revenues-and-benefits", "As a resident I want to pay my Council Tax by direct debit online so that I never miss a payment", 3, 2, 5, 60000, 2, "must", "backlog", "", ""),
    (R, "revenues-and-benefits", "As a resident moving home I want to tell Council Tax once so that my bill is right", 3, 2, 4, 20000, 3, "should", "idea", "", ""),
    (R, "elections", "As a new resident I want to register to vote so that I can vote in local elections", 3, 4, 3, 6500, 1, "should", "done", "", ""),
    (R, "elections", "As a voter I want to find my polling station so that I can vote", 2, 3, 2, 4000, 1, "could", "backlog", "", ""),
    (R, "regulatory-services", "As a resident I want to report a noise nuisance at night so that I can sleep", 4, 3, 2, 7000, 2, "should", "backlog", "noise-complaint", ""),
    (B, "revenues-and-benefits", "As a business owner I want to check and pay my business rates online so that I don\u2019t get a reminder", 2, 3, 5, 8000, 2, "must", "backlog", "", ""),
    (B, "revenues-and-benefits", "As a small business I want to know if I can get small business rate relief so that I pay less", 3, 4, 3, 2500, 2, "should", "idea", "", ""),
    (B, "street-scene", "As a business I want to arrange trade waste collection so that I meet my duty of care", 2, 4, 4, 1800, 2, "should", "backlog", "trade-waste-enquiry", ""),
    (B, "regulatory-services", "As a new food business I want to register with the council so that I can open legally", 2, 4, 3, 900, 1, "must", "done", "food-business-registration", ""),
    (B, "regulatory-services", "As a pub owner I want to apply for a premises licence online so that I can sell alcohol", 2, 4, 4, 600, 4, "could", "idea", "", ""),
    (B, "customer-experience", "As a business I want one account for all my council services so that I find things quickly", 2, 3, 3, 3000, 5, "wont", "wont_do", "", ""),
]


@transaction.atomic
def load_stories():
    """Create or update the demo stories (matched on their text), linking pages that exist."""
    personas = {p.slug: p for p in Persona.objects.filter(locale=Locale.get_default())}
    units = {u.slug: u for u in DeliveryUnit.objects.all()}
    for (persona, unit, text, residents, borough, council, demand, effort, moscow, status, forms,
         page_slugs) in STORIES:
        story, _created = UserStory.objects.update_or_create(
            story=text,
            defaults={
                "persona": personas[persona], "delivery_unit": units[unit], "benefit_residents": residents,
                "benefit_borough": borough, "benefit_council": council, "demand": demand, "effort": effort,
                "moscow": moscow, "status": status, "form_slugs": forms,
            },
        )
        link_pages(story, page_slugs)


def link_pages(story, page_slugs):
    slugs = [s for s in page_slugs.split(",") if s]
    if slugs:
        story.pages.add(*Page.objects.filter(slug__in=slugs))
