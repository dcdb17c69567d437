# Reliability: bad inputs refused with their path, no user file deleted, complete result sets.
# The malformed-input corpus itself is tests/malformed (ctest malformed_configs).
target_sources(sparsesim_tests PRIVATE
  ${CMAKE_CURRENT_SOURCE_DIR}/reliability/test_input_checks.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/reliability/test_output_safety.cpp
  ${CMAKE_SOURCE_DIR}/sim/cli/CliValues.cpp)
target_link_libraries(sparsesim_tests PRIVATE Boost::program_options)

# The .npy loader against numpy's own reader (about 350 files, ~15 s).
add_executable(npy_check ${CMAKE_CURRENT_SOURCE_DIR}/reliability/npy_check.cpp)
target_link_libraries(npy_check PRIVATE sparsesim_core)
add_test(NAME reliability_npy_numpy
  COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/reliability/npy_numpy_test.py $<TARGET_FILE:npy_check> ${CMAKE_BINARY_DIR}/reliability-npy)

# Fault tests: SIGKILL/SIGTERM mid-sweep then resume, two sweeps into one folder, a full
# 64 KiB tmpfs under --out (skipped with the reason when mount is not permitted), determinism.
add_test(NAME reliability_faults
  COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/reliability/fault_test.sh $<TARGET_FILE:sparsesim> ${CMAKE_SOURCE_DIR} ${CMAKE_BINARY_DIR}/reliability-faults)
set_tests_properties(reliability_faults PROPERTIES ENVIRONMENT "SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1" TIMEOUT 600 RUN_SERIAL TRUE)

# tools/import-onnx: a pipe, a device, a directory or an empty file as the model is refused at
# once; an --out folder holding files the tool did not write is refused; nothing changed; a full
# 4 KiB tmpfs is exit 4 with nothing left (skipped where mount is not permitted). ~3 s.
add_test(NAME reliability_import_onnx
  COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/reliability/import_onnx_refusals.py ${CMAKE_SOURCE_DIR} ${CMAKE_BINARY_DIR}/reliability-import-onnx)

# No null, NaN or infinity in report.json / layers.csv with the clock and DRAM bandwidth at both
# ends of their documented ranges, on every datapath, independent and chained. ~4 s.
add_test(NAME reliability_report_numbers
  COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/reliability/report_numbers.py $<TARGET_FILE:sparsesim> ${CMAKE_SOURCE_DIR} ${CMAKE_BINARY_DIR}/reliability-report-numbers)
set_tests_properties(reliability_report_numbers PROPERTIES ENVIRONMENT "SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1")

# tools/validate-rtl --vcd FILE: a user's file (or a directory) at FILE or FILE.model.vcd is
# refused before anything is built, and left unchanged. Under 1 s.
add_test(NAME reliability_validate_rtl_vcd_target
  COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/reliability/validate_rtl_vcd_target.py ${CMAKE_SOURCE_DIR} ${CMAKE_BINARY_DIR}/reliability-vcd-target)
