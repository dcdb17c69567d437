# Chained networks (docs/networks.md): the whole forward pass of configs/networks/gsc-chained.json
# on all four datapaths and of a generated graph (pads, dilation, pooling, add, concat, post-ops,
# float32 weights, --input; again with a model's own scales) against numpy over --dump-tensors.
# Cost: about 7 s.
add_test(NAME chained_forward_numpy
  COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/networks/forward_ref.py $<TARGET_FILE:sparsesim> ${CMAKE_SOURCE_DIR} ${CMAKE_BINARY_DIR}/chained-forward)
set_tests_properties(chained_forward_numpy PROPERTIES ENVIRONMENT "SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1")
# The CS selector's groups (cs.selector.group_size) against a producer's kwta in a chained
# network: whole k-WTA groups per selector group run verified (batch 1 and 2, through a pool and a
# flatten), any other group size is exit 2 before the run, and so is a group smaller than the input
# of a layer with its own activation_density. Cost: about 1 s (twenty small runs).
add_test(NAME chained_cs_selector_groups
  COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/networks/selector_groups.py $<TARGET_FILE:sparsesim> ${CMAKE_SOURCE_DIR} ${CMAKE_BINARY_DIR}/chained-selector-groups)
set_tests_properties(chained_cs_selector_groups PROPERTIES ENVIRONMENT "SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1")
# A resident CS weight table whose pass slice exceeds the SRAM words left free runs (the fill
# checks it against the whole SRAM, as the slice plan does). Cost: under 1 s (one small run).
add_test(NAME cs_resident_slice_larger_than_free
  COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/networks/cs_resident_slice.py $<TARGET_FILE:sparsesim> ${CMAKE_SOURCE_DIR} ${CMAKE_BINARY_DIR}/cs-resident-slice)
# The shipped ResNet-50 and MobileNetV2 chained graphs on dense, cs, sod and sparse_pe, every layer
# verified, their residual adds run, no all-zero layer input. Cost: about 40 s of CPU (ResNet-50 on sparse_pe most of it),
# 2 min wall on a busy 2-core machine.
add_test(NAME chained_shipped_graphs_every_datapath
  COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/networks/shipped_graphs.py $<TARGET_FILE:sparsesim> ${CMAKE_SOURCE_DIR} ${CMAKE_BINARY_DIR}/chained-shipped)
set_tests_properties(chained_shipped_graphs_every_datapath PROPERTIES LABELS slow TIMEOUT 900)
# A chained network's copies (resolved-config.json's network, a sweep point's config/network.json)
# load again as the same graph: same cycles, verified; a sweep over gsc-chained runs. Cost: about 3 s.
add_test(NAME chained_network_copies_reload
  COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/networks/chained_copies.py $<TARGET_FILE:sparsesim> ${CMAKE_SOURCE_DIR} ${CMAKE_BINARY_DIR}/chained-copies)
set_tests_properties(chained_network_copies_reload PROPERTIES ENVIRONMENT "SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1")
