from django.apps import AppConfig


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = "Signpost site"

    def ready(self) -> None:
        # Inside ready(): these modules import models, which need the app registry.
        from wagtail.documents import get_document_model
        from wagtail.images import get_image_model

        from core import pagecache
        from directory.api import locate_postcode, register_mailer
        from eforms.api import (
            queue_email,
            register_council_name,
            register_operations_report,
            register_postcode_locator,
        )
        from search.api import register_contact_route

        from .models import AlertBanner, Footer, SiteSettings
        from .operations import report_path
        from .search_documents import register_documents

        # Cached pages are purged when the chrome they show changes (core/pagecache.py).
        for model in (SiteSettings, Footer, AlertBanner, get_image_model(), get_document_model()):
            pagecache.register(model)
        register_council_name(SiteSettings.council_name_for)
        # The alert that a message failed links to the Operations report.
        register_operations_report(report_path)
        # The directory's problem reports go through the e-forms outbox (same floor: the site
        # connects them).
        register_mailer(queue_email)
        # The location map's postcode search reads the directory's postcode table.
        register_postcode_locator(locate_postcode)
        register_documents()
        # Searches that find little offer the council's contact page and phone.
        register_contact_route(SiteSettings.contact_route_for)
