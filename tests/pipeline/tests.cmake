# Layer-pipelined execution (docs/pipelined.md): chained GSC on dense, cs and sod, every inference
# verified, interval against the bottleneck engine, DRAM per inference, a starved engine,
# malformed pipeline settings. About 3 s on 2 cores.
add_test(NAME pipeline_gsc
  COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/pipeline/pipeline_test.py $<TARGET_FILE:sparsesim> ${CMAKE_SOURCE_DIR} ${CMAKE_BINARY_DIR}/pipeline-test)
set_tests_properties(pipeline_gsc PROPERTIES ENVIRONMENT "SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1" TIMEOUT 300)
# Folding: balanced on a U250 budget (fits, engines within the documented factor, every
# inference verified), explicit, whole, ZU3EG (cs and sod fit, dense refused), an infeasible budget.
# About 17 s on 2 shared cores (cs balanced measures its candidate engines).
add_test(NAME pipeline_folding
  COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/pipeline/folding_test.py $<TARGET_FILE:sparsesim> ${CMAKE_SOURCE_DIR} ${CMAKE_BINARY_DIR}/pipeline-folding-test)
set_tests_properties(pipeline_folding PROPERTIES ENVIRONMENT "SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1" TIMEOUT 300)
# Per-row timing: each engine's row profile against closed forms (dense OS m-tile order, dense WS
# and cs at the last fold or pass). About 3 s on 2 cores.
add_test(NAME pipeline_rows
  COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/pipeline/rows_test.py $<TARGET_FILE:sparsesim> ${CMAKE_SOURCE_DIR} ${CMAKE_BINARY_DIR}/pipeline-rows-test)
set_tests_properties(pipeline_rows PROPERTIES ENVIRONMENT "SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1" TIMEOUT 300)
