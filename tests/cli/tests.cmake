# Command-line behaviour (docs/report.md, docs/config.md): the run and compare tables against
# their report.json files, -q, network --set, zip repeats, dataflow defaults, foreign sections,
# iso --dry-run, clock and DRAM in physical units, install. About 20 s on 2 cores.
add_test(NAME cli_compare_table
  COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/cli/compare_table_test.py $<TARGET_FILE:sparsesim> ${CMAKE_SOURCE_DIR} ${CMAKE_BINARY_DIR}/cli-compare)
set_tests_properties(cli_compare_table PROPERTIES ENVIRONMENT "SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1")
add_test(NAME cli_reach
  COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/cli/reach_test.py $<TARGET_FILE:sparsesim> ${CMAKE_SOURCE_DIR} ${CMAKE_BINARY_DIR}/cli-reach)
set_tests_properties(cli_reach PROPERTIES ENVIRONMENT "SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1")
add_test(NAME cli_clock
  COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/cli/clock_test.py $<TARGET_FILE:sparsesim> ${CMAKE_SOURCE_DIR} ${CMAKE_BINARY_DIR}/cli-clock)
set_tests_properties(cli_clock PROPERTIES ENVIRONMENT "SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1")
# cmake --install into a temporary prefix; about 2 s.
add_test(NAME cli_install
  COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/cli/install_test.sh ${CMAKE_BINARY_DIR} ${CMAKE_BINARY_DIR}/cli-install)
set_tests_properties(cli_install PROPERTIES ENVIRONMENT "SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1")
# SCALE-Sim compat mode names the padding it drops, on stderr and in report.json compat_notes,
# with both output shapes from their closed forms. Cost: under 2 s.
add_test(NAME cli_compat_padding_note
  COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/cli/compat_note_test.py $<TARGET_FILE:sparsesim> ${CMAKE_SOURCE_DIR} ${CMAKE_BINARY_DIR}/cli-compat-note)
set_tests_properties(cli_compat_padding_note PROPERTIES ENVIRONMENT "SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1")
