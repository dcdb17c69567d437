#!/usr/bin/python3
"""Writes the malformed-input corpus under tests/malformed/cases/ (run it after editing).

Every case starts from the small valid pair BASE_ARCH / BASE_NET and breaks one thing, so the
error it must produce is known exactly. A case directory holds:
  arch.json, network.json  the inputs (either may be absent, or a directory, on purpose)
  expect                   line 1: the file the message must name (arch.json, network.json, w.npy)
                           line 2: the JSON path the message must contain (empty: no check)
                           line 3: a substring of the reason
  args                     optional: extra command-line arguments, one per line
  npy.json                 optional: .npy fixtures make_npy.py writes next to network.json
  max_seconds              optional: the case fails if sparsesim takes longer
  sweep.json               optional: a sweep file; run.sh then runs `sparsesim sweep sweep.json --out ...`
                           (its "arch"/"network" name the arch.json/network.json beside it)
  cmd                      optional: the whole command line (one argument a line), run in an empty
                           working directory where the case's files are ../in/
  fifo                     optional: names of inputs run.sh replaces by named pipes
  sparse                   optional: "<name> <bytes>" lines, inputs run.sh creates as sparse files
  other files              optional: extra input files (files={name: bytes})
Usage: gen_cases.py [cases dir]   (default: the cases/ directory next to this script)
"""
import copy
import json
import os
import shutil
import sys

BASE_ARCH = {
    "name": "malformed-base",
    "datapath": "dense",
    "clock_mhz": 200,
    "dataflow": "os",
    "array": {"rows": 4, "cols": 4},
    "memory": {"ifmap_kb": 64, "filter_kb": 64, "ofmap_kb": 64, "dram_bytes_per_cycle": 16,
               "prefetch_depth": 2, "output_bytes": 4},
    "simulation": {"fold_engine": "bulk"},
}

BASE_NET = {
    "name": "malformed-base-net",
    "input": {"channels": 2, "height": 6, "width": 6},
    "defaults": {"weight_sparsity": 0.5, "activation_density": 0.5},
    "layers": [
        {"name": "c1", "type": "conv2d", "in_channels": 2, "out_channels": 4, "in_h": 6, "in_w": 6,
         "kernel_h": 3, "kernel_w": 3, "stride": 1, "padding": 1},
        {"name": "dw", "type": "depthwise_conv2d", "in_channels": 4, "out_channels": 4, "in_h": 6,
         "in_w": 6, "kernel_h": 3, "kernel_w": 3},
        {"name": "fc", "type": "linear", "in_channels": 64, "out_channels": 5},
    ],
}

CASES = []


def case(name, expect, arch=None, net=None, args=(), npy=None, max_seconds=None,
         arch_raw=None, net_raw=None, no_arch=False, arch_dir=False, sweep=None, cmd=None,
         fifo=(), sparse=None, files=None):
    """arch/net: a function mutating a deep copy of the base dict; *_raw: bytes written as is."""
    CASES.append(dict(name=name, expect=expect, arch=arch, net=net, args=list(args), npy=npy,
                      max_seconds=max_seconds, arch_raw=arch_raw, net_raw=net_raw,
                      no_arch=no_arch, arch_dir=arch_dir, sweep=sweep, cmd=cmd, fifo=list(fifo),
                      sparse=sparse or {}, files=files or {}))


def setk(*path_and_value):
    """A mutator setting d[k1][k2]...[kn] = value (integer keys index lists)."""
    *path, value = path_and_value

    def f(d):
        for k in path[:-1]:
            d = d[k]
        d[path[-1]] = value
    return f


def delk(*path):
    def f(d):
        for k in path[:-1]:
            d = d[k]
        del d[path[-1]]
    return f


def seq(*fs):
    def f(d):
        for g in fs:
            g(d)
    return f


A, N = "arch.json", "network.json"

# ---------------------------------------------------------------- JSON syntax
case("arch-syntax-trailing-comma", (A, "", "malformed JSON"),
     arch_raw=b'{"name": "x", "datapath": "dense", "dataflow": "os", "array": {"rows": 4, "cols": 4},}\n')
case("net-syntax-trailing-comma-in-array", (N, "", "malformed JSON"),
     net_raw=b'{"name": "n", "layers": [{"name": "l", "type": "linear", "in_channels": 4, "out_channels": 4},]}\n')
case("arch-syntax-truncated", (A, "", "malformed JSON"),
     arch_raw=b'{"name": "x", "datapath": "dense", "dataflow": "os", "array": {"rows": 4, ')
case("net-syntax-truncated", (N, "", "malformed JSON"),
     net_raw=json.dumps(BASE_NET).encode()[:120])
case("arch-syntax-empty-file", (A, "", "malformed JSON"), arch_raw=b"")
# Found by tools/fuzz: a number too large for a double escaped the parser as another exception.
case("net-number-beyond-double", (N, "", "malformed JSON"),
     net_raw=b'{"name": "n", "defaults": {"activation_density": 0.5' + b'0' * 400 + b'e9999}, "layers": []}\n')
case("net-syntax-empty-file", (N, "", "malformed JSON"), net_raw=b"")
case("net-syntax-whitespace-only", (N, "", "malformed JSON"), net_raw=b"  \n\t\n")
case("arch-syntax-comment", (A, "", "malformed JSON"),
     arch_raw=b'// dense array\n{"name": "x", "datapath": "dense", "dataflow": "os", "array": {"rows": 4, "cols": 4}}\n')
case("arch-syntax-nan", (A, "", "malformed JSON"),
     arch_raw=b'{"name": "x", "datapath": "dense", "clock_mhz": NaN, "dataflow": "os", "array": {"rows": 4, "cols": 4}}\n')
case("net-syntax-single-quotes", (N, "", "malformed JSON"),
     net_raw=b"{'name': 'n', 'layers': []}\n")
case("net-syntax-two-documents", (N, "", "malformed JSON"),
     net_raw=json.dumps(BASE_NET).encode() + b"\n" + json.dumps(BASE_NET).encode() + b"\n")
case("net-syntax-invalid-utf8", (N, "", "malformed JSON"),
     net_raw=json.dumps(BASE_NET).encode().replace(b"malformed-base-net", b"bad\xff\xfename"))
case("net-syntax-binary-garbage", (N, "", "malformed JSON"), net_raw=bytes(range(256)))
case("arch-top-level-array", (A, "(top level)", "expected a JSON object, got array"), arch_raw=b"[1, 2, 3]\n")
case("net-top-level-string", (N, "(top level)", "expected a JSON object, got string"), net_raw=b'"gsc"\n')
case("net-top-level-null", (N, "(top level)", "expected a JSON object, got null"), net_raw=b"null\n")
case("arch-file-missing", (A, "", "cannot open file"), no_arch=True)
case("arch-file-is-directory", (A, "", ""), arch_dir=True)

# ---------------------------------------------------------------- wrong types
case("arch-rows-string", (A, "array.rows", "expected an integer, got string"), arch=setk("array", "rows", "16"))
case("arch-rows-float", (A, "array.rows", "expected an integer, got 16.5"), arch=setk("array", "rows", 16.5))
case("arch-rows-integral-float", (A, "array.rows", "expected an integer"), arch=setk("array", "rows", 16.0))
case("arch-rows-bool", (A, "array.rows", "expected an integer, got boolean"), arch=setk("array", "rows", True))
case("arch-rows-null", (A, "array.rows", "null is not a valid value"), arch=setk("array", "rows", None))
case("arch-array-is-list", (A, "array", "expected an object, got array"), arch=setk("array", [16, 16]))
case("arch-name-number", (A, "name", "expected a string, got number"), arch=setk("name", 5))
case("arch-clock-string", (A, "clock_mhz", "expected a number, got string"), arch=setk("clock_mhz", "200MHz"))
case("arch-memory-number", (A, "memory", "expected an object, got number"), arch=setk("memory", 5))
case("arch-simulation-string", (A, "simulation", "expected an object, got string"), arch=setk("simulation", "fast"))
case("arch-datapath-list", (A, "datapath", "expected a string, got array"), arch=setk("datapath", ["dense"]))
case("arch-cs-section-list", (A, "cs", "expected an object, got array"), arch=setk("cs", []))
case("net-layers-object", (N, "layers", "expected an array, got object"), net=setk("layers", {"c1": {}}))
case("net-layer-not-object", (N, "layers[1]", "expected a JSON object, got number"), net=setk("layers", 1, 7))
case("net-layer-stride-string", (N, "layers[0].stride", "expected an integer, got string"), net=setk("layers", 0, "stride", "2"))
case("net-layer-in-channels-float", (N, "layers[0].in_channels", "expected an integer, got 2.5"), net=setk("layers", 0, "in_channels", 2.5))
case("net-layer-kernel-bool", (N, "layers[0].kernel_h", "expected an integer, got boolean"), net=setk("layers", 0, "kernel_h", False))
case("net-layer-padding-null", (N, "layers[0].padding", "null is not a valid value"), net=setk("layers", 0, "padding", None))
case("net-layer-sparsity-string", (N, "layers[0].weight_sparsity", "expected a number, got string"), net=setk("layers", 0, "weight_sparsity", "0.5"))
case("net-layer-name-number", (N, "layers[2].name", "expected a string, got number"), net=setk("layers", 2, "name", 3))
case("net-layer-type-object", (N, "layers[0].type", "expected a string, got object"), net=setk("layers", 0, "type", {"conv2d": True}))
case("net-defaults-list", (N, "defaults", "expected an object, got array"), net=setk("defaults", [0.5]))
case("net-input-string", (N, "input", "expected an object, got string"), net=setk("input", "1x32x32"))
case("net-description-number", (N, "description", "expected a string, got number"), net=setk("description", 42))

# ---------------------------------------------------------------- missing required keys
for key in ("name", "datapath", "dataflow", "array"):
    case(f"arch-missing-{key}", (A, key, "required field is missing"), arch=delk(key))
for key in ("rows", "cols"):
    case(f"arch-missing-array-{key}", (A, f"array.{key}", "required field is missing"), arch=delk("array", key))
for key in ("name", "layers"):
    case(f"net-missing-{key}", (N, key, "required field is missing"), net=delk(key))
for key in ("name", "type", "in_channels", "out_channels", "in_h", "in_w", "kernel_h", "kernel_w"):
    case(f"net-layer-missing-{key}", (N, f"layers[0].{key}", "required field is missing"), net=delk("layers", 0, key))
