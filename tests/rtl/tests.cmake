# RTL against golden traces (docs/rtl-check.md): the reference RTL in traces/rtl, verilated with
# the checkers in traces/checker, runs against traces the simulator writes for the configurations
# in tests/rtl/configs (JSON lines and binary); deliberately broken builds of the same RTL must be
# caught, with the first mismatching cycle named; tools/validate-rtl checks the reference RTL as a
# user's RTL would be checked.
find_package(verilator HINTS $ENV{VERILATOR_ROOT} /usr/share/verilator QUIET)
if(NOT verilator_FOUND)
  message(STATUS "verilator not found: RTL-vs-trace checks skipped (tools/install-deps installs it)")
  return()
endif()

set(RTL_SRC ${CMAKE_SOURCE_DIR}/traces/rtl)
set(RTL_CHECKER ${CMAKE_SOURCE_DIR}/traces/checker)
set(RTL_TESTS ${CMAKE_CURRENT_LIST_DIR})
set(RTL_TRACES ${CMAKE_BINARY_DIR}/rtl-traces)

# rtl_checker(<target> <block> <top> SOURCES <.v...> PARAMS <NAME=value...> [DEFINES -D...]):
# one verilated RTL build with its block's checker. PARAMS go to Verilator as -G and to the
# checker as DUT_<NAME>, so the checker knows what it was built against.
function(rtl_checker TARGET BLOCK TOP)
  rtl_bench(${TARGET} ${RTL_CHECKER}/check_${BLOCK}.cpp ${TOP} ${ARGN})
endfunction()

# rtl_bench(<target> <testbench.cpp> <top> SOURCES ... PARAMS ... [DEFINES ...] [GEOMETRY ...]): the same for any
# testbench in traces/checker.
function(rtl_bench TARGET BENCH TOP)
  cmake_parse_arguments(A "" "" "SOURCES;PARAMS;DEFINES;GEOMETRY" ${ARGN})
  set(gflags)
  set(dflags)
  # GEOMETRY: values the checker needs that are not parameters of the top (derived localparams).
  foreach(p IN LISTS A_GEOMETRY)
    list(APPEND dflags DUT_${p})
  endforeach()
  foreach(p IN LISTS A_PARAMS)
    list(APPEND gflags -G${p})
    list(APPEND dflags DUT_${p})
  endforeach()
  add_executable(${TARGET} ${BENCH})
  target_include_directories(${TARGET} PRIVATE ${RTL_CHECKER})
  target_compile_definitions(${TARGET} PRIVATE ${dflags})
  target_link_libraries(${TARGET} PRIVATE nlohmann_json::nlohmann_json)
  # Lint findings fail rtl_lint, not the build: a newer Verilator's new warnings must not stop
  # everyone else's targets from building.
  verilate(${TARGET} SOURCES ${A_SOURCES} TOP_MODULE ${TOP} PREFIX Vdut
    VERILATOR_ARGS -O3 -Wno-fatal ${gflags} ${A_DEFINES} OPT_FAST -O2)
endfunction()

set(PE_SOURCES ${RTL_SRC}/pe_array.v ${RTL_SRC}/mac_pe.v)
set(PE_PARAMS ROWS=4 COLS=4)
set(MAC_PARAMS SLOTS=4 KERNEL_IDS=4 ID_BITS=2)
set(KWTA_PARAMS LANES=4 OUT_WIDTH=2 N_MAX=256 IDX_BITS=8)
rtl_checker(rtl_check_pe_array pe_array pe_array SOURCES ${PE_SOURCES} PARAMS ${PE_PARAMS})
rtl_checker(rtl_check_mac_array mac_array cs_mac_slice SOURCES ${RTL_SRC}/cs_mac_slice.v PARAMS ${MAC_PARAMS})
rtl_checker(rtl_check_kwta_selector kwta_selector kwta_selector SOURCES ${RTL_SRC}/kwta_selector.v PARAMS ${KWTA_PARAMS})
rtl_checker(rtl_broken_acc_carry pe_array pe_array SOURCES ${PE_SOURCES} PARAMS ${PE_PARAMS} DEFINES -DBROKEN_ACC_CARRY)
rtl_checker(rtl_broken_kid_route mac_array cs_mac_slice SOURCES ${RTL_SRC}/cs_mac_slice.v PARAMS ${MAC_PARAMS} DEFINES -DBROKEN_KID_ROUTE)
# The selector with its phase on ports (kwta_selector_phase.v): threshold search outcome and
# pass-2 row flags compared as well; the tie-break variant is built with them.
set(KWTA_PHASE_SOURCES ${RTL_SRC}/kwta_selector_phase.v ${RTL_SRC}/kwta_selector.v)
rtl_checker(rtl_check_kwta_selector_phase kwta_selector kwta_selector_phase SOURCES ${KWTA_PHASE_SOURCES} PARAMS ${KWTA_PARAMS} GEOMETRY PHASE=1)
rtl_checker(rtl_broken_tie_break kwta_selector kwta_selector_phase SOURCES ${KWTA_PHASE_SOURCES} PARAMS ${KWTA_PARAMS} GEOMETRY PHASE=1
  DEFINES -DBROKEN_TIE_BREAK)

