"""No import cycle between any two imuhold modules, lazy (function-level) imports included.

lint-imports' acyclic_siblings contract sees cycles between siblings; this also sees a package and its own
submodule importing each other (``imuhold.store`` ↔ ``imuhold.store.recorder``), which that contract squashes.
"""

from __future__ import annotations

import grimp


def import_cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """The strongly connected groups of more than one module in ``graph`` (Tarjan, iterative), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    cycles: list[list[str]] = []
    for root in sorted(graph.modules):
        if root in index:
            continue
        work = [(root, iter(sorted(graph.find_modules_directly_imported_by(root))))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            module, imported = work[-1]
            for other in imported:
                if other not in index:
                    index[other] = low[other] = len(index)
                    stack.append(other)
                    on_stack.add(other)
                    work.append((other, iter(sorted(graph.find_modules_directly_imported_by(other)))))
                    break
                if other in on_stack:
                    low[module] = min(low[module], index[other])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[module])
                if low[module] == index[module]:
                    group = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        group.append(member)
                        if member == module:
                            break
                    if len(group) > 1:
                        cycles.append(sorted(group))
    return sorted(cycles)


def test_no_module_of_imuhold_is_in_an_import_cycle():
    graph = grimp.build_graph("imuhold", cache_dir=None)
    assert import_cycles(graph) == []


def test_a_cycle_through_a_package_and_its_submodule_is_found():
    graph = grimp.ImportGraph()
    for module in ("pkg", "pkg.a", "pkg.b", "pkg.c", "other"):
        graph.add_module(module)
    graph.add_import(importer="pkg", imported="pkg.a")
    graph.add_import(importer="pkg.a", imported="pkg.b")
    graph.add_import(importer="pkg.b", imported="pkg")
    graph.add_import(importer="pkg.c", imported="other")
    assert import_cycles(graph) == [["pkg", "pkg.a", "pkg.b"]]


def test_two_separate_cycles_are_both_found():
    graph = grimp.ImportGraph()
    for importer, imported in (("a", "b"), ("b", "a"), ("c", "d"), ("d", "e"), ("e", "c"), ("a", "c")):
        graph.add_import(importer=importer, imported=imported)
    assert import_cycles(graph) == [["a", "b"], ["c", "d", "e"]]
