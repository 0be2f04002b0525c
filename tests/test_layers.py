"""The plan of the package, kept honest: two layers, imports only pointing down, no circle, and a
core that reads in an afternoon (STYLE.md rule 7).

The layers are listed here, once. The README's "Reading order" must list READING_PATH.
"""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "tinygrad_edu"

# The core: what `loss.backward()` needs. It imports nothing from the wing (all other modules).
CORE = ["tinygrad_edu.backend", "tinygrad_edu.arrays", "tinygrad_edu.random", "tinygrad_edu.dtypes",
        "tinygrad_edu.tensor_base", "tinygrad_edu.tensor", "tinygrad_edu.autograd",
        "tinygrad_edu.ops"]

# The core's files in the order a student reads them; the budget below is for these.
READING_PATH = ["tinygrad_edu/backend.py", "tinygrad_edu/dtypes.py", "tinygrad_edu/tensor_base.py",
                "tinygrad_edu/tensor.py", "tinygrad_edu/autograd/node.py",
                "tinygrad_edu/autograd/primitive.py", "tinygrad_edu/autograd/engine.py",
                "tinygrad_edu/autograd/grad_mode.py", "tinygrad_edu/ops/_broadcast.py",
                "tinygrad_edu/ops/elementwise.py", "tinygrad_edu/ops/reduce.py",
                "tinygrad_edu/ops/movement.py", "tinygrad_edu/ops/indexing.py",
                "tinygrad_edu/ops/linalg.py"]
READING_PATH_BUDGET = 2000
MAX_FILE_LINES = 400
CHECKED_FOR_SIZE = ("tinygrad_edu", "parity", "benchmarks", "examples")

# The only modules that name NumPy or CuPy; everything else gets its array module from them.
ARRAY_LIBRARY_MODULES = {"tinygrad_edu.backend", "tinygrad_edu.arrays", "tinygrad_edu.random"}


# ----------------------------------------------------------------------------- the import graph

def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def imports_of(path: Path, name: str, modules: set) -> tuple[set, list]:
    """(modules of the package `path` imports at module level, imports placed in functions)."""
    tree = ast.parse(path.read_text())
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    top, inner = set(), []
    function_nodes = {id(n) for f in ast.walk(tree)
                      if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef))
                      for n in ast.walk(f) if n is not f}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[:len(anchor) - node.level + 1]
                base = ".".join(anchor + ([node.module] if node.module else []))
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base
                       for alias in node.names]
        else:
            continue
        if id(node) in function_nodes:
            inner.append((node.lineno, targets))
            continue
        for target in targets:
            while target and target not in modules:
                target = target.rpartition(".")[0]
            if target:
                top.add(target)
    return top, inner


def import_graph(root: Path = ROOT, package: str = PACKAGE):
    """{module: modules it imports at load time}, and the imports placed inside functions.
    Importing a.b.c runs the package a.b's __init__ first, so that is an edge too, unless a.b is
    a package the importing module itself lives in (then it is already being imported)."""
    files = {module_name(p, root): p for p in (root / package).rglob("*.py")}
    modules = set(files)
    graph, inner = {}, {}
    for name, path in files.items():
        top, inside = imports_of(path, name, modules)
        edges = set()
        for target in top:
            parts = target.split(".")
            for i in range(2, len(parts) + 1):
                prefix = ".".join(parts[:i])
                if not name.startswith(prefix + "."):
                    edges.add(prefix)
        edges.discard(name)
        graph[name] = edges
        inner[name] = inside
    return graph, inner


def cycles(graph: dict) -> list:
    """The strongly connected components with more than one module (Tarjan, iteratively)."""
    index, low, on_stack, stack, found = {}, {}, set(), [], []
    counter = 0
    for start in graph:
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
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
    return found


def in_core(module: str) -> bool:
    return any(module == c or module.startswith(c + ".") for c in CORE)


def upward_imports(graph: dict) -> list:
    return sorted((m, t) for m, targets in graph.items() if in_core(m)
                  for t in targets if t.startswith(PACKAGE + ".") and not in_core(t))


def dodging_imports(inner: dict, package: str = PACKAGE) -> list:
    """Imports inside functions, other than optional dependencies and the standard library's."""
    found = []
    for module, entries in inner.items():
        for line, targets in entries:
            for target in targets:
                if target.startswith((PACKAGE, package)) or target.startswith("."):
                    found.append(f"{module}:{line} imports {target}")
    return found


def test_no_import_circle_anywhere_in_the_package():
    graph, _ = import_graph()
    assert cycles(graph) == []


def test_parity_has_no_import_circle_and_no_dodging_import():
    graph, inner = import_graph(package="parity")
    assert cycles(graph) == []
    assert dodging_imports(inner, "parity") == []