# Every reference file and every broken variant is lint-clean at the defaults and at odd sizes.
add_test(NAME rtl_lint COMMAND ${RTL_TESTS}/lint.sh ${RTL_SRC})

# rtl_trace(<name> <arch> <blocks> <format> [sparsesim args...]): a trace of tiny-gsc.json as a
# test fixture named rtl_trace_<name>, in ${RTL_TRACES}/<name>.
function(rtl_trace NAME ARCH BLOCKS FORMAT)
  add_test(NAME rtl_trace_${NAME}
    COMMAND ${RTL_TESTS}/fresh.sh ${RTL_TRACES}/${NAME} $<TARGET_FILE:sparsesim> run
      --arch ${RTL_TESTS}/configs/${ARCH}.json --network ${RTL_TESTS}/configs/tiny-gsc.json
      --trace ${RTL_TRACES}/${NAME} --trace-blocks ${BLOCKS} --trace-format ${FORMAT} -q --out ${RTL_TRACES}/${NAME}-run ${ARGN})
  set_tests_properties(rtl_trace_${NAME} PROPERTIES FIXTURES_SETUP rtl_trace_${NAME}
    ENVIRONMENT "SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1")
endfunction()

# The dense traces carry pe_state too: the checker compares every PE's sum after every cycle.
rtl_trace(dense_jsonl dense-4x4 pe_array,pe_state jsonl)
rtl_trace(dense_bin dense-4x4 pe_array,pe_state bin)
rtl_trace(sod_jsonl sod-4x4 pe_array jsonl)
# Seeds 3 and 8 give tiny-gsc's near_dense layer two zeros among its inputs, one of which must
# lose by the tie rule: without such a tie a wrong tie-break goes unnoticed (see tiny-gsc.json).
rtl_trace(cs_jsonl cs-2x4 kwta_selector,mac_array jsonl --seed 3)
rtl_trace(cs_bin cs-2x4 kwta_selector,mac_array bin --seed 3)
rtl_trace(cs_norep_jsonl cs-2x4-norep kwta_selector,mac_array jsonl --seed 8)
rtl_trace(dense_2x4_jsonl dense-4x4 pe_array jsonl --set array.rows=2 --layers output)

# rtl_check(<test> <checker target> <trace> [PASS_REGULAR_EXPRESSION ...]): one checker run.
function(rtl_check NAME TARGET TRACE)
  add_test(NAME ${NAME} COMMAND $<TARGET_FILE:${TARGET}> --trace ${RTL_TRACES}/${TRACE})
  set_tests_properties(${NAME} PROPERTIES FIXTURES_REQUIRED rtl_trace_${TRACE} ${ARGN})
endfunction()

foreach(t dense_jsonl dense_bin sod_jsonl)
  rtl_check(rtl_pe_array_${t} rtl_check_pe_array ${t} PASS_REGULAR_EXPRESSION "PASS pe_array")
endforeach()
foreach(t cs_jsonl cs_bin cs_norep_jsonl)
  rtl_check(rtl_mac_array_${t} rtl_check_mac_array ${t} PASS_REGULAR_EXPRESSION "PASS mac_array")
  rtl_check(rtl_kwta_selector_${t} rtl_check_kwta_selector ${t} PASS_REGULAR_EXPRESSION "PASS kwta_selector")
endforeach()
# Threshold traces: every group's search outcome and every pass-2 row's flags compared.
foreach(t cs_jsonl cs_bin)
  rtl_check(rtl_kwta_selector_phase_${t} rtl_check_kwta_selector_phase ${t}
    PASS_REGULAR_EXPRESSION "phase: [1-9][0-9]* threshold searches and [1-9][0-9]* pass-2 rows compared.*PASS kwta_selector")
