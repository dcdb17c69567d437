# Folder rules on #include (tests/arch/check_includes.py, docs/architecture.md). Python only: include_rules 0.3 s, include_rules_selftest about 2 s wall (0.3 s CPU; it writes 20 small trees).
# include_rules checks the source tree; include_rules_selftest runs the checker on fake trees with
# one violation of each rule (and one clean tree), so the check cannot pass by missing them.
add_test(NAME include_rules
  COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/arch/check_includes.py --root ${CMAKE_SOURCE_DIR})
add_test(NAME include_rules_selftest
  COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/arch/check_includes.py --selftest)
# Resolve-once: a run opens each input file once (strace; tests/arch/read_once_test.py). About 1 s.
add_test(NAME read_once
  COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/arch/read_once_test.py $<TARGET_FILE:sparsesim> ${CMAKE_SOURCE_DIR} ${CMAKE_BINARY_DIR}/arch-read-once)
set_tests_properties(read_once PROPERTIES TIMEOUT 120)
