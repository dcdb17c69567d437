#!/usr/bin/python3
"""Plots of a design-space sweep (sparsesim sweep ... --out DIR).

usage: tools/plot_sweep.py DIR [--out PLOTDIR] [--resource binding|dsp|lut|ff|bram36]
                               [--pair A,B] [--points ID,ID,...] [--cells WS:AD,WS:AD]

Reads DIR/results.csv (and each point's report.json for per-layer cycles and the energy
breakdown) and writes PNG and SVG files into PLOTDIR (default DIR/plots):
  throughput_vs_resources  throughput against resources used (default: the share of the part
                           taken by each design's binding resource), Pareto front per datapath
  speedup_<A>_vs_<B>       throughput ratio A/B over weight sparsity x activation density
  energy_breakdown         energy per inference by hardware block, per datapath
  layer_cycles             cycles per layer of chosen points
Only rows with status "ok" are plotted. Throughput is the whole budget's: inferences/s times the
iso copies (iso sweeps), else one design's inferences/s. docs/iso-and-plots.md explains each plot.
Exit status 2 (nothing written) when results.csv is missing or lacks a required column, a report
cannot be read, or an option names a point or cell the results do not have.
"""
import argparse
import csv
import json
import math
import os
import sys
import textwrap

import matplotlib

matplotlib.use("Agg")
# SVG text stays text (searchable, selectable in the HTML report, checked by the tests).
matplotlib.rcParams["svg.fonttype"] = "none"
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.colors import LogNorm  # noqa: E402

REQUIRED = ["point", "status", "arch", "network", "datapath", "inferences_per_second",
            "lut", "ff", "dsp", "bram36", "uram", "report"]
RESOURCES = {"dsp": "DSP48E2 slices", "lut": "6-input LUTs", "ff": "flip-flops",
             "bram36": "36 Kbit block RAMs",
             "binding": "share of the part taken by the binding resource (%)"}
RESOURCE_NAMES = {"dsp": "DSP", "lut": "LUT", "ff": "FF", "bram36": "BRAM36", "uram": "URAM"}
# One colour per datapath and per hardware block in every plot (tools/plot_asic_iso.py uses these
# too), so a colour means the same thing on every page.
COLORS = {"cs": "tab:red", "sod": "tab:blue", "dense": "tab:gray", "sparse_pe": "tab:green"}
MARKERS = {"cs": "o", "sod": "s", "dense": "^", "sparse_pe": "D"}
_BLOCK_PALETTE = list(plt.get_cmap("tab20").colors)
BLOCK_COLORS = {b: _BLOCK_PALETTE[i] for i, b in enumerate(
    ["pe_array", "mac_array", "dram", "global_buffer", "weight_sram", "kwta_selector", "decompressors",
     "fifos_matchers", "router_accumulators", "control", "device"])}


def block_color(name):
    """The block's fixed colour; a block not in the table gets one derived from its name alone."""
    if name not in BLOCK_COLORS:
        BLOCK_COLORS[name] = _BLOCK_PALETTE[sum(name.encode()) % len(_BLOCK_PALETTE)]
    return BLOCK_COLORS[name]


def wrap(text, width=70):
    return "\n".join(textwrap.wrap(text, width))


class InputError(Exception):
    pass


def num(row, key):
    v = row.get(key, "")
    try:
        return float(v)
    except (TypeError, ValueError):
        return None


def load(dirname):
    path = os.path.join(dirname, "results.csv")
    if not os.path.isfile(path):
        raise InputError(f"{path}: no such file (run `sparsesim sweep SWEEP.json --out {dirname}` first)")
    with open(path, newline="") as fh:
        reader = csv.DictReader(fh)
        columns = reader.fieldnames or []
        missing = [c for c in REQUIRED if c not in columns]
        if missing:
            raise InputError(f"{path}: missing required column(s) {', '.join(missing)} "
                             f"(has: {', '.join(columns) or 'nothing'}); docs/sweeps.md lists the columns")
        rows = [r for r in reader if r["status"] == "ok" and num(r, "inferences_per_second")]
    if not rows:
        raise InputError(f"{path}: no row with status \"ok\" to plot")
    return columns, rows


