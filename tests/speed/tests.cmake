# Whole ResNet-50 on cs-large in sparse_sparse mode (the tools/bench point): the weight-residency
# plan leaves some layers resident with a bounded stream capacity; their tables must still load
# (they used to abort in the SRAM fill). About 3 s of CPU time.
add_test(NAME cs_large_sparse_sparse_resnet50_runs_verified
  COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/run_verified.py $<TARGET_FILE:sparsesim> ${CMAKE_BINARY_DIR}/speed-cs-resnet50
          --arch ${CMAKE_SOURCE_DIR}/configs/arch/cs-large.json --set cs.mode=sparse_sparse
          --network ${CMAKE_SOURCE_DIR}/configs/networks/resnet50.json)
set_tests_properties(cs_large_sparse_sparse_resnet50_runs_verified PROPERTIES LABELS slow)
