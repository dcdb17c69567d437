#include "sim/cli/CommandLine.h"

#include <iostream>

#include "sim/cli/CliValues.h"

namespace sparsesim {

namespace po = boost::program_options;

std::optional<int> parseCommandLine(const std::string& command, const std::vector<std::string>& args,
                                    const po::options_description& desc, const po::positional_options_description& positional,
                                    po::variables_map& vm) {
  try {
    parseStrict(args, desc, vm, &positional);
    if (vm.count("help")) {
      std::cout << desc << "\n";
      return 0;
    }
    po::notify(vm);
  } catch (const po::error& e) {
    std::cerr << "error: command line: " << e.what() << "\n\nsparsesim " << command << ": " << desc << "\n";
    return 2;
  }
  return std::nullopt;
}

}  // namespace sparsesim
