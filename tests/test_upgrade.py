"""Upgrading a site keeps every row: the baseline commit with the demo loaded, then this tree's
migrations, and every table still has the rows it had.

Why: models are moving between apps (``personas`` -> ``core`` and ``backlog``, ``cms`` ->
``webteam``) with state-only migrations that must keep every table, every row and every
content type id, so that Wagtail revisions, log entries and permissions keep pointing at the
moved models. A migration test inside one tree cannot see that; only a database built by the
old code and migrated by the new one can. So this test:

1. exports ``BASELINE_COMMIT`` (the commit before the architecture change) to a temporary
   folder, and with that code migrates a fresh database, creates the cache table, loads the
   demo and adds the rows the demo leaves out of the moved models' tables
   (tests/harness/upgrade_seed.py);
2. counts every table's rows and records the content types and what points at them;
3. migrates the same database with this tree's code, then checks that nothing is left to
   apply and that ``makemigrations`` finds nothing missing;
4. counts again and compares.

It runs on SQLite (``make test``) and on PostgreSQL (``make test-postgres``, in a database of
its own on the throwaway cluster). It takes well over a minute (two full migrations and the
demo), hence the ``slow`` marker; it is part of ``make test`` and CI all the same.
"""

from __future__ import annotations

import os
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.harness.upgrade import (
    REPO_ROOT,
    Snapshot,
    baseline_unavailable,
    export_tree,
    run_steps,
    scratch_database,
)

# The last commit before models started moving between apps. Full hash: CI runs in a fresh
# clone of main, which has the whole history.
BASELINE_COMMIT = "bae52ce7b08e9e3943f856dcaff9037b9b0849eb"

# Content types that change app, and nothing else: same id, same model name, new app label.
CONTENT_TYPE_MOVES: dict[tuple[str, str], tuple[str, str]] = {
    ("personas", "deliveryunit"): ("core", "deliveryunit"),
    ("personas", "userstory"): ("backlog", "userstory"),
    ("personas", "storychange"): ("backlog", "storychange"),
    ("personas", "pagefeedback"): ("backlog", "pagefeedback"),
    ("personas", "demandrecord"): ("backlog", "demandrecord"),
    ("cms", "jargonterm"): ("webteam", "jargonterm"),
    ("cms", "contentcheckresult"): ("webteam", "contentcheckresult"),
    ("cms", "abtest"): ("webteam", "abtest"),
    ("cms", "abtestvariant"): ("webteam", "abtestvariant"),
    ("cms", "abtestparticipant"): ("webteam", "abtestparticipant"),
}

# Tables that an upgrade renames on purpose, old name -> new name. The moves keep their
# tables (db_table stays), so there are none; a rename belongs here, or the test fails.
TABLE_RENAMES: dict[str, str] = {}

# Tables that may gain rows, but never lose one: each keeps every old row's key columns.
# Everything else must keep exactly its number of rows.
GROWING_TABLES: dict[str, tuple[str, ...]] = {
    # Every migration this tree adds is one more row.
    "django_migrations": ("app", "name"),
    # Models new in this tree get a content type and permissions (moved ones keep theirs;
    # the content type checks below hold them to that).
    "django_content_type": ("id",),
    "auth_permission": ("id", "content_type_id", "codename"),
    # cms.roles.ensure_roles runs after every migrate and grants the roles' permissions,
    # including ones this tree adds.
    "auth_group_permissions": ("group_id", "permission_id"),
    # bins' migration seeds the "bin day" synonym group on every site (bins/seed.py); every
    # synonym the baseline had must still be there, by id.
    "search_synonym": ("id",),
}

# Tables an upgrade changes on purpose, whatever the baseline held: ``core.roles.ensure_roles``
# folds Wagtail's stock "Editors" and "Moderators" groups (and their permissions) into
# Signpost's roles, adds the Translator role, saves the approval workflow's review task (the
# link the baseline never stored) and applies the workflow to forms and services.
RECONFIGURED_TABLES = frozenset(
    {
        "auth_group",
        "auth_group_permissions",
        "auth_user_groups",
        "wagtailcore_grouppagepermission",
        "wagtailcore_groupapprovaltask_groups",
        "wagtailcore_workflowtask",
        "wagtailcore_workflowcontenttype",
    }
)

