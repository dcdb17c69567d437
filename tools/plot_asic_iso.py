#!/usr/bin/python3
"""The Sparse-on-Dense question at equal silicon area: table and boundary plot.

usage: tools/plot_asic_iso.py NETWORKS_DIR GRID_DIR [--out PLOTDIR] [--name PREFIX] [--sensitivity DIR]

NETWORKS_DIR is the output of `sparsesim sweep configs/sweeps/iso-area-sod-networks.json`, GRID_DIR
that of `.../iso-area-sod-grid.json` (both iso-area sweeps: "iso": {"asic_area_mm2": A}).
Prints a Markdown table per network (every datapath at equal area: array, area, decompressor
share, dense-equivalent and useful MAC/s per mm^2, inferences per joule, and SoD's ratios to the
others beside the paper's 11.9x and 3.2x) and the boundary table, and writes into PLOTDIR
(default GRID_DIR/plots), as PNG and SVG:
  <PREFIX>-networks  throughput/area and inferences/J per network, one colour per datapath
  <PREFIX>-boundary  SoD / sparse-PE over weight sparsity x activation density, one column per
                     sparse-PE area (PE-area ratio in the title), the ratio-1 line drawn
Definitions (docs/asic-iso-area.md): dense-equivalent MAC/s = the network's dense MACs (every
weight x every activation, report total.macs_dense) x inferences/s; useful MAC/s = the MACs with
both operands non-zero (total.macs_useful) x inferences/s; both per mm^2 of the sized design's
45 nm area (resources.asic.area_mm2, buffers included). Exit 2, nothing written, on missing input.
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import plot_sweep as ps  # noqa: E402  (results.csv reader, report cache, colours, save)

plt = ps.plt
np = ps.np

PAPER_THROUGHPUT_PER_AREA = 11.9   # Yoon, Kim, Ryu, arXiv 2604.26587: up to 11.9x over sparse accelerators
PAPER_ENERGY_EFFICIENCY = 3.2      # same paper: up to 3.2x
PAPER_DECOMPRESSOR_SHARE = 0.02    # same paper: decompression about 2% of the area
ORDER = ["dense", "sod", "sparse_pe", "cs"]
LABEL = {"dense": "dense", "sod": "SoD", "sparse_pe": "sparse-PE", "cs": "CS"}


def asic(rep):
    a = rep.get("resources", {}).get("asic")
    if not a:
        raise ps.InputError(f"report of {rep.get('arch', {}).get('name', '?')} has no resources.asic")
    return a


def block_mm2(a, name):
    return sum(b["area_mm2"] for b in a.get("blocks", []) if b["block"] == name)


def metrics(dirname, row):
    rep = ps.report(dirname, row)
    a = asic(rep)
    area = a["area_mm2"]
    ips = ps.throughput(row)
    tot = rep["total"]
    sram = sum(b["area_mm2"] for b in a["blocks"] if b.get("sram_bits", 0) > 0)
    return {
        "datapath": row["datapath"], "network": row["network"],
        "array": f"{int(float(row['iso.rows']))}x{int(float(row['iso.cols']))}",
        "area": area, "sram_share": sram / area,
        "pe_um2": a.get("pe_area_um2"),
        "dec_share": block_mm2(a, "decompressors") / area,
        "dec_share_array": (block_mm2(a, "decompressors") / (block_mm2(a, "decompressors") + block_mm2(a, "pe_array"))
                            if block_mm2(a, "decompressors") else 0.0),
        "dense_eq": tot["macs_dense"] * ips / area,
        "useful": tot["macs_useful"] * ips / area,
        "inf_per_j": ps.num(row, "inferences_per_joule"),
        "ips": ips,
    }


def ratio(a, b):
    return a / b if a and b else float("nan")


def networks_table(dirname, rows):
    out = []
    by_net = {}
    for r in rows:
        by_net.setdefault(r["network"], {})[r["datapath"]] = metrics(dirname, r)
    out.append("| network | datapath | array | area mm^2 | SRAM share | PE um^2 | dense-eq GMAC/s/mm^2 | useful GMAC/s/mm^2 "
               "| inferences/J | SoD / this: dense-eq thr./area | SoD / this: inf/J |")
    out.append("|---|---|---|---|---|---|---|---|---|---|---|")
    for net, d in by_net.items():
        sod = d.get("sod")
        for dp in ORDER:
            m = d.get(dp)
            if not m:
                continue
            rt = "" if dp == "sod" or not sod else f"{ratio(sod['dense_eq'], m['dense_eq']):.2f}x"
            re = "" if dp == "sod" or not sod else f"{ratio(sod['inf_per_j'], m['inf_per_j']):.2f}x"
            out.append(f"| {net} | {LABEL[dp]} | {m['array']} | {m['area']:.2f} | {m['sram_share']:.0%} | "
                       f"{m['pe_um2']:,.0f} | {m['dense_eq'] / 1e9:,.1f} | {m['useful'] / 1e9:,.1f} | "
                       f"{m['inf_per_j']:,.0f} | {rt} | {re} |")
    decs = [(net, d["sod"]) for net, d in by_net.items() if "sod" in d]
    out.append("")
    out.append(f"Paper (Yoon et al.): SoD up to {PAPER_THROUGHPUT_PER_AREA}x throughput/area and "
               f"{PAPER_ENERGY_EFFICIENCY}x energy efficiency over sparse accelerators; decompression "
               f"~{PAPER_DECOMPRESSOR_SHARE:.0%} of the area.")
    for net, m in decs[:1]:
        out.append(f"Decompressors here: {m['dec_share']:.2%} of the SoD design's area "
                   f"({m['dec_share_array']:.2%} of PE array + decompressors), {m['array']} array.")
    return by_net, "\n".join(out)


def budget_mm2(dirname):
    try:
        with open(os.path.join(dirname, "sweep.json")) as fh:
            return ps.json.load(fh)["iso"]["asic_area_mm2"]
    except (OSError, ValueError, KeyError) as e:
        raise ps.InputError(f"{dirname}/sweep.json: no iso.asic_area_mm2 ({e}); not an iso-area sweep's output")


def plot_networks(by_net, outdir, prefix, budget):
    nets = list(by_net)
    fig, axes = plt.subplots(1, 3, figsize=(15, 4.8))
    keys = [("dense_eq", "dense-equivalent GMAC/s per mm$^2$", 1e9), ("useful", "useful GMAC/s per mm$^2$", 1e9),
            ("inf_per_j", "inferences per joule", 1.0)]
    width = 0.8 / len(ORDER)
    for ax, (key, title, scale) in zip(axes, keys):
        for k, dp in enumerate(ORDER):
            xs, ys = [], []
            for i, net in enumerate(nets):
                m = by_net[net].get(dp)
                if m:
                    xs.append(i + (k - (len(ORDER) - 1) / 2) * width)
                    ys.append(m[key] / scale)
            ax.bar(xs, ys, width=width, color=ps.COLORS[dp], label=LABEL[dp])
        ax.set_xticks(range(len(nets)))
        ax.set_xticklabels([n.replace("-pruned-rep", "") for n in nets])
        ax.set_title(title, fontsize=10)
        ax.grid(axis="y", alpha=0.3)
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="upper right", ncol=len(ORDER), fontsize=9, frameon=False)
    fig.suptitle(f"Equal 45 nm area: each datapath grown to the largest square array within {budget:g} mm$^2$ "
                 "(buffers included); representative layers at published densities", fontsize=10, x=0.01, ha="left")
    fig.tight_layout(rect=(0, 0, 1, 0.93))
    return ps.save(fig, outdir, prefix + "-networks")


def boundary(dirname, rows, columns):
    ws_col = ps.axis_column(columns, "weight_sparsity")
    ad_col = ps.axis_column(columns, "activation_density")
    if not ws_col or not ad_col:
        raise ps.InputError(f"{dirname}/results.csv: needs weight_sparsity and activation_density axes")
    cells, pe_area = {}, {}
    for r in rows:
        key = (float(r[ws_col]), float(r[ad_col]))
        m = metrics(dirname, r)
        dp = r["datapath"]
        if dp == "sparse_pe":   # one sparse-PE design per PE area (its arch file)
            pe_area[r["arch"]] = m["pe_um2"]
            cells.setdefault(key, {}).setdefault("sparse_pe", {})[r["arch"]] = m
        else:
            cells.setdefault(key, {})[dp] = m
    wss = sorted({k[0] for k in cells})
    ads = sorted({k[1] for k in cells}, reverse=True)
    designs = sorted(pe_area, key=pe_area.get)
    return cells, wss, ads, designs


def plot_boundary(cells, wss, ads, designs, outdir, prefix, budget):
    fig, axes = plt.subplots(2, len(designs), figsize=(4.6 * len(designs) + 1.6, 9.0), squeeze=False,
                             constrained_layout=True)
    norm = ps.matplotlib.colors.LogNorm(vmin=1 / 16, vmax=16)
    dense_pe = next(c["sod"]["pe_um2"] for c in cells.values() if "sod" in c)
    lines = []
    for j, design in enumerate(designs):
        sp_pe = next(c["sparse_pe"][design]["pe_um2"] for c in cells.values() if design in c.get("sparse_pe", {}))
        sp_arr = next(c["sparse_pe"][design]["array"] for c in cells.values() if design in c.get("sparse_pe", {}))
        for i, (key, what) in enumerate([("dense_eq", "throughput/mm²"), ("inf_per_j", "inferences/J")]):
            ax = axes[i][j]
            grid = np.full((len(ads), len(wss)), np.nan)
            for a, ad in enumerate(ads):
                for w, ws in enumerate(wss):
                    c = cells.get((ws, ad), {})
                    if "sod" in c and design in c.get("sparse_pe", {}):
                        grid[a, w] = ratio(c["sod"][key], c["sparse_pe"][design][key])
            im = ax.imshow(grid, cmap="RdBu_r", norm=norm, aspect="auto")
            for a in range(len(ads)):
                for w in range(len(wss)):
                    v = grid[a, w]
                    if not np.isnan(v):
                        strong = abs(np.log(v)) > np.log(5)
                        ax.text(w, a, f"{v:.2g}x", ha="center", va="center", fontsize=9,
                                color="white" if strong else "black")
            if np.nanmin(grid) < 1 < np.nanmax(grid):
                ax.contour(np.arange(len(wss)), np.arange(len(ads)), np.log(grid), levels=[0.0],
                           colors="black", linewidths=2.0)
            ax.set_xticks(range(len(wss)))
            ax.set_xticklabels([f"{100 * w:.0f}" for w in wss])
            ax.set_yticks(range(len(ads)))
            ax.set_yticklabels([f"{100 * a:.0f}" for a in ads])
            ax.set_xlabel("weight sparsity (%)")
            ax.set_ylabel(f"{what}\nactivation density (%)" if j == 0 else "activation density (%)")
            wins = int(np.nansum(grid > 1))
            head = f"sparse PE = {sp_pe / dense_pe:.1f}x dense PE\n({design}, {sp_arr})\n" if i == 0 else ""
            ax.set_title(f"{head}SoD / sparse-PE {what}: SoD wins {wins} of {np.count_nonzero(~np.isnan(grid))}",
                         fontsize=9)
            for a, ad in enumerate(ads):
                lines.append((design, sp_pe / dense_pe, what, ad, [grid[a, w] for w in range(len(wss))]))
    fig.colorbar(im, ax=axes, shrink=0.5, label="SoD / sparse-PE (red: SoD better, blue: sparse-PE better)")
    fig.suptitle(f"Where Sparse-on-Dense stops winning at equal 45 nm area ({budget:g} mm$^2$; black line: ratio 1; "
                 f"top: throughput per mm$^2$, bottom: inferences per joule)", fontsize=11)
    return ps.save(fig, outdir, prefix + "-boundary"), lines


def boundary_table(lines, wss):
    out = ["| sparse PE / dense PE area | metric | activation density | " +
           " | ".join(f"ws {100 * w:.0f}%" for w in wss) + " |",
           "|---|---|---|" + "---|" * len(wss)]
    for design, r, what, ad, vals in lines:
        out.append(f"| {r:.1f}x ({design}) | {what} | {100 * ad:.0f}% | " +
                   " | ".join(f"{v:.2f}x" for v in vals) + " |")
    return "\n".join(out)


def sensitivity_table(dirname, rows):
    """SoD / sparse-PE per network and memory variant (DRAM bytes/cycle x SRAM KiB)."""
    var = {}
    for r in rows:
        sram = sum(float(r[c]) for c in ("memory.ifmap_kb", "memory.filter_kb", "memory.ofmap_kb"))
        key = (r["network"], int(float(r["memory.dram_bytes_per_cycle"])), int(sram))
        var.setdefault(key, {})[r["datapath"]] = metrics(dirname, r)
    out = ["| network | DRAM B/cycle | SRAM KiB | SoD array | sparse-PE array | SoD / sparse-PE: dense-eq thr./area | inf/J |",
           "|---|---|---|---|---|---|---|"]
    for (net, dram, sram), d in sorted(var.items(), key=lambda kv: (kv[0][0], -kv[0][1], kv[0][2])):
        if "sod" in d and "sparse_pe" in d:
            out.append(f"| {net} | {dram} | {sram} | {d['sod']['array']} | {d['sparse_pe']['array']} | "
                       f"{ratio(d['sod']['dense_eq'], d['sparse_pe']['dense_eq']):.2f}x | "
                       f"{ratio(d['sod']['inf_per_j'], d['sparse_pe']['inf_per_j']):.2f}x |")
    return "\n".join(out)


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("networks_dir")
    ap.add_argument("grid_dir")
    ap.add_argument("--out", help="plot folder (default GRID_DIR/plots)")
    ap.add_argument("--name", default="asic-iso", help="file name prefix (default asic-iso)")
    ap.add_argument("--sensitivity", help="output of iso-area-sod-sensitivity.json: print its table too")
    args = ap.parse_args(argv)
    try:
        _, net_rows = ps.load(args.networks_dir)
        grid_cols, grid_rows = ps.load(args.grid_dir)
        by_net, table = networks_table(args.networks_dir, net_rows)
        cells, wss, ads, designs = boundary(args.grid_dir, grid_rows, grid_cols)
        net_budget, grid_budget = budget_mm2(args.networks_dir), budget_mm2(args.grid_dir)
        sens = sensitivity_table(args.sensitivity, ps.load(args.sensitivity)[1]) if args.sensitivity else None
        if not designs or not any("sod" in c for c in cells.values()):
            raise ps.InputError(f"{args.grid_dir}/results.csv: needs sod and sparse_pe points")
    except ps.InputError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    outdir = args.out or os.path.join(args.grid_dir, "plots")
    os.makedirs(outdir, exist_ok=True)
    print(table)
    print()
    for p in plot_networks(by_net, outdir, args.name, net_budget):
        print(p, file=sys.stderr)
    paths, lines = plot_boundary(cells, wss, ads, designs, outdir, args.name, grid_budget)
    for p in paths:
        print(p, file=sys.stderr)
    print(boundary_table(lines, wss))
    if sens:
        print()
        print(sens)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