case("net-input-missing-width", (N, "input.width", "required field is missing"), net=delk("input", "width"))
case("arch-name-empty", (A, "name", "must not be empty"), arch=setk("name", ""))
case("net-name-empty", (N, "name", "must not be empty"), net=setk("name", ""))
case("net-layer-name-empty", (N, "layers[1].name", "must not be empty"), net=setk("layers", 1, "name", ""))

# ---------------------------------------------------------------- unknown keys
case("arch-unknown-top-typo", (A, "clock_mhx", 'did you mean "clock_mhz"'), arch=setk("clock_mhx", 100))
case("arch-unknown-top-far", (A, "colour", "unknown key"), arch=setk("colour", "blue"))
case("arch-unknown-array", (A, "array.depth", "unknown key"), arch=setk("array", "depth", 8))
case("arch-unknown-memory-typo", (A, "memory.ifmap_kbb", 'did you mean "ifmap_kb"'), arch=setk("memory", "ifmap_kbb", 64))
case("arch-unknown-simulation-typo", (A, "simulation.fold_engin", 'did you mean "fold_engine"'), arch=setk("simulation", "fold_engin", "bulk"))
case("arch-unknown-cs-key", (A, "cs.zz_not_a_cs_key", "unknown key"), arch=setk("cs", {"zz_not_a_cs_key": 1}))
case("arch-unknown-sod-key", (A, "sod.zz_not_a_sod_key", "unknown key"), arch=setk("sod", {"zz_not_a_sod_key": 1}))
case("net-unknown-top-typo", (N, "layer", 'did you mean "layers"'), net=setk("layer", []))
case("net-unknown-layer-typo", (N, "layers[0].strid", 'did you mean "stride"'), net=setk("layers", 0, "strid", 2))
case("net-unknown-layer-far", (N, "layers[2].nonlinearity", "unknown key"), net=setk("layers", 2, "nonlinearity", "relu"))
case("net-unknown-defaults-typo", (N, "defaults.weight_sparsty", 'did you mean "weight_sparsity"'), net=setk("defaults", "weight_sparsty", 0.9))
case("net-unknown-input", (N, "input.depth", "unknown key"), net=setk("input", "depth", 3))

# ---------------------------------------------------------------- out-of-range sizes and values
for name, key, val in (("rows-zero", "rows", 0), ("rows-negative", "rows", -4), ("cols-4097", "cols", 4097),
                       ("rows-int64-max", "rows", 9223372036854775807)):
    case(f"arch-array-{name}", (A, f"array.{key}", "out of range"), arch=setk("array", key, val))
case("arch-rows-beyond-int64", (A, "array.rows", "out of range"),
     arch_raw=json.dumps(BASE_ARCH).replace('"rows": 4', '"rows": 18446744073709551615').encode())
case("arch-rows-1e30", (A, "array.rows", "expected an integer"), arch=setk("array", "rows", 1e30))
case("arch-clock-zero", (A, "clock_mhz", "out of range"), arch=setk("clock_mhz", 0))
case("arch-clock-negative", (A, "clock_mhz", "out of range"), arch=setk("clock_mhz", -200))
case("arch-clock-huge", (A, "clock_mhz", "out of range"), arch=setk("clock_mhz", 1e9))
case("arch-memory-ifmap-zero", (A, "memory.ifmap_kb", "out of range"), arch=setk("memory", "ifmap_kb", 0))
case("arch-memory-bandwidth-negative", (A, "memory.dram_bytes_per_cycle", "out of range"), arch=setk("memory", "dram_bytes_per_cycle", -1))
# In range of a double but physically meaningless (each parameter has a documented physical range).
case("arch-memory-bandwidth-1e-300", (A, "memory.dram_bytes_per_cycle", "out of range [0.01, "),
     arch=setk("memory", "dram_bytes_per_cycle", 1e-300))
case("arch-memory-bandwidth-1e-15", (A, "memory.dram_bytes_per_cycle", "out of range [0.01, "),
     arch=setk("memory", "dram_bytes_per_cycle", 1e-15))
case("arch-clock-5e-324", (A, "clock_mhz", "out of range [1, 5000]"), arch=setk("clock_mhz", 5e-324))
case("arch-clock-above-5ghz", (A, "clock_mhz", "out of range [1, 5000]"), arch=setk("clock_mhz", 6000))
case("arch-memory-filter-1e-300", (A, "memory.filter_kb", "out of range [0.001, "), arch=setk("memory", "filter_kb", 1e-300))
case("arch-memory-prefetch-zero", (A, "memory.prefetch_depth", "out of range"), arch=setk("memory", "prefetch_depth", 0))
case("arch-memory-output-bytes-9", (A, "memory.output_bytes", "out of range"), arch=setk("memory", "output_bytes", 9))
case("arch-datapath-unknown", (A, "datapath", '"tpu" is not one of'), arch=setk("datapath", "tpu"))
case("arch-datapath-wrong-case", (A, "datapath", '"Dense" is not one of'), arch=setk("datapath", "Dense"))
case("arch-dataflow-unknown", (A, "dataflow", '"is" is not one of'), arch=setk("dataflow", "is"))
case("arch-compat-unknown", (A, "compat", '"scale-sim" is not one of'), arch=setk("compat", "scale-sim"))
case("arch-fold-engine-unknown", (A, "simulation.fold_engine", '"exact" is not one of'), arch=setk("simulation", "fold_engine", "exact"))
for key, val in (("in_channels", 0), ("out_channels", -1), ("in_h", 2097152), ("kernel_h", 0),
                 ("kernel_w", 5000), ("stride", 0), ("padding", -1), ("groups", 0)):
    case(f"net-layer-{key.replace('_', '-')}-{str(val).replace('-', 'neg')}", (N, f"layers[0].{key}", "out of range"),
         net=setk("layers", 0, key, val))
case("net-input-channels-zero", (N, "input.channels", "out of range"), net=setk("input", "channels", 0))
for val in (1.0, 1.5, -0.1):
    case(f"net-layer-weight-sparsity-{str(val).replace('-', 'neg')}", (N, "layers[1].weight_sparsity", "out of range"),
         net=setk("layers", 1, "weight_sparsity", val))
for val in (0, 1.01, -0.5):
    case(f"net-layer-activation-density-{str(val).replace('-', 'neg')}", (N, "layers[2].activation_density", "out of range"),
         net=setk("layers", 2, "activation_density", val))
case("net-defaults-weight-sparsity-1", (N, "defaults.weight_sparsity", "out of range"), net=setk("defaults", "weight_sparsity", 1))
case("net-defaults-activation-density-0", (N, "defaults.activation_density", "out of range"), net=setk("defaults", "activation_density", 0.0))
case("net-layer-weight-pattern-unknown", (N, "layers[0].weight_pattern", '"structured" is not one of'), net=setk("layers", 0, "weight_pattern", "structured"))
case("net-layer-type-unknown", (N, "layers[0].type", '"conv3d" is not one of'), net=setk("layers", 0, "type", "conv3d"))

# ---------------------------------------------------------------- contradictory layer shapes
case("net-kernel-h-exceeds-input", (N, "layers[0].kernel_h", "exceeds the padded input height"),
     net=seq(setk("layers", 0, "kernel_h", 9), setk("layers", 0, "padding", 0)))
case("net-kernel-w-exceeds-padded-input", (N, "layers[0].kernel_w", "exceeds the padded input width 8"),
     net=setk("layers", 0, "kernel_w", 9))
case("net-padding-equals-kernel", (N, "layers[0].padding", "must be smaller than the kernel"), net=setk("layers", 0, "padding", 3))
case("net-padding-exceeds-kernel-w", (N, "layers[0].padding", "must be smaller than the kernel"),
     net=seq(setk("layers", 0, "kernel_w", 1), setk("layers", 0, "padding", 1)))
case("net-groups-not-dividing-in", (N, "layers[0].groups", "in_channels (2) is not divisible by groups (4)"), net=setk("layers", 0, "groups", 4))
case("net-groups-not-dividing-out", (N, "layers[0].groups", "out_channels (6) is not divisible by groups (4)"),
     net=seq(setk("layers", 0, "in_channels", 4), setk("layers", 0, "out_channels", 6), setk("layers", 0, "groups", 4)))
case("net-depthwise-groups-mismatch", (N, "layers[1].groups", "groups = in_channels (4)"), net=setk("layers", 1, "groups", 2))
case("net-linear-kernel-3", (N, "layers[2].kernel_h", "1x1 kernel"),
     net=seq(setk("layers", 2, "kernel_h", 3), setk("layers", 2, "kernel_w", 3), setk("layers", 2, "in_h", 3), setk("layers", 2, "in_w", 3)))
case("net-linear-stride-2", (N, "layers[2].stride", "stride 1"), net=setk("layers", 2, "stride", 2))
case("net-linear-padding", (N, "layers[2].padding", "no padding"), net=setk("layers", 2, "padding", 1))
case("net-linear-in-w", (N, "layers[2].in_w", "in_w = 1"), net=setk("layers", 2, "in_w", 4))
case("net-linear-groups-not-dividing", (N, "layers[2].groups", "out_channels (5) is not divisible by groups (2)"), net=setk("layers", 2, "groups", 2))
case("net-duplicate-layer-names", (N, "layers[2].name", 'duplicate layer name "c1"'), net=setk("layers", 2, "name", "c1"))
case("net-layers-empty", (N, "layers", "must not be empty"), net=setk("layers", []))
case("net-weights-and-sparsity", (N, "layers[0].weight_sparsity", 'contradicts "weights"'),
     net=seq(setk("layers", 0, "weights", "w.npy"), setk("layers", 0, "weight_sparsity", 0.5)),
     npy={"w.npy": {"dtype": "int8", "shape": [4, 2, 3, 3]}})
case("net-weights-empty-string", (N, "layers[0].weights", "must not be empty"), net=setk("layers", 0, "weights", ""))
case("net-weights-number", (N, "layers[0].weights", "expected a string, got number"), net=setk("layers", 0, "weights", 1))

