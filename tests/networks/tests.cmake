# Chained networks (docs/networks.md): the whole forward pass of configs/networks/gsc-chained.json
# on all four datapaths and of a generated graph (pads, dilation, pooling, add, concat, post-ops,
# float32 weights, --input) against numpy over --dump-tensors. Cost: about 5 s.
add_test(NAME chained_forward_numpy
  COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/networks/forward_ref.py $<TARGET_FILE:sparsesim> ${CMAKE_SOURCE_DIR} ${CMAKE_BINARY_DIR}/chained-forward)
set_tests_properties(chained_forward_numpy PROPERTIES ENVIRONMENT "SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1")