endforeach()
# A trace of another array size is refused before any cycle runs (exit 2, not a mismatch).
rtl_check(rtl_pe_array_size_refused rtl_check_pe_array dense_2x4_jsonl
  PASS_REGULAR_EXPRESSION "ERROR pe_array: trace pe_array.rows = 2 but the RTL was built with ROWS = 4")

# A trace without the block says which blocks it has and how to trace the missing one.
rtl_check(rtl_pe_array_block_missing rtl_check_pe_array cs_jsonl
  PASS_REGULAR_EXPRESSION "ERROR pe_array: .*the trace has no block .pe_array. .traced: kwta_selector, mac_array.. the cs datapath has no pe_array: trace an architecture of datapath dense or sod with --trace-blocks pe_array")

# Each broken variant fails at the first record it gets wrong: expect_mismatch.py predicts that
# record's cycle and signal from the trace alone, through the variant's broken arithmetic.
function(rtl_broken NAME VARIANT TRACE)
  cmake_parse_arguments(A "" "TEST" "" ${ARGN})
  if(NOT A_TEST)
    set(A_TEST ${NAME})
  endif()
  add_test(NAME ${A_TEST} COMMAND ${RTL_TESTS}/expect_mismatch.py $<TARGET_FILE:${NAME}> ${RTL_TRACES}/${TRACE} ${VARIANT} ${A_UNPARSED_ARGUMENTS})
  set_tests_properties(${A_TEST} PROPERTIES FIXTURES_REQUIRED rtl_trace_${TRACE})
endfunction()
# With pe_state the carry bug is named at the first cycle a partial sum goes wrong; with
# --no-state only at the fold's drain, later.
rtl_broken(rtl_broken_acc_carry acc_carry dense_jsonl)
rtl_broken(rtl_broken_acc_carry acc_carry dense_jsonl --no-state TEST rtl_broken_acc_carry_no_state)
rtl_broken(rtl_broken_kid_route kid_route cs_jsonl)
# With the phase ports the wrong tie-break is named at the pass-2 row that flags the wrong
# element; with --no-state only at the first wrong winner leaving the queue, later.
rtl_broken(rtl_broken_tie_break tie_break cs_jsonl)
rtl_broken(rtl_broken_tie_break tie_break cs_jsonl --no-state TEST rtl_broken_tie_break_no_state)

# tools/validate-rtl on the reference RTL as if it were a user's: it verilates into its own
# temporary directory, so this covers the path users take. The selector with its phase ports:
# the tool finds them (PHASE=1) and the phase is compared.
add_test(NAME rtl_validate_tool_kwta_selector
  COMMAND ${CMAKE_SOURCE_DIR}/tools/validate-rtl --block kwta_selector --rtl ${KWTA_PHASE_SOURCES} --top kwta_selector_phase
    --trace ${RTL_TRACES}/cs_bin -G N_MAX=512)
set_tests_properties(rtl_validate_tool_kwta_selector PROPERTIES FIXTURES_REQUIRED rtl_trace_cs_bin
  PASS_REGULAR_EXPRESSION "PHASE=1.*phase: [1-9][0-9]* threshold searches and [1-9][0-9]* pass-2 rows compared.*PASS kwta_selector")
# The wrapping example of docs/rtl-check.md: a design with its own port names and an all-PE
# accumulator bus, behind the contract wrapper, checked the way a user would.
add_test(NAME rtl_validate_tool_user_example
  COMMAND ${CMAKE_SOURCE_DIR}/tools/validate-rtl --block pe_array --top my_array_wrap --trace ${RTL_TRACES}/dense_bin
    --rtl ${RTL_TESTS}/user_example/my_array_wrap.v ${RTL_TESTS}/user_example/my_array.v)
set_tests_properties(rtl_validate_tool_user_example PROPERTIES FIXTURES_REQUIRED rtl_trace_dense_bin
  PASS_REGULAR_EXPRESSION "PASS pe_array")

