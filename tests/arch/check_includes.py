#!/usr/bin/env python3
"""Folder rules of sparsesim, checked on every #include of models/ and sim/ (docs/architecture.md).

Rules (the id in brackets is what a violation prints):
  [models-forbidden]    models/ never includes sim/run/, sim/report/, sim/sweep/, sim/cli/, the
                        concrete trace writer sim/trace/Tracer.h, the trace encoders
                        sim/trace/*Encoder.h, sim/config/ConfigLoader.h, sim/config/JsonReader.h,
                        nor <nlohmann/...>.
  [models-layer]        from sim/, models/ includes only sim/core/, sim/config/ (the plain
                        structs) and sim/workload/ (the trace schema and sink are models/common's own).
  [models-json]         no file of models/ reaches <nlohmann/...> through project includes
                        (followed recursively; the message shows the shortest chain).
  [datapath-isolation]  a datapath folder (every models/<name>/ except models/common/) includes
                        from models/ only models/common/, models/Datapath.h, models/common/LayerInfo.h
                        and its own folder; never another datapath's folder.
  [common-no-datapath]  models/common/ includes no datapath folder.
  [core-leaf]           sim/core/ includes nothing of the project outside sim/core/, and neither
                        <nlohmann/...> nor SystemC (<systemc>, <systemc.h>, <tlm...>, <sysc/...>).
  [folder-cycle]        the folder graph (one node per sim/<folder>, models/<folder> and models/
                        itself; an edge for every include from one folder into another) has no
                        cycle. A cycle is printed with one include per edge as evidence, followed by
                        every other include between folders of the same cycle group.

Layering the rules keep (an arrow: "may include"; folders in braces are siblings):
  cli -> {sweep, report} -> run -> models -> {reference, workload, trace, resources} -> {io, config} -> core
  models/<datapath> -> models/Datapath.h, models/common/LayerInfo.h -> models/common
  models may include sim/core, sim/config (plain structs) and sim/workload.
--list prints the folder graph and marks each edge that runs against this layering ("upward")
and each edge inside a cycle; only the rules above fail the check.

How includes are read: block and line comments are removed first (string literals are respected),
then every `#include "..."` and `#include <...>` line counts, whatever #if surrounds it. A quoted
include is resolved against the including file's folder, then the source root (the project's one
include directory); an angle include is a project include only when it starts with sim/ or
models/. A project path that does not exist is still checked by its name.

Usage: check_includes.py [--root DIR] [--list]   exit 0 clean, 1 violations
       check_includes.py --selftest               fake trees, one per rule, must all be caught
"""
import argparse
import collections
import os
import re
import sys
import tempfile

SOURCE_EXT = (".h", ".hh", ".hpp", ".inl", ".ipp", ".c", ".cc", ".cpp", ".cxx")
INCLUDE_RE = re.compile(r'^\s*#\s*include\s*(?:"([^"]+)"|<([^>]+)>)')
SYSTEMC_RE = re.compile(r"^(systemc(\.h)?|tlm(\.h)?|tlm_utils/.*|sysc/.*)$")
INTERFACE_HEADERS = ("models/Datapath.h", "models/common/LayerInfo.h")
# Layer of each folder (higher may include lower; equal ranks are siblings), for --list only.
LAYER = {"sim/cli": 7, "sim/sweep": 6, "sim/report": 6, "sim/run": 5,
         "sim/reference": 3, "sim/workload": 3, "sim/trace": 3, "sim/resources": 3,
         "sim/io": 2, "sim/config": 2, "sim/core": 1}

Include = collections.namedtuple("Include", "src line text angle target")
Violation = collections.namedtuple("Violation", "path line rule message")


def strip_comments(text):
    """The text with every comment replaced by spaces (newlines kept, so line numbers hold)."""
    out, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if c == "/" and text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
        elif c == "/" and text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif c in "\"'":
            j = i + 1
            while j < n and text[j] != c and text[j] != "\n":
                j += 2 if text[j] == "\\" else 1
            out.append(text[i:j + 1])
            i = j + 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


def folder_of(rel):
    """sim/run, models/cs, ... ; "models" for models/Datapath.h; None outside sim/ and models/."""
    parts = rel.split("/")
    if parts[0] not in ("sim", "models"):
        return None
    return "/".join(parts[:2]) if len(parts) > 2 else parts[0]


def is_datapath_folder(folder):
    return folder is not None and folder.startswith("models/") and folder != "models/common"


