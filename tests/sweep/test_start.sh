# Sourced by the sweep test scripts with their arguments <sparsesim binary> <source dir>
# <scratch dir>: sets BIN, SRC and OUT (emptied), quiets SystemC, and defines fail().
set -u
BIN=$1; SRC=$2; OUT=$3
rm -rf "$OUT"; mkdir -p "$OUT"
export SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1
fail() { echo "FAIL: $*"; echo "0 passed, 1 failed"; exit 1; }
