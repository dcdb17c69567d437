# docs/config.md's parameter tables are generated from the descriptor tables (sparsesim
# config-doc); these fail when the checked-in tables are stale, and prove the check can fail.
# Cost: well under a second each.
add_test(NAME config_doc_current
  COMMAND $<TARGET_FILE:sparsesim> config-doc --check ${CMAKE_SOURCE_DIR}/docs/config.md)
add_test(NAME config_doc_detects_stale
  COMMAND sh -c "sed 's/| `cs.sram.banks` | `16` |/| `cs.sram.banks` | `17` |/' \"$1\" > \"$2\" && ! cmp -s \"$1\" \"$2\" && ! \"$0\" config-doc --check \"$2\""
          $<TARGET_FILE:sparsesim> ${CMAKE_SOURCE_DIR}/docs/config.md ${CMAKE_BINARY_DIR}/config-doc-stale.md)
# The plain config structs and sim/core/Enums.h know no JSON: their include closure has no
# nlohmann header, so models/ never sees JSON through them. Cost: about a second.
add_test(NAME config_structs_json_free
  COMMAND sh -c "for h in sim/core/Enums.h sim/config/ArchConfig.h sim/config/NetworkConfig.h sim/config/CsConfig.h sim/config/SodConfig.h sim/config/SparsePeConfig.h sim/core/ConfigError.h; do if \"$0\" -std=c++17 -I. -M -x c++ \"$h\" | grep -q nlohmann; then echo \"$h includes nlohmann\"; exit 1; fi; done"
          ${CMAKE_CXX_COMPILER}
  WORKING_DIRECTORY ${CMAKE_SOURCE_DIR})