def read_includes(root):
    """{relative path: [Include]} for every source file under sim/ and models/."""
    files = {}
    for top in ("sim", "models"):
        for dirpath, dirnames, filenames in os.walk(os.path.join(root, top)):
            dirnames.sort()
            for name in sorted(filenames):
                if name.endswith(SOURCE_EXT):
                    rel = os.path.relpath(os.path.join(dirpath, name), root).replace(os.sep, "/")
                    files[rel] = []
    for rel in files:
        with open(os.path.join(root, rel), encoding="utf-8", errors="replace") as f:
            lines = strip_comments(f.read()).split("\n")
        for lineno, line in enumerate(lines, 1):
            m = INCLUDE_RE.match(line)
            if not m:
                continue
            quoted, angled = m.group(1), m.group(2)
            text = quoted if quoted is not None else angled
            files[rel].append(Include(rel, lineno, text, angled is not None, resolve(root, rel, text, angled is not None)))
    return files


def resolve(root, src, text, angle):
    """The project file an include names (relative to root), or None for a system/library header."""
    candidates = [] if angle else [os.path.join(os.path.dirname(src), text)]
    candidates.append(text)
    for c in candidates:
        rel = os.path.normpath(c).replace(os.sep, "/")
        if not rel.startswith("../") and os.path.isfile(os.path.join(root, rel)):
            return rel
    name = os.path.normpath(text).replace(os.sep, "/")
    return name if folder_of(name) else None


def shown(inc):
    return ("<%s>" if inc.angle else '"%s"') % inc.text


def check_direct(inc):
    """Violations of the per-include rules by one include."""
    src, tgt, text = inc.src, inc.target, inc.text
    sf = folder_of(src)
    out = []

    def bad(rule, why):
        out.append(Violation(src, inc.line, rule, "includes %s: %s" % (shown(inc), why)))

    nlohmann = inc.angle and text.startswith("nlohmann/")
    if sf and sf.startswith("models"):
        forbidden = None
        if nlohmann:
            forbidden = "models/ never includes the JSON library (<nlohmann/...>)"
        elif tgt:
            for prefix, what in (("sim/run/", "the run pipeline"), ("sim/report/", "the report writer"),
                                 ("sim/sweep/", "the sweep driver"), ("sim/cli/", "the command line")):
                if tgt.startswith(prefix):
                    forbidden = "models/ never includes %s (%s)" % (prefix, what)
            if tgt == "sim/trace/Tracer.h":
                forbidden = "models/ never includes the concrete trace writer sim/trace/Tracer.h (blocks use models/common/TraceSink.h)"
            elif re.fullmatch(r"sim/trace/[^/]*Encoder\.h", tgt):
                forbidden = "models/ never includes a trace encoder (sim/trace/*Encoder.h)"
            elif tgt in ("sim/config/ConfigLoader.h", "sim/config/JsonReader.h"):
                forbidden = "models/ never includes the config parser (%s); the plain structs are enough" % tgt
        if forbidden:
            bad("models-forbidden", forbidden)
        elif tgt and tgt.startswith("sim/") and not (
                tgt.startswith(("sim/core/", "sim/config/", "sim/workload/"))):
            bad("models-layer", "from sim/, models/ includes only sim/core/, sim/config/ and sim/workload/")
    tf = folder_of(tgt) if tgt else None
    if is_datapath_folder(sf) and tgt and tgt.startswith("models/") and not (
            tf == sf or tf == "models/common" or tgt in INTERFACE_HEADERS):
        if is_datapath_folder(tf):
            why = "datapath %s/ never includes another datapath's folder (%s/)" % (sf, tf)
        else:
            why = "a datapath folder includes from models/ only models/common/, %s and its own folder" % ", ".join(INTERFACE_HEADERS)
        bad("datapath-isolation", why)
    if sf == "models/common" and is_datapath_folder(tf):
        bad("common-no-datapath", "models/common/ includes no datapath folder (%s/)" % tf)
    if sf == "sim/core":
        if nlohmann or (inc.angle and SYSTEMC_RE.match(text)):
            bad("core-leaf", "sim/core/ is the leaf layer: no JSON library, no SystemC")
        elif tgt and tf and tf != "sim/core":
            bad("core-leaf", "sim/core/ includes nothing of the project outside sim/core/")
    return out


