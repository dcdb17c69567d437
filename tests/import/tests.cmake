# Importers (docs/networks.md, "Importers"): tools/import-onnx on models built in the test with
# onnx.helper. Cost: about 3 s (Python start-up and eight small imports).
add_test(NAME import_onnx
  COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/import/test_import_onnx.py ${CMAKE_SOURCE_DIR} ${CMAKE_BINARY_DIR}/import-onnx)
# The imported residual (float), int8 and mixed models on dense, cs, sod and sparse_pe: every layer
# verified, the weights' zero pattern the initializers', every layer's dumped value the numpy
# forward pass (onnx_reference.py). It needs chained networks ("chain": true) in the simulator:
# DISABLED until they are merged; enable it then by deleting the DISABLED property.
# Cost: about 7 s (twelve small runs).
add_test(NAME import_onnx_runs_on_every_datapath
  COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/import/run_imported.py $<TARGET_FILE:sparsesim> ${CMAKE_SOURCE_DIR} ${CMAKE_BINARY_DIR}/import-onnx-run)
set_tests_properties(import_onnx_runs_on_every_datapath PROPERTIES DISABLED TRUE ENVIRONMENT "SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1")
# A SCALE-Sim topology CSV in compat mode has the cycles of the same layers written as JSON
# (eight CLI runs of small layers). Cost: about 5 s.
add_test(NAME scalesim_topology_cycles_equal_json
  COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/import/compare_topology_runs.py $<TARGET_FILE:sparsesim> ${CMAKE_SOURCE_DIR} ${CMAKE_BINARY_DIR}/scalesim-topology)
set_tests_properties(scalesim_topology_cycles_equal_json PROPERTIES ENVIRONMENT "SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1")
