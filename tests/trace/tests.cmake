# Golden traces replayed by an independent numpy oracle (tests/trace/trace_oracle.py).
add_test(NAME trace_oracle
  COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/trace/trace_oracle.py $<TARGET_FILE:sparsesim> ${CMAKE_SOURCE_DIR} ${CMAKE_BINARY_DIR}/trace-oracle)
set_tests_properties(trace_oracle PROPERTIES ENVIRONMENT "SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1")