def check_json_reach(files):
    """[models-json]: the shortest include chain from each models/ file to <nlohmann/...>."""
    out = []
    for src in sorted(f for f in files if f.startswith("models/")):
        prev = {src: None}  # file -> the include that first reached it
        queue = collections.deque([src])
        hit = None
        while queue and hit is None:
            cur = queue.popleft()
            for inc in files.get(cur, []):
                if inc.angle and inc.text.startswith("nlohmann/"):
                    if cur != src:  # a direct include is [models-forbidden]
                        hit = inc
                        break
                elif inc.target in files and inc.target not in prev:
                    prev[inc.target] = inc
                    queue.append(inc.target)
        if hit is None:
            continue
        chain, cur = [hit], hit.src
        while prev[cur] is not None:
            chain.append(prev[cur])
            cur = prev[cur].src
        chain.reverse()
        path = " -> ".join("%s:%d %s" % (c.src, c.line, shown(c)) for c in chain)
        out.append(Violation(src, chain[0].line, "models-json",
                             "reaches the JSON library through project includes: " + path))
    return out


def folder_graph(files):
    """{from folder: {to folder: [Include]}} over includes between two different folders."""
    graph = collections.defaultdict(lambda: collections.defaultdict(list))
    for src, incs in files.items():
        sf = folder_of(src)
        graph[sf]
        for inc in incs:
            tf = folder_of(inc.target) if inc.target else None
            if tf and tf != sf:
                graph[sf][tf].append(inc)
                graph[tf]
    return graph


def cycle_groups(graph):
    """Strongly connected components with more than one folder (Tarjan), each sorted."""
    index, low, stack, on, comps = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
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
                comps.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for v in sorted(graph):
        if v not in index:
            visit(v)
    return sorted(comps)


def shortest_cycle(graph, comp):
    """A shortest cycle through comp[0] inside the component, as a list of folders."""
    start, members = comp[0], set(comp)
    prev, queue = {start: None}, collections.deque([start])
    while queue:
        cur = queue.popleft()
        for nxt in sorted(graph[cur]):
            if nxt == start:
                path = [cur]
                while prev[path[-1]] is not None:
                    path.append(prev[path[-1]])
                return list(reversed(path)) + [start]
            if nxt in members and nxt not in prev:
                prev[nxt] = cur
                queue.append(nxt)
    return comp + [start]


def evidence(incs):
    first = incs[0]
    more = " (+%d more)" % (len(incs) - 1) if len(incs) > 1 else ""
    return "%s:%d includes %s%s" % (first.src, first.line, shown(first), more)


def check_cycles(graph):
    out = []
    for comp in cycle_groups(graph):
        cyc = shortest_cycle(graph, comp)
        edges = list(zip(cyc, cyc[1:]))
        lines = ["folder include cycle %s; evidence:" % " -> ".join(cyc)]
        lines += ["    %s -> %s: %s" % (a, b, evidence(graph[a][b])) for a, b in edges]
        others = [(a, b) for a in comp for b in sorted(graph[a]) if b in comp and (a, b) not in edges]
        if others:
            lines.append("  other includes between folders of this cycle group {%s}:" % ", ".join(comp))
            lines += ["    %s -> %s: %s" % (a, b, evidence(graph[a][b])) for a, b in others]
        first = graph[edges[0][0]][edges[0][1]][0]
        out.append(Violation(first.src, first.line, "folder-cycle", "\n".join(lines)))
    return out


def check(root):
    files = read_includes(root)
    out = [v for incs in files.values() for inc in incs for v in check_direct(inc)]
    out += check_json_reach(files)
    graph = folder_graph(files)
    out += check_cycles(graph)
    return sorted(out, key=lambda v: (v.rule != "folder-cycle", v.path, v.line, v.rule)), graph, len(files)


def rank(folder):
    if folder.startswith("models/"):
        return 4.0 if folder == "models/common" else 4.2
    return 4.1 if folder == "models" else LAYER.get(folder)


def print_graph(graph):
    in_cycle = {(a, b) for comp in cycle_groups(graph) for a in comp for b in graph[a] if b in comp}
    for a in sorted(graph):
        print(a)
        for b in sorted(graph[a]):
            ra, rb = rank(a), rank(b)
            marks = [m for m, on in (("cycle", (a, b) in in_cycle),
                                     ("upward", ra is not None and rb is not None and rb > ra)) if on]
            print("  -> %-16s %3d include(s), e.g. %s:%d%s" % (
                b, len(graph[a][b]), graph[a][b][0].src, graph[a][b][0].line,
                "  [" + ", ".join(marks) + "]" if marks else ""))


# ---------------------------------------------------------------------------------------------
# Self-test: a clean fake tree, and one broken copy per rule that the check must catch.