BASELINE_STEPS = [
    ["manage", "migrate", "--noinput"],
    ["manage", "createcachetable"],
    ["manage", "load_demo"],
    ["call", str(Path(__file__).resolve().parent / "harness" / "upgrade_seed.py"), "seed"],
]
UPGRADE_STEPS = [
    ["manage", "migrate", "--noinput"],
    ["manage", "migrate", "--check"],  # exits 1 if anything is left to apply
    ["manage", "makemigrations", "--check", "--dry-run"],  # exits 1 if a migration is missing
]
REUPGRADE_STEPS = UPGRADE_STEPS[:2]
# Signpost's apps, newest layer first: each is taken back to where the baseline left it (or
# to nothing, if the baseline did not have it). Django also takes back whatever depends on a
# migration it reverses, in any app.
OWN_APPS = [
    "cms",
    "journeys",
    "webteam",
    "backlog",
    "bins",
    "eforms",
    "directory",
    "personas",
    "search",
    "core",
]
# A round trip (down to the baseline's migrations and up again) must give back exactly what
# the upgrade made: every table's rows, these tables row by row, and every content type.
ROUND_TRIP_KEYS: dict[str, tuple[str, ...]] = {
    **GROWING_TABLES,
    # Pages and their translations: same page, language, translation key, title, state.
    "wagtailcore_page": ("id", "locale_id", "translation_key", "title", "live", "url_path"),
    "wagtail_localize_translation": ("id", "source_id", "target_locale_id"),
    "wagtailcore_locale": ("id", "language_code"),
}


def moved_tables(tables: dict[str, int]) -> list[str]:
    """The baseline tables of the moved models, with their many-to-many tables."""
    prefixes = [f"{app}_{model}" for app, model in CONTENT_TYPE_MOVES]
    return sorted(t for t in tables if any(t == p or t.startswith(p + "_") for p in prefixes))


def baseline_problems(before: Snapshot) -> list[str]:
    """Reasons the baseline would make the comparison prove nothing."""
    problems = []
    names = set(before.content_types.values())
    for source in CONTENT_TYPE_MOVES:
        if source not in names:
            problems.append(f"CONTENT_TYPE_MOVES names {source}, which the baseline does not have")
    for table in moved_tables(before.counts):
        if before.counts[table] == 0:
            problems.append(
                f"baseline table {table} is empty: add a row in tests/harness/upgrade_seed.py"
            )
    return problems


def table_problems(before: Snapshot, after: Snapshot) -> list[str]:
    """Every table is still there (or renamed as declared) with its rows."""
    problems = []
    for old_name, rows in sorted(before.counts.items()):
        name = TABLE_RENAMES.get(old_name, old_name)
        if old_name in RECONFIGURED_TABLES:
            continue
        if name not in after.counts:
            renamed = f" (renamed to {name})" if name != old_name else ""
            problems.append(f"table {old_name}{renamed} is gone (rows before: {rows})")
            continue
        now = after.counts[name]
        if old_name in GROWING_TABLES:
            lost = before.keys[old_name] - after.keys[name]
            if lost:
                columns = ", ".join(GROWING_TABLES[old_name])
                sample = ", ".join(map(str, sorted(lost, key=str)[:5]))
                problems.append(f"{name} lost {len(lost)} rows, by ({columns}): {sample}")
        elif now != rows:
            problems.append(f"{name}: {rows} rows before, {now} after")
    return problems


def content_type_problems(before: Snapshot, after: Snapshot) -> list[str]:
    """Every content type keeps its id; one that changes app label does so as declared, and
    no moved model gets a second, new content type instead."""
    problems = []
    for ct_id, old in sorted(before.content_types.items()):
        new = after.content_types.get(ct_id)
        if new is None:
            problems.append(f"content type {ct_id} {old} is gone")
        elif new != old and CONTENT_TYPE_MOVES.get(old) != new:
            expected = CONTENT_TYPE_MOVES.get(old, old)
            problems.append(f"content type {ct_id} {old} became {new}, expected {expected}")
    old_ids = {name: ct_id for ct_id, name in before.content_types.items()}
    new_ids = {name: ct_id for ct_id, name in after.content_types.items()}
    for source, target in CONTENT_TYPE_MOVES.items():
        if target in new_ids and source in old_ids and new_ids[target] != old_ids[source]:
            problems.append(
                f"{target} has a new content type {new_ids[target]} instead of keeping "
                f"{source}'s id {old_ids[source]} (rename the content type in the migration)"
            )
    return problems


def reference_problems(before: Snapshot, after: Snapshot) -> list[str]:
    """Rows that point at a content type (revisions, log entries, pages, tags, references...)
    still point at the same one, table by table, so none were repointed or orphaned."""
    problems = []
    for (table, column), old in sorted(before.content_type_references.items()):
        if table in GROWING_TABLES or table in RECONFIGURED_TABLES:
            continue  # their old rows are checked by key in table_problems, or change on purpose
        new = after.content_type_references.get((TABLE_RENAMES.get(table, table), column))
        if new is None:
            problems.append(f"{table}.{column} no longer refers to content types")
            continue
        for ct_id in sorted(set(old) | set(new), key=str):
            if old[ct_id] != new[ct_id]:
                name = before.content_types.get(ct_id) or after.content_types.get(ct_id)
                problems.append(
                    f"{table}.{column}: {old[ct_id]} rows pointed at content type {ct_id} "
                    f"{name}, now {new[ct_id]}"
                )
    return problems


