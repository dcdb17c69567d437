# A network-level batch (docs/networks.md "Batch"): batch N equals N runs of batch 1 image by
# image on every datapath, weight reuse on a 96x96 OS array (cycles per image fall, weights read
# once per batch), malformed batch / --input. About 7 s on 2 cores.
add_test(NAME batch_network
  COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/batch/batch_test.py $<TARGET_FILE:sparsesim> ${CMAKE_SOURCE_DIR} ${CMAKE_BINARY_DIR}/batch-test)
set_tests_properties(batch_network PROPERTIES ENVIRONMENT "SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1" TIMEOUT 300)
