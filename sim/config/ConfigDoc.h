#pragma once
// The parameter tables of docs/config.md, generated from the descriptor tables (ConfigJson.h).
// Each table sits between the markers
//   <!-- BEGIN GENERATED <name>: sparsesim config-doc --update docs/config.md -->
//   <!-- END GENERATED <name> -->
// and everything outside the markers (the prose) is kept as written.
#include <string>
#include <utility>
#include <vector>

namespace sparsesim {

// {name, markdown table} for every section, in docs order.
std::vector<std::pair<std::string, std::string>> configDocTables();
// `doc` with every generated region replaced by the current table. A region missing from doc,
// or a marker without its partner, is a std::runtime_error naming it.
std::string updateConfigDoc(const std::string& doc);

}  // namespace sparsesim