# The whole dense output-stationary datapath (operand buffers, fold controller, PE array, drain)
# runs every layer of tiny-gsc.json from the model's trace, in SCALE-Sim compatibility (ideal
# memory): outputs equal the model's output.npy and the RTL's cycle count equals report.json's
# simulated_cycles, per layer (dense_datapath.py prints both). 4x4 (partial tiles in M), 3x5
# (partial tiles in M and N) and 6x2 (a tall array, N in folds of 2). The broken build (os_pe.v BROKEN_RESTART) must fail it.
set(DP_SOURCES ${RTL_SRC}/dense_os_datapath.v ${RTL_SRC}/os_pe.v)
foreach(geo 4x4 3x5 6x2)
  string(REPLACE "x" ";" rc ${geo})
  list(GET rc 0 r)
  list(GET rc 1 c)
  rtl_bench(rtl_dense_datapath_${geo} ${RTL_CHECKER}/run_dense_datapath.cpp dense_os_datapath SOURCES ${DP_SOURCES}
    PARAMS ROWS=${r} COLS=${c} M_MAX=64 N_MAX=16 K_MAX=256)
  rtl_trace(dense_ideal_${geo} dense-4x4-ideal pe_array bin --set array.rows=${r} --set array.cols=${c}
    --dump-tensors ${RTL_TRACES}/dense_ideal_${geo}-dump)
  add_test(NAME rtl_dense_datapath_${geo}
    COMMAND /usr/bin/python3 ${RTL_TESTS}/dense_datapath.py $<TARGET_FILE:rtl_dense_datapath_${geo}> ${RTL_TRACES}/dense_ideal_${geo}
      ${RTL_TRACES}/dense_ideal_${geo}-run ${RTL_TRACES}/dense_ideal_${geo}-dump)
  set_tests_properties(rtl_dense_datapath_${geo} PROPERTIES FIXTURES_REQUIRED rtl_trace_dense_ideal_${geo}
    PASS_REGULAR_EXPRESSION "ok: 5 layers on the ${geo} datapath RTL")
endforeach()
rtl_bench(rtl_broken_restart ${RTL_CHECKER}/run_dense_datapath.cpp dense_os_datapath SOURCES ${DP_SOURCES}
  PARAMS ROWS=4 COLS=4 M_MAX=64 N_MAX=16 K_MAX=256 DEFINES -DBROKEN_RESTART)
add_test(NAME rtl_broken_restart
  COMMAND /usr/bin/python3 ${RTL_TESTS}/dense_datapath.py $<TARGET_FILE:rtl_broken_restart> ${RTL_TRACES}/dense_ideal_4x4
    ${RTL_TRACES}/dense_ideal_4x4-run ${RTL_TRACES}/dense_ideal_4x4-dump)
set_tests_properties(rtl_broken_restart PROPERTIES FIXTURES_REQUIRED rtl_trace_dense_ideal_4x4
  PASS_REGULAR_EXPRESSION "FAIL: conv1: [0-9]+ of 512 outputs differ")

# Every piece of advice tools/validate-rtl prints for a trace that does not fit the RTL is a
# command that works (advice.py runs each one): seven Verilator builds, about 4 minutes on 2 cores.
add_test(NAME rtl_validate_tool_advice
  COMMAND /usr/bin/python3 ${RTL_TESTS}/advice.py $<TARGET_FILE:sparsesim> ${RTL_TRACES} ${CMAKE_BINARY_DIR}/rtl-advice)
set_tests_properties(rtl_validate_tool_advice PROPERTIES FIXTURES_REQUIRED "rtl_trace_cs_jsonl;rtl_trace_dense_2x4_jsonl;rtl_trace_dense_ws_jsonl;rtl_trace_cs_sram_jsonl"
  LABELS slow PASS_REGULAR_EXPRESSION "ok: kwta_bitonic on a threshold trace")

# --vcd: the RTL's waveform and the model's around the first divergence load in a Python VCD
# reader and hold the divergence cycle with the reported values (one Verilator build with
# --trace, about 30 s on 2 cores).
add_test(NAME rtl_validate_tool_vcd
  COMMAND /usr/bin/python3 ${RTL_TESTS}/vcd_check.py ${RTL_TRACES}/dense_bin ${CMAKE_BINARY_DIR}/rtl-vcd)
set_tests_properties(rtl_validate_tool_vcd PROPERTIES FIXTURES_REQUIRED rtl_trace_dense_bin LABELS slow
  PASS_REGULAR_EXPRESSION "ok: both waveforms load and hold cycle 11")