def copies(row):
    c = num(row, "iso.copies")
    return c if c else 1.0


def throughput(row):
    return num(row, "inferences_per_second") * copies(row)


_reports = {}


def report(dirname, row):
    path = os.path.join(dirname, row["report"])
    if path not in _reports:
        try:
            with open(path) as fh:
                _reports[path] = json.load(fh)
        except (OSError, ValueError) as e:
            raise InputError(f"{path} (report of point {row['point']}): {e}")
    return _reports[path]


def binding_share(dirname, row):
    """(percent of the part, resource name): the largest utilisation of a capped resource."""
    util = report(dirname, row)["resources"]["utilization"]
    name, u = max(((k, float(v)) for k, v in util.items() if v not in ("inf", None)), key=lambda kv: kv[1])
    return 100.0 * copies(row) * u, RESOURCE_NAMES.get(name, name)


def bound_by(dirname, row):
    """What limits the design: the sizing's iso.limit (what stops the next size up: a resource, or
    "memory" when its built buffers would not fit the memory budget), else the binding resource."""
    limit = row.get("iso.limit")
    if limit:
        return "+".join(RESOURCE_NAMES.get(x, x) for x in limit.split("+"))
    return binding_share(dirname, row)[1]


def resource_used(dirname, row, resource):
    """Resources of the whole budget's design(s): the iso totals when present."""
    if resource == "binding":
        return binding_share(dirname, row)[0]
    total = num(row, "iso." + resource)
    return total if total is not None else num(row, resource)


def axis_column(columns, suffix):
    """The sweep axis over a layer value, e.g. layers[*].weight_sparsity."""
    for c in columns:
        if c.endswith(suffix) and c not in REQUIRED:
            return c
    return None


def networks(rows):
    return sorted({r["network"] for r in rows})


def datapaths(rows):
    order = ["cs", "sod", "dense", "sparse_pe"]
    found = {r["datapath"] for r in rows}
    return [d for d in order if d in found] + sorted(found - set(order))


def save(fig, outdir, name):
    os.makedirs(outdir, exist_ok=True)
    written = []
    for ext in ("png", "svg"):
        final = os.path.join(outdir, f"{name}.{ext}")
        tmp = final + ".tmp"
        fig.savefig(tmp, format=ext, dpi=120)
        os.replace(tmp, final)
        written.append(final)
    plt.close(fig)
    return written


def pareto(points):
    """(x, y, ...) points no other point beats with fewer or equal resources and more throughput."""
    front, best = [], -math.inf
    for p in sorted(points, key=lambda p: (p[0], -p[1])):
        if p[1] > best:
            front.append(p)
            best = p[1]
    return front


def design_label(row):
    """The array shape (sized by iso, or a sweep axis), else the architecture's name."""
    rows_ = num(row, "iso.rows") or num(row, "array.rows")
    cols_ = num(row, "iso.cols") or num(row, "array.cols")
    label = f"{rows_:.0f}x{cols_:.0f}" if rows_ and cols_ else row["arch"]
    return label + (f" x{copies(row):.0f} copies" if copies(row) > 1 else "")