# ---------------------------------------------------------------- run-level checks (validateRun, selectLayers)
case("run-layers-unknown", (N, "layers", '"nosuchlayer", which is not a layer'), args=["--layers", "nosuchlayer"])
case("run-layers-one-unknown", (N, "layers", '"fc2", which is not a layer'), args=["--layers", "c1,fc2"])
case("run-scalesim-kernel-larger-than-input", (N, "layers[0].kernel_h", "SCALE-Sim compat mode"),
     arch=setk("compat", "scalesim"),
     net=seq(setk("layers", 0, "in_h", 2), setk("layers", 0, "in_w", 2), setk("layers", 0, "padding", 1),
             setk("layers", 1, "in_h", 2), setk("layers", 1, "in_w", 2), setk("layers", 1, "padding", 1)))
case("run-absurd-linear", (N, "layers[1]", "GB of memory"), max_seconds=5,
     net=setk("layers", 1, {"name": "huge", "type": "linear", "in_channels": 1048576, "out_channels": 1048576, "in_h": 1048576}))
case("run-absurd-conv-input", (N, "layers[0]", "GB of memory"), max_seconds=5,
     net=setk("layers", 0, {"name": "huge", "type": "conv2d", "in_channels": 16, "out_channels": 16, "in_h": 1048576,
                            "in_w": 1048576, "kernel_h": 1, "kernel_w": 1}))
case("run-absurd-depthwise", (N, "layers[2]", "GB of memory"), max_seconds=5,
     net=setk("layers", 2, {"name": "huge", "type": "depthwise_conv2d", "in_channels": 1048576, "out_channels": 1048576,
                            "in_h": 512, "in_w": 512, "kernel_h": 3, "kernel_w": 3, "padding": 1}))
case("run-set-rows-zero", (A, "array.rows", "out of range"), args=["--set", "array.rows=0"])
case("run-set-typo", (A, "array.row", 'did you mean "rows"'), args=["--set", "array.row=8"])
case("run-set-no-equals", (A, "--set array.rows", "expected path=value"), args=["--set", "array.rows"])
case("run-set-into-scalar", (A, "array.rows", "not an object"), args=["--set", "array.rows.x=1"])

# ---------------------------------------------------------------- datapath sections, FPGA part, energy table
CS = setk("datapath", "cs")
case("arch-cs-mode-unknown", (A, "cs.mode", ""), arch=seq(CS, setk("cs", {"mode": "fastest"})))
case("arch-cs-mode-typo-key", (A, "cs.modee", 'did you mean "mode"'), arch=seq(CS, setk("cs", {"modee": "auto"})))
case("arch-cs-max-n-zero", (A, "cs.packing.max_n", "out of range"), arch=seq(CS, setk("cs", {"packing": {"max_n": 0}})))
case("arch-cs-selector-lanes-zero", (A, "cs.selector.lanes", "out of range"), arch=seq(CS, setk("cs", {"selector": {"lanes": 0}})))
case("arch-cs-selector-circuit-unknown", (A, "cs.selector.circuit", ""), arch=seq(CS, setk("cs", {"selector": {"circuit": "quicksort"}})))
case("arch-cs-sram-banks-negative", (A, "cs.sram.banks", "out of range"), arch=seq(CS, setk("cs", {"sram": {"banks": -4}})))
case("arch-cs-sram-depth-string", (A, "cs.sram.depth", "expected"), arch=seq(CS, setk("cs", {"sram": {"depth": "1024"}})))
case("arch-cs-sram-weights-replaced", (A, "cs.sram.weights", 'replaced by "memory.weights"'),
     arch=seq(CS, setk("cs", {"sram": {"weights": "preload"}})))
case("arch-memory-weights-unknown", (A, "memory.weights", ""), arch=setk("memory", {"weights": "resident"}))
case("arch-cs-mac-pipeline-negative", (A, "cs.mac.pipeline_depth", "out of range"), arch=seq(CS, setk("cs", {"mac": {"pipeline_depth": -1}})))
case("arch-sod-unknown-key", (A, "sod.nnz_per_cyle", "did you mean"), arch=seq(setk("datapath", "sod"), setk("sod", {"nnz_per_cyle": 4})))
case("arch-sod-nnz-zero", (A, "sod.nnz_per_cycle", "out of range"), arch=seq(setk("datapath", "sod"), setk("sod", {"nnz_per_cycle": 0})))
case("arch-sparse-pe-unknown-key", (A, "sparse_pe.fifo_deep", "did you mean"),
     arch=seq(setk("datapath", "sparse_pe"), setk("sparse_pe", {"fifo_deep": 4})))
case("arch-sparse-pe-fifo-zero", (A, "sparse_pe.fifo_depth", "out of range"),
     arch=seq(setk("datapath", "sparse_pe"), setk("sparse_pe", {"fifo_depth": 0})))
# The dataflows a datapath supports are its registry entry's, checked when the run is resolved.
case("arch-sparse-pe-weight-stationary", (A, "dataflow", "the sparse_pe datapath is output-stationary"),
     arch=seq(setk("datapath", "sparse_pe"), setk("dataflow", "ws")))
case("arch-cs-weight-stationary", (A, "dataflow", "the cs datapath is output-stationary"), arch=seq(CS, setk("dataflow", "ws")))
case("arch-fpga-part-unknown", (A, "fpga_part", ""), arch=setk("fpga_part", "xcvu9999"))
case("arch-fpga-part-number", (A, "fpga_part", "expected a string"), arch=setk("fpga_part", 250))
case("arch-energy-table-unknown", (A, "energy_table", ""), arch=setk("energy_table", "asic-3nm-guess"))

# ---------------------------------------------------------------- golden traces (run --trace)
case("trace-unknown-block", ("", "--trace-blocks", 'unknown block "pe_arrray"'), args=["--trace", "trace", "--trace-blocks", "pe_arrray"])
case("trace-block-not-in-datapath", ("", "--trace-blocks", "not part of the dense datapath"),
     args=["--trace", "trace", "--trace-blocks", "mac_array"])
case("trace-one-of-two-unknown", ("", "--trace-blocks", 'unknown block "kwta"'), arch=CS,
     args=["--trace", "trace", "--trace-blocks", "mac_array,kwta"])
case("trace-format-unknown", ("", "--trace-format", "is not a trace encoding"), args=["--trace", "trace", "--trace-format", "xml"])
case("trace-blocks-without-trace", ("", "--trace", "need --trace DIR"), args=["--trace-blocks", "pe_array"])
case("trace-empty-block-list", ("", "--trace-blocks", "empty list"), args=["--trace", "trace", "--trace-blocks", ","])
case("trace-dir-under-a-file", ("", "--trace", "cannot create"), args=["--trace", "/dev/null/trace"])
case("trace-sparse-pe-block-on-dense", ("", "--trace-blocks", "not part of the dense datapath"),
     args=["--trace", "trace", "--trace-blocks", "sparse_pe"])

# ---------------------------------------------------------------- weights files
W = setk("layers", 0, "weights", "w.npy")
case("npy-missing", ("w.npy", "layers[0].weights", "cannot open .npy file"), net=W)
case("npy-float64", ("w.npy", "layers[0].weights", "expected int8 (|i1) or float32 (<f4)"), net=W,
     npy={"w.npy": {"dtype": "float64", "shape": [4, 2, 3, 3]}})
case("npy-float32-big-endian", ("w.npy", "layers[0].weights", "expected int8 (|i1) or float32 (<f4)"), net=W,
     npy={"w.npy": {"dtype": ">f4", "shape": [4, 2, 3, 3]}})
case("npy-float32-truncated", ("w.npy", "layers[0].weights", "truncated or padded"), net=W,
     npy={"w.npy": {"dtype": "float32", "shape": [4, 2, 3, 3], "truncate_bytes": 3}})
case("npy-int16", ("w.npy", "layers[0].weights", "expected int8 (|i1) or float32 (<f4)"), net=W,
     npy={"w.npy": {"dtype": "int16", "shape": [4, 2, 3, 3]}})
case("npy-uint8", ("w.npy", "layers[0].weights", "expected int8 (|i1) or float32 (<f4)"), net=W,
     npy={"w.npy": {"dtype": "uint8", "shape": [4, 2, 3, 3]}})
case("npy-truncated-data", ("w.npy", "layers[0].weights", "truncated or padded"), net=W,
     npy={"w.npy": {"dtype": "int8", "shape": [4, 2, 3, 3], "truncate_bytes": 10}})
case("npy-trailing-bytes", ("w.npy", "layers[0].weights", "truncated or padded"), net=W,
     npy={"w.npy": {"dtype": "int8", "shape": [4, 2, 3, 3], "append_bytes": 3}})
case("npy-truncated-header", ("w.npy", "layers[0].weights", ""), net=W,
     npy={"w.npy": {"dtype": "int8", "shape": [4, 2, 3, 3], "keep_bytes": 30}})
case("npy-empty-file", ("w.npy", "layers[0].weights", "not a valid .npy file"), net=W,
     npy={"w.npy": {"raw": ""}})
case("npy-not-npy", ("w.npy", "layers[0].weights", "not a valid .npy file"), net=W,
     npy={"w.npy": {"raw": "these are not the weights you are looking for\n"}})
# Format versions: numpy reads 1.0, 2.0 and 3.0 (and Fortran order), tests/reliability/npy_numpy_test.py.
for ver in ([4, 0], [1, 1], [0, 0]):
    case(f"npy-version-{ver[0]}-{ver[1]}", ("w.npy", "layers[0].weights", f"unsupported .npy format version {ver[0]}.{ver[1]}"), net=W,
         npy={"w.npy": {"dtype": "int8", "shape": [4, 2, 3, 3], "version": ver}})
case("npy-wrong-shape", (N, "layers[0].weights", "shape"), net=W,
     npy={"w.npy": {"dtype": "int8", "shape": [4, 2, 5, 5]}})
case("npy-wrong-shape-transposed", (N, "layers[0].weights", "shape"), net=W,
     npy={"w.npy": {"dtype": "int8", "shape": [2, 4, 3, 3]}})
case("npy-scalar", (N, "layers[0].weights", "shape"), net=W, npy={"w.npy": {"dtype": "int8", "shape": []}})
case("npy-linear-wrong-2d-shape", (N, "layers[2].weights", "shape"), net=setk("layers", 2, "weights", "fc.npy"),
     npy={"fc.npy": {"dtype": "int8", "shape": [64, 5]}})