CLEAN_TREE = {
    "sim/core/Math.h": "#pragma once\n#include <cstdint>\n",
    "sim/core/Enums.h": '#pragma once\n#include "Math.h"\n',
    "sim/config/ArchConfig.h": '#pragma once\n#include "sim/core/Enums.h"\n',
    "sim/config/JsonReader.h": "#pragma once\n#include <nlohmann/json.hpp>\n",
    "sim/config/ConfigLoader.h": '#pragma once\n#include "sim/config/ArchConfig.h"\n#include "sim/config/JsonReader.h"\n',
    "sim/io/NpyIo.h": '#pragma once\n#include "sim/core/Math.h"\n',
    "sim/core/Tensor.h": "#pragma once\n#include <vector>\n",
    "sim/workload/Workload.h": '#pragma once\n#include "sim/config/ArchConfig.h"\n#include "sim/core/Tensor.h"\n',
    "sim/workload/Workload.cpp": '#include "sim/workload/Workload.h"\n#include "sim/io/NpyIo.h"\n',
    "sim/trace/TraceSchema.h": "#pragma once\n#include <string>\n",
    "sim/trace/TraceRecord.h": '#pragma once\n#include "models/common/TraceSink.h"\n',
    "sim/trace/JsonlEncoder.h": '#pragma once\n#include "sim/trace/TraceRecord.h"\n',
    "sim/trace/Tracer.h": '#pragma once\n#include <nlohmann/json.hpp>\n#include "sim/trace/JsonlEncoder.h"\n',
    "sim/run/Runner.h": '#pragma once\n#include "sim/trace/Tracer.h"\n#include "models/Datapath.h"\n',
    "sim/run/DatapathRegistry.cpp": '#include "models/cs/CsDatapath.h"\n#include "models/dense/DenseDatapath.h"\n',
    "sim/report/Report.h": '#pragma once\n#include <nlohmann/json.hpp>\n#include "sim/run/Runner.h"\n',
    "sim/sweep/SweepPlan.h": '#pragma once\n#include "sim/run/Runner.h"\n',
    "sim/cli/main.cpp": '#include "sim/report/Report.h"\n#include "sim/sweep/SweepPlan.h"\n',
    "models/Datapath.h": '#pragma once\n#include "models/common/LayerStats.h"\n#include "sim/workload/Workload.h"\n',
    "models/common/LayerInfo.h": "#pragma once\n#include <variant>\n",
    "models/common/LayerStats.h": "#pragma once\n#include <map>\n",
    "models/common/TraceSink.h": "#pragma once\n#include <initializer_list>\n",
    "models/common/Tasks.h": '#pragma once\n#include "LayerStats.h"\n',
    # Commented-out includes and strings holding "//" or "/*" do not count.
    "models/cs/MacArray.h": ('#pragma once\n// #include "sim/run/Runner.h"\n/* #include <nlohmann/json.hpp>\n'
                             '   #include "models/dense/DenseDatapath.h" */\n#include "models/common/Tasks.h"\n'
                             'static const char* kNote = "// not a comment /*";\n#include "models/common/TraceSink.h"\n'),
    "models/cs/CsDatapath.h": '#pragma once\n#include "MacArray.h"\n#include "models/Datapath.h"\n#include "models/common/LayerInfo.h"\n',
    "models/dense/DenseDatapath.h": '#pragma once\n#include "models/common/Tasks.h"\n#include "models/Datapath.h"\n',
    "models/dense/DenseDatapath.cpp": '#include "models/dense/DenseDatapath.h"\n#include "sim/config/ArchConfig.h"\n',
}

