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
        ax.bar([x + i * width for x in range(len(names))], cycles, width, label=label)
    ax.set_xticks([x + width * (len(reports) - 1) / 2 for x in range(len(names))])
    ax.set_xticklabels(names, rotation=60 if len(names) > 6 else 0, ha="right" if len(names) > 6 else "center", fontsize=8)
    ax.set_yscale("log")
    ax.set_ylabel("cycles per layer (clock cycles, log scale)")
    ax.set_title(f'{reports[0]["network"]}: cycles per layer', fontsize=11)
    ax.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.12 if len(names) <= 6 else -0.35), ncol=2)
    fig.text(0.01, 0.01, "clock and memory constants: each architecture's JSON file", fontsize=7)
    fig.tight_layout()
    os.makedirs(os.path.dirname(os.path.abspath(prefix)), exist_ok=True)
    for ext in ("png", "svg"):
        tmp = f"{prefix}.{ext}.tmp"
        fig.savefig(tmp, format=ext, dpi=120)
        os.replace(tmp, f"{prefix}.{ext}")
    print(f"plot: {prefix}.png (and .svg)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