case("npy-absurd-header-shape", ("w.npy", "layers[0].weights", "absurdly large"), net=W, max_seconds=5,
     npy={"w.npy": {"dtype": "int8", "shape": [1 << 30, 1 << 30, 3, 3], "keep_bytes": -1}})
case("npy-negative-dimension", ("w.npy", "layers[0].weights", ""), net=W,
     npy={"w.npy": {"dtype": "int8", "shape": [-4, 2, 3, 3], "keep_bytes": -1}})
case("npy-header-without-shape", ("w.npy", "layers[0].weights", "not a valid .npy file"), net=W,
     npy={"w.npy": {"raw_header": "{'descr': '|i1', 'fortran_order': False, }"}})
case("npy-header-length-4gb", ("w.npy", "layers[0].weights", "not a valid .npy file"), net=W, max_seconds=10,
     npy={"w.npy": {"raw_bytes_hex": "934e554d5059020000f0ffffff7b276465736372273a20277c6931277d"}})
case("npy-is-directory", ("w.npy", "layers[0].weights", ""), net=W, npy={"w.npy": {"directory": True}})
case("npy-second-layer-missing", ("dw.npy", "layers[1].weights", "cannot open .npy file"),
     net=setk("layers", 1, "weights", "dw.npy"))

# ---------------------------------------------------------------- sweep files (sparsesim sweep)
S = "sweep.json"
BASE_SWEEP = {"arch": A, "network": N, "axes": {"array.rows": [4, 8]}}


def sweep(**changes):
    """The valid base sweep with top-level keys replaced (None deletes a key)."""
    s = copy.deepcopy(BASE_SWEEP)
    for k, v in changes.items():
        if v is None:
            del s[k]
        else:
            s[k] = v
    return s


case("sweep-unknown-axis-path", (S, 'axes["array.colz"]', 'unknown key (did you mean "cols"?)'),
     sweep=sweep(axes={"array.rows": [4], "array.colz": [4]}))
case("sweep-unknown-nested-axis-path", (S, 'axes["memory.ifmap_k"]', 'unknown key (did you mean "ifmap_kb"?)'),
     sweep=sweep(axes={"memory.ifmap_k": [64]}))
case("sweep-unknown-layer-field", (S, 'axes["layers[*].weight_sparsty"]', 'did you mean "weight_sparsity"?'),
     sweep=sweep(axes={"layers[*].weight_sparsty": [0.5]}))
case("sweep-layer-index-out-of-range", (S, 'axes["layers[3].weight_sparsity"]', "layer index 3 is out of range: the network has 3 layers"),
     sweep=sweep(axes={"layers[3].weight_sparsity": [0.5]}))
case("sweep-layer-name-unknown", (S, 'axes["layers[c2].activation_density"]', 'no layer named "c2" (did you mean "c1"?)'),
     sweep=sweep(axes={"layers[c2].activation_density": [0.5]}))
case("sweep-layer-value-out-of-range", (S, 'axes["layers[*].weight_sparsity"]', "out of range"),
     sweep=sweep(axes={"layers[*].weight_sparsity": [0.5, 1.0]}))
case("sweep-axis-value-out-of-range", (S, 'axes["array.rows"]', "value 5000 is out of range"),
     sweep=sweep(axes={"array.rows": [4, 5000]}))
case("sweep-axis-value-object", (S, 'axes["array.rows"][0]', "expected a number, string or boolean"),
     sweep=sweep(axes={"array.rows": [{"v": 4}]}))
case("sweep-empty-axis-list", (S, 'axes["array.rows"]', "must not be empty"), sweep=sweep(axes={"array.rows": []}))
case("sweep-no-axes", (S, "axes", "must name at least one axis"), sweep=sweep(axes={}))
case("sweep-duplicate-axis-value", (S, 'axes["array.rows"][1]', "duplicate value"), sweep=sweep(axes={"array.rows": [4, 4]}))
case("sweep-range-reversed", (S, 'axes["array.rows"].to', 'is smaller than "from"'),
     sweep=sweep(axes={"array.rows": {"from": 8, "to": 4, "step": 2}}))
case("sweep-range-zero-step", (S, 'axes["array.rows"].step', "out of range"),
     sweep=sweep(axes={"array.rows": {"from": 4, "to": 8, "step": 0}}))
case("sweep-range-no-step", (S, 'axes["array.rows"]', 'exactly one of "step"'),
     sweep=sweep(axes={"array.rows": {"from": 4, "to": 8}}))
case("sweep-range-too-many-values", (S, 'axes["layers[*].weight_sparsity"].step', "at most 100000"),
     sweep=sweep(axes={"layers[*].weight_sparsity": {"from": 0, "to": 0.9, "step": 1e-9}}))
case("sweep-range-unknown-key", (S, 'axes["array.rows"].stpe', 'unknown key (did you mean "step"?)'),
     sweep=sweep(axes={"array.rows": {"from": 4, "to": 8, "step": 4, "stpe": 4}}))
case("sweep-unknown-key", (S, "filtres", 'unknown key (did you mean "filters"?)'), sweep=sweep(filtres={"fits": True}))
case("sweep-missing-arch", (S, "arch", "required field is missing"), sweep=sweep(arch=None))
case("sweep-arch-file-absent", (S, "arch", "no such file"), sweep=sweep(arch="nope.json"))
case("sweep-arch-key-and-axis", (S, "arch", "given both as a base file and as an axis"),
     sweep=sweep(axes={"arch": [A]}))
case("sweep-arch-axis-not-an-arch", (S, 'axes["arch"]', "datapath: required field is missing"),
     sweep=sweep(arch=None, axes={"arch": [A, N]}))
case("sweep-network-axis-file-absent", (S, 'axes["network"][1]', "no such file"),
     sweep=sweep(network=None, axes={"network": [N, "other.json"]}))
case("sweep-zip-lengths-differ", (S, "zip[0][1]", "same number of values"),
     sweep=sweep(axes={"array.rows": [4, 8], "array.cols": [4]}, zip=[["array.rows", "array.cols"]]))
case("sweep-cs-weight-stationary-point", (S, "axes", "point {datapath=cs, dataflow=ws}: "),
     sweep=sweep(axes={"datapath": ["cs"], "dataflow": ["os", "ws"]}))
case("sweep-zip-unknown-axis", (S, "zip[0][1]", 'is not an axis of this sweep (did you mean "array.rows"?)'),
     sweep=sweep(axes={"array.rows": [4, 8], "array.cols": [4, 8]}, zip=[["array.cols", "array.row"]]))
case("sweep-filter-fits-not-bool", (S, "filters.fits", "expected true or false"), sweep=sweep(filters={"fits": "yes"}))
case("sweep-where-unknown-axis", (S, "filters.where[0]", '"array.row" is not an axis'),
     sweep=sweep(filters={"where": ["array.row >= 4"]}))
case("sweep-where-no-operator", (S, "filters.where[0]", "no comparison operator"),
     sweep=sweep(filters={"where": ["array.rows"]}))
case("sweep-malformed-json", (S, "", "malformed JSON"), sweep=b'{"arch": "arch.json", "axes": {"array.rows": [4, 8]\n')
case("sweep-bad-shard-range", ("", "--shard", "expected i/N with 0 <= i < N"), sweep=sweep(), args=["--shard", "2/2"])
case("sweep-bad-shard-text", ("", "--shard", "expected i/N"), sweep=sweep(), args=["--shard", "one/two"])
case("sweep-bad-jobs", ("", "--jobs", "must be between 1 and 4096"), sweep=sweep(), args=["-j", "0"])
case("sweep-bad-backend", ("", "--backend", "is not one of"), sweep=sweep(), args=["--backend", "pbs"])

# Names become folder names, Slurm job names and report identifiers: one character set
# (sim/config/Names.h); the offending character is shown escaped.
case("sweep-name-newline-slurm", (S, "name", "character '\\n' at position 1 is not allowed"),
     sweep=sweep(name="x\ntouch ~/owned\n#"), args=["--backend", "slurm", "--no-submit"])
case("sweep-name-slash", (S, "name", "character '/' at position 2"), sweep=sweep(name="../x"))
case("net-name-script", (N, "name", "character '<' at position 0"), net=setk("name", "<script>alert(1)</script>"))
case("net-layer-name-space", (N, "layers[1].name", "character ' ' at position 2"), net=setk("layers", 1, "name", "dw 1"))
case("net-layer-name-unicode", (N, "layers[0].name", "character '\\xc3' at position 1"), net=setk("layers", 0, "name", "c\u00e91"))
case("arch-name-leading-dash", (A, "name", "must not start with '-'"), arch=setk("name", "-rf"))
case("arch-name-leading-dot", (A, "name", "must not start with '.'"), arch=setk("name", ".hidden"))
case("arch-name-too-long", (A, "name", "65 characters is too long"), arch=setk("name", "a" * 65))
case("arch-name-quote", (A, "name", "character '\\'' at position 1"), arch=setk("name", "a'b"))


# ---------------------------------------------------------------- duplicate keys: the full JSON path
def dup(base, old, new):
    """The base dict as JSON text with the first `old` replaced by `new` (to write a repeated key)."""
    t = json.dumps(base)
    assert old in t, old
    return t.replace(old, new, 1).encode()


case("dup-arch-nested-key", (A, "array.rows", "key appears twice"), arch_raw=dup(BASE_ARCH, '"rows": 4', '"rows": 4, "rows": 8'))
case("dup-arch-top-key", (A, "name", "key appears twice"), arch_raw=dup(BASE_ARCH, '"name": "malformed-base"', '"name": "a", "name": "b"'))
case("dup-net-layer-key", (N, "layers[0].stride", "key appears twice"), net_raw=dup(BASE_NET, '"stride": 1', '"stride": 1, "stride": 2'))
case("dup-net-third-layer-key", (N, "layers[2].out_channels", "key appears twice"),
     net_raw=dup(BASE_NET, '"out_channels": 5', '"out_channels": 5, "out_channels": 6'))
case("dup-sweep-axis", ("sweep.json", 'axes["array.rows"]', "key appears twice"),
     sweep=b'{"arch": "arch.json", "network": "network.json", "axes": {"array.rows": [4], "array.rows": [8]}}\n')

# ---------------------------------------------------------------- bytes after the document
case("trail-net-nul", (N, "", "NUL byte at line"), net_raw=json.dumps(BASE_NET).encode() + b"\0")
case("trail-arch-nul-then-document", (A, "", "NUL byte at line 2, column 1"),
     arch_raw=json.dumps(BASE_ARCH).encode() + b"\n\0{\"name\": \"x\"}")
