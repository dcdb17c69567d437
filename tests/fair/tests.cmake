# Fair comparisons (docs/memory.md): the weight-residency rule on GSC (about 2 s) and the symmetry
# test on dense work, GSC (about 5 s) and ResNet-50 at 1/8 spatial size (about 3 min, label slow).
add_test(NAME fair_weight_residency
  COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/check_residency.py $<TARGET_FILE:sparsesim> ${CMAKE_SOURCE_DIR} ${CMAKE_BINARY_DIR}/fair-residency)
add_test(NAME fair_symmetry_gsc
  COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/symmetry.py $<TARGET_FILE:sparsesim> ${CMAKE_SOURCE_DIR} ${CMAKE_BINARY_DIR}/fair-symmetry-gsc --network gsc)
add_test(NAME fair_symmetry_ResNet50
  COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/symmetry.py $<TARGET_FILE:sparsesim> ${CMAKE_SOURCE_DIR} ${CMAKE_BINARY_DIR}/fair-symmetry-resnet50 --network resnet50)
set_tests_properties(fair_weight_residency fair_symmetry_gsc fair_symmetry_ResNet50 PROPERTIES ENVIRONMENT "SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1")
set_tests_properties(fair_symmetry_ResNet50 PROPERTIES LABELS slow TIMEOUT 900)
# On-chip memory in the iso budget, charged as built: GSC points on 80% of a U250 (4096 KiB), a
# BRAM36-capped and a URAM-less budget, an ASIC area budget, a budget too small (about 5 s).
add_test(NAME fair_iso_memory
  COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/check_iso_memory.py $<TARGET_FILE:sparsesim> ${CMAKE_SOURCE_DIR} ${CMAKE_BINARY_DIR}/fair-iso-memory)
set_tests_properties(fair_iso_memory PROPERTIES ENVIRONMENT "SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1")
# CS preload: a resident layer whose slice exceeds the streaming reserve runs (about 2 s).
add_test(NAME fair_cs_resident_slice
  COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/check_cs_resident_slice.py $<TARGET_FILE:sparsesim> ${CMAKE_SOURCE_DIR} ${CMAKE_BINARY_DIR}/fair-cs-resident-slice)
set_tests_properties(fair_cs_resident_slice PROPERTIES ENVIRONMENT "SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1")
