#pragma once
#include <boost/program_options.hpp>

#include <optional>
#include <string>
#include <vector>

namespace sparsesim {

// Parses a command's options into vm. Returns an exit code when the command is done: 0 after
// printing the help (--help), 2 after printing the parser's complaint and the usage; nullopt
// when the command should run.
std::optional<int> parseCommandLine(const std::string& command, const std::vector<std::string>& args,
                                    const boost::program_options::options_description& desc,
                                    const boost::program_options::positional_options_description& positional,
                                    boost::program_options::variables_map& vm);

}  // namespace sparsesim
