"""The docs stay true to the code: every module, file and setting they name in backticks exists.

README.md and docs/*.md name paths (`app/config.py`), dotted names
(`workers.jobs.rates.refresh_rates`) and settings (`OUTLAY_PORTAL_URL`). A rename that leaves a
page behind fails here, naming the page and the stale reference.
"""

from __future__ import annotations

import ast
import re
import subprocess
from functools import cache
from pathlib import Path

import pytest

THIS = Path(__file__).resolve()
ROOT = THIS.parents[2]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
PACKAGES = ("app", "tenants", "workers", "streamlit_portal")
CODE_SUFFIXES = {".py", ".html", ".js", ".css", ".toml", ".conf", ".txt", ".cfg", ".sh"}

FENCE = re.compile(r"```.*?```", re.S)
TICKED = re.compile(r"`([^`\n]+)`")
PATHLIKE = re.compile(r"^[A-Za-z0-9_.\-/]+$")
DOTTED = re.compile(r"^(?:" + "|".join(PACKAGES) + r")(?:\.[A-Za-z_]\w*)+$")
SETTING = re.compile(r"^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$")


@cache
def _top_level() -> frozenset[str]:
    """The repository's own top-level entries (what git tracks, plus untracked new files): a
    folder the tests or the app create at run time (test-artifacts/, instance/) is not one."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return frozenset(line.split("/")[0] for line in listed.splitlines() if line)


@cache
def _code_text() -> str:
    """Every source and build file, where a setting's name must appear to exist."""
    texts = []
    for pattern in ("**/*.py", "**/*.html", "infra/*", "Makefile", "Procfile", ".ci/*"):
        for path in ROOT.glob(pattern):
            if path.is_file() and path != THIS and not {".venv", "instance"} & set(path.parts):
                texts.append(path.read_text(errors="replace"))
    return "\n".join(texts)


@cache
def _file_names() -> frozenset[str]:
    return frozenset(
        p.name for p in ROOT.rglob("*.py") if ".venv" not in p.parts and "instance" not in p.parts
    )


def _defines(module: Path, name: str) -> bool:
    tree = ast.parse(module.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            if node.name == name:
                return True
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Name) and t.id == name for t in targets):
                return True
        elif isinstance(node, ast.ImportFrom | ast.Import) and any(
            (a.asname or a.name.split(".")[0]) == name for a in node.names
        ):
            return True
    return False


def _dotted_exists(ref: str) -> bool:
    parts = ref.split(".")
    for cut in range(len(parts), 0, -1):
        base = ROOT.joinpath(*parts[:cut])
        module = base.with_suffix(".py")
        if base.is_dir() and (base / "__init__.py").exists():
            module = base / "__init__.py"
        if not module.exists():
            continue
        rest = parts[cut:]
        return not rest or _defines(module, rest[0])
    return False


def _names_a_module(ref: str) -> bool:
    # `app.org_id` is a PostgreSQL setting and `app.url_map` a Flask attribute: a dotted name
    # is a module reference when its second part is a module or package of the first.
    first, second = ref.split(".")[:2]
    return (ROOT / first / f"{second}.py").exists() or (ROOT / first / second).is_dir()


def _is_stale(ref: str) -> bool:
    if SETTING.match(ref):
        return ref not in _code_text()
    if DOTTED.match(ref) and _names_a_module(ref):
        return not _dotted_exists(ref)
    if not PATHLIKE.match(ref):
        return False
    if "/" in ref:
        return ref.split("/")[0] in _top_level() and not (ROOT / ref).exists()
    return Path(ref).suffix == ".py" and ref not in _file_names()


def stale_references(text: str) -> list[str]:
    """The backticked names in `text` that point at nothing in the repository."""
    refs = (ref.strip().rstrip("/") for ref in TICKED.findall(FENCE.sub("", text)))
    return [ref for ref in refs if _is_stale(ref)]


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_page_names_only_what_exists(page: Path) -> None:
    assert stale_references(page.read_text()) == []


def test_a_stale_reference_is_caught() -> None:
    text = (
        "See `app/no_such_module.py`, `workers.jobs.rates.no_such_job`, `OUTLAY_NO_SUCH_SETTING`"
        " and `missing_file.py`; `app/config.py` and `workers.jobs.rates.refresh_rates` exist."
    )
    assert stale_references(text) == [
        "app/no_such_module.py",
        "workers.jobs.rates.no_such_job",
        "OUTLAY_NO_SUCH_SETTING",
        "missing_file.py",
    ]


def test_readme_is_a_front_page() -> None:
    readme = (ROOT / "README.md").read_text()
    assert len(readme.splitlines()) <= 150
    first_block = readme.split("```")[1]
    assert "make run" in first_block and "make test" in first_block