def plot_throughput(dirname, rows, columns, outdir, resource, cells_spec):
    """Per network and workload cell: each datapath's designs, Pareto front per datapath.

    Points of different workloads are never on one front: a front compares designs running the
    same network at the same sparsity."""
    ws_col, ad_col, cells = representative_cells(rows, columns, cells_spec)
    nets = networks(rows)
    fig, axes = plt.subplots(len(nets), len(cells), figsize=(6.5 * len(cells), 5.2 * len(nets)), squeeze=False)
    iso = any(num(r, "iso.copies") for r in rows)
    for ni, net in enumerate(nets):
        for ci, cell in enumerate(cells):
            ax = axes[ni][ci]
            xs = []
            for dp in datapaths(rows):
                sel = [r for r in rows if r["network"] == net and r["datapath"] == dp and in_cell(r, ws_col, ad_col, cell)]
                if not sel:
                    continue
                pts = [(resource_used(dirname, r, resource), throughput(r),
                        design_label(r) + (f", {bound_by(dirname, r)}-bound" if resource == "binding" else ""))
                       for r in sel]
                xs += [p[0] for p in pts]
                c = COLORS.get(dp)
                ax.scatter([p[0] for p in pts], [p[1] for p in pts], s=18, alpha=0.4, color=c, marker=MARKERS.get(dp, "o"))
                front = pareto(pts)
                ax.step([p[0] for p in front], [p[1] for p in front], where="post", color=c, linewidth=1.8,
                        marker=MARKERS.get(dp, "o"), markersize=7, label=f"{dp}: Pareto front of {len(pts)} design(s)")
                for k, (x, y, label) in enumerate(front):
                    # Alternate the offsets so labels of designs at the same share do not overlap.
                    ax.annotate(label, (x, y), textcoords="offset points", xytext=(6, 5 if (k + len(xs)) % 2 else -11),
                                fontsize=7, color=c)
            ax.set_yscale("log")
            if resource == "binding":
                ax.set_xlim(0, max(100.0, 1.1 * max(xs or [1.0])))
            elif xs and max(xs) > 10 * min(xs):
                ax.set_xscale("log")
            ax.set_xlabel(wrap(f"resources used: {RESOURCES[resource]}" + (" (all iso copies)" if iso else ""), 60), fontsize=8)
            ax.set_ylabel("throughput (inferences / s" + (", all iso copies" if iso else "") + ", log scale)", fontsize=9)
            ax.set_title(wrap(f"{net}{', ' + cell_label(cell) if cell else ''}: throughput vs resources", 60), fontsize=10)
            ax.grid(True, which="both", alpha=0.3)
            ax.margins(y=0.12)
    # One legend for the figure, below the panels, so it never covers a point.
    handles, labels = {}, {}
    for ax in axes.flat:
        for h, l in zip(*ax.get_legend_handles_labels()):
            handles.setdefault(l.split(":")[0], h)
            labels.setdefault(l.split(":")[0], l)
    fig.legend([handles[k] for k in handles], [labels[k] for k in handles], loc="lower center",
               ncol=min(4, len(handles)), fontsize=8, frameon=False)
    fig.tight_layout(rect=(0, 0.06 / len(nets), 1, 1))
    return save(fig, outdir, "throughput_vs_resources")


def cell_table(rows, net, dp, ws_col, ad_col):
    """(weight sparsity, activation density) -> best throughput of datapath dp in that cell."""
    t = {}
    for r in rows:
        if r["network"] != net or r["datapath"] != dp:
            continue
        key = (num(r, ws_col), num(r, ad_col))
        if None in key:
            continue
        t[key] = max(t.get(key, 0.0), throughput(r))
    return t


