"""Public functions of geo/ say what they take and give: a numpy-style docstring with a Parameters section naming
every parameter and a Returns section when they return something (ruff's D rules, numpy convention, and its ANN
rules check the rest on geo/; see pyproject.toml)."""

from __future__ import annotations

import ast
import re
import textwrap

from helpers import REPO

#: Files Alembic runs itself (its environment and the revisions): not an API.
SCRIPTS = ("geo/store/migrations/env.py", "geo/store/migrations/versions/")


def _sections(doc: str) -> dict[str, list[str]]:
    """The numpydoc sections of a docstring: header -> its lines."""
    lines = doc.splitlines()
    out: dict[str, list[str]] = {}
    current = None
    for i, line in enumerate(lines):
        if i + 1 < len(lines) and re.fullmatch(r"\s*-{3,}\s*", lines[i + 1]) and line.strip():
            current = line.strip()
            out[current] = []
        elif current is not None and not re.fullmatch(r"\s*-{3,}\s*", line):
            out[current].append(line)
    return out


def _documented(lines: list[str]) -> set[str]:
    """The names a Parameters section describes ("a, b : int" describes both)."""
    names = set()
    for line in lines:
        if line.strip() and not line.startswith(" "):
            names |= {name.strip().lstrip("*") for name in line.split(" : ")[0].split(",")}
    return names


def undocumented(source: str, path: str = "geo/x.py") -> list[str]:
    """Every public function and method of `source` whose docstring lacks a parameter or the Returns section."""
    found = []
    tree = ast.parse(source)
    functions = [(None, node) for node in tree.body if isinstance(node, ast.FunctionDef)]
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and not node.name.startswith("_"):
            if any(ast.unparse(base) == "Protocol" for base in node.bases):
                continue  # the stubs of a protocol name the method whose docstring they follow
            functions += [(node.name, item) for item in node.body if isinstance(item, ast.FunctionDef)]
    for owner, function in functions:
        if function.name.startswith("_"):
            continue
        name = f"{path}::{owner + '.' if owner else ''}{function.name}"
        doc = ast.get_docstring(function)
        if not doc:
            found.append(f"{name}: no docstring")
            continue
        if any("property" in ast.unparse(d) for d in function.decorator_list):
            continue  # an attribute: its docstring says what it is
        sections = _sections(doc)
        arguments = function.args
        wanted = [a.arg for a in [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs] if a.arg not in ("self", "cls")]
        wanted += [a.arg for a in (arguments.vararg, arguments.kwarg) if a is not None]
        missing = [a for a in wanted if a not in _documented(sections.get("Parameters", []))]
        if missing:
            found.append(f"{name}: Parameters lacks {', '.join(missing)}")
        returns = function.returns
        gives = returns is not None and not (isinstance(returns, ast.Constant) and returns.value is None)
        if gives and "Returns" not in sections and "Yields" not in sections:
            found.append(f"{name}: no Returns section")
    return found


def test_every_public_function_of_geo_documents_its_parameters_and_what_it_returns():
    found = []
    for path in sorted((REPO / "geo").rglob("*.py")):
        relative = path.relative_to(REPO).as_posix()
        if not relative.startswith(SCRIPTS):
            found += undocumented(path.read_text(encoding="utf-8"), relative)
    assert found == []


def test_the_check_finds_each_gap():
    source = textwrap.dedent('''
        def summed(values: list[int], *, start: int = 0) -> int:
            """The sum.

            Parameters
            ----------
            values
                The numbers.
            """

        def quiet(x: int) -> None:
            """Nothing back.

            Parameters
            ----------
            x
                A number.
            """

        def bare(x):
            pass

        class Thing:
            def size(self, unit: str) -> float:
                """How big.

                Returns
                -------
                float
                    The size.
                """

            def _private(self, y):
                pass
        ''')
    assert undocumented(source) == [
        "geo/x.py::summed: Parameters lacks start", "geo/x.py::summed: no Returns section",
        "geo/x.py::bare: no docstring", "geo/x.py::Thing.size: Parameters lacks unit",
    ]
