# The sparse-PE engine against the engine that steps every PE every cycle on whole runs (GSC
# chained, ResNet-50 3x3 layers on two array shapes): identical reports, layer tables and dumped
# tensors. About 5 s of CPU (17 s wall with the 2 cores loaded by other jobs).
add_test(NAME sparse_pe_engine_whole_runs
  COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/sparse_pe_engine/engine_test.py $<TARGET_FILE:sparsesim> ${CMAKE_SOURCE_DIR} ${CMAKE_BINARY_DIR}/sparse-pe-engine-test)
set_tests_properties(sparse_pe_engine_whole_runs PROPERTIES TIMEOUT 300)