# The SoD decompression unit (decompressor.v) at the sod-4x4 edge (LANES = 4, NNZ = 2) with
# sod.index_bits = 1, so vectors have two segments and the pointers matter; its broken wrapper
# (tests/rtl/broken/decompressor_drop_last.v) must fail at the vector and lane predicted.
set(DEC_PARAMS LANES=4 NNZ=2 INDEX_BITS=1)
set(DEC_GEOMETRY SEGS=2 PTRW=3)
rtl_checker(rtl_check_decompressor decompressor decompressor SOURCES ${RTL_SRC}/decompressor.v PARAMS ${DEC_PARAMS} GEOMETRY ${DEC_GEOMETRY})
rtl_checker(rtl_broken_drop_last decompressor decompressor_drop_last
  SOURCES ${RTL_TESTS}/broken/decompressor_drop_last.v ${RTL_SRC}/decompressor.v PARAMS ${DEC_PARAMS} GEOMETRY ${DEC_GEOMETRY})
rtl_trace(sod_dec_jsonl sod-4x4 decompressor jsonl --set sod.index_bits=1)
rtl_trace(sod_dec_bin sod-4x4 decompressor bin --set sod.index_bits=1)
foreach(t sod_dec_jsonl sod_dec_bin)
  rtl_check(rtl_decompressor_${t} rtl_check_decompressor ${t} PASS_REGULAR_EXPRESSION "PASS decompressor")
endforeach()
rtl_broken(rtl_broken_drop_last drop_last sod_dec_jsonl)
set_property(TEST rtl_broken_drop_last APPEND PROPERTY ENVIRONMENT "DUT_LANES=4;DUT_NNZ=2;DUT_INDEX_BITS=1")
add_test(NAME rtl_validate_tool_decompressor
  COMMAND ${CMAKE_SOURCE_DIR}/tools/validate-rtl --block decompressor --rtl ${RTL_SRC}/decompressor.v --top decompressor
    -GLANES=4 -GNNZ=2 -GINDEX_BITS=1 --trace ${RTL_TRACES}/sod_dec_bin --jobs 2)
set_tests_properties(rtl_validate_tool_decompressor PROPERTIES FIXTURES_REQUIRED rtl_trace_sod_dec_bin
  PASS_REGULAR_EXPRESSION "PASS decompressor")

# The read side of the CS weight-packing SRAM (weight_sram_banks.v: 4 banks x 2 ports, the
# cs-2x4 SRAM) on a trace with 16-bit words (3 words a column, so columns meet in banks): per
# step every bank reads exactly its words and the step takes the traced cycles (bank conflicts
# included); the broken bank map must fail at the step and bank predicted.
set(SRAM_PARAMS BANKS=4 PORTS=2 NCOL=8 WPC_MAX=4)
rtl_checker(rtl_check_weight_sram weight_sram weight_sram_banks SOURCES ${RTL_SRC}/weight_sram_banks.v PARAMS ${SRAM_PARAMS})
rtl_checker(rtl_broken_bank_map weight_sram weight_sram_banks SOURCES ${RTL_SRC}/weight_sram_banks.v PARAMS ${SRAM_PARAMS}
  DEFINES -DBROKEN_BANK_MAP)
rtl_trace(cs_sram_jsonl cs-2x4 weight_sram jsonl --set cs.sram.word_bits=16)
rtl_trace(cs_sram_bin cs-2x4 weight_sram bin --set cs.sram.word_bits=16)
foreach(t cs_sram_jsonl cs_sram_bin)
  rtl_check(rtl_weight_sram_${t} rtl_check_weight_sram ${t} PASS_REGULAR_EXPRESSION "PASS weight_sram")
endforeach()
rtl_broken(rtl_broken_bank_map bank_map cs_sram_jsonl)
add_test(NAME rtl_validate_tool_weight_sram
  COMMAND ${CMAKE_SOURCE_DIR}/tools/validate-rtl --block weight_sram --rtl ${RTL_SRC}/weight_sram_banks.v --top weight_sram_banks
    --trace ${RTL_TRACES}/cs_sram_bin --jobs 2)
set_tests_properties(rtl_validate_tool_weight_sram PROPERTIES FIXTURES_REQUIRED rtl_trace_cs_sram_bin
  PASS_REGULAR_EXPRESSION "PASS weight_sram")

