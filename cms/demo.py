"""The demo council's site: locales, home page in three languages, settings, information pages.

Everything is found by a stable key (slug, locale) and updated in place, so running it twice
changes nothing.
"""

import datetime

from django.db import transaction
from wagtail.models import Locale, Page, Site

from core.models import DeliveryUnit

from .models import AlertBanner, ContentPage, Footer, HomePage, SiteSettings

LANGUAGES = ["en-gb", "pl", "ar"]

HOME_TRANSLATIONS = {
    "pl": {
        "title": "Strona główna",
        "heading": "Jak możemy Ci dzisiaj pomóc?",
        "intro": "Załatw sprawy w radzie gminy Northbrook online, o każdej porze.",
    },
    "ar": {
        "title": "الصفحة الرئيسية",
        "heading": "كيف يمكننا مساعدتك اليوم؟",
        "intro": "أنجز معاملاتك مع مجلس نورثبروك عبر الإنترنت في أي وقت.",
    },
}

INFORMATION_PAGES = [
    {
        "slug": "contact-us",
        "title": "Contact the council",
        "summary": "Phone, email or visit us. Most things are quicker to do online.",
        "body": [
            {
                "type": "text",
                "value": "<p>You can do most things online at any time. If you need to talk to someone, call us or visit the Town Hall.</p>",
            },
            {
                "type": "contact",
                "value": {
                    "heading": "Customer services",
                    "phone": "020 7946 0000",
                    "email": "help@northbrook.example",
                    "address": "Northbrook Town Hall\nHigh Street\nNorthbrook NB1 1AA",
                    "opening_hours": "Monday to Friday, 9am to 5pm",
                    "url": "",
                    "url_text": "",
                },
            },
            {
                "type": "details",
                "value": {
                    "summary": "Help if you find it hard to use the phone",
                    "body": "<p>You can use Relay UK by dialling 18001 then our number. You can also ask a friend or family member to contact us for you.</p>",
                },
            },
        ],
    },
    {
        "slug": "privacy-notice",
        "title": "Privacy notice",
        "summary": "How we use the information you give us and your rights.",
        "body": [
            {
                "type": "text",
                "value": "<p>We only ask for what we need to deliver the service you asked for. We keep it safe and only for as long as we need to.</p><h2>Your rights</h2><p>You can ask to see the information we hold about you. You can ask us to correct it if it is wrong.</p>",
            },
            {"type": "inset", "value": {"text": "<p>We never sell your information.</p>"}},
        ],
    },
    {
        "slug": "accessibility-statement",
        "title": "Accessibility statement",
        "summary": "How accessible this website is and how to report a problem.",
        "body": [
            {
                "type": "text",
                "value": "<p>We want as many people as possible to be able to use this website. You should be able to zoom in up to 400% and use the site with a keyboard or a screen reader.</p><h2>Report a problem</h2><p>If you find something hard to use, email web@northbrook.example and we will reply within 5 working days.</p>",
            },
        ],
    },
    {
        "slug": "cookies",
        "title": "Cookies",
        "summary": "The small files we put on your device and why.",
        "body": [
            {
                "type": "text",
                "value": "<p>We use essential cookies to make the website work, such as remembering your answers in a form. We only use analytics cookies if you say yes.</p>",
            },
        ],
    },
]


def ensure_locales():
    return {code: Locale.objects.get_or_create(language_code=code)[0] for code in LANGUAGES}


def ensure_home():
    """Replace Wagtail's placeholder page with the council's home page, once."""
    home = HomePage.objects.filter(locale=Locale.get_default()).first()
    if home is None:
        root = Page.get_first_root_node()
        for placeholder in root.get_children().filter(content_type__model="page"):
            placeholder.delete()
        home = root.add_child(
            instance=HomePage(
                title="Home",
                slug="home",
                intro="Do things with Northbrook Borough Council online, at any time.",
            )
        )
        home.save_revision().publish()
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={
            "hostname": "localhost",
            "port": 80,
            "root_page": home,
            "site_name": "Northbrook",
        },
    )
    return home


def ensure_translation(page, locale, fields):
    """A published copy of ``page`` in ``locale`` with ``fields`` translated."""
    existing = page.get_translations().filter(locale=locale).first()
    if existing is None:
        existing = page.copy_for_translation(locale)
    existing = existing.specific
    changed = any(getattr(existing, name) != value for name, value in fields.items())
    if changed or not existing.live:
        for name, value in fields.items():
            setattr(existing, name, value)
        existing.save_revision().publish()
    return existing


def ensure_footer(locale, pages):
    """The English footer, once: editors (and translators) own it after that."""
    if Footer.objects.filter(locale=locale).exists():
        return
    Footer.objects.create(
        locale=locale,
        opening_hours="Monday to Friday, 9am to 5pm",
        contact_routes=[
            (
                "route",
                {
                    "channel": "web",
                    "label": "Online",
                    "value": "Any time on this website",
                    "hours": "",
                },
            ),
            (
                "route",
                {
                    "channel": "in-person",
                    "label": "Town Hall",
                    "value": "High Street, Northbrook NB1 1AA",
                    "hours": "Monday to Friday, 9am to 5pm",
                },
            ),
        ],
        columns=[
            (
                "column",
                {
                    "heading": "About this website",
                    "links": [
                        {"label": page.title, "page": page, "url": ""} for page in pages.values()
                    ],
                },
            ),
        ],
    )


def ensure_content_page(parent, data, owner):
    page = ContentPage.objects.filter(slug=data["slug"], locale=parent.locale).first()
    if page is None:
        page = parent.add_child(
            instance=ContentPage(
                title=data["title"],
                slug=data["slug"],
                summary=data["summary"],
                body=data["body"],
                delivery_unit=owner,
                review_by=datetime.date(2027, 6, 30),
            )
        )
        page.save_revision().publish()
    return page


def load(stdout=None):
    with transaction.atomic():
        locales = ensure_locales()
        home = ensure_home()
        owner = DeliveryUnit.objects.get(slug="customer-experience")
        pages = {data["slug"]: ensure_content_page(home, data, owner) for data in INFORMATION_PAGES}
        for code, fields in HOME_TRANSLATIONS.items():
            ensure_translation(home, locales[code], fields)
        settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
        settings.council_name = "Northbrook Borough Council"
        settings.phone = "020 7946 0000"
        settings.contact_page = pages["contact-us"]
        settings.save()
        ensure_footer(locales["en-gb"], pages)
        AlertBanner.objects.update_or_create(
            title="Bin collections after the bank holiday",
            locale=locales["en-gb"],
            defaults={
                "level": AlertBanner.ANNOUNCEMENT,
                "message": "Collections are one day later than usual this week.",
                "live": False,
            },
        )
    return home
