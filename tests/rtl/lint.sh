#!/usr/bin/env bash
# lint.sh RTL_DIR: verilator --lint-only -Wall on every reference block, at its defaults and at
# odd sizes (non-powers of two, size 1), plain and as each deliberately broken variant.
set -uo pipefail
D="$1"
fail=0
lint() {
  if ! out=$(verilator --lint-only -Wall "$@" 2>&1); then
    echo "lint failed: verilator --lint-only -Wall $*"
    echo "$out"
    fail=1
  fi
}
for g in "" "-GROWS=3 -GCOLS=5" "-GROWS=1 -GCOLS=1"; do
  for d in "" -DBROKEN_ACC_CARRY; do lint --top-module pe_array $g $d "$D/pe_array.v" "$D/mac_pe.v"; done
done
lint --top-module mac_pe "$D/mac_pe.v"
for g in "" "-GROWS=3 -GCOLS=5" "-GROWS=1 -GCOLS=1"; do
  for d in "" -DBROKEN_UNSIGNED_WEIGHT; do lint --top-module ws_pe_array $g $d "$D/ws_pe_array.v" "$D/ws_pe.v"; done
done
lint --top-module ws_pe "$D/ws_pe.v"
for g in "" "-GROWS=3 -GCOLS=5 -GFIFO_DEPTH=3 -GMATCH_WIDTH=3" "-GROWS=1 -GCOLS=1 -GMATCH_WIDTH=1" "-GFIFO_DEPTH=8 -GMATCH_WIDTH=4"; do
  for d in "" -DBROKEN_MATCH_HIGHEST; do lint --top-module sparse_pe_array $g $d "$D/sparse_pe_array.v" "$D/sparse_pe_cell.v"; done
done
for g in "" "-GSLOTS=3 -GKERNEL_IDS=3" "-GSLOTS=1 -GKERNEL_IDS=1" "-GSLOTS=8 -GKERNEL_IDS=16"; do
  for d in "" -DBROKEN_KID_ROUTE; do lint --top-module cs_mac_slice $g $d "$D/cs_mac_slice.v"; done
done
for g in "" "-GLANES=3 -GOUT_WIDTH=5 -GN_MAX=99" "-GLANES=1 -GOUT_WIDTH=1 -GN_MAX=16" "-GLANES=8 -GOUT_WIDTH=8 -GN_MAX=1024"; do
  for d in "" -DBROKEN_TIE_BREAK; do
    lint --top-module kwta_selector $g $d "$D/kwta_selector.v"
    lint --top-module kwta_selector_phase $g $d "$D/kwta_selector_phase.v" "$D/kwta_selector.v"
  done
done
for g in "" "-GLANES=3 -GOUT_WIDTH=5 -GN_MAX=64 -GCOMPARATORS=3" "-GLANES=1 -GOUT_WIDTH=1 -GN_MAX=16 -GCOMPARATORS=1"; do
  for d in "" -DBROKEN_TIE_IGNORED; do lint --top-module kwta_bitonic $g $d "$D/kwta_bitonic.v"; done
done
for g in "" "-GROWS=3 -GCOLS=5" "-GROWS=1 -GCOLS=1 -GM_MAX=7 -GN_MAX=3 -GK_MAX=9"; do
  for d in "" -DBROKEN_RESTART; do lint --top-module dense_os_datapath $g $d "$D/dense_os_datapath.v" "$D/os_pe.v"; done
done
lint --top-module os_pe "$D/os_pe.v"
B="$(dirname "$0")/broken"
for g in "-GLANES=4 -GNNZ=2 -GINDEX_BITS=1" "-GLANES=8 -GNNZ=4 -GINDEX_BITS=3" "-GLANES=5 -GNNZ=3 -GINDEX_BITS=2"; do
  lint --top-module decompressor $g "$D/decompressor.v"
  lint --top-module decompressor_drop_last $g "$B/decompressor_drop_last.v" "$D/decompressor.v"
done
for g in "" "-GBANKS=3 -GPORTS=1 -GNCOL=5 -GWPC_MAX=3" "-GBANKS=1 -GPORTS=1 -GNCOL=1 -GWPC_MAX=1"; do
  for d in "" -DBROKEN_BANK_MAP; do lint --top-module weight_sram_banks $g $d "$D/weight_sram_banks.v"; done
done
for g in "" "-GBANKS=3 -GPORTS=1 -GNCOL=5 -GWPC_MAX=3 -GWORD_BITS=72 -GDEPTH=100" "-GBANKS=1 -GPORTS=1 -GNCOL=1 -GWPC_MAX=1 -GWORD_BITS=8 -GDEPTH=1"; do
  for d in "" -DBROKEN_PORT_MUX; do lint --top-module weight_sram_data $g $d "$D/weight_sram_data.v" "$D/weight_sram_banks.v"; done
done
[ $fail -eq 0 ] && echo "lint: all clean"
exit $fail
