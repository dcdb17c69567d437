# Free mappings and unskewed choices (dataflow auto, SoD format auto, CS mode auto, channel
# pruning, a missing FPGA resource): CLI runs against fixed-choice runs and closed forms.
# About 5 s on 2 cores (docs/dense.md "Automatic mapping").
add_test(NAME mapping_auto
  COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/mapping/mapping_test.py $<TARGET_FILE:sparsesim> ${CMAKE_SOURCE_DIR} ${CMAKE_BINARY_DIR}/mapping-test)
set_tests_properties(mapping_auto PROPERTIES ENVIRONMENT "SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1" TIMEOUT 300)
