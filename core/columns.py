"""Admin list columns shared by the apps' snippet lists."""

from typing import Any

from wagtail.admin.ui.tables import Column


def yes_no(field: str, label: str) -> Any:
    """A list column for a true/false field that reads "Yes" or "No", never Python's True/False."""
    return Column(
        field,
        label=label,
        accessor=lambda obj: "Yes" if getattr(obj, field) else "No",
        sort_key=field,
    )
