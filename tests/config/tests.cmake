# docs/config.md's parameter tables are generated from the descriptor tables (sparsesim
# config-doc); these fail when the checked-in tables are stale, and prove the check can fail.
# Cost: well under a second each.
add_test(NAME config_doc_current
  COMMAND $<TARGET_FILE:sparsesim> config-doc --check ${CMAKE_SOURCE_DIR}/docs/config.md)
add_test(NAME config_doc_detects_stale
  COMMAND sh -c "sed 's/| `cs.sram.banks` | `16` |/| `cs.sram.banks` | `17` |/' \"$1\" > \"$2\" && ! cmp -s \"$1\" \"$2\" && ! \"$0\" config-doc --check \"$2\""
          $<TARGET_FILE:sparsesim> ${CMAKE_SOURCE_DIR}/docs/config.md ${CMAKE_BINARY_DIR}/config-doc-stale.md)
