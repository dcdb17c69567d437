# FPGA energy by activity, static power basis, resources following port widths (docs/resources.md):
# GSC on seven designs (about 2 s).
add_test(NAME energy_by_activity
  COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/check_activity.py $<TARGET_FILE:sparsesim> ${CMAKE_SOURCE_DIR} ${CMAKE_BINARY_DIR}/energy-activity)
set_tests_properties(energy_by_activity PROPERTIES ENVIRONMENT "SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1")
