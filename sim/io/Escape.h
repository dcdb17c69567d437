#pragma once
// One escaping rule per output format, so that no string from a config file or a result can
// change the meaning of what sparsesim writes (docs/errors.md, "Security"). JSON needs none
// here: nlohmann::json escapes every string it dumps.
#include <nlohmann/json.hpp>

#include <string>

namespace sparsesim {

// True when `s` holds a byte below 0x20 or 0x7f (newline, tab, escape, ...).
bool hasControlChar(const std::string& s);

// Shell (bash, POSIX sh): `s` as one single-quoted word; an embedded ' becomes '\''. Nothing
// inside single quotes is expanded. Callers refuse control characters first (hasControlChar),
// so a generated script has no raw newline from a value.
std::string shellQuote(const std::string& s);

// A value of an `#SBATCH` directive line, as sbatch's own parser reads it: double-quoted, with
// '\' and '"' escaped by a backslash ('#' and spaces are literal inside the quotes).
std::string sbatchDirectiveQuote(const std::string& s);

// HTML text and attribute values: & < > " ' as character references.
std::string htmlEscape(const std::string& s);

// One CSV cell (RFC 4180): empty for null; numbers as JSON writes them (integers without a
// decimal point); text quoted when it holds , " CR or LF, and prefixed with ' when it starts
// with = + - or @ so spreadsheets show it instead of evaluating it as a formula.
std::string csvCell(const nlohmann::ordered_json& v);

// A VCD scope or variable name: letters, digits and '_' (anything else becomes '_'), not
// starting with a digit; never empty.
std::string vcdName(const std::string& s);

}  // namespace sparsesim
