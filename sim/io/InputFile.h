#pragma once
// Every file sparsesim reads as input goes through here first. Only a regular file of a bounded
// size is read: a named pipe would block forever, a device such as /dev/zero would be read until
// memory runs out, and a directory has no content. The bounds are documented in docs/errors.md.
#include <cstdint>
#include <optional>
#include <string>

namespace sparsesim {

// Largest JSON file read (configs, sweep files, sweep records): 256 MiB. A sweep record of the
// largest allowed sweep (kMaxSweepPoints points) stays well below it.
constexpr uint64_t kMaxJsonFileBytes = 256ull << 20;
// Largest .npy weights file read: 1 GiB (an int8 layer of 2^30 weights, far above any network).
constexpr uint64_t kMaxNpyFileBytes = 1ull << 30;

// Throws ConfigError(file, "", reason) unless `file` is a regular file (after symlinks) of at most
// `maxBytes` bytes; returns its size. `what` names the kind of file in messages ("file", ".npy file").
uint64_t checkInputFile(const std::string& file, uint64_t maxBytes, const std::string& what = "file");
// checkInputFile, then the whole content (the size is checked again on the open descriptor, so a
// file swapped for a pipe between the check and the open is still refused).
std::string readInputFile(const std::string& file, uint64_t maxBytes, const std::string& what = "file");

// readInputFile for files sparsesim wrote itself (records, reports, trace headers): nullopt
// instead of an error when the file is absent or unreadable.
std::optional<std::string> tryReadInputFile(const std::string& file, uint64_t maxBytes);

}  // namespace sparsesim