case("trail-net-garbage", (N, "", "line 2, column 1"), net_raw=json.dumps(BASE_NET).encode() + b"\nx")
case("trail-sweep-nul", ("sweep.json", "", "NUL byte at line 1"),
     sweep=b'{"arch": "arch.json", "network": "network.json", "axes": {"array.rows": [4]}}\0\0\0')

# ---------------------------------------------------------------- inputs that are not regular files
case("file-arch-fifo", (A, "", "named pipe, not a regular file"), fifo=[A], max_seconds=5)
case("file-npy-fifo", ("w.npy", "layers[0].weights", "named pipe"), net=W, fifo=["w.npy"], max_seconds=5)
case("file-npy-dev-zero", ("/dev/zero", "layers[0].weights", "character device"), net=setk("layers", 0, "weights", "/dev/zero"), max_seconds=5)
case("file-net-directory", ("in", "", "a directory, not a regular file"),
     cmd=["run", "--arch", "../in/arch.json", "--network", "../in", "--out", "out"])
case("file-sweep-arch-dev-zero", (S, "arch", '"/dev/zero": cannot read file: it is a character device'), sweep=sweep(arch="/dev/zero"))
case("file-sweep-network-axis-fifo", (S, 'axes["network"][1]', "named pipe"), fifo=["net2.json"], max_seconds=5,
     sweep=sweep(network=None, axes={"network": [N, "net2.json"]}))
case("file-arch-too-large", (A, "", "more than the 256 MiB"), sparse={A: 300 << 20}, max_seconds=5)
case("file-npy-too-large", ("w.npy", "layers[0].weights", "more than the 1024 MiB"), net=W, sparse={"w.npy": 2 << 30}, max_seconds=5)

# ---------------------------------------------------------------- size arithmetic that would overflow
BIG = 1 << 20
case("overflow-weights", (N, "layers[0]", "more than 2^64 bytes"), max_seconds=5,
     net=setk("layers", 0, {"name": "huge", "type": "conv2d", "in_channels": BIG, "out_channels": BIG, "in_h": 4096,
                            "in_w": 4096, "kernel_h": 4096, "kernel_w": 4096}))
case("overflow-lowered-input", (N, "layers[1]", "more than 2^64 bytes"), max_seconds=5,
     net=setk("layers", 1, {"name": "huge", "type": "depthwise_conv2d", "in_channels": BIG, "out_channels": BIG, "in_h": BIG,
                            "in_w": BIG, "kernel_h": 4096, "kernel_w": 4096, "padding": 2047}))
case("overflow-linear-rows", (N, "layers[2]", "GB of memory"), max_seconds=5,
     net=setk("layers", 2, {"name": "huge", "type": "linear", "in_channels": BIG, "out_channels": BIG, "in_h": BIG}))
case("overflow-npy-shape", ("w.npy", "layers[0].weights", "does not fit in 64 bits"), net=W, max_seconds=5,
     npy={"w.npy": {"dtype": "int8", "shape": [1 << 40, 1 << 40, 3, 3], "keep_bytes": -1}})

# ---------------------------------------------------------------- found only while running, now before
TINY_SRAM = seq(CS, setk("cs", {"sram": {"banks": 1, "depth": 16}}))
case("early-cs-sram-first-layer", (A, "cs.sram", 'too small for layer "c1" (layers[0])'), arch=TINY_SRAM)
case("early-cs-sram-linear-layer", (A, "cs.sram", 'too small for layer "fc" (layers[2])'),
     arch=seq(CS, setk("cs", {"sram": {"banks": 2, "depth": 16}})))
case("early-cs-sram-word-bits", (A, "cs.sram", "need 36 words"),
     arch=seq(CS, setk("cs", {"sram": {"banks": 1, "depth": 35, "word_bits": 8}, "packing": {"max_n": 2}})))
case("early-sweep-cs-sram-axis", (S, 'axes["cs.sram.depth"]', "too small for layer"), arch=CS,
     sweep=sweep(axes={"cs.sram.depth": [1024, 2]}))
case("early-sweep-1e12-points", (S, "axes", "the sweep has 1000000000000 points (1000 x 1000 x 1000 x 1000"), max_seconds=5,
     sweep=sweep(axes={"array.rows": {"from": 1, "to": 1000, "step": 1}, "array.cols": {"from": 1, "to": 1000, "step": 1},
                       "memory.ifmap_kb": {"from": 1, "to": 1000, "step": 1}, "memory.filter_kb": {"from": 1, "to": 1000, "step": 1}}))
case("early-sweep-product-overflows", (S, "axes", "more than 2^64 points (1000 x 1000 x 1000 x 1000 x 1000 x 1000 x 1000"), max_seconds=5,
     sweep=sweep(axes={k: {"from": 1, "to": 1000, "step": 1} for k in
                       ("array.rows", "array.cols", "memory.ifmap_kb", "memory.filter_kb", "memory.ofmap_kb", "memory.prefetch_depth",
                        "memory.output_bytes")}))
case("early-sweep-just-over", (S, "axes", "the sweep has 100100 points (1001 x 100 values per axis or zip group); at most 100000"), max_seconds=5,
     sweep=sweep(axes={"memory.ifmap_kb": {"from": 1, "to": 1001, "step": 1}, "memory.filter_kb": {"from": 1, "to": 100, "step": 1}}))

# ---------------------------------------------------------------- .npy headers (and tests/reliability/npy_numpy_test.py)
def hdr(text):
    return {"w.npy": {"raw_header": text}}


case("npy-fractional-shape", ("w.npy", "layers[0].weights", "shape dimension 4.0 is not an integer"), net=W,
     npy=hdr("{'descr': '|i1', 'fortran_order': False, 'shape': (4.0, 2, 3, 3), }"))
case("npy-shape-list", ("w.npy", "layers[0].weights", "is not a tuple of integers"), net=W,
     npy=hdr("{'descr': '|i1', 'fortran_order': False, 'shape': [4, 2, 3, 3], }"))
case("npy-extra-header-key", ("w.npy", "layers[0].weights", "not exactly 'descr', 'fortran_order', 'shape'"), net=W,
     npy=hdr("{'descr': '|i1', 'fortran_order': False, 'shape': (4, 2, 3, 3), 'x': 1}"))
case("npy-fortran-order-not-bool", ("w.npy", "layers[0].weights", "fortran_order 0 is not True or False"), net=W,
     npy=hdr("{'descr': '|i1', 'fortran_order': 0, 'shape': (4, 2, 3, 3), }"))
case("npy-header-over-numpy-limit", ("w.npy", "layers[0].weights", "more than numpy's limit of 10000"), net=W,
     npy=hdr("{'descr': '|i1', 'fortran_order': False, 'shape': (4, 2, 3, 3), }" + " " * 10100))

# ---------------------------------------------------------------- range messages that printed garbage
for name, rng, want in (("tiny-step", {"from": -1e15, "to": 1e15, "step": 1e-15}, "gives about 2e+30 values"),
                        ("denormal-step", {"from": 0, "to": 1, "step": 5e-324}, "gives more than 1e308 values"),
                        ("step-1e-300", {"from": 0, "to": 1, "step": 1e-300}, "gives about 1e+300 values")):
    case(f"range-{name}", (S, 'axes["layers[*].weight_sparsity"].step', want), max_seconds=5,
         sweep=sweep(axes={"layers[*].weight_sparsity": rng}))

# ---------------------------------------------------------------- command-line values
RUN = ["run", "--arch", "../in/arch.json", "--network", "../in/network.json"]
case("cli-negative-seed", ("", "--seed", 'expected a non-negative integer, got "-1"'), args=["--seed", "-1"])
case("cli-seed-beyond-2-64", ("", "--seed", "larger than 2^64 - 1"), args=["--seed", "18446744073709551616"])
case("cli-seed-not-a-number", ("", "--seed", 'got "0x10"'), args=["--seed", "0x10"])
case("cli-stray-positional", ("", "extra.json", "unexpected argument"), args=["extra.json"])
case("cli-stray-positional-sweep", ("", "other.json", "the positional argument is already given"), sweep=sweep(), args=["other.json"])
case("cli-out-empty", ("", "--out", "must not be empty"), cmd=RUN + ["--out", ""])
case("cli-dump-empty", ("", "--dump-tensors", "must not be empty"), cmd=RUN + ["--out", "out", "--dump-tensors", ""])
case("cli-layers-comma", ("", "--layers", 'empty list ","'), args=["--layers", ","])
case("cli-layers-empty-item", ("", "--layers", 'empty item in the list "c1,,fc"'), args=["--layers", "c1,,fc"])
case("cli-sweep-all-filtered", (S, "filters", "every one of the sweep's 2 points is filtered"),
     sweep=sweep(filters={"where": ["array.rows > 100"]}))
case("cli-sweep-all-filtered-dry-run", (S, "filters", "every one of the sweep's 2 points is filtered"),
     sweep=sweep(filters={"where": ["array.rows == 3"]}), args=["--dry-run"])
case("cli-sweep-negative-seed", ("", "--seed", "non-negative integer"), sweep=sweep(), args=["--seed", "-5"])

# ---------------------------------------------------------------- never delete what sparsesim did not create
USER = {"userdir/notes.txt": b"a user's file: must survive\n"}
case("dump-target-user-folder", ("", "--dump-tensors", "is not a tensor dump of sparsesim"), files=USER,
     cmd=RUN + ["--out", "out", "--dump-tensors", "../in/userdir"])
case("dump-target-user-file", ("", "--dump-tensors", "exists and is not a directory"),
     cmd=RUN + ["--out", "out", "--dump-tensors", "../in/network.json"])
case("dump-target-is-out", ("", "--dump-tensors", 'the same folder as --out "out"'), cmd=RUN + ["--out", "out", "--dump-tensors", "out"])
case("dump-target-inside-out", ("", "--dump-tensors", 'inside --out "out"'), cmd=RUN + ["--out", "out", "--dump-tensors", "out/tensors"])
case("dump-out-inside-dump", ("", "--out", 'inside --dump-tensors "d"'), cmd=RUN + ["--out", "d/out", "--dump-tensors", "d"])
case("dump-trace-is-out", ("", "--trace", 'the same folder as --out "out"'), cmd=RUN + ["--out", "out", "--trace", "./out"])

