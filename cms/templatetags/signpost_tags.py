"""Template tags for the site chrome: alert banners, breadcrumbs, the language switcher and the footer."""

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils import timezone, translation
from wagtail.models import Page, Site

from cms.models import AlertBanner, Footer
from core import fragments, pagecache
from core.i18n import active_locale, language_of, localized, missing_translation

register = template.Library()


@register.inclusion_tag("components/alert_banners.html")
def alert_banners():
    locale = active_locale()
    banners = list(AlertBanner.objects.showing().filter(locale=locale))
    if pagecache.collecting():
        # Every page shows the banners: a new one purges them all, and a scheduled one
        # starting or ending is as far ahead as a cached copy may go.
        pagecache.depends_on_model(AlertBanner)
        change = AlertBanner.objects.next_change(locale)
        if change is not None:
            pagecache.expires_within((change - timezone.now()).total_seconds())
    return {"banners": banners}


@register.inclusion_tag("components/footer.html", takes_context=True)
def site_footer(context, council=None):
    """The footer in the active language (the English one until it is translated)."""
    return {"council": council, "footer": Footer.for_language(), "request": context.get("request")}


@register.inclusion_tag("components/breadcrumbs.html", takes_context=True)
def breadcrumbs(context, page=None):
    """Ancestors from the home page down, never the page itself or the tree's hidden root."""
    crumbs = []
    if page is not None and getattr(page, "depth", 0) > 2:
        ancestors = page.get_ancestors().filter(depth__gte=2).live().specific()
        # A page may have a name for residents other than its admin title (a persona page is
        # "I'm helping someone stay independent at home", never "Cusp of care").
        crumbs = [
            {"page": ancestor, "label": getattr(ancestor, "resident_title", ancestor.title)}
            for ancestor in ancestors
        ]
    return {"crumbs": crumbs, "request": context.get("request")}


@register.inclusion_tag("components/language_switcher.html", takes_context=True)
def language_switcher(context, page=None):
    """A link per language: the page's own translation where there is one, else that language's home."""
    request = context.get("request")
    current = translation.get_language()
    options = []
    translations = {}
    if isinstance(page, Page):
        pagecache.depends_on(pagecache.translations_tag(page))
        for other in page.get_translations(inclusive=True).live().select_related("locale"):
            translations[other.locale.language_code] = other
    site = Site.find_for_request(request) if request else None
    homes = {}
    if site is not None and len(translations) < len(settings.LANGUAGES):
        homes = _home_urls(site, request)
    for code, name in settings.LANGUAGES:
        if code in translations:
            url = translations[code].get_url(request)
        elif site is not None:
            home = homes.get(code)
            if home is not None:
                url = home
            elif request is not None:
                url = translate_url(request.path, code)
            else:
                url = "/"
        else:
            url = translate_url(request.path, code) if request else "/"
        options.append(
            {
                "code": code,
                "name": name,
                "url": url,
                "current": translation.get_supported_language_variant(current) == code,
                "bidi": translation.get_language_info(code)["bidi"],
            }
        )
    return {"options": options}


def _home_urls(site, request):
    """Each language's home page address, for the languages a page isn't in.

    Every page outside the page tree (a form, the search) asks, so the answer is kept in the
    shared cache until a home page or the site changes (core.fragments).
    """

    def urls():
        homes = site.root_page.get_translations(inclusive=True).live().select_related("locale")
        return {home.locale.language_code: home.get_url(request) for home in homes}

    host = request.get_host() if request is not None else ""
    return fragments.remember("language-homes", (site.pk, host), urls)


@register.simple_tag(takes_context=True)
def home_url(context):
    """The home page in the active language."""
    request = context.get("request")
    site = Site.find_for_request(request) if request is not None else None
    if site is None:
        site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is None:
        return "/"
    return localized(site.root_page).get_url(request) or "/"


@register.simple_tag(takes_context=True)
def page_in_english(context, page=None):
    """For a page shown in English to a resident reading another language (it has no
    translation yet, ``cms.models.HomePage.route``): its language and its English address.
    None for every other page."""
    if not missing_translation(page):
        return None
    return {"language": language_of(page), "url": page.get_url(context.get("request"))}
