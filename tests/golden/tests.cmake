# Golden reports (tests/golden/check_golden.py): the README's headline runs against checked-in
# report.json / resolved-config.json. ~1 s.
add_test(NAME golden_reports
  COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/golden/check_golden.py $<TARGET_FILE:sparsesim> ${CMAKE_SOURCE_DIR} ${CMAKE_BINARY_DIR}/golden-out)
