"""The layering rules of the house, checked over every file of the tree (nothing here lists modules by hand).

The modules are the ``.py`` files under ``geo/``, ``ui/`` and ``pages/`` and ``app.py``; their imports are every
``import`` and ``from ... import`` anywhere in a file (module level, inside functions, under ``if TYPE_CHECKING``,
in ``try`` blocks), relative imports resolved, plus ``importlib.import_module("...")`` / ``__import__("...")`` with a
literal name. The rules (docs: the developers' guide and ``shared/notes/architecture.md``):

1. nothing under ``geo/`` imports ``ui``, ``pages`` or Streamlit (``streamlit``, ``streamlit_folium``);
2. no module of ``geo/`` outside ``geo/figures/`` imports ``geo.figures`` — the command line (``geo.cli``) aside,
   which is a face like the pages;
3. ``pages/`` and ``app.py`` import only ``ui`` and the words and formats of ``geo.figures.style``
   (:mod:`geo.figures.style.words`, :mod:`geo.figures.style.formats`) and ``geo.figures.language``;
4. no import cycle between modules: no two modules import each other, directly or through others.
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

from helpers import REPO

#: The folders whose modules the rules are about, and the app's entry point.
FOLDERS = ("geo", "ui", "pages")
ENTRY = "app.py"
#: The faces of the pipeline that may import the figure layer besides the figure layer itself.
FACES = ("geo.cli",)
#: What a page may import of the figure layer: words and formats, and the language switch.
PAGE_STYLE = ("geo.figures.style.words", "geo.figures.style.formats", "geo.figures.language")
STREAMLIT = ("streamlit", "streamlit_folium")
#: Files Alembic runs itself (its environment and the revisions): their imports are checked, but they are not modules
#: to import on their own.
ALEMBIC_SCRIPTS = ("geo.store.migrations.env", "geo.store.migrations.versions")


def module_name(path: Path, root: Path) -> str:
    """geo/figures/style/words.py -> geo.figures.style.words; geo/store/__init__.py -> geo.store."""
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def project_files(root: Path) -> dict[str, Path]:
    """Every module of the tree by name (derived from the folders, never listed by hand)."""
    files = {module_name(p, root): p for folder in FOLDERS for p in sorted((root / folder).rglob("*.py"))}
    if (root / ENTRY).exists():
        files[module_name(root / ENTRY, root)] = root / ENTRY
    return files


def imported_names(path: Path, name: str) -> list[tuple[str, str | None, int]]:
    """(module, imported name or None, line) of every import of a file, relative imports resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out: list[tuple[str, str | None, int]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(alias.name, None, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            out += [(module, alias.name, node.lineno) for alias in node.names]
        elif (isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant)
              and isinstance(node.args[0].value, str)):
            function = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if function in ("import_module", "__import__"):
                out.append((node.args[0].value, None, node.lineno))
    return out


def import_graph(root: Path) -> dict[str, dict[str, list[str]]]:
    """
    Module -> {imported module -> [what of it, with the line]}: ``from geo.figures import style`` is an import of the
    module ``geo.figures.style``; ``from geo.figures.style import word`` of ``geo.figures.style`` (name ``word``).
    External modules are kept by their full name.
    """
    files = project_files(root)
    graph: dict[str, dict[str, list[str]]] = {}
    for name, path in files.items():
        edges: dict[str, list[str]] = {}
        for module, imported, line in imported_names(path, name):
            target = f"{module}.{imported}" if imported and f"{module}.{imported}" in files else module
            edges.setdefault(target, []).append(f"{imported or module}:{line}")
        graph[name] = edges
    return graph


def _top(module: str) -> str:
    return module.split(".")[0]


def _within(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def public_names(path: Path) -> dict[str, str]:
    """What a package's ``__init__`` names, and the module of the package each name comes from."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {alias.asname or alias.name: node.module for node in tree.body if isinstance(node, ast.ImportFrom) and node.level == 1
            and node.module for alias in node.names}


def cycles(graph: dict[str, dict[str, list[str]]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = [0]

    def visit(node: str) -> None:
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, {}):
            if target == node or target not in graph:
                continue
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10_000))
    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(found)


def violations(root: Path) -> list[str]:
    """Every break of the four rules in the tree at `root`, one line each (empty when the house is kept)."""
    graph = import_graph(root)
    files = project_files(root)
    style_init = root / "geo" / "figures" / "style" / "__init__.py"
    style_names = public_names(style_init) if style_init.exists() else {}
    found = []
    for module, edges in sorted(graph.items()):
        for target, where in sorted(edges.items()):
            at = ", ".join(where)
            if _top(module) == "geo":
                if _top(target) in ("ui", "pages") or _top(target) in STREAMLIT:
                    found.append(f"rule 1: {module} imports {target} ({at})")
                if (_within(target, "geo.figures") and not _within(module, "geo.figures") and module not in FACES):
                    found.append(f"rule 2: {module} imports the figure layer {target} ({at})")
            if _top(module) == "pages" or module == module_name(root / ENTRY, root):
                if _top(target) not in ("geo", "ui", "pages") and target not in files:
                    continue  # the standard library and third-party packages (streamlit, streamlit_folium)
                if _top(target) == "ui":
                    continue
                if any(_within(target, allowed) for allowed in PAGE_STYLE):
                    continue
                if target == "geo.figures.style":
                    names = [w.split(":")[0] for w in where]
                    wrong = [n for n in names if f"geo.figures.style.{style_names.get(n, '?')}" not in PAGE_STYLE]
                    if not wrong:
                        continue
                    found.append(f"rule 3: {module} imports {', '.join(wrong)} of geo.figures.style, which are not words "
                                 f"or formats ({at})")
                    continue
                found.append(f"rule 3: {module} imports {target} ({at}); pages go through ui")
    found += [f"rule 4: import cycle {' -> '.join(component)}" for component in cycles(graph)]
    return found


# ---------------------------------------------------------------------------------------------- the tree


def test_the_modules_come_from_the_tree():
    files = project_files(REPO)
    on_disk = {p for folder in FOLDERS for p in (REPO / folder).rglob("*.py")}
    assert set(files.values()) == on_disk | {REPO / ENTRY}
    # What the old hand-kept list left out is in: the command line, changes, civilians, perpetrators, export,
    # uploads, auth, and every page.
    assert {"geo.cli", "geo.changes", "geo.civilians", "geo.perpetrators", "geo.export", "geo.uploads", "geo.auth",
            "pages.data", "app"} <= set(files)


def test_the_house_keeps_its_four_rules():
    assert violations(REPO) == []


def test_no_file_under_geo_imports_ui():
    """The issue's own check, with git: no import of ui anywhere under geo/."""
    listing = subprocess.run(["git", "grep", "-nE", r"^\s*(from ui\b|import ui\b|from \.\.+ui\b)", "--", "geo"], cwd=REPO,
                             capture_output=True, text=True)
    assert listing.returncode in (0, 1), listing.stderr  # 1: nothing found
    assert listing.stdout == ""


def test_importing_every_geo_module_loads_no_streamlit_and_the_pipeline_no_figure_module():
    """The module graph at run time: a fresh interpreter imports every module of geo but the faces and the figure
    layer — no geo.figures module and no streamlit* module may load (not even through a third-party library) — then
    every module of geo, and still no streamlit* module."""
    files = [m for m in project_files(REPO) if not any(_within(m, script) for script in ALEMBIC_SCRIPTS)]
    pipeline = sorted(m for m in files if _top(m) == "geo" and not _within(m, "geo.figures") and m not in (*FACES, "geo.__main__"))
    everything = sorted(m for m in files if _top(m) == "geo" and m != "geo.__main__")
    code = textwrap.dedent(f"""
        import importlib, json, sys
        for name in {pipeline!r}:
            importlib.import_module(name)
        figures = sorted(n for n in sys.modules if n.startswith("geo.figures"))
        for name in {everything!r}:
            importlib.import_module(name)
        loaded = sorted(n for n in sys.modules if n.split(".")[0].startswith("streamlit"))
        print(json.dumps({{"figures": figures, "streamlit": loaded}}))
    """)
    proc = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=300,
                          env={**os.environ, "PYTHONPATH": str(REPO)})
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert len(pipeline) >= 35 and result == {"figures": [], "streamlit": []}


# ---------------------------------------------------------------------------------------------- the check can fail


def _tree(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    return root


def test_each_rule_catches_its_break(tmp_path):
    """A small tree with one break of each rule (and a clean control of each): every break is found, nothing else."""
    root = _tree(tmp_path, {
        "geo/__init__.py": "",
        "geo/pipeline.py": """
            def late():
                from ui import views          # rule 1, inside a function
            """,
        "geo/plot_free.py": "import streamlit_folium\n",  # rule 1
        "geo/aggregate.py": "from .figures.style import word\n",  # rule 2, relative
        "geo/cli.py": "from .figures import exports\n",  # a face: allowed
        "geo/figures/__init__.py": "",
        "geo/figures/exports.py": "from geo import aggregate\n",
        "geo/figures/language.py": "",
        "geo/figures/style/__init__.py": "from .words import word\nfrom .formats import format_count\nfrom .colours import PALETTE\n",
        "geo/figures/style/words.py": "word = str\n",
        "geo/figures/style/formats.py": "format_count = str\n",
        "geo/figures/style/colours.py": "PALETTE = {}\n",
        "geo/a.py": "from . import b\n",
        "geo/b.py": "from . import c\n",
        "geo/c.py": "import importlib\nimportlib.import_module('geo.a')\n",  # rule 4: a -> b -> c -> a
        "ui/__init__.py": "",
        "ui/views.py": "from geo.figures import exports\n",
        "pages/good.py": "import streamlit as st\nfrom geo.figures.style import word, format_count\nfrom ui import views\n",
        "pages/colours.py": "from geo.figures.style import PALETTE, word\n",  # rule 3: a colour is not a word
        "pages/pipeline.py": "from geo.ingest import commit_batch\n",  # rule 3
        "app.py": "from geo.figures import exports\n",  # rule 3 for the entry point too
    })
    found = violations(root)
    expected = [
        "rule 1: geo.pipeline imports ui.views", "rule 1: geo.plot_free imports streamlit_folium",
        "rule 2: geo.aggregate imports the figure layer geo.figures.style",
        "rule 3: app imports geo.figures.exports", "rule 3: pages.colours imports PALETTE of geo.figures.style",
        "rule 3: pages.pipeline imports geo.ingest", "rule 4: import cycle geo.a -> geo.b -> geo.c",
    ]
    assert len(found) == len(expected), found
    for start in expected:
        assert any(line.startswith(start) for line in found), (start, found)


# ---------------------------------------------------------------------------------------------- caches


def unbounded_caches(root: Path) -> list[str]:
    """Every cache of geo/ and ui/ that can grow without bound: ``functools.cache``, ``lru_cache`` without a maxsize or
    with ``maxsize=None``, and module-level dictionaries that a function fills (``NAME[key] = ...`` under a def)."""
    found = []
    for name, path in project_files(root).items():
        if _top(name) not in ("geo", "ui"):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        module_dicts = {target.id for node in tree.body if isinstance(node, (ast.Assign, ast.AnnAssign))
                        for target in (node.targets if isinstance(node, ast.Assign) else [node.target])
                        if isinstance(target, ast.Name) and isinstance(node.value, (ast.Dict, ast.Call))
                        and (isinstance(node.value, ast.Dict) and not node.value.keys
                             or isinstance(node.value, ast.Call) and getattr(node.value.func, "id", "") == "dict"
                             and not node.value.args and not node.value.keywords)}
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                for decorator in node.decorator_list:
                    call = decorator if isinstance(decorator, ast.Call) else None
                    target = call.func if call else decorator
                    label = target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", "")
                    if label == "cache":
                        found.append(f"{name}.{node.name}: functools.cache")
                    elif label == "lru_cache":
                        size = next((k.value for k in call.keywords if k.arg == "maxsize"), None) if call else None
                        size = size if size is not None or not call or not call.args else call.args[0]
                        if size is None or (isinstance(size, ast.Constant) and size.value is None):
                            found.append(f"{name}.{node.name}: lru_cache without a maxsize")
                for inner in ast.walk(node):
                    if (isinstance(inner, ast.Subscript) and isinstance(inner.ctx, ast.Store)
                            and isinstance(inner.value, ast.Name) and inner.value.id in module_dicts):
                        found.append(f"{name}.{node.name}: fills the module-level dict {inner.value.id}")
    return sorted(set(found))


def test_every_cache_of_geo_and_ui_is_bounded(tmp_path):
    assert unbounded_caches(REPO) == []
    root = _tree(tmp_path, {
        "geo/__init__.py": "",
        "geo/a.py": """
            import functools
            from functools import lru_cache
            _SEEN: dict[str, int] = {}
            KNOWN = {"a": 1}

            @functools.cache
            def one(x): return x

            @lru_cache
            def two(x): return x

            @lru_cache(maxsize=None)
            def three(x): return x

            @lru_cache(maxsize=8)
            def bounded(x): return x

            def four(x):
                _SEEN[x] = 1
                return KNOWN[x]
            """,
    })
    assert unbounded_caches(root) == ["geo.a.four: fills the module-level dict _SEEN", "geo.a.one: functools.cache",
                                      "geo.a.three: lru_cache without a maxsize", "geo.a.two: lru_cache without a maxsize"]