# The weight-stationary PE array (ws_pe_array.v + ws_pe.v, 4x4) against the pe_array block of
# weight-stationary traces: dense with pe_state (every PE's partial sum after every cycle), dense
# binary, SoD. The unsigned-weight variant must fail at the cycle and PE expect_mismatch.py
# predicts by replaying the WS array in Python; with --no-state at the first psum_out it gets
# wrong. The output-stationary checker refuses a WS trace. Two checker builds, about 40 s of CPU.
set(WS_SOURCES ${RTL_SRC}/ws_pe_array.v ${RTL_SRC}/ws_pe.v)
rtl_checker(rtl_check_pe_array_ws pe_array_ws ws_pe_array SOURCES ${WS_SOURCES} PARAMS ${PE_PARAMS})
rtl_checker(rtl_broken_unsigned_weight pe_array_ws ws_pe_array SOURCES ${WS_SOURCES} PARAMS ${PE_PARAMS} DEFINES -DBROKEN_UNSIGNED_WEIGHT)
rtl_trace(dense_ws_jsonl dense-4x4 pe_array,pe_state jsonl --set dataflow=ws)
rtl_trace(dense_ws_bin dense-4x4 pe_array bin --set dataflow=ws)
rtl_trace(sod_ws_jsonl sod-4x4 pe_array jsonl --set dataflow=ws)
foreach(t dense_ws_jsonl dense_ws_bin sod_ws_jsonl)
  rtl_check(rtl_pe_array_ws_${t} rtl_check_pe_array_ws ${t} PASS_REGULAR_EXPRESSION "PASS pe_array")
endforeach()
rtl_broken(rtl_broken_unsigned_weight unsigned_weight dense_ws_jsonl)
rtl_broken(rtl_broken_unsigned_weight unsigned_weight dense_ws_jsonl --no-state TEST rtl_broken_unsigned_weight_no_state)
# tools/validate-rtl on the reference WS array as a user's RTL (its own build, 15 to 20 s of CPU).
add_test(NAME rtl_validate_tool_pe_array_ws
  COMMAND ${CMAKE_SOURCE_DIR}/tools/validate-rtl --block pe_array_ws --rtl ${WS_SOURCES} --top ws_pe_array --trace ${RTL_TRACES}/dense_ws_bin --jobs 2)
set_tests_properties(rtl_validate_tool_pe_array_ws PROPERTIES FIXTURES_REQUIRED rtl_trace_dense_ws_bin PASS_REGULAR_EXPRESSION "PASS pe_array")
rtl_check(rtl_pe_array_ws_refused_by_os rtl_check_pe_array dense_ws_bin
  PASS_REGULAR_EXPRESSION "ERROR pe_array: the trace.s array is ws. the pe_array contract is output-stationary .a weight-stationary array: tools.validate-rtl --block pe_array_ws.")

# The sparse-PE array (sparse_pe_array.v + sparse_pe_cell.v: 4x4 PEs, 4-entry FIFOs, 2-wide
# matcher, one entry a bus a cycle) against the sparse_pe block: per cycle the buses' readiness
# and every PE's FIFO heads, fills, issue, finished flag and accumulator. The variant issuing the
# highest common index must fail at the cycle and PE expect_mismatch.py predicts by replaying
# every PE in Python from the trace's deliveries. Two checker builds, about 40 s of CPU.
set(SPE_SOURCES ${RTL_SRC}/sparse_pe_array.v ${RTL_SRC}/sparse_pe_cell.v)
set(SPE_PARAMS ROWS=4 COLS=4 FIFO_DEPTH=4 MATCH_WIDTH=2)
rtl_checker(rtl_check_sparse_pe sparse_pe sparse_pe_array SOURCES ${SPE_SOURCES} PARAMS ${SPE_PARAMS} GEOMETRY KB=16)
rtl_checker(rtl_broken_match_highest sparse_pe sparse_pe_array SOURCES ${SPE_SOURCES} PARAMS ${SPE_PARAMS} GEOMETRY KB=16
  DEFINES -DBROKEN_MATCH_HIGHEST)
rtl_trace(spe_jsonl sparse-pe-4x4 sparse_pe jsonl)
rtl_trace(spe_bin sparse-pe-4x4 sparse_pe bin)
foreach(t spe_jsonl spe_bin)
  rtl_check(rtl_sparse_pe_${t} rtl_check_sparse_pe ${t} PASS_REGULAR_EXPRESSION "PASS sparse_pe")
endforeach()
rtl_broken(rtl_broken_match_highest match_highest spe_jsonl)
# --vcd on the sparse-PE array: both waveforms load and hold the diverging PE register at the
# divergence cycle (one Verilator build with --trace, about 40 s of CPU).
add_test(NAME rtl_validate_tool_vcd_sparse_pe
  COMMAND /usr/bin/python3 ${RTL_TESTS}/vcd_check.py ${RTL_TRACES}/spe_bin ${CMAKE_BINARY_DIR}/rtl-vcd-sparse-pe sparse_pe)