# (name, files changed or added, rules the check must report: exactly these).
SELFTEST_CASES = [
    ("models includes sim/sweep", {"models/cs/MacArray.cpp": '#include "sim/sweep/SweepPlan.h"\n'},
     {"models-forbidden", "models-json", "folder-cycle"}),
    ("models includes sim/report", {"models/cs/MacArray.cpp": '#include "sim/report/Report.h"\n'},
     {"models-forbidden", "models-json", "folder-cycle"}),
    ("models includes sim/cli", {"models/cs/MacArray.cpp": '#include "sim/cli/Main.h"\n', "sim/cli/Main.h": ""},
     {"models-forbidden", "folder-cycle"}),
    ("models includes sim/run by a relative path", {"models/cs/MacArray.cpp": '#include "../../sim/run/Runner.h"\n'},
     {"models-forbidden", "models-json", "folder-cycle"}),
    ("models includes the trace writer", {"models/common/Tasks.h": '#include "sim/trace/Tracer.h"\n'},
     {"models-forbidden", "models-json", "folder-cycle"}),
    ("models includes a trace encoder", {"models/dense/DenseDatapath.cpp": '#include "sim/trace/JsonlEncoder.h"\n'},
     {"models-forbidden"}),
    ("models includes the config loader", {"models/common/Tasks.h": '#include "sim/config/ConfigLoader.h"\n'},
     {"models-forbidden", "models-json"}),
    ("models includes JsonReader", {"models/Datapath.h": '#include "sim/config/JsonReader.h"\n'},
     {"models-forbidden", "models-json"}),
    ("models includes nlohmann", {"models/dense/DenseDatapath.cpp": "#include <nlohmann/json.hpp>\n"},
     {"models-forbidden"}),
    ("models includes sim/io", {"models/dense/DenseDatapath.cpp": '#include "sim/io/NpyIo.h"\n'},
     {"models-layer"}),
    ("nlohmann reaches models through a config struct",
     {"sim/config/ArchConfig.h": '#pragma once\n#include "sim/core/Enums.h"\n#include <nlohmann/json.hpp>\n'},
     {"models-json"}),
    ("a datapath includes another datapath", {"models/dense/DenseDatapath.cpp": '#include "models/cs/MacArray.h"\n'},
     {"datapath-isolation"}),
    ("a datapath includes a models/ file that is not an interface",
     {"models/Extra.h": "#pragma once\n", "models/cs/MacArray.cpp": '#include "models/Extra.h"\n'},
     {"datapath-isolation"}),
    ("common includes a datapath", {"models/common/LayerStats.h": '#include "models/cs/MacArray.h"\n'},
     {"common-no-datapath", "folder-cycle"}),
    ("core includes SystemC", {"sim/core/Math.h": "#include <systemc>\n"}, {"core-leaf"}),
    ("core includes nlohmann", {"sim/core/Enums.h": "#include <nlohmann/json.hpp>\n"}, {"core-leaf", "models-json"}),
    ("core includes the project outside core", {"sim/core/Math.h": '#include "sim/trace/TraceSchema.h"\n'},
     {"core-leaf"}),
    ("io <-> workload cycle", {"sim/io/NpyIo.h": '#include "sim/workload/Workload.h"\n'}, {"folder-cycle"}),
    ("run <-> report cycle", {"sim/run/Runner.cpp": '#include "sim/report/Report.h"\n'}, {"folder-cycle"}),
]


def write_tree(root, files):
    for rel, text in files.items():
        path = os.path.join(root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)


def selftest():
    failures = []
    with tempfile.TemporaryDirectory(prefix="include-rules-") as tmp:
        for i, (name, change, expect) in enumerate([("clean tree", {}, set())] + SELFTEST_CASES):
            root = os.path.join(tmp, "case%02d" % i)
            write_tree(root, dict(CLEAN_TREE, **change))
            found, _, _ = check(root)
            rules = {v.rule for v in found}
            unlocated = [v for v in found if not (v.path and v.line > 0)]
            changed_named = not change or any(v.path in change or any(p in v.message for p in change) for v in found)
            if rules != expect or unlocated or not changed_named:
                failures.append("%s: expected %s, got %s:\n%s" % (
                    name, sorted(expect) or "no violation", sorted(rules) or "none",
                    "\n".join("  %s:%d: [%s] %s" % v for v in found)))
    for f in failures:
        print("selftest FAILED: " + f)
    print("selftest: %d of %d cases as expected" % (len(SELFTEST_CASES) + 1 - len(failures), len(SELFTEST_CASES) + 1))
    return 1 if failures else 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--root", default=os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")),
                    help="source root holding sim/ and models/ (default: this script's repository)")
    ap.add_argument("--list", action="store_true", help="print the folder include graph")
    ap.add_argument("--selftest", action="store_true", help="check the checker on fake trees")
    args = ap.parse_args()
    if args.selftest:
        return selftest()
    if not os.path.isdir(os.path.join(args.root, "models")) or not os.path.isdir(os.path.join(args.root, "sim")):
        print("check_includes.py: %s has no sim/ and models/" % args.root, file=sys.stderr)
        return 2
    found, graph, nfiles = check(args.root)
    if args.list:
        print_graph(graph)
    for v in found:
        print("%s:%d: [%s] %s" % v)
    if found:
        by_rule = collections.Counter(v.rule for v in found)
        print("include rules: %d violation(s): %s (rules: tests/arch/check_includes.py, docs/architecture.md)" % (
            len(found), ", ".join("%s %d" % kv for kv in sorted(by_rule.items()))))
        return 1
    print("include rules: clean (%d files of sim/ and models/)" % nfiles)
    return 0


if __name__ == "__main__":
    sys.exit(main())
