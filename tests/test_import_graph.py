"""The code's floors hold: no import circle in `app/` and `jobs/`, and no import from a lower floor to a higher one.

Every import counts, also one inside a function or at the end of a module, so no placement can hide a
circle. (A blueprint package defines its blueprint in `base.py`; its `__init__` imports the route modules.)
"""
from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("app", "jobs")

# Lowest floor first. A module may import its own floor and the floors below it, never one above.
FLOORS = (
    ("foundation", ("app.config", "app.version", "app.extensions", "app.logging_setup", "app.devstack",
                    "app.modules", "app.core", "app.db", "app.queue")),
    ("domains", ("app.web", "app.auth", "app.mail", "app.guests", "app.inventory", "app.pricing",
                 "app.listing", "app.channels", "app.direct", "app.public")),
    ("operations", ("app.ops",)),
    ("application", ("app", "app.cli")),
    ("jobs", ("jobs",)),
)


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def project_modules() -> dict[str, Path]:
    return {module_name(path): path for package in PACKAGES for path in (ROOT / package).rglob("*.py")}


def resolve(name: str, modules: dict[str, Path]) -> str | None:
    """The project module an imported name lives in (`from a.b import c` is module a.b.c or a.b)."""
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name or None


def imported_names(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield from (f"{node.module}.{alias.name}" for alias in node.names)


def import_graph() -> dict[str, set[str]]:
    modules = project_modules()
    graph = {}
    for name, path in modules.items():
        targets = {resolve(imported, modules) for imported in imported_names(ast.parse(path.read_text()))}
        graph[name] = {target for target in targets if target and target != name}
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import circle as a path (first module repeated at the end), or None."""
    done, path = set(), []

    def visit(module: str) -> list[str] | None:
        if module in path:
            return path[path.index(module):] + [module]
        if module in done:
            return None
        path.append(module)
        for target in sorted(graph.get(module, ())):
            cycle = visit(target)
            if cycle:
                return cycle
        path.pop()
        done.add(module)
        return None

    for module in sorted(graph):
        cycle = visit(module)
        if cycle:
            return cycle
    return None


def floor_of(module: str) -> int:
    """The floor of the longest matching prefix (`app.ops.health` is on the floor of `app.ops`)."""
    best, best_length = None, -1
    for level, (_, prefixes) in enumerate(FLOORS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > best_length:
                best, best_length = level, len(prefix)
    assert best is not None, f"{module} has no floor: add it to FLOORS"
    return best


def test_every_module_has_a_floor():
    for module in project_modules():
        floor_of(module)


def test_the_import_graph_has_no_circle():
    assert find_cycle(import_graph()) is None, " -> ".join(find_cycle(import_graph()))


def test_no_import_reaches_a_higher_floor():
    upward = sorted(f"{module} ({FLOORS[floor_of(module)][0]}) imports {target} ({FLOORS[floor_of(target)][0]})"
                    for module, targets in import_graph().items() for target in targets
                    if floor_of(target) > floor_of(module))
    assert upward == []


def test_the_checks_see_a_circle_and_an_upward_import():
    """The walker itself: a planted circle and a planted upward import are found."""
    planted = {"app.web.auth": {"app.auth.service"}, "app.auth.service": {"app.web.auth"}}
    assert find_cycle(planted) == ["app.auth.service", "app.web.auth", "app.auth.service"]
    assert floor_of("app.queue") < floor_of("app.channels.service.sync") < floor_of("jobs.channels")


# Domains that must not know another: inventory works without the channel manager (which lends it
# its reads at app setup), and guests sit below inventory (inventory stores guest metrics through the
# guests service and lends guests their booking timeline).
FORBIDDEN = (("app.inventory", "app.channels"), ("app.guests", "app.inventory"))


def within(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def forbidden_imports(graph: dict[str, set[str]]) -> list[str]:
    return sorted(f"{module} imports {target}" for module, targets in graph.items() for target in targets
                  for importer, imported in FORBIDDEN if within(module, importer) and within(target, imported))


def test_inventory_never_imports_channels_and_guests_never_import_inventory():
    assert forbidden_imports(import_graph()) == []


def test_the_check_sees_a_forbidden_import():
    planted = {"app.inventory.service.calendar": {"app.channels.models"},
               "app.guests.service": {"app.inventory.models"}, "app.inventory.service.bookings": {"app.guests.service"}}
    assert forbidden_imports(planted) == ["app.guests.service imports app.inventory.models",
                                          "app.inventory.service.calendar imports app.channels.models"]