set_tests_properties(rtl_validate_tool_vcd_sparse_pe PROPERTIES FIXTURES_REQUIRED rtl_trace_spe_bin LABELS slow
  PASS_REGULAR_EXPRESSION "ok: both waveforms load and hold cycle [0-9]+: PE")

# The bitonic k-WTA circuit (kwta_bitonic.v: 4 lanes, 2 winners a cycle, 8 comparators, groups
# up to 256) cycle for cycle against the bitonic trace of cs-2x4-norep (seed 8: near_dense has
# a tie at the threshold): the load at the traced cycles, the network's keys after every compare
# stage at the stage's last cycle, the winners at their read-out cycles. The variant whose
# comparators ignore the index must fail at the stage and network position expect_mismatch.py
# predicts by running the network in Python. Two checker builds, about 60 s of CPU.
set(BITONIC_PARAMS LANES=4 OUT_WIDTH=2 N_MAX=256 COMPARATORS=8)
rtl_checker(rtl_check_kwta_bitonic kwta_bitonic kwta_bitonic SOURCES ${RTL_SRC}/kwta_bitonic.v PARAMS ${BITONIC_PARAMS} GEOMETRY IDX_BITS=8)
rtl_checker(rtl_broken_tie_ignored kwta_bitonic kwta_bitonic SOURCES ${RTL_SRC}/kwta_bitonic.v PARAMS ${BITONIC_PARAMS} GEOMETRY IDX_BITS=8
  DEFINES -DBROKEN_TIE_IGNORED)
foreach(t cs_norep_jsonl cs_norep_bin)
  rtl_check(rtl_kwta_bitonic_${t} rtl_check_kwta_bitonic ${t} PASS_REGULAR_EXPRESSION "PASS kwta_selector")
endforeach()
rtl_trace(cs_norep_bin cs-2x4-norep kwta_selector bin --seed 8)
rtl_broken(rtl_broken_tie_ignored tie_ignored cs_norep_jsonl)
# The bitonic checker refuses a threshold trace before any cycle runs.
rtl_check(rtl_kwta_bitonic_refuses_threshold rtl_check_kwta_bitonic cs_jsonl
  PASS_REGULAR_EXPRESSION "ERROR kwta_selector: the trace.s k-WTA circuit is threshold")
add_test(NAME rtl_validate_tool_kwta_bitonic
  COMMAND ${CMAKE_SOURCE_DIR}/tools/validate-rtl --block kwta_bitonic --rtl ${RTL_SRC}/kwta_bitonic.v --top kwta_bitonic
    --trace ${RTL_TRACES}/cs_norep_bin --jobs 2)
set_tests_properties(rtl_validate_tool_kwta_bitonic PROPERTIES FIXTURES_REQUIRED rtl_trace_cs_norep_bin LABELS slow
  PASS_REGULAR_EXPRESSION "PASS kwta_selector")

# mac_state (a CS lane's accumulators after every step): the reference lane matches every step;
# the kid-route variant is then caught at its first wrong step, not at the pixel's drain.
rtl_trace(cs_state_jsonl cs-2x4 mac_array,mac_state jsonl --seed 3)
rtl_check(rtl_mac_array_cs_state_jsonl rtl_check_mac_array cs_state_jsonl PASS_REGULAR_EXPRESSION "PASS mac_array")
rtl_broken(rtl_broken_kid_route kid_route cs_state_jsonl TEST rtl_broken_kid_route_state)

# A selector top with only some of the phase ports breaks the contract: refused before any
# build (under a second: Verilator elaborates only).
add_test(NAME rtl_validate_tool_half_phase
  COMMAND ${CMAKE_SOURCE_DIR}/tools/validate-rtl --block kwta_selector --top kwta_half_phase --trace ${RTL_TRACES}/cs_bin
    --rtl ${RTL_TESTS}/contract/kwta_half_phase.v ${KWTA_PHASE_SOURCES})
set_tests_properties(rtl_validate_tool_half_phase PROPERTIES FIXTURES_REQUIRED rtl_trace_cs_bin
  PASS_REGULAR_EXPRESSION "ERROR validate-rtl: top module has the phase port.s. phase_thr_valid, phase_thr but not phase_budget, phase_flag_valid, phase_flag_win")

