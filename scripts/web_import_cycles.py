#!/usr/bin/env python3
"""Reports import cycles between the files of src/web (and every file that imports another
role's handler folder).

Reads every path a file names: `use crate::web::...` lines (with their `{...}` groups),
`super::`/`self::` paths, and `crate::web::...` paths written inline. Each path is resolved to
the file that defines it (the longest prefix that is a module file). Edges from a `mod.rs` to
its own submodules are the module tree (declaring children, registering their routes), not
imports, and are left out. Prints every cycle and exits 1 if there is one; exits 0 otherwise.

    python3 scripts/web_import_cycles.py            # from the repository root
    python3 scripts/web_import_cycles.py --edges    # also list every file-to-file import
"""

import os
import re
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src")
WEB = os.path.join(ROOT, "web")
ROLES = {"account", "api", "author", "chair", "public", "reviewer"}


def module_of(path):
    """src/web/chair/assignment/run.rs -> ('web', 'chair', 'assignment', 'run')."""
    rel = os.path.relpath(path, ROOT)[:-3].split(os.sep)
    if rel[-1] == "mod":
        rel = rel[:-1]
    return tuple(rel)


def file_of(module):
    base = os.path.join(ROOT, *module)
    for candidate in (base + ".rs", os.path.join(base, "mod.rs")):
        if os.path.isfile(candidate):
            return candidate
    return None


def resolve(segments):
    """The file defining the longest module prefix of `segments`, if it is in src/web."""
    for n in range(len(segments), 0, -1):
        f = file_of(tuple(segments[:n]))
        if f:
            return f if segments[0] == "web" else None
    return None


def expand(tree):
    """'a::{b, c::{d, e}}' -> ['a::b', 'a::c::d', 'a::c::e']."""
    tree = tree.strip()
    m = re.match(r"^([\w:]*?)\{(.*)\}$", tree, re.S)
    if not m:
        return [tree]
    prefix, inner = m.group(1), m.group(2)
    parts, depth, cur = [], 0, ""
    for ch in inner:
        if ch == "," and depth == 0:
            parts.append(cur)
            cur = ""
            continue
        depth += ch == "{"
        depth -= ch == "}"
        cur += ch
    parts.append(cur)
    out = []
    for p in parts:
        if p.strip():
            out.extend(prefix + x for x in expand(p))
    return out


def absolute(path, module):
    segs = [s for s in path.split("::") if s]
    if not segs:
        return None
    # A file's own module for `self::`; its parent for `super::`. For mod.rs files the module
    # is the folder, so `super` is the folder's parent, as in Rust.
    here = list(module)
    if segs[0] == "crate":
        return segs[1:]
    if segs[0] in ("self", "super"):
        while segs and segs[0] in ("self", "super"):
            if segs[0] == "super":
                here = here[:-1]
            segs = segs[1:]
        return here + segs
    return None


def edges_of(path):
    module = module_of(path)
    text = open(path, encoding="utf-8").read()
    text = re.sub(r"//[^\n]*", "", text)
    # Test modules may import what they test; they are not part of the app's imports.
    text = re.split(r"#\[cfg\(test\)\]", text)[0]
    paths = []
    for m in re.finditer(r"\buse\s+([^;]+);", text):
        paths.extend(expand(m.group(1)))
    for m in re.finditer(r"\b((?:crate|super|self)(?:::\w+)+)", text):
        paths.append(m.group(1))
    targets = set()
    for p in paths:
        p = re.sub(r"\s+as\s+\w+$", "", p.strip())
        segs = absolute(p, module)
        if not segs:
            continue
        target = resolve(segs)
        if not target or os.path.samefile(target, path):
            continue
        target_module = module_of(target)
        if os.path.basename(path) == "mod.rs" and target_module[: len(module)] == module:
            continue  # a folder's mod.rs and its own submodules: the module tree
        targets.add(target)
    return targets


def cycles(graph):
    """Every elementary cycle, found once per strongly connected component (Tarjan)."""
    index, low, stack, on, out = {}, {}, [], set(), []
    counter = [0]

    def strong(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                strong(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for v in sorted(graph):
        if v not in index:
            strong(v)
    return out


def role_of(path):
    parts = os.path.relpath(path, WEB).split(os.sep)
    return parts[0] if len(parts) > 1 and parts[0] in ROLES else None


def main():
    files = []
    for d, _, names in os.walk(WEB):
        files.extend(os.path.join(d, n) for n in names if n.endswith(".rs"))
    graph = {f: edges_of(f) for f in sorted(files)}
    rel = lambda f: os.path.relpath(f, os.path.join(ROOT, ".."))
    if "--edges" in sys.argv:
        for f, ts in graph.items():
            for t in sorted(ts):
                print(f"{rel(f)} -> {rel(t)}")
    bad = 0
    for comp in cycles(graph):
        bad += 1
        print("cycle: " + ", ".join(rel(f) for f in comp))
    for f, ts in graph.items():
        for t in ts:
            a, b = role_of(f), role_of(t)
            if a and b and a != b:
                bad += 1
                print(f"cross-role import: {rel(f)} -> {rel(t)}")
    print(f"{len(files)} files in src/web, {sum(map(len, graph.values()))} imports, {bad} problems")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