def test_the_core_imports_nothing_above_it():
    graph, _ = import_graph()
    assert upward_imports(graph) == []


def test_no_import_is_placed_inside_a_function_to_dodge_a_circle():
    _, inner = import_graph()
    assert dodging_imports(inner) == []


def test_only_the_backend_modules_import_numpy_or_cupy():
    offenders = []
    for path in sorted((ROOT / PACKAGE).rglob("*.py")):
        name = module_name(path, ROOT)
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and not node.level:
                targets = [node.module or ""]
            else:
                continue
            if any(t.split(".")[0] in ("numpy", "cupy", "cupyx") for t in targets) \
                    and name not in ARRAY_LIBRARY_MODULES:
                offenders.append(f"{name}:{node.lineno}")
    assert offenders == []


def test_every_module_is_in_a_layer_and_the_core_exists():
    graph, _ = import_graph()
    for entry in CORE:
        assert entry in graph, f"{entry} is listed in CORE but does not exist"


# ----------------------------------------------------------------------------- the checks can fail

def _plant(tmp_path: Path, files: dict) -> dict:
    for relative, text in files.items():
        path = tmp_path / PACKAGE / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return import_graph(tmp_path)


def test_a_planted_circle_is_found(tmp_path):
    graph, _ = _plant(tmp_path, {"__init__.py": "", "a.py": "from . import b\n",
                                 "b.py": "from .c import thing\n",
                                 "c.py": "from .a import x\nthing = 1\n"})
    assert cycles(graph) == [["tinygrad_edu.a", "tinygrad_edu.b", "tinygrad_edu.c"]]


def test_a_circle_through_a_package_init_is_found(tmp_path):
    graph, _ = _plant(tmp_path, {"__init__.py": "", "ops/__init__.py": "from . import add\n",
                                 "ops/add.py": "from ..autograd.function import F\n",
                                 "autograd/__init__.py": "", "autograd/function.py":
                                 "from ..ops.add import Add\n"})
    assert cycles(graph)


def test_a_planted_upward_import_and_a_dodging_import_are_found(tmp_path):
    graph, inner = _plant(tmp_path, {
        "__init__.py": "", "ops/__init__.py": "", "nn/__init__.py": "",
        "ops/add.py": "from ..nn import module\n",
        "nn/module.py": "def f():\n    from ..ops import add\n"})
    assert upward_imports(graph) == [("tinygrad_edu.ops.add", "tinygrad_edu.nn"),
                                     ("tinygrad_edu.ops.add", "tinygrad_edu.nn.module")]
    assert dodging_imports(inner) == ["tinygrad_edu.nn.module:2 imports tinygrad_edu.ops.add"]


# ----------------------------------------------------------------------------- the line budget

def _lines(path: Path) -> int:
    return len(path.read_text().splitlines())


def long_files(root: Path = ROOT, folders=CHECKED_FOR_SIZE) -> dict:
    return {str(p.relative_to(root)): _lines(p) for folder in folders
            for p in sorted((root / folder).rglob("*.py")) if _lines(p) > MAX_FILE_LINES}


def test_no_source_file_is_over_400_lines():
    assert long_files() == {}, "split these files along their topics"


def test_a_planted_401_line_file_is_found(tmp_path):
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "long.py").write_text("x = 1\n" * 401)
    (tmp_path / "pkg" / "fine.py").write_text("x = 1\n" * 400)
    assert long_files(tmp_path, ("pkg",)) == {"pkg/long.py": 401}


def test_the_reading_path_stays_readable_in_an_afternoon():
    total = sum(_lines(ROOT / path) for path in READING_PATH)
    assert total <= READING_PATH_BUDGET, f"the reading path grew to {total} lines"


def test_the_reading_path_is_the_core():
    for path in READING_PATH:
        assert (ROOT / path).exists(), path
        assert in_core(module_name(ROOT / path, ROOT)), path


def test_the_readme_lists_the_reading_path_in_order():
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Reading order", 1)
    assert len(section) == 2, "README.md has no '## Reading order' section"
    body = section[1].split("\n## ", 1)[0]
    listed = re.findall(r"^\s*\d+\.\s+`([^`]+)`", body, flags=re.MULTILINE)
    assert listed == READING_PATH


@pytest.mark.parametrize("module", CORE)
def test_core_modules_import_without_the_wing(module):
    """Loading the core alone pulls in no wing module (checked on the graph, transitively)."""
    graph, _ = import_graph()
    seen, todo = set(), [m for m in graph if m == module or m.startswith(module + ".")]
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        todo.extend(graph.get(current, ()))
    assert sorted(m for m in seen if not in_core(m)) == []
