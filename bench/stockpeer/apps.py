from django.apps import AppConfig


class StockPeerConfig(AppConfig):
    """Stock Wagtail pages the benchmarks measure Signpost against, in the same server and run.

    Installed only by ``bench.peer_settings``: never part of the site.
    """

    name = "bench.stockpeer"
    label = "stockpeer"
    default_auto_field = "django.db.models.BigAutoField"
