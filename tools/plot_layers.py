#!/usr/bin/python3
"""Per-layer cycles of one or more sparsesim reports, side by side.

usage: tools/plot_layers.py OUT_PREFIX report.json [report.json ...]
Writes OUT_PREFIX.png and OUT_PREFIX.svg (matplotlib, Agg backend: no display needed).
"""
import json
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from plot_sweep import COLORS, compat_padding_note  # noqa: E402  one colour per datapath in every plot


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    prefix, files = argv[1], argv[2:]
    reports = []
    for f in files:
        with open(f) as fh:
            reports.append(json.load(fh))
    names = [l["name"] for l in reports[0]["layers"]]
    width = 0.8 / len(reports)
    fig, ax = plt.subplots(figsize=(max(7, 0.5 * len(names) + 3), 5.5))
    for i, r in enumerate(reports):
        cycles = [l["cycles"] for l in r["layers"]]
        label = f'{r["arch"]} ({r["datapath"]}): {r["total"]["cycles"]:,} cycles'
        xs = [x + i * width for x in range(len(names))]
        # Same-datapath reports side by side get the datapath's colour, lighter for each repeat.
        repeat = sum(1 for q in reports[:i] if q["datapath"] == r["datapath"])
        ax.bar(xs, cycles, width, label=label, color=COLORS.get(r["datapath"]), alpha=1.0 - 0.3 * min(repeat, 2))
        for x, y in zip(xs, cycles):
            ax.text(x, y, f" {y / 1000:,.1f}k" if y >= 1000 else f" {y}", ha="center", va="bottom", rotation=90, fontsize=6)
    ax.set_xticks([x + width * (len(reports) - 1) / 2 for x in range(len(names))])
    ax.set_xticklabels(names, rotation=60 if len(names) > 6 else 0, ha="right" if len(names) > 6 else "center", fontsize=8)
    ax.set_ylim(0, 1.18 * max(l["cycles"] for r in reports for l in r["layers"]))
    ax.set_ylabel("cycles per layer (clock cycles; value on each bar)")
    ax.set_title(f'{reports[0]["network"]}: cycles per layer', fontsize=11)
    ax.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.12 if len(names) <= 6 else -0.35), ncol=2)
    note = compat_padding_note(reports)
    fig.text(0.01, 0.01, "clock and memory constants: each architecture's JSON file" + ("; " + note if note else ""), fontsize=7)
    fig.tight_layout(rect=(0, 0.03, 1, 1))
    os.makedirs(os.path.dirname(os.path.abspath(prefix)), exist_ok=True)
    for ext in ("png", "svg"):
        tmp = f"{prefix}.{ext}.tmp"
        fig.savefig(tmp, format=ext, dpi=120)
        os.replace(tmp, f"{prefix}.{ext}")
    print(f"plot: {prefix}.png (and .svg)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
