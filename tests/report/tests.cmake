# `sparsesim report` in headless Chromium, layers.csv and results.csv columns against report.json
# (docs/report.md). About 30 s on 2 cores (a run, a compare, a 4-point sweep, five page loads).
add_test(NAME report_html
  COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/report/html_report_test.py $<TARGET_FILE:sparsesim> ${CMAKE_SOURCE_DIR} ${CMAKE_BINARY_DIR}/report-html)
set_tests_properties(report_html PROPERTIES TIMEOUT 300)
