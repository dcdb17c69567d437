# Importers (docs/networks.md, "Importers"): tools/import-onnx on models built in the test with
# onnx.helper. Cost: about 3 s (Python start-up and eight small imports).
add_test(NAME import_onnx
  COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/import/test_import_onnx.py ${CMAKE_SOURCE_DIR} ${CMAKE_BINARY_DIR}/import-onnx)
# Three imported models (residual float, int8 QLinear/QDQ, mixed) on dense, cs, sod and sparse_pe:
# every layer verified, the weights' zero pattern the initializers', every layer's value the numpy
# forward pass of the model. Cost: about 7 s (twelve small runs).
add_test(NAME import_onnx_runs_on_every_datapath
  COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/import/run_imported.py $<TARGET_FILE:sparsesim> ${CMAKE_SOURCE_DIR} ${CMAKE_BINARY_DIR}/import-onnx-run)
set_tests_properties(import_onnx_runs_on_every_datapath PROPERTIES ENVIRONMENT "SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1")
# A SCALE-Sim topology CSV in compat mode has the cycles of the same layers written as JSON
# (eight CLI runs of small layers). Cost: about 5 s.
add_test(NAME scalesim_topology_cycles_equal_json
  COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/import/compare_topology_runs.py $<TARGET_FILE:sparsesim> ${CMAKE_SOURCE_DIR} ${CMAKE_BINARY_DIR}/scalesim-topology)
set_tests_properties(scalesim_topology_cycles_equal_json PROPERTIES ENVIRONMENT "SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1")
# An int8 model's own scales (input, per-channel weights, QDQ Add / QLinearAdd and Concat output
# scales, relu6's bound) carried into the run: every layer's dumped value equals the ONNX graph's
# own tensors (onnx_spec_eval.py) on dense, cs, sod and sparse_pe. Cost: about 6 s (ten small runs).
add_test(NAME import_onnx_int8_model_scales
  COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/import/int8_model_scales.py $<TARGET_FILE:sparsesim> ${CMAKE_SOURCE_DIR} ${CMAKE_BINARY_DIR}/import-onnx-int8-scales)
set_tests_properties(import_onnx_int8_model_scales PROPERTIES ENVIRONMENT "SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1")
