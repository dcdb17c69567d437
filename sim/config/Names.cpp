#include "sim/config/Names.h"

#include <cstdio>

namespace sparsesim {

const char* const kNameRule =
    "names may hold letters, digits, '.', '_' and '-', must not start with '.' or '-', and are at most 64 characters";

namespace {
bool nameChar(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
}
}  // namespace

std::string escapedChar(unsigned char c) {
  switch (c) {
    case '\n': return "\\n";
    case '\r': return "\\r";
    case '\t': return "\\t";
    case '\\': return "\\\\";
    case '\'': return "\\'";
    default: break;
  }
  if (c >= 0x20 && c < 0x7f) return std::string(1, static_cast<char>(c));
  char buf[8];
  std::snprintf(buf, sizeof buf, "\\x%02x", c);
  return buf;
}

std::string nameProblem(const std::string& name) {
  if (name.empty()) return "must not be empty";
  for (size_t i = 0; i < name.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(name[i]);
    if (!nameChar(c))
      return "character '" + escapedChar(c) + "' at position " + std::to_string(i) + " is not allowed: " + kNameRule;
  }
  if (name[0] == '.' || name[0] == '-')
    return std::string("must not start with '") + name[0] + "': " + kNameRule;
  if (name.size() > kMaxNameLength)
    return std::to_string(name.size()) + " characters is too long: " + kNameRule;
  return "";
}

}  // namespace sparsesim
