# Security (docs/errors.md, "Security"): generated Slurm scripts under hostile paths, and write
# confinement of every command (strace). About 7 s together on 2 cores.
add_test(NAME security_slurm_script
  COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/security/slurm_script_test.py $<TARGET_FILE:sparsesim> ${CMAKE_SOURCE_DIR} ${CMAKE_BINARY_DIR}/security-slurm)
add_test(NAME security_write_confinement
  COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/security/write_confinement_test.py $<TARGET_FILE:sparsesim> ${CMAKE_SOURCE_DIR} ${CMAKE_BINARY_DIR}/security-confinement)
set_tests_properties(security_slurm_script security_write_confinement PROPERTIES TIMEOUT 300)
