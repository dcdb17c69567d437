#include "sim/workload/CsSelectorGroups.h"

#include <sstream>

#include "sim/core/ConfigError.h"

namespace sparsesim {

namespace {
std::string formatDensity(double d) {
  std::ostringstream os;
  os << d;
  return os.str();
}
// The layer whose kwta post-op selected layer l's input, through views (a flatten keeps the
// values and their order); nullptr when the input is no k-WTA selection.
const LayerConfig* selectingProducer(const NetworkConfig& n, const LayerConfig& l, size_t& at) {
  if (l.inputs.size() != 1) return nullptr;
  for (size_t j = 0; j < n.layers.size(); ++j) {
    const LayerConfig& p = n.layers[j];
    if (p.name != l.inputs[0]) continue;
    if (p.kwta.active()) {
      at = j;
      return &p;
    }
    return p.type == LayerType::Flatten ? selectingProducer(n, p, at) : nullptr;
  }
  return nullptr;  // the network input
}
}  // namespace

void checkCsSelectorGroups(const ArchConfig& a, const NetworkConfig& n, size_t i) {
  const int64_t N = a.cs.selector.group_size;
  if (a.datapath != DatapathKind::Cs || !n.chain || N == 0) return;
  if (a.cs.mode != CsMode::SparseSparse && a.cs.mode != CsMode::Auto) return;  // no selector runs
  const LayerConfig& l = n.layers[i];
  if (!isComputeLayer(l.type)) return;
  size_t j = 0;
  const LayerConfig* p = selectingProducer(n, l, j);
  if (!p) {
    // The layer's own activation_density: one k-WTA over each image of its input (the workload's
    // and the reference's), which only a selector group of the whole image reproduces.
    const int64_t image = int64_t(l.in_channels) * l.in_h * l.in_w;
    if (l.activation_density >= 1.0 || N >= image) return;
    throw ConfigError(a.source_file, "cs.selector.group_size",
                      std::to_string(N) + " elements per selector group cannot reproduce layer \"" + l.name + "\"'s own k-WTA (" +
                          n.source_file + ": layers[" + std::to_string(i) + "].activation_density " + formatDensity(l.activation_density) +
                          ", one k-WTA over the " + std::to_string(image) + " elements of each image of its input): a group of " +
                          std::to_string(N) + " keeps a fixed share of its elements wherever the winners fall; give at least " +
                          std::to_string(image) + ", or 0, or select with a grouped kwta post-op on the producer");
  }
  const int64_t image = int64_t(p->out_c) * p->out_h * p->out_w;
  const int64_t E = image / p->kwta.groups;
  if (N % E == 0 || N >= image) return;
  throw ConfigError(a.source_file, "cs.selector.group_size",
                    std::to_string(N) + " elements per selector group cannot reproduce the k-WTA that selects layer \"" + l.name +
                        "\"'s input (" + n.source_file + ": layers[" + std::to_string(j) + "].kwta, " + std::to_string(p->kwta.groups) +
                        " group(s) of " + std::to_string(E) + " elements per image): a selector group must hold whole k-WTA groups; give " +
                        "a multiple of " + std::to_string(E) + ", or 0");
}

}  // namespace sparsesim