@pytest.mark.slow
def downgrade_steps(baseline: Snapshot) -> list[list[str]]:
    """``migrate <app> <the baseline's last migration of it>`` (or ``zero``), for every app."""
    applied = baseline.keys["django_migrations"]
    steps = []
    for app in OWN_APPS:
        names = sorted(name for label, name in applied if label == app)
        steps.append(["manage", "migrate", app, names[-1] if names else "zero", "--noinput"])
    return steps


def round_trip_problems(upgraded: Snapshot, again: Snapshot) -> list[str]:
    """What a downgrade to the baseline's migrations and back up changed: nothing may."""
    problems = []
    for table, rows in sorted(upgraded.counts.items()):
        if table not in again.counts:
            problems.append(f"table {table} is gone (rows before: {rows})")
        elif again.counts[table] != rows:
            problems.append(f"{table}: {rows} rows before, {again.counts[table]} after")
    for table in sorted(set(again.counts) - set(upgraded.counts)):
        problems.append(f"table {table} is new after the round trip")
    for table, keys in sorted(upgraded.keys.items()):
        lost, gained = keys - again.keys.get(table, set()), again.keys.get(table, set()) - keys
        if lost or gained:
            sample = ", ".join(map(str, sorted(lost | gained, key=str)[:3]))
            problems.append(f"{table}: {len(lost)} rows lost, {len(gained)} new ({sample})")
    if again.content_types != upgraded.content_types:
        changed = set(again.content_types.items()) ^ set(upgraded.content_types.items())
        problems.append(f"content types changed: {sorted(changed)}")
    return problems


def test_upgrade_from_baseline_keeps_every_row(
    tmp_path: Path, record_property: Callable[[str, object], None]
) -> None:
    unavailable = baseline_unavailable(BASELINE_COMMIT)
    if unavailable:
        message = f"upgrade test cannot check out its baseline: {unavailable}"
        if os.environ.get("CI", "").lower() in ("true", "1"):
            pytest.fail(f"{message} (CI=true)", pytrace=False)
        pytest.skip(message)

    timings: list[tuple[str, float]] = []
    baseline = tmp_path / "baseline"
    start = time.perf_counter()
    export_tree(BASELINE_COMMIT, baseline)
    timings.append(("baseline: git archive", time.perf_counter() - start))

    with scratch_database(tmp_path) as database:
        for label, seconds in run_steps(
            baseline, BASELINE_STEPS, database.url, tmp_path, "baseline"
        ):
            timings.append((f"baseline: {label}", seconds))
        before = database.snapshot(GROWING_TABLES)
        for label, seconds in run_steps(
            REPO_ROOT, UPGRADE_STEPS, database.url, tmp_path, "upgrade"
        ):
            timings.append((f"this tree: {label}", seconds))
        after = database.snapshot(GROWING_TABLES)
        # Issue 19, part 9: every migration since the baseline runs backwards on the upgraded
        # demo (this tree's code, as an operator rolls a release back before deploying the
        # old one), the baseline's code finds nothing to apply, and upgrading again gives
        # back every row.
        upgraded = database.snapshot(ROUND_TRIP_KEYS)
        for label, seconds in run_steps(
            REPO_ROOT, downgrade_steps(before), database.url, tmp_path, "downgrade"
        ):
            timings.append((f"this tree: {label}", seconds))
        for label, seconds in run_steps(
            baseline, [["manage", "migrate", "--check"]], database.url, tmp_path, "downgraded"
        ):
            timings.append((f"baseline: {label}", seconds))
        for label, seconds in run_steps(
            REPO_ROOT, REUPGRADE_STEPS, database.url, tmp_path, "upgrade again"
        ):
            timings.append((f"this tree again: {label}", seconds))
        again = database.snapshot(ROUND_TRIP_KEYS)

    summary = ", ".join(f"{label} {seconds:.1f} s" for label, seconds in timings)
    record_property("timings", summary)
    print(f"upgrade test ({type(database).__name__}): {summary}")

    problems = baseline_problems(before)
    assert not problems, "The baseline proves nothing:\n" + "\n".join(problems)
    problems = [
        *table_problems(before, after),
        *content_type_problems(before, after),
        *reference_problems(before, after),
    ]
    assert not problems, f"Upgrading from {BASELINE_COMMIT[:7]} lost or moved data:\n" + "\n".join(
        problems
    )
    problems = round_trip_problems(upgraded, again)
    assert not problems, (
        f"Down to {BASELINE_COMMIT[:7]}'s migrations and up again changed data:\n"
        + "\n".join(problems)
    )


