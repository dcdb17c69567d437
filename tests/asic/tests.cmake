# ASIC area (docs/asic-area.md). The model-vs-synthesis table, the Horowitz cross-check and the
# datapath estimates run from the recorded file as the gtest AsicArea.* (under a second). These
# entries: the pruned networks' densities against the published totals (under a second), the
# pruned networks on the dense datapath (a few layers each, a few seconds), and a live
# re-synthesis of the small blocks (8-bit multiplier, 32-bit adder, one MAC PE: about 5 s),
# registered only where yosys is installed.
add_test(NAME asic_pruned_networks
  COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/check_pruned_networks.py)
set(SPARSESIM_ASIC_LAYERS_alexnet-pruned "features.3,classifier.6")
set(SPARSESIM_ASIC_LAYERS_vgg16-pruned "features.28,classifier.6")
set(SPARSESIM_ASIC_LAYERS_bert-base-pruned "encoder.layer.0.attention.self.query,encoder.layer.0.attention.scores")
foreach(net alexnet-pruned vgg16-pruned bert-base-pruned)
  add_test(NAME asic_network_runs_${net}
    COMMAND $<TARGET_FILE:sparsesim> run --arch ${CMAKE_SOURCE_DIR}/configs/arch/dense-16x16.json
            --network ${CMAKE_SOURCE_DIR}/configs/networks/${net}.json --layers ${SPARSESIM_ASIC_LAYERS_${net}} -q
            --out ${CMAKE_BINARY_DIR}/asic-networks/${net})
  set_tests_properties(asic_network_runs_${net} PROPERTIES ENVIRONMENT "SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1" TIMEOUT 120)
endforeach()
find_program(SPARSESIM_YOSYS_ASIC yosys)
if(SPARSESIM_YOSYS_ASIC)
  add_test(NAME asic_calibration_regenerates
    COMMAND /usr/bin/python3 ${CMAKE_SOURCE_DIR}/tools/calibrate-asic --check --only mult_int8,add_int32,mac_pe --jobs 1)
  set_tests_properties(asic_calibration_regenerates PROPERTIES TIMEOUT 120)
endif()
# An iso-area sweep whose area fits the dense datapath but not the sparse-PE one: exit 2 naming
# sparse_pe, nothing written (under a second).
add_test(NAME asic_iso_area_too_small
  COMMAND ${CMAKE_CURRENT_LIST_DIR}/iso_too_small.sh $<TARGET_FILE:sparsesim> ${CMAKE_CURRENT_LIST_DIR}/iso-area-too-small.json
          ${CMAKE_BINARY_DIR}/asic-iso-too-small)
set_tests_properties(asic_iso_area_too_small PROPERTIES ENVIRONMENT "SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1")
# The ASIC study's four base designs in a real iso-area sweep at 4 mm^2 (GSC, four points): all
# run and verify, and every sized design is within the area (a few seconds).
add_test(NAME asic_iso_area_four_datapaths
  COMMAND ${CMAKE_CURRENT_LIST_DIR}/iso_area_four_datapaths.sh $<TARGET_FILE:sparsesim> ${CMAKE_CURRENT_LIST_DIR}/iso-area-four-datapaths.json
          ${CMAKE_BINARY_DIR}/asic-iso-four)
set_tests_properties(asic_iso_area_four_datapaths PROPERTIES ENVIRONMENT "SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1" TIMEOUT 120)
# tools/plot_asic_iso.py on two tiny real iso-area sweeps (16 points on GSC, a few seconds).
add_test(NAME asic_plot_iso
  COMMAND ${CMAKE_CURRENT_LIST_DIR}/plot_asic_iso_test.sh $<TARGET_FILE:sparsesim> ${CMAKE_SOURCE_DIR} ${CMAKE_BINARY_DIR}/asic-plot-iso)
set_tests_properties(asic_plot_iso PROPERTIES ENVIRONMENT "SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1" TIMEOUT 120)