def plot_speedup(rows, columns, outdir, pair):
    ws_col, ad_col = axis_column(columns, "weight_sparsity"), axis_column(columns, "activation_density")
    a, b = pair
    if not ws_col or not ad_col:
        return None, "no weight_sparsity and activation_density axes in results.csv"
    panels = []
    for net in networks(rows):
        ta, tb = cell_table(rows, net, a, ws_col, ad_col), cell_table(rows, net, b, ws_col, ad_col)
        common = set(ta) & set(tb)
        if common:
            panels.append((net, ta, tb, common))
    if not panels:
        return None, f"no (weight sparsity, activation density) cell with both {a} and {b} results"
    fig, axes = plt.subplots(1, len(panels), figsize=(6.2 * len(panels), 5.0), squeeze=False)
    ratios_all = [ta[k] / tb[k] for _, ta, tb, common in panels for k in common]
    lim = max(max(ratios_all), 1 / min(ratios_all), 1.5)
    norm = LogNorm(vmin=1 / lim, vmax=lim)
    for ax, (net, ta, tb, common) in zip(axes[0], panels):
        wss = sorted({k[0] for k in common})
        ads = sorted({k[1] for k in common}, reverse=True)
        grid = np.full((len(ads), len(wss)), np.nan)
        for (ws, ad) in common:
            grid[ads.index(ad), wss.index(ws)] = ta[(ws, ad)] / tb[(ws, ad)]
        im = ax.imshow(grid, cmap="RdBu_r", norm=norm, aspect="auto")
        for i in range(len(ads)):
            for j in range(len(wss)):
                v = grid[i, j]
                if not np.isnan(v):
                    strong = abs(math.log(v)) > 0.6 * math.log(lim)
                    ax.text(j, i, f"{v:.2g}x", ha="center", va="center", fontsize=9, color="white" if strong else "black")
        ax.set_xticks(range(len(wss)))
        ax.set_xticklabels([f"{100 * w:g}" for w in wss])
        ax.set_yticks(range(len(ads)))
        ax.set_yticklabels([f"{100 * d:g}" for d in ads])
        ax.set_xlabel("weight sparsity (% of weights zero)")
        ax.set_ylabel("activation density (% of activations kept)")
        wins = int(np.sum(grid > 1))
        ax.set_title(f"{wrap(net, 50)}: {a} / {b} throughput\n{a} faster in {wins} of {int(np.sum(~np.isnan(grid)))} cells "
                     f"(red: {a} faster, blue: {b} faster)", fontsize=10)
        cb = fig.colorbar(im, ax=ax)
        cb.set_label(f"throughput ratio {a} / {b} (inferences/s over inferences/s, log scale)", fontsize=8)
    fig.tight_layout()
    return save(fig, outdir, f"speedup_{a}_vs_{b}"), None


def representative_cells(rows, columns, spec):
    """The workload cells single-point plots show: given, else the densest and the sparsest.

    A cell is (weight sparsity, activation density); a value is None when the sweep has no axis
    for it (then every point matches it)."""
    ws_col, ad_col = axis_column(columns, "weight_sparsity"), axis_column(columns, "activation_density")
    if not ws_col and not ad_col:
        return None, None, [None]
    if spec:
        cells = []
        for item in spec.split(","):
            ws, _, ad = item.partition(":")
            cells.append((float(ws) if ws_col else None, float(ad) if ad_col else None))
        return ws_col, ad_col, cells
    keys = {(num(r, ws_col) if ws_col else None, num(r, ad_col) if ad_col else None) for r in rows}
    order = lambda k: (k[0] or 0.0, -(k[1] if k[1] is not None else 1.0))  # noqa: E731
    dense, sparse = min(keys, key=order), max(keys, key=order)
    return ws_col, ad_col, [dense] if dense == sparse else [dense, sparse]


def in_cell(r, ws_col, ad_col, cell):
    return cell is None or ((not ws_col or num(r, ws_col) == cell[0]) and (not ad_col or num(r, ad_col) == cell[1]))


def cell_label(cell):
    if cell is None:
        return ""
    parts = ([f"ws {100 * cell[0]:g}%"] if cell[0] is not None else []) + ([f"ad {100 * cell[1]:g}%"] if cell[1] is not None else [])
    return ", ".join(parts)


def best_row(rows, net, dp, ws_col, ad_col, cell):
    cand = [r for r in rows if r["network"] == net and r["datapath"] == dp and in_cell(r, ws_col, ad_col, cell)]
    return max(cand, key=throughput) if cand else None