# The comparison itself, on made-up snapshots: quick, and proof that the slow test can fail.


def snapshot(**changes) -> Snapshot:
    """A small baseline-like snapshot, with ``changes`` applied to its fields."""
    fields = {
        "counts": {"personas_deliveryunit": 3, "django_migrations": 2, "wagtailcore_revision": 5},
        "content_types": {41: ("personas", "deliveryunit"), 52: ("eforms", "formdefinition")},
        "keys": {"django_migrations": {("personas", "0001_initial"), ("cms", "0001_initial")}},
        "content_type_references": {
            ("wagtailcore_modellogentry", "content_type_id"): Counter({41: 1, 52: 27})
        },
    }
    fields.update(changes)
    return Snapshot(**fields)


def all_problems(before: Snapshot, after: Snapshot) -> list[str]:
    return [
        *table_problems(before, after),
        *content_type_problems(before, after),
        *reference_problems(before, after),
    ]


def test_a_move_that_renames_the_content_type_and_adds_migrations_passes() -> None:
    after = snapshot(
        counts={"personas_deliveryunit": 3, "django_migrations": 3, "wagtailcore_revision": 5},
        content_types={41: ("core", "deliveryunit"), 52: ("eforms", "formdefinition")},
        keys={
            "django_migrations": {
                ("personas", "0001_initial"),
                ("cms", "0001_initial"),
                ("core", "0001_initial"),
            }
        },
    )
    assert all_problems(snapshot(), after) == []


def test_a_new_content_type_for_a_moved_model_fails() -> None:
    after = snapshot(
        content_types={
            41: ("personas", "deliveryunit"),
            52: ("eforms", "formdefinition"),
            113: ("core", "deliveryunit"),
        },
        content_type_references={
            ("wagtailcore_modellogentry", "content_type_id"): Counter({113: 1, 52: 27})
        },
    )
    problems = all_problems(snapshot(), after)
    assert any("has a new content type 113" in p for p in problems), problems
    assert any("1 rows pointed at content type 41" in p for p in problems), problems


def test_lost_rows_tables_and_migration_records_fail() -> None:
    after = snapshot(
        counts={"django_migrations": 2, "wagtailcore_revision": 4},
        content_types={52: ("eforms", "formdefinition")},
        keys={"django_migrations": {("cms", "0001_initial"), ("core", "0001_initial")}},
    )
    problems = all_problems(snapshot(), after)
    assert "table personas_deliveryunit is gone (rows before: 3)" in problems
    assert "wagtailcore_revision: 5 rows before, 4 after" in problems
    assert any(p.startswith("django_migrations lost 1 rows") for p in problems), problems
    assert "content type 41 ('personas', 'deliveryunit') is gone" in problems


def test_the_downgrade_takes_each_app_back_to_the_baseline_or_to_nothing() -> None:
    baseline = snapshot(
        keys={
            "django_migrations": {
                ("cms", "0001_initial"),
                ("cms", "0002_initial"),
                ("personas", "0001_initial"),
            }
        }
    )
    steps = {step[2]: step[3] for step in downgrade_steps(baseline)}
    assert steps["cms"] == "0002_initial" and steps["personas"] == "0001_initial"
    assert steps["core"] == "zero" and steps["webteam"] == "zero"
    assert list(steps) == OWN_APPS  # newest layer first


def test_a_round_trip_that_loses_a_row_a_translation_or_adds_a_content_type_fails() -> None:
    upgraded = snapshot(
        keys={
            "wagtailcore_page": {
                (1, 1, "k", "Home", True, "/home/"),
                (2, 2, "k", "Start", True, "/start/"),
            }
        }
    )
    again = snapshot(
        counts={"personas_deliveryunit": 3, "django_migrations": 2, "wagtailcore_revision": 4},
        content_types={
            41: ("personas", "deliveryunit"),
            52: ("eforms", "formdefinition"),
            137: ("webteam", "jargonterm"),
        },
        keys={"wagtailcore_page": {(1, 1, "k", "Home", True, "/home/")}},
    )
    problems = round_trip_problems(upgraded, again)
    assert "wagtailcore_revision: 5 rows before, 4 after" in problems
    assert any(p.startswith("wagtailcore_page: 1 rows lost, 0 new") for p in problems), problems
    assert any("137" in p and p.startswith("content types changed") for p in problems), problems
    assert round_trip_problems(upgraded, upgraded) == []