# ---------------------------------------------------------------- compare validates every variant first
CMP = ["compare", "--network", "../in/network.json", "--out", "out"]
case("compare-second-variant-sram", ("cs-small.json", "cs.sram", "too small for layer"),
     files={"cs-small.json": (json.dumps({**BASE_ARCH, "datapath": "cs", "cs": {"sram": {"banks": 1, "depth": 4}}}) + "\n").encode()},
     cmd=CMP + ["--arch", "../in/arch.json", "--arch", "../in/cs-small.json"])
case("compare-vary-second-value", (A, "cs.sram", "too small for layer"), arch=CS,
     cmd=CMP + ["--arch", "../in/arch.json", "--vary", "cs.sram.depth=1024,2"])
case("compare-bad-layers", (N, "layers", '"nosuch", which is not a layer'), cmd=CMP + ["--arch", "../in/arch.json", "--layers", "c1,nosuch"])
case("compare-vary-empty-value", ("", "--vary cs.sram.depth", 'empty item in the list "1024,,2048"'),
     cmd=CMP + ["--arch", "../in/arch.json", "--vary", "cs.sram.depth=1024,,2048"])
case("compare-negative-seed", ("", "--seed", "non-negative integer"), cmd=CMP + ["--arch", "../in/arch.json", "--seed", "-2"])


# ---------------------------------------------------------------- SCALE-Sim topology files (.csv networks)
T = "topology.csv"
CONV_HEAD = b"Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,\n"
RUN_CSV = ["run", "--arch", "../in/arch.json", "--network", "../in/" + T, "--out", "out"]
for name, body, where, why in (
        ("missing-field", CONV_HEAD + b"c1,8,8,3,3,2,4,1,\nc2,8,8,3,3,2,\n", "line 3, column 7 (Num Filter)", "missing value"),
        ("non-numeric", CONV_HEAD + b"c1,8,eight,3,3,2,4,1,\n", "line 2, column 3 (IFMAP Width)", '"eight" is not a whole number'),
        ("zero-stride", CONV_HEAD + b"c1,8,8,3,3,2,4,0,\n", "line 2, column 8 (Strides)", "must be at least 1"),
        ("filter-exceeds-ifmap", CONV_HEAD + b"c1,8,8,3,9,2,4,1,\n", "line 2, column 5 (Filter Width)", "exceeds IFMAP Width 8"),
        ("no-name", CONV_HEAD + b",8,8,3,3,2,4,1,\n", "line 2, column 1 (Layer name)", "missing layer name"),
        ("label-row", CONV_HEAD + b"\nAlphaGoZero,\n", "line 3, column 2 (IFMAP Height)", "missing value"),
        ("gemm-missing-k", b"Layer, M, N, K,\r\nq,64,32,\r\n", "line 2, column 4 (K)", "missing value"),
        ("gemm-float", b"Layer, M, N, K,\nq,64,32,1.5,\n", "line 2, column 4 (K)", '"1.5" is not a whole number'),
        ("gemm-header-order", b"Layer, M, K, N,\nq,64,32,16,\n", "line 1, column 3 (N)", "a GEMM topology header reads"),
        ("unknown-header", b"name,h,w,kh,kw,c,n,s,\nc1,8,8,3,3,2,4,1,\n", "line 1", "not a SCALE-Sim topology header"),
        ("header-only", CONV_HEAD + b",,,,,,,,\n\n", "line 4", "no layer rows after the header")):
    case(f"scalesim-{name}", (T, where, why), files={T: body}, cmd=RUN_CSV)


def write_case(root, c):
    d = os.path.join(root, c["name"])
    os.makedirs(d)
    if c["arch_dir"]:
        os.makedirs(os.path.join(d, A))
        with open(os.path.join(d, A, "README"), "w") as f:
            f.write("arch.json is a directory on purpose.\n")
    elif not c["no_arch"]:
        if c["arch_raw"] is not None:
            data = c["arch_raw"]
        else:
            a = copy.deepcopy(BASE_ARCH)
            if c["arch"]:
                c["arch"](a)
            data = (json.dumps(a, indent=1) + "\n").encode()
        with open(os.path.join(d, A), "wb") as f:
            f.write(data)
    if c["net_raw"] is not None:
        data = c["net_raw"]
    else:
        n = copy.deepcopy(BASE_NET)
        if c["net"]:
            c["net"](n)
        data = (json.dumps(n, indent=1) + "\n").encode()
    with open(os.path.join(d, N), "wb") as f:
        f.write(data)
    def lines(name, items):
        with open(os.path.join(d, name), "w") as f:
            f.write("".join(f"{x}\n" for x in items))

    lines("expect", c["expect"])
    if c["args"]:
        lines("args", c["args"])
    if c["npy"]:
        with open(os.path.join(d, "npy.json"), "w") as f:
            f.write(json.dumps(c["npy"], indent=1) + "\n")
    if c["sweep"] is not None:
        data = c["sweep"] if isinstance(c["sweep"], bytes) else (json.dumps(c["sweep"], indent=1) + "\n").encode()
        with open(os.path.join(d, "sweep.json"), "wb") as f:
            f.write(data)
    if c["cmd"] is not None:
        lines("cmd", c["cmd"])
    if c["fifo"]:
        lines("fifo", c["fifo"])
    if c["sparse"]:
        lines("sparse", (f"{k} {v}" for k, v in c["sparse"].items()))
    for fname, data in c["files"].items():
        os.makedirs(os.path.dirname(os.path.join(d, fname)), exist_ok=True)
        with open(os.path.join(d, fname), "wb") as f:
            f.write(data)
    if c["max_seconds"]:
        with open(os.path.join(d, "max_seconds"), "w") as f:
            f.write(f"{c['max_seconds']}\n")


# ---------------------------------------------------------------- chained networks (docs/networks.md)
CHAIN_NET = {
    "name": "malformed-chain",
    "chain": True,
    "input": {"channels": 2, "height": 6, "width": 6},
    "layers": [
        {"name": "c1", "type": "conv2d", "out_channels": 4, "kernel_h": 3, "kernel_w": 3, "padding": 1,
         "weight_sparsity": 0.5, "activation": "relu"},
        {"name": "p1", "type": "maxpool2d", "kernel_h": 2, "kernel_w": 2, "kwta": {"k": 10}},
        {"name": "c2", "type": "conv2d", "out_channels": 4, "kernel_h": 1, "kernel_w": 1},
        {"name": "flat", "type": "flatten"},
        {"name": "fc", "type": "linear", "out_channels": 5},
    ],
}


def chained(*fs):
    """The chained base network with the mutators applied."""
    def f(d):
        d.clear()
        d.update(copy.deepcopy(CHAIN_NET))
        for g in fs:
            g(d)
    return f


def insert_layer(i, layer):
    return lambda d: d["layers"].insert(i, layer)


case("chain-unknown-input", (N, "layers[1].inputs[0]", 'no layer named "nosuch"'), net=chained(setk("layers", 1, "inputs", ["nosuch"])))
case("chain-forward-reference", (N, "layers[1].inputs[0]", "forward reference or a cycle"), net=chained(setk("layers", 1, "inputs", ["c2"])))
case("chain-self-cycle", (N, "layers[1].inputs[0]", "names itself as its input: a cycle"), net=chained(setk("layers", 1, "inputs", ["p1"])))
case("chain-shape-mismatch", (N, "layers[0].in_channels", 'in_channels 3 does not match the input from "input"'),
     net=chained(setk("layers", 0, "in_channels", 3)))
case("chain-height-mismatch", (N, "layers[2].in_h", 'in_h 6 does not match the input from "p1"'), net=chained(setk("layers", 2, "in_h", 6)))
case("chain-add-mismatched-shapes", (N, "layers[2].inputs", "an add layer needs two inputs of one shape"),
     net=chained(insert_layer(2, {"name": "res", "type": "add", "inputs": ["c1", "p1"]})))
case("chain-add-one-input", (N, "layers[2].inputs", "exactly two inputs"), net=chained(insert_layer(2, {"name": "res", "type": "add"})))
case("chain-concat-height-width", (N, "layers[2].inputs[1]", "concat joins along channels"),
     net=chained(insert_layer(2, {"name": "cat", "type": "concat", "inputs": ["c1", "p1"]})))
case("chain-linear-without-flatten", (N, "layers[3].inputs", "put a flatten layer before it"), net=chained(lambda d: d["layers"].pop(3)))
case("chain-requant-on-pool", (N, "layers[1].requant", "only compute layers requantise"), net=chained(setk("layers", 1, "requant", "calibrate")))
case("chain-requant-none-feeds-layer", (N, "layers[0].requant", "leaves the output int32"), net=chained(setk("layers", 0, "requant", "none")))
case("chain-requant-bad-string", (N, "layers[0].requant", 'expected "calibrate", "none"'), net=chained(setk("layers", 0, "requant", "auto")))
case("chain-requant-scale-count", (N, "layers[0].requant.scale", "one per output channel (4)"),
     net=chained(setk("layers", 0, "requant", {"scale": [1.0, 2.0, 3.0]})))
case("chain-requant-scale-zero", (N, "layers[0].requant.scale[1]", "finite number > 0"),
     net=chained(setk("layers", 0, "requant", {"scale": [1.0, 0, 1.0, 1.0]})))
case("chain-requant-zero-point", (N, "layers[0].requant.zero_point", "out of range"),
     net=chained(setk("layers", 0, "requant", {"scale": 2.0, "zero_point": 3})))
case("chain-kwta-k-too-large", (N, "layers[1].kwta.k", "exceeds the 36 outputs"), net=chained(setk("layers", 1, "kwta", {"k": 37})))
case("chain-kwta-k-and-density", (N, "layers[1].kwta", 'exactly one of "k" and "density"'),
     net=chained(setk("layers", 1, "kwta", {"k": 3, "density": 0.1})))
case("chain-kwta-groups-divide", (N, "layers[1].kwta.groups", "does not divide the 4 output channels"),
     net=chained(setk("layers", 1, "kwta", {"k": 3, "groups": 3})))
case("chain-density-contradicts-kwta", (N, "layers[2].activation_density", 'contradicts the kwta post-op of "p1"'),
     net=chained(setk("layers", 2, "activation_density", 0.5)))