def plot_energy(dirname, rows, columns, outdir, cells_spec):
    ws_col, ad_col, cells = representative_cells(rows, columns, cells_spec)
    nets = networks(rows)
    fig, axes = plt.subplots(1, len(nets), figsize=(max(7, 1.3 * len(datapaths(rows)) * len(cells) + 3) * len(nets), 5.5),
                             squeeze=False)
    for ax, net in zip(axes[0], nets):
        bars = []
        for cell in cells:
            for dp in datapaths(rows):
                r = best_row(rows, net, dp, ws_col, ad_col, cell)
                if r:
                    e = report(dirname, r)["energy"]
                    scale = e["per_inference_j"] / e["total_j"] if e["total_j"] else 0.0
                    by_block = {k: v * scale * 1e6 for k, v in e["breakdown"]["by_block"].items()}
                    bars.append((f"{dp}\n{cell_label(cell)}".strip(), by_block))
        blocks = sorted({b for _, bb in bars for b in bb}, key=lambda b: -sum(bb.get(b, 0) for _, bb in bars))
        bottom = np.zeros(len(bars))
        for blk in blocks:
            vals = np.array([bb.get(blk, 0.0) for _, bb in bars])
            ax.bar(range(len(bars)), vals, bottom=bottom, label=blk, color=block_color(blk))
            bottom += vals
        for i, total in enumerate(bottom):
            ax.text(i, total, f"{total:,.0f}" if total >= 100 else f"{total:.3g}", ha="center", va="bottom", fontsize=8)
        ax.set_ylim(0, 1.1 * max(bottom.max(), 1e-12))  # room for the totals
        ax.set_xticks(range(len(bars)))
        ax.set_xticklabels([name for name, _ in bars], fontsize=8)
        ax.set_ylabel("energy per inference (µJ)")
        ax.set_xlabel("datapath, workload cell (ws: weight sparsity, ad: activation density)", fontsize=8)
        ax.set_title(wrap(f"{net}: energy per inference by block (best design of each datapath per cell)", 110), fontsize=10)
        ax.legend(fontsize=7, ncol=2)
    fig.tight_layout()
    return save(fig, outdir, "energy_breakdown")


def compat_padding_note(reps):
    """SCALE-Sim compat mode computes layers without padding; say so when a shown run used it."""
    compat = [r for r in reps if r.get("compat", "none") != "none"]
    return ("SCALE-Sim compat mode: padding is dropped (outputs (H - K) / stride + 1), as SCALE-Sim does"
            if compat else None)