# --vcd on the CS lane and the selector, whose checkers run on the trace's cycles: the kid-route
# variant against a trace with mac_state (every lane one instance on one clock) and the phase
# selector's tie-break variant; both waveforms load in a Python VCD reader, the divergence cycle
# (the one expect_mismatch.py's replay predicts) is inside the reported window, and the diverging
# register / port differs from the model's signal there. One Verilator build with --trace each,
# about 35 s of wall time on 2 cores.
add_test(NAME rtl_validate_tool_vcd_mac_array
  COMMAND /usr/bin/python3 ${RTL_TESTS}/vcd_check.py ${RTL_TRACES}/cs_state_jsonl ${CMAKE_BINARY_DIR}/rtl-vcd-mac-array mac_array)
set_tests_properties(rtl_validate_tool_vcd_mac_array PROPERTIES FIXTURES_REQUIRED rtl_trace_cs_state_jsonl LABELS slow
  PASS_REGULAR_EXPRESSION "ok: both waveforms load and hold cycle [0-9]+ .window [0-9]+..[0-9]+.: lane")
add_test(NAME rtl_validate_tool_vcd_kwta_selector
  COMMAND /usr/bin/python3 ${RTL_TESTS}/vcd_check.py ${RTL_TRACES}/cs_jsonl ${CMAKE_BINARY_DIR}/rtl-vcd-kwta-selector kwta_selector)
set_tests_properties(rtl_validate_tool_vcd_kwta_selector PROPERTIES FIXTURES_REQUIRED rtl_trace_cs_jsonl LABELS slow
  PASS_REGULAR_EXPRESSION "ok: both waveforms load and hold cycle [0-9]+ .window [0-9]+..[0-9]+.: row flag")

# The weight-packing SRAM with its data (weight_sram_data.v: weight_sram_banks.v plus the words):
# each pass's table written in, and per MAC step every lane's column unpacked from the words the
# RTL delivered must be the weights and kernel IDs that lane multiplied (the mac_array records).
# The variant with one read mux per bank (BROKEN_PORT_MUX) must fail at the step, lane and entry
# expect_mismatch.py predicts by replaying the banks' grant order in Python. Two checker builds.
set(SRAM_DATA_SOURCES ${RTL_SRC}/weight_sram_data.v ${RTL_SRC}/weight_sram_banks.v)
set(SRAM_DATA_PARAMS ${SRAM_PARAMS} WORD_BITS=16 DEPTH=256)
rtl_checker(rtl_check_weight_sram_data weight_sram weight_sram_data SOURCES ${SRAM_DATA_SOURCES} PARAMS ${SRAM_DATA_PARAMS} GEOMETRY DATA=1)
rtl_checker(rtl_broken_port_mux weight_sram weight_sram_data SOURCES ${SRAM_DATA_SOURCES} PARAMS ${SRAM_DATA_PARAMS} GEOMETRY DATA=1
  DEFINES -DBROKEN_PORT_MUX)
rtl_trace(cs_sram_data_jsonl cs-2x4 weight_sram,mac_array jsonl --set cs.sram.word_bits=16)
rtl_trace(cs_sram_data_bin cs-2x4 weight_sram,mac_array bin --set cs.sram.word_bits=16)
foreach(t cs_sram_data_jsonl cs_sram_data_bin)
  rtl_check(rtl_weight_sram_data_${t} rtl_check_weight_sram_data ${t}
    PASS_REGULAR_EXPRESSION "data: [1-9][0-9]* entries the MAC lanes multiplied compared.*PASS weight_sram")
endforeach()
rtl_broken(rtl_broken_port_mux port_mux cs_sram_data_jsonl)
# The data checker refuses a trace without the SRAM's table and the lanes' records.
rtl_check(rtl_weight_sram_data_needs_mac rtl_check_weight_sram_data cs_sram_jsonl
  PASS_REGULAR_EXPRESSION "ERROR weight_sram: the RTL has the data ports.*--trace-blocks weight_sram,mac_array")
# tools/validate-rtl on the SRAM with its data ports as a user's RTL: it finds them (DATA=1).
add_test(NAME rtl_validate_tool_weight_sram_data
  COMMAND ${CMAKE_SOURCE_DIR}/tools/validate-rtl --block weight_sram --rtl ${SRAM_DATA_SOURCES} --top weight_sram_data
    --trace ${RTL_TRACES}/cs_sram_data_bin --jobs 2)
set_tests_properties(rtl_validate_tool_weight_sram_data PROPERTIES FIXTURES_REQUIRED rtl_trace_cs_sram_data_bin LABELS slow
  PASS_REGULAR_EXPRESSION "DATA=1.*data: [1-9][0-9]* entries the MAC lanes multiplied compared.*PASS weight_sram")
