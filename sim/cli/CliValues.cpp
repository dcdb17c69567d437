#include "sim/cli/CliValues.h"

#include <cerrno>
#include <cstdlib>

#include "sim/core/ConfigError.h"

namespace sparsesim {

namespace po = boost::program_options;

uint64_t parseSeed(const std::string& text, const std::string& option) {
  if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos)
    throw ConfigError("", option, "expected a non-negative integer, got \"" + text + "\"");
  errno = 0;
  unsigned long long v = std::strtoull(text.c_str(), nullptr, 10);
  if (errno == ERANGE) throw ConfigError("", option, "\"" + text + "\" is larger than 2^64 - 1");
  return v;
}

std::vector<std::string> parseNameList(const std::string& text, const std::string& option) {
  std::vector<std::string> out;
  size_t start = 0;
  for (;;) {
    size_t comma = text.find(',', start);
    std::string item = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (item.empty())
      throw ConfigError("", option, text.find_first_not_of(',') == std::string::npos ? "empty list \"" + text + "\""
                                                                                     : "empty item in the list \"" + text + "\"");
    out.push_back(item);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

void requireNotEmpty(const po::variables_map& vm, const std::string& option, const std::string& value) {
  if (vm.count(option) && value.empty()) throw ConfigError("", "--" + option, "must not be empty");
}

void parseStrict(const std::vector<std::string>& args, const po::options_description& desc, po::variables_map& vm,
                 const po::positional_options_description* pos) {
  static const po::positional_options_description none;
  po::parsed_options parsed = [&] {
    try {
      return po::command_line_parser(args).options(desc).positional(pos ? *pos : none).run();
    } catch (const po::too_many_positional_options_error&) {
      // Find the first word the command does not take, to name it.
      size_t allowed = pos ? pos->max_total_count() : 0, seen = 0;
      for (size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (a.size() > 1 && a[0] == '-') {
          const bool isLong = a[1] == '-';
          const size_t eq = a.find('=');
          const po::option_description* d = desc.find_nothrow(isLong ? a.substr(2, eq - 2) : a.substr(1, 1), false);
          const bool inlineValue = isLong ? eq != std::string::npos : a.size() > 2;
          if (d && d->semantic()->max_tokens() > 0 && !inlineValue) ++i;  // the option's value
          continue;
        }
        if (++seen > allowed)
          throw ConfigError("", a, std::string("unexpected argument: ") +
                                       (allowed ? "the positional argument is already given" : "this command takes no positional argument"));
      }
      throw;
    }
  }();
  po::store(parsed, vm);
}

}  // namespace sparsesim
