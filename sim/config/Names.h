#pragma once
// The rule for names that become file names, folder names, Slurm job names and identifiers:
// architecture, network, layer and sweep names. A config file may come from someone else; a
// name holding a newline, a quote or a slash could otherwise break out of the sbatch script,
// the output tree or a report, so names are checked where they are read (docs/errors.md,
// "Security"). Free text (`description`) is not a name and may hold anything.
#include <cstddef>
#include <string>

namespace sparsesim {

// Letters, digits, '.', '_' and '-'; not starting with '.' or '-' (no hidden files, nothing
// that reads as a command-line option); at most kMaxNameLength bytes.
constexpr std::size_t kMaxNameLength = 64;
extern const char* const kNameRule;

// Empty when `name` follows the rule, else the reason, naming the first offending character
// shown escaped (e.g. '\n', '\x27') and its position.
std::string nameProblem(const std::string& name);

// A byte shown so that it can be printed on one line: printable ASCII as is, else \n, \t,
// \r or \xNN.
std::string escapedChar(unsigned char c);

}  // namespace sparsesim
