"""Nothing in the project names a folder on one person's machine.

Such a path works for whoever wrote it and misleads everyone else (a docstring once sent readers
to one machine's copy of the shared search queries instead of ``../shared/search/``).
"""

import re
from pathlib import Path

from django.conf import settings

MACHINE_PATH = re.compile(r"(?<![\w.])/(?:work|home)/\w")
TEXT_SUFFIXES = {".py", ".md", ".html", ".txt", ".toml", ".cfg", ".ini", ".json", ".yml", ".yaml"}
TEXT_NAMES = {"Makefile", "Dockerfile"}
# What .gitignore keeps out of the repository: made by running the project, not written.
SKIPPED_FOLDERS = {
    "__pycache__",
    "media",
    "node_modules",
    "private_media",
    "static_collected",
    "test-artifacts",
}


def _skipped(folder: str) -> bool:
    return folder.startswith(".") or folder in SKIPPED_FOLDERS or folder.endswith(".egg-info")


def project_text_files() -> list[Path]:
    """The project's own text files: hidden folders (.git, .venv) and generated ones skipped."""
    root = Path(settings.BASE_DIR)
    files = []
    for path in root.rglob("*"):
        parts = path.relative_to(root).parts
        if any(_skipped(part) for part in parts[:-1]):
            continue
        if path.is_file() and (path.suffix in TEXT_SUFFIXES or path.name in TEXT_NAMES):
            files.append(path)
    return files


def test_no_file_names_a_folder_on_one_machine() -> None:
    root = Path(settings.BASE_DIR)
    found = []
    for path in project_text_files():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if MACHINE_PATH.search(line):
                found.append(f"{path.relative_to(root)}:{number}: {line.strip()}")
    assert project_text_files(), "no files found: is BASE_DIR the project's folder?"
    assert found == []
