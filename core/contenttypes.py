"""Moving a model's content type between apps in a migration, keeping its id.

Models moved between apps (``personas`` to ``core`` and ``backlog``, ``cms`` to ``webteam``)
keep their content type's id, so revisions, log entries and permissions still point at them.
The migrations that move them (and move them back, on a downgrade) use ``move_content_types``.
Kept stable: migrations import it.
"""

from __future__ import annotations

from typing import Any


def move_content_types(apps: Any, models: list[str], source: str, target: str) -> None:
    """Give ``source``'s content types of ``models`` to ``target``, each keeping its id.

    A content type already under ``target`` for a model ``source`` still has is a duplicate:
    during a downgrade, or part-way through one, Django's and Wagtail's ``post_migrate``
    handlers make content types (and their permissions) for the models in the code or the
    migration state, wherever the tables are. It holds only the permissions made with it, and
    would break the rename (``app_label`` and ``model`` are unique together), so it goes first.
    """
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in models:
        moving = ContentType.objects.filter(app_label=source, model=model)
        if moving.exists():
            ContentType.objects.filter(app_label=target, model=model).delete()
            moving.update(app_label=target)