case("chain-density-contradicts-kwta-through-flatten", (N, "layers[4].activation_density", 'contradicts the kwta post-op of "c2"'),
     net=chained(setk("layers", 2, "kwta", {"k": 10}), setk("layers", 4, "activation_density", 0.5)))
# A model's own scales (docs/networks.md, "Tensor scales").
case("chain-input-scale-zero", (N, "input.scale", "out of range"), net=chained(setk("input", "scale", 0)))
case("chain-input-scale-string", (N, "input.scale", "expected a number"), net=chained(setk("input", "scale", "1/127")))
case("chain-weight-scale-count", (N, "layers[0].weight_scale", "one per output channel (4), got 3"),
     net=chained(setk("layers", 0, "weight_scale", [0.01, 0.02, 0.03])))
case("chain-weight-scale-negative", (N, "layers[0].weight_scale[1]", "out of range"),
     net=chained(setk("layers", 0, "weight_scale", [0.01, -0.02, 0.03, 0.04])))
case("chain-weight-scale-empty", (N, "layers[0].weight_scale", "must not be empty"), net=chained(setk("layers", 0, "weight_scale", [])))
case("chain-weight-scale-on-pool", (N, "layers[1].weight_scale", "has no weights or GEMM"), net=chained(setk("layers", 1, "weight_scale", 0.01)))
case("chain-output-scale-on-pool", (N, "layers[1].output_scale", "only add and concat"), net=chained(setk("layers", 1, "output_scale", 0.1)))
case("chain-output-scale-on-conv", (N, "layers[0].output_scale", "only add and concat"), net=chained(setk("layers", 0, "output_scale", 0.1)))
case("chain-output-scale-huge", (N, "layers[2].output_scale", "out of range"),
     net=chained(insert_layer(2, {"name": "res", "type": "add", "inputs": ["p1", "p1"], "output_scale": 1e13})))
case("chain-weight-scale-float-weights", (N, "layers[0].weight_scale", "holds float32 weights"),
     net=chained(delk("layers", 0, "weight_sparsity"), setk("layers", 0, "weights", "w.npy"), setk("layers", 0, "weight_scale", 0.01)),
     npy={"w.npy": {"dtype": "<f4", "shape": [4, 2, 3, 3]}})
case("input-scale-independent", (N, "input.scale", "belongs to chained networks"), net=setk("input", "scale", 0.01))
case("weight-scale-independent", (N, "layers[0].weight_scale", "belongs to chained networks"), net=setk("layers", 0, "weight_scale", 0.01))
# A grouped CS selector cannot reproduce a layer's own activation_density (one k-WTA per image).
CS_SELECT = seq(CS, setk("cs", {"mode": "sparse_sparse", "selector": {"group_size": 8}}))
case("chain-cs-group-size-own-density", (A, "cs.selector.group_size", 'layer "c2"\'s own k-WTA'), arch=CS_SELECT,
     net=chained(delk("layers", 1, "kwta"), setk("layers", 0, "kwta", {"k": 40}), setk("layers", 2, "activation_density", 0.5)))
case("chain-relu6-on-pool", (N, "layers[1].activation", "relu6 needs a requant scale"), net=chained(setk("layers", 1, "activation", "relu6")))
case("chain-weights-on-pool", (N, "layers[1].weight_sparsity", "has no weights or GEMM"), net=chained(setk("layers", 1, "weight_sparsity", 0.5)))
case("chain-batch-0", (N, "batch", "out of range"), net=chained(setk("batch", 0)))
case("batch-0-independent", (N, "batch", "out of range"), net=setk("batch", 0))
case("chain-batch-not-integer", (N, "batch", "integer"), net=chained(setk("batch", 1.5)))
case("chain-layer-named-input", (N, "layers[0].name", "names the network input"), net=chained(setk("layers", 0, "name", "input")))
case("chain-input-missing", (N, "input", "required"), net=chained(delk("input")))
case("chain-not-bool", (N, "chain", "expected true or false"), net=chained(setk("chain", "yes")))
case("chain-global-pool-with-kernel", (N, "layers[1].kernel_h", "whole input"),
     net=chained(setk("layers", 1, "global", True), setk("layers", 1, "kernel_h", 2), setk("layers", 1, "kernel_w", 2)))
case("chain-pool-stride-non-square", (N, "layers[1].stride", "not square"), net=chained(setk("layers", 1, "kernel_w", 3)))
case("chain-scalesim-compat", (N, "chain", "SCALE-Sim compat mode"), net=chained(), arch=setk("compat", "scalesim"))
case("chain-layers-option", (N, "chain", "the whole network runs"), net=chained(), args=["--layers", "c1"])
case("indep-pool-layer", (N, "layers[1].type", "needs a chained network"),
     net=lambda d: d["layers"].insert(1, {"name": "p", "type": "maxpool2d", "in_channels": 4, "out_channels": 4, "in_h": 6, "in_w": 6,
                                          "kernel_h": 2, "kernel_w": 2}))
case("indep-kwta-key", (N, "layers[0].kwta", "belongs to chained networks"), net=setk("layers", 0, "kwta", {"k": 3}))
case("indep-inputs-key", (N, "layers[1].inputs", "belongs to chained networks"), net=setk("layers", 1, "inputs", ["c1"]))
case("pads-with-padding", (N, "layers[0].pads", 'contradicts "padding"'), net=setk("layers", 0, "pads", [1, 1, 1, 1]))
case("pads-three-values", (N, "layers[1].pads", "expected 4 integers"), net=setk("layers", 1, "pads", [1, 1, 1]))
case("pads-not-smaller-than-kernel", (N, "layers[1].pads[2]", "smaller than the kernel"), net=setk("layers", 1, "pads", [0, 0, 3, 0]))
case("dilation-kernel-too-large", (N, "layers[1].kernel_h", "dilated to 7 x 7"), net=setk("layers", 1, "dilation", 3))
case("dilation-linear", (N, "layers[2].dilation", "no dilation"), net=setk("layers", 2, "dilation", 2))
RUN_IN = ["run", "--arch", "../in/arch.json", "--network", "../in/network.json", "--out", "out", "--input", "../in/x.npy"]
case("input-wrong-shape", ("x.npy", "", "--input has shape (1, 2, 5, 6), but the first layer of ../in/network.json takes NCHW (1, 2, 6, 6)"),
     net=chained(), cmd=RUN_IN, npy={"x.npy": {"dtype": "int8", "shape": [1, 2, 5, 6]}})
case("input-wrong-dtype", ("x.npy", "", 'dtype is "<f4", shape (1, 2, 5, 6); --input must be int8 (|i1), NCHW (1, 2, 6, 6)'),
     net=chained(), cmd=RUN_IN, npy={"x.npy": {"dtype": "float32", "shape": [1, 2, 5, 6]}})
case("input-wrong-batch", ("x.npy", "", "--input has shape (1, 2, 6, 6), but the first layer of ../in/network.json takes NCHW (3, 2, 6, 6)"),
     net=chained(setk("batch", 3)), cmd=RUN_IN, npy={"x.npy": {"dtype": "int8", "shape": [1, 2, 6, 6]}})
case("input-wrong-batch-independent", ("x.npy", "", "takes NCHW (2, 2, 6, 6)"), net=setk("batch", 2), cmd=RUN_IN,
     npy={"x.npy": {"dtype": "int8", "shape": [1, 2, 6, 6]}})
case("input-wrong-shape-independent", ("x.npy", "", "takes NCHW (1, 2, 6, 6)"), cmd=RUN_IN,
     npy={"x.npy": {"dtype": "int8", "shape": [2, 6, 6]}})

# ---------------------------------------------------------------- layer-pipelined execution (docs/pipelined.md)
PIPED = setk("execution", "layer_pipelined")
case("pipeline-execution-unknown", (A, "execution", "layer_sequential"), arch=setk("execution", "pipelined"), net=chained())
case("pipeline-execution-number", (A, "execution", ""), arch=setk("execution", 1), net=chained())
case("pipeline-slack-rows-negative", (A, "pipeline.slack_rows", ""), arch=seq(PIPED, setk("pipeline", {"slack_rows": -1})), net=chained())
case("pipeline-slack-rows-string", (A, "pipeline.slack_rows", "expected an integer"), arch=seq(PIPED, setk("pipeline", {"slack_rows": "auto"})),
     net=chained())
case("pipeline-fifo-rows-unknown", (A, "pipeline.fifo_rows", "unknown key"), arch=seq(PIPED, setk("pipeline", {"fifo_rows": 2})), net=chained())
case("pipeline-inferences-one", (A, "pipeline.inferences", ""), arch=seq(PIPED, setk("pipeline", {"inferences": 1})), net=chained())
case("pipeline-inferences-huge", (A, "pipeline.inferences", ""), arch=seq(PIPED, setk("pipeline", {"inferences": 1000000})), net=chained())
case("pipeline-unknown-key", (A, "pipeline.replicas", "unknown"), arch=seq(PIPED, setk("pipeline", {"replicas": 2})), net=chained())
case("pipeline-folding-unknown", (A, "pipeline.folding", "not one of whole, balanced, explicit"),
     arch=seq(PIPED, setk("pipeline", {"folding": "greedy"})), net=chained())
case("pipeline-explicit-no-arrays", (A, "pipeline.arrays", "folding explicit needs"),
     arch=seq(PIPED, setk("pipeline", {"folding": "explicit"})), net=chained())
case("pipeline-arrays-malformed", (A, "pipeline.arrays", '"c1=4by4" is not layer=ROWSxCOLS'),
     arch=seq(PIPED, setk("pipeline", {"folding": "explicit", "arrays": "c1=4by4,c2=2x2,fc=1x4"})), net=chained())
case("pipeline-arrays-missing-layer", (A, "pipeline.arrays", 'compute layer "fc"'),
     arch=seq(PIPED, setk("pipeline", {"folding": "explicit", "arrays": "c1=4x4,c2=2x2"})), net=chained())
case("pipeline-arrays-not-a-layer", (A, "pipeline.arrays", '"p1" is not a compute layer'),
     arch=seq(PIPED, setk("pipeline", {"folding": "explicit", "arrays": "c1=4x4,c2=2x2,fc=1x4,p1=2x2"})), net=chained())
