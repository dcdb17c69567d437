# Sweep feature tests (issue 6). Append only: H-sweep and H-iso each add their own entries.
# H-iso: plots of a real iso-resource sweep (tools/plot_sweep.py).
add_test(NAME sweep_plots
  COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/sweep/plot_sweep_test.sh $<TARGET_FILE:sparsesim> ${CMAKE_SOURCE_DIR} ${CMAKE_BINARY_DIR}/sweep-plot-test)
set_tests_properties(sweep_plots PROPERTIES TIMEOUT 120)
# --- H-sweep: engine, resume after SIGINT, Slurm job array (docs/sweeps.md)
add_test(NAME sweep_run
  COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/sweep/run_test.sh $<TARGET_FILE:sparsesim> ${CMAKE_SOURCE_DIR} ${CMAKE_BINARY_DIR}/sweep-run)
add_test(NAME sweep_interrupt_resume
  COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/sweep/interrupt_test.sh $<TARGET_FILE:sparsesim> ${CMAKE_SOURCE_DIR} ${CMAKE_BINARY_DIR}/sweep-interrupt)
# Starts munged, slurmctld and slurmd itself (root, Debian packages slurm-wlm and munge).
add_test(NAME sweep_slurm
  COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/sweep/slurm_test.sh $<TARGET_FILE:sparsesim> ${CMAKE_SOURCE_DIR} ${CMAKE_BINARY_DIR}/sweep-slurm)
set_tests_properties(sweep_run sweep_interrupt_resume sweep_slurm PROPERTIES ENVIRONMENT "SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1")
set_tests_properties(sweep_slurm PROPERTIES TIMEOUT 180 RUN_SERIAL TRUE)
# Reuse between points: every point byte-identical to its run alone and to --no-reuse (about 8 s).
add_test(NAME sweep_reuse
  COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/sweep/reuse_test.sh $<TARGET_FILE:sparsesim> ${CMAKE_SOURCE_DIR} ${CMAKE_BINARY_DIR}/sweep-reuse)
set_tests_properties(sweep_reuse PROPERTIES ENVIRONMENT "SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1" TIMEOUT 240)
