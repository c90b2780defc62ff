"""The code keeps the shape DESIGN.md describes, so the next change lands in the right place."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("app", "tenants", "workers", "streamlit_portal")
MAX_LINES = 300


def sources() -> list[Path]:
    return [p for pkg in PACKAGES for p in (ROOT / pkg).rglob("*.py")]


def test_no_module_is_over_about_300_lines():
    long = {
        str(p.relative_to(ROOT)): n
        for p in sources()
        if (n := len(p.read_text().splitlines())) > MAX_LINES
    }
    assert long == {}, "split these modules by what they do"


def test_create_app_only_wires_extensions_and_blueprints():
    tree = ast.parse((ROOT / "app" / "__init__.py").read_text())
    factory = next(
        n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "create_app"
    )
    allowed = {"Flask", "from_object", "init_app", "install", "register_blueprint", "str"}
    allowed.add("OutlayFlask")  # Flask with external URLs on the base URL (app/links.py)
    for node in ast.walk(factory):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            assert name in allowed or name == "Config", f"create_app calls {name}()"
        assert not isinstance(node, ast.FunctionDef | ast.Lambda) or node is factory, (
            "create_app defines a function: put it in its module's init_app"
        )


def test_views_leave_commits_to_services():
    for path in (ROOT / "app" / "web").rglob("*.py"):
        assert "session.commit(" not in path.read_text(), f"{path.name} commits; a service should"


def test_errors_map_to_http_in_one_place():
    handlers = [
        str(p.relative_to(ROOT))
        for p in sources()
        if "errorhandler(" in p.read_text() or "register_error_handler(" in p.read_text()
    ]
    assert handlers == ["app/errors.py"]


def test_tenant_settings_are_written_in_one_place():
    writers = [
        str(p.relative_to(ROOT)) for p in sources() if "set_config('app.org_id'" in p.read_text()
    ]
    assert writers == ["tenants/context.py"]


def test_ruff_check_and_format_are_clean():
    ruff = Path(sys.executable).parent / "ruff"
    check = subprocess.run([str(ruff), "check", "."], cwd=ROOT, capture_output=True, text=True)
    assert check.returncode == 0, check.stdout[-3000:]
    fmt = subprocess.run(
        [str(ruff), "format", "--check", "."], cwd=ROOT, capture_output=True, text=True
    )
    assert fmt.returncode == 0, fmt.stdout[-3000:]


# --- imports only go down -----------------------------------------------------------------
# web / api / admin / workers / portal -> services -> queries -> models -> app core -> tenants
# -> extensions (docs/architecture.md). A module may import its own layer and any layer below.
TOP, SERVICES, QUERIES, MODELS, CORE, TENANTS, BOTTOM = 6, 5, 4, 3, 2, 1, 0
LAYERS: dict[str, int] = {
    "app.extensions": BOTTOM,
    "app.config": BOTTOM,  # settings: reads the environment, imports nothing of ours
    "tenants": TENANTS,
    "app.errors": CORE,
    "app.money": CORE,
    "app.input": CORE,
    "app.clock": BOTTOM,  # the stdlib-only clock: config reads it for Flask-Security timestamps
    "app.seat": CORE,
    "app.jobs": CORE,
    "app.storage": CORE,
    "app.links": CORE,  # links from the configured base URL, for mail built outside a request
    "app.emails": CORE,  # renders a mail from a template, for the mail jobs
    "app.plain_text": CORE,  # text as text for Markdown and plotly; the one-line rule
    "app.models": MODELS,
    "app.queries": QUERIES,
    "app.services": SERVICES,
    # Entry points and the composition root: they may import anything.
    "app": TOP,
    "app.web": TOP,
    "app.api": TOP,
    "app.admin": TOP,
    "app.demo": TOP,
    "workers": TOP,
    "streamlit_portal": TOP,
}
# Upward imports another helper is removing in this round; the lead empties this after merging.
KNOWN_UPWARD: set[tuple[str, str]] = set()


def layer_of(module: str) -> int | None:
    """The layer of a dotted module name: its longest listed prefix (None: not ours)."""
    parts = module.split(".")
    for n in range(len(parts), 0, -1):
        if (prefix := ".".join(parts[:n])) in LAYERS:
            return LAYERS[prefix]
    return None


def module_name(relative: str) -> str:
    name = relative.removesuffix(".py").replace("/", ".")
    return name.removesuffix(".__init__")


def _is_module(dotted: str) -> bool:
    path = ROOT.joinpath(*dotted.split("."))
    return path.with_suffix(".py").exists() or (path / "__init__.py").exists()


def imported_modules(relative: str, source: str) -> list[str]:
    """Every module `source` imports, at any depth (function-level imports too); for
    `from pkg import name` the submodule `pkg.name` when there is one."""
    package = module_name(relative)
    if not relative.endswith("__init__.py"):
        package = package.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                found.append(sub if _is_module(sub) else base)
    return found


def upward_imports(relative: str, source: str) -> list[str]:
    """`relative: importer -> imported` for each import that goes up a layer."""
    here = layer_of(module_name(relative))
    if here is None:
        return []
    bad = []
    for target in imported_modules(relative, source):
        there = layer_of(target)
        if there is not None and there > here and (relative, target) not in KNOWN_UPWARD:
            bad.append(f"{relative}: imports {target} (layer {there} > {here})")
    return bad


def test_imports_only_go_down():
    bad = []
    for path in sources():
        relative = str(path.relative_to(ROOT))
        bad += upward_imports(relative, path.read_text())
    assert bad == [], "\n".join(bad)


def test_the_layer_check_catches_an_upward_import_even_inside_a_function():
    hidden = "def guard():\n    from app.services import orgs\n    return orgs\n"
    assert upward_imports("tenants/permissions_probe.py", hidden) == [
        "tenants/permissions_probe.py: imports app.services.orgs (layer 5 > 1)"
    ]
    assert upward_imports("app/services/probe.py", "import workers.queues\n") == [
        "app/services/probe.py: imports workers.queues (layer 6 > 5)"
    ]
    assert upward_imports("app/models/probe.py", "from ..queries import budgets\n") == [
        "app/models/probe.py: imports app.queries.budgets (layer 4 > 3)"
    ]
    assert upward_imports("app/services/probe.py", "from app import jobs, money\n") == []


def test_known_upward_imports_are_still_there():
    # An entry that no longer exists is stale: remove it, so the list only shrinks.
    for relative, target in KNOWN_UPWARD:
        path = ROOT / relative
        assert path.exists() and target in imported_modules(relative, path.read_text()), (
            f"{relative} no longer imports {target}: remove it from KNOWN_UPWARD"
        )
