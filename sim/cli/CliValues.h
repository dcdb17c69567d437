#pragma once
// Command-line values parsed strictly: what the option parser would silently reinterpret (a
// negative seed wrapped to 2^64 - k, an empty name list read as "all") is refused, exit 2.
#include <boost/program_options.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace sparsesim {

// A seed: decimal digits only, 0 .. 2^64 - 1.
uint64_t parseSeed(const std::string& text, const std::string& option);
// A comma-separated list of names: no empty list, no empty item ("a,,b", ",").
std::vector<std::string> parseNameList(const std::string& text, const std::string& option);
// Refuses an option that was given with an empty value (--out '').
void requireNotEmpty(const boost::program_options::variables_map& vm, const std::string& option, const std::string& value);
// Parses a command's arguments into `vm`. A word that is no option and no expected positional
// argument is a ConfigError naming it (boost would ignore a stray positional of a command that
// has none); boost's own errors (an unknown option, a missing value) stay po::error.
void parseStrict(const std::vector<std::string>& args, const boost::program_options::options_description& desc,
                 boost::program_options::variables_map& vm, const boost::program_options::positional_options_description* pos = nullptr);

}  // namespace sparsesim