case("pipeline-budget-fraction-zero", (A, "pipeline.budget.part_fraction", ""),
     arch=seq(PIPED, setk("pipeline", {"folding": "balanced", "budget": {"part_fraction": 0}})), net=chained())
case("pipeline-budget-infeasible", (A, "pipeline.budget", 'layer "c1" cannot fit'),
     arch=seq(PIPED, setk("pipeline", {"folding": "balanced", "budget": {"lut": 1}})), net=chained())
case("pipeline-list-not-chained", (N, "layers[2]", 'layer "dw" outputs 4x4x4 but layer "fc" reads 65x1x1'), arch=PIPED,
     net=setk("layers", 2, "in_channels", 65))
case("pipeline-batch", (N, "batch", "one image per inference"), arch=PIPED, net=chained(setk("batch", 2)))


# ---------------------------------------------------------------- the classes again, on the newer inputs:
# chained networks and post-ops, --input, float32 weights, SCALE-Sim topologies, compare, --set, sweep --merge.
case("dup-chain-kwta-key", (N, "layers[1].kwta.k", "key appears twice"),
     net_raw=dup(CHAIN_NET, '"kwta": {"k": 10}', '"kwta": {"k": 10, "k": 3}'))
case("dup-chain-input-key", (N, "input.channels", "key appears twice"),
     net_raw=dup(CHAIN_NET, '"channels": 2', '"channels": 2, "channels": 3'))
case("trail-chain-nul", (N, "", "NUL byte at line 1"), net_raw=json.dumps(CHAIN_NET).encode() + b"\0{}")
case("trail-scalesim-nul", (T, "line 3, byte 1", "NUL byte"), files={T: CONV_HEAD + b"c1,8,8,3,3,2,4,1,\n\0\0"}, cmd=RUN_CSV)
case("trail-scalesim-nul-in-row", (T, "line 2, byte 4", "NUL byte"), files={T: CONV_HEAD + b"c1,\0,8,3,3,2,4,1,\n"}, cmd=RUN_CSV)
case("file-input-npy-fifo", ("x.npy", "--input", "named pipe"), net=chained(), cmd=RUN_IN, fifo=["x.npy"], max_seconds=5)
case("file-input-npy-dev-zero", ("/dev/zero", "--input", "character device"), net=chained(), max_seconds=5,
     cmd=RUN_IN[:-1] + ["/dev/zero"])
case("file-input-npy-too-large", ("x.npy", "--input", "more than the 1024 MiB"), net=chained(), cmd=RUN_IN,
     sparse={"x.npy": 2 << 30}, max_seconds=5)
case("file-scalesim-fifo", (T, "", "named pipe, not a regular file"), fifo=[T], cmd=RUN_CSV, max_seconds=5)
case("overflow-chain-batch", (N, "layers[0]", "GB of memory"), max_seconds=5,
     net=chained(setk("batch", 100000), setk("input", {"channels": 1024, "height": 1024, "width": 1024})))
case("overflow-chain-derived-channels", (N, "layers[0]", "GB of memory"), max_seconds=5,
     net=chained(lambda d: d["layers"][0].update(out_channels=1 << 20, kernel_h=4096, kernel_w=4096, padding=2047)))
case("overflow-scalesim-layer", (T, "layers[0]", "GB of memory"), max_seconds=5,
     files={T: CONV_HEAD + b"c1,1048576,1048576,3,3,1048576,1048576,1,\n"}, cmd=RUN_CSV)
case("overflow-scalesim-number", (T, "line 2, column 7 (Num Filter)", "99999999999999999999999 exceeds 1048576"),
     files={T: CONV_HEAD + b"c1,8,8,3,3,2,99999999999999999999999,1,\n"}, cmd=RUN_CSV)
case("npy-input-fractional-shape", ("x.npy", "--input", "shape dimension 1. is not an integer"), net=chained(), cmd=RUN_IN,
     npy={"x.npy": {"raw_header": "{'descr': '|i1', 'fortran_order': False, 'shape': (1., 2, 6, 6), }"}})
case("npy-input-trailing-bytes", ("x.npy", "--input", "truncated or padded"), net=chained(), cmd=RUN_IN,
     npy={"x.npy": {"dtype": "int8", "shape": [1, 2, 6, 6], "append_bytes": 2}})
case("npy-float32-weights-nan", ("w.npy", "layers[0].weights", "is not finite"),
     net=chained(setk("layers", 0, "weights", "w.npy"), delk("layers", 0, "weight_sparsity")),
     npy={"w.npy": {"dtype": "float32", "shape": [4, 2, 3, 3], "fill": "nan"}})
case("range-requant-scale-denormal", (N, "layers[0].requant.scale", "out of range [2^-8, 2^32]"),
     net=chained(setk("layers", 0, "requant", {"scale": 5e-324})))
case("range-requant-scale-1e308", (N, "layers[0].requant.scale[1]", "out of range [2^-8, 2^32]"),
     net=chained(setk("layers", 0, "requant", {"scale": [1.0, 1e308, 1.0, 1.0]})))
case("range-kwta-density-0", (N, "layers[1].kwta.density", "out of range (0, 1]"), net=chained(setk("layers", 1, "kwta", {"density": 0})))
case("range-dilation-2-62", (N, "layers[0].dilation", "out of range [1, 4096]"), net=chained(setk("layers", 0, "dilation", 1 << 62)))
case("chain-inputs-not-array", (N, "layers[1].inputs", "expected an array of layer names, got string"),
     net=chained(setk("layers", 1, "inputs", "c1")))
case("chain-inputs-number", (N, "layers[1].inputs[0]", "expected a layer name (a string), got number"),
     net=chained(setk("layers", 1, "inputs", [5])))
case("cli-set-twice", ("", "--set array.rows", 'given twice, as "8" and as "16"'), args=["--set", "array.rows=8", "--set", "array.rows=16"])
case("cli-set-layer-twice", ("", "--set layers[c1].weight_sparsity", "given twice"),
     args=["--set", "layers[c1].weight_sparsity=0.5", "--set", "layers[c1].weight_sparsity=0.25"])
case("cli-input-empty", ("", "--input", "must not be empty"), cmd=RUN + ["--out", "out", "--input", ""])
case("cli-merge-empty", ("", "--merge", "must not be empty"), cmd=["sweep", "--merge", ""])
case("cli-merge-user-folder", ("sweep.json", "", 'no sweep record here: is "../in/userdir" the --out folder of a sweep?'),
     files={"userdir/notes.txt": b"a user's file: must survive\n"}, cmd=["sweep", "--merge", "../in/userdir"])
case("compare-vary-duplicate-value", ("", "--vary array.rows", 'value "4" is given twice'),
     cmd=CMP + ["--arch", "../in/arch.json", "--vary", "array.rows=4,8,4"])
case("compare-same-arch-twice", ("", "--arch", 'are both named "malformed-base" and would write one folder'),
     cmd=CMP + ["--arch", "../in/arch.json", "--arch", "../in/arch.json"])
case("compare-too-many-variants", ("", "--vary array.cols", "more than 1000 variants"), max_seconds=5,
     cmd=CMP + ["--arch", "../in/arch.json", "--vary", "array.rows=" + ",".join(map(str, range(1, 400))),
                "--vary", "array.cols=" + ",".join(map(str, range(1, 400)))])
case("compare-vary-network-second-value", (N, "layers[0].weight_sparsity", "out of range"),
     cmd=CMP + ["--arch", "../in/arch.json", "--vary", "layers[c1].weight_sparsity=0.5,1.5"])
case("out-user-report", ("", "--out", "that sparsesim did not write"), files={"userdir/report.json": b'{"mine": 1}\n'},
     cmd=RUN + ["--out", "../in/userdir"])
case("out-user-layers-csv", ("", "--out", "that sparsesim did not write"), files={"userdir/layers.csv": b"my,table\n"},
     cmd=RUN + ["--out", "../in/userdir"])
case("trace-vcd-user-folder", ("", "--trace", "is not a sparsesim trace"), files=USER, args=["--trace", "../in/userdir", "--trace-vcd"])
case("dump-target-input-folder", ("", "--dump-tensors", "is not a tensor dump of sparsesim"), cmd=RUN + ["--out", "out", "--dump-tensors", "../in"])

case("sweep-out-user-results", ("", "--out", "holds results.csv but no sweep record"), sweep=sweep(),
     files={"userdir/results.csv": b"my,own,table\n"}, cmd=["sweep", "../in/sweep.json", "--out", "../in/userdir"])
case("sweep-out-holds-the-sweep-file", (S, "", "not a sweep record written by sparsesim sweep"), sweep=sweep(),
     cmd=["sweep", "../in/sweep.json", "--out", "../in"])
case("report-user-report-json", ("report.json", "", "not a report written by sparsesim run"),
     files={"userdir/report.json": b'{"mine": 1}\n'}, cmd=["report", "../in/userdir"])
case("report-fifo-report-json", ("", "DIR", "holds no report.json"), fifo=["userdir/report.json"],
     files={"userdir/report.json": b"{}"}, cmd=["report", "../in/userdir"], max_seconds=5)

case("report-user-html", ("", "DIR", "was not written by sparsesim report"),
     files={"userdir/report.json": b'{"sparsesim_version": "0"}\n', "userdir/report.html": b"<html>my page</html>\n"},
     cmd=["report", "../in/userdir", "--no-plots"])
case("report-json-wrong-layout", ("userdir", "", "do not have the layout sparsesim writes"),
     files={"userdir/report.json": b'{"sparsesim_version": "0", "layers": 5}\n'}, cmd=["report", "../in/userdir", "--no-plots"])


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "cases")
    names = [c["name"] for c in CASES]
    dup = {n for n in names if names.count(n) > 1}
    if dup:
        sys.exit(f"duplicate case names: {sorted(dup)}")
    if os.path.isdir(root):
        shutil.rmtree(root)
    os.makedirs(root)
    for c in CASES:
        write_case(root, c)
    # The valid base pair, for run.sh's control run: it must succeed, or the corpus proves nothing.
    ctl = os.path.join(os.path.dirname(root), "base")
    os.makedirs(ctl, exist_ok=True)
    for fname, obj in ((A, BASE_ARCH), (N, BASE_NET)):
        with open(os.path.join(ctl, fname), "w") as f:
            f.write(json.dumps(obj, indent=1) + "\n")
    print(f"{len(CASES)} cases written to {root}")


if __name__ == "__main__":
    main()