def plot_layers(dirname, rows, columns, outdir, points, cells_spec):
    if points:
        by_id = {r["point"]: r for r in rows}
        chosen = [by_id[p] for p in points.split(",")]
        title = "chosen points"
    else:
        ws_col, ad_col, cells = representative_cells(rows, columns, cells_spec)
        cell = cells[-1]
        net = networks(rows)[0]
        chosen = [r for r in (best_row(rows, net, dp, ws_col, ad_col, cell) for dp in datapaths(rows)) if r]
        title = f"{net}, {cell_label(cell) or 'all points'}: best design of each datapath"
    reps = [report(dirname, r) for r in chosen]
    names = [l["name"] for l in reps[0]["layers"]]
    width = 0.8 / len(reps)
    many = len(names) > 6
    fig, ax = plt.subplots(figsize=(max(8, 0.32 * len(names) * max(1, len(reps)) + 3), 6.0))
    for i, (r, rep) in enumerate(zip(chosen, reps)):
        cyc = {l["name"]: l["cycles"] for l in rep["layers"]}
        label = f"{rep['datapath']} {design_label(r)} ({rep['multipliers']:,} multipliers): {rep['total']['cycles']:,} cycles"
        xs = [x + i * width for x in range(len(names))]
        ys = [cyc.get(n, 0) for n in names]
        ax.bar(xs, ys, width, label=label, color=COLORS.get(rep["datapath"]))
        for x, y in zip(xs, ys):  # the value on each bar (thousands), vertical so neighbours do not collide
            ax.text(x, y, f" {y / 1000:,.1f}k" if y >= 1000 else f" {y}", ha="center", va="bottom", rotation=90, fontsize=6)
    ax.set_ylim(0, 1.18 * max(max(l["cycles"] for l in rep["layers"]) for rep in reps))
    ax.set_xticks([x + width * (len(reps) - 1) / 2 for x in range(len(names))])
    ax.set_xticklabels(names, rotation=70 if many else 0, ha="right" if many else "center", fontsize=7 if many else 9)
    ax.set_ylabel("cycles per layer (clock cycles; value on each bar)")
    ax.set_xlabel("layer")
    ax.set_title(wrap(f"cycles per layer: {title}", 90), fontsize=10)
    ax.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.3 if many else -0.12), ncol=2, frameon=False)
    note = compat_padding_note(reps)
    if note:
        fig.text(0.01, 0.005, note, fontsize=7)
    fig.tight_layout(rect=(0, 0.03 if note else 0, 1, 1))
    return save(fig, outdir, "layer_cycles")


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("dir", help="sweep output folder holding results.csv")
    ap.add_argument("--out", help="folder for the plots (default DIR/plots)")
    ap.add_argument("--resource", choices=sorted(RESOURCES) + ["mix"], default="binding",
                    help="x axis of the throughput plot: binding (default: the share of the part the binding "
                         "resource takes, in %%), or one resource's count; mix is binding's old name")
    ap.add_argument("--pair", default="cs,sod", help="datapaths of the speed-up heat map, A,B: ratio A/B (default cs,sod)")
    ap.add_argument("--points", help="point ids for the per-layer plot (default: best of each datapath at the sparsest cell)")
    ap.add_argument("--cells", help="WS:AD cells for the energy and layer plots, e.g. 0:1,0.9:0.1 "
                                    "(default: the densest and the sparsest cell)")
    args = ap.parse_args(argv[1:])
    pair = args.pair.split(",")
    if len(pair) != 2:
        print(f"plot_sweep.py: --pair {args.pair}: expected two datapaths A,B", file=sys.stderr)
        return 2
    outdir = args.out or os.path.join(args.dir, "plots")
    if args.resource == "mix":
        args.resource = "binding"
    try:
        columns, rows = load(args.dir)
        if args.cells:
            for item in args.cells.split(","):
                ws, _, ad = item.partition(":")
                try:
                    float(ws), float(ad)
                except ValueError:
                    raise InputError(f"--cells {args.cells}: \"{item}\" is not WS:AD (two numbers)")
            ws_col, ad_col, cells = representative_cells(rows, columns, args.cells)
            for cell in cells:
                if not any(in_cell(r, ws_col, ad_col, cell) for r in rows):
                    raise InputError(f"--cells: no finished point at {cell_label(cell) or args.cells}")
        if args.points:
            known = {r["point"] for r in rows}
            unknown = [p for p in args.points.split(",") if p not in known]
            if unknown:
                raise InputError(f"--points: no finished (status ok) point {', '.join(unknown)} in results.csv")
        for r in rows:  # read every needed report up front: a bad one fails before anything is written
            report(args.dir, r)
        written = plot_throughput(args.dir, rows, columns, outdir, args.resource, args.cells)
        speed, why = plot_speedup(rows, columns, outdir, pair)
        written += speed or []
        written += plot_energy(args.dir, rows, columns, outdir, args.cells)
        written += plot_layers(args.dir, rows, columns, outdir, args.points, args.cells)
    except InputError as e:
        print(f"plot_sweep.py: {e}", file=sys.stderr)
        return 2
    for w in written:
        print(f"plot: {w}")
    if why:
        print(f"plot_sweep.py: speed-up heat map skipped: {why}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
