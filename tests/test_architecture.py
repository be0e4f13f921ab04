"""The house's layering (docs/architecture.md), checked from the imports themselves.

`lint-imports` (import-linter, configured in pyproject.toml) keeps the layers: an app imports only
the apps below it, function-local imports included. These tests run it, prove it fails on an
upward import, and check the second rule import-linter cannot express: one app reaches another
only through that app's documented seams.
"""

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
APPS = (
    "core",
    "search",
    "personas",
    "directory",
    "eforms",
    "bins",
    "backlog",
    "webteam",
    "journeys",
    "cms",
)

# What one app may import of another (core, the shared kernel, is public throughout).
SEAMS = {"api", "models"}
# Where the site itself gathers every app's parts, and only there.
SITE_SEAMS = {
    "openapi": {"cms.openapi.document"},  # each app describes its own endpoints
    "demo": {"cms.management.commands.load_demo"},  # the demo loader runs each app's demo
}


def _lint_imports(cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_layers_contract_is_kept():
    result = _lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout


def test_an_upward_import_breaks_the_contract(tmp_path):
    """The contract is not vacuous: core importing the site, even inside a function, fails it."""
    for name in APPS:
        shutil.copytree(
            ROOT / name,
            tmp_path / name,
            ignore=shutil.ignore_patterns("__pycache__", "templates", "static"),
        )
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    (tmp_path / "core" / "upward.py").write_text(
        "def site_urls():\n    from cms import urls\n\n    return urls\n"
    )

    result = _lint_imports(tmp_path)

    assert result.returncode != 0
    assert "BROKEN" in result.stdout
    assert "core.upward -> cms.urls" in result.stdout


def _cross_app_imports():
    graph = grimp.build_graph(*APPS, cache_dir=None)
    for importer in sorted(graph.modules):
        if ".tests" in importer or ".migrations" in importer:
            continue
        for imported in sorted(graph.find_modules_directly_imported_by(importer)):
            importer_app, imported_app = importer.split(".")[0], imported.split(".")[0]
            if imported_app != importer_app:
                yield importer, imported


def test_apps_meet_only_through_their_seams():
    sys.path.insert(0, str(ROOT))
    try:
        crossings = list(_cross_app_imports())
    finally:
        sys.path.remove(str(ROOT))
    assert crossings, "the graph found no imports between apps: the check would prove nothing"
    wrong = []
    for importer, imported in crossings:
        app, _, module = imported.partition(".")
        if app == "core" or module in SEAMS or importer in SITE_SEAMS.get(module, ()):
            continue
        wrong.append(f"{importer} imports {imported}")
    assert not wrong, "Import another app only through its api.py or models.py:\n" + "\n".join(
        wrong
    )


def _function_local_imports(path: Path) -> list[int]:
    """Line numbers of imports inside functions that give no reason for being there.

    A reason is a comment on the import's line or the line above it; ``AppConfig.ready()`` needs
    none (models can only be imported once the app registry is ready).
    """
    lines = path.read_text(encoding="utf-8").splitlines()
    undocumented = []

    def visit(node: ast.AST, function: str | None) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                visit(child, child.name)
            elif isinstance(child, ast.Import | ast.ImportFrom) and function not in (None, "ready"):
                here = lines[child.lineno - 1]
                above = lines[child.lineno - 2].strip() if child.lineno > 1 else ""
                if "#" not in here and not above.startswith("#"):
                    undocumented.append(child.lineno)
            else:
                visit(child, function)

    visit(ast.parse("\n".join(lines)), None)
    return undocumented


def test_imports_sit_at_the_top_of_modules_unless_a_comment_says_why():
    wrong = []
    for name in APPS:
        for path in sorted((ROOT / name).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if "/tests/" in relative or "/migrations/" in relative:
                continue
            wrong += [f"{relative}:{line}" for line in _function_local_imports(path)]
    assert not wrong, "Move these imports to the top, or say why they can't be:\n" + "\n".join(
        wrong
    )
