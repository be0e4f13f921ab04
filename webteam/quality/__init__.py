"""Content checks: small pure functions that read a page's words and markup and say what to fix.

Each check returns `Finding`s (a code, a severity and a plain-English message). Nothing here
blocks publishing: the editor sees warnings on save, and the nightly `content_checks` command
stores the findings for the web team's dashboards.
"""

from .findings import ERROR, INFO, WARNING, Finding
from .runner import check_page, store_results

__all__ = ["ERROR", "INFO", "WARNING", "Finding", "check_page", "store_results"]
