#include "sim/workload/plans/PipelinePlan.h"

#include <algorithm>
#include <map>

#include "sim/config/ChainedNetwork.h"
#include "sim/core/ConfigError.h"
#include "sim/workload/LayerGeometry.h"

namespace sparsesim {

namespace {

std::string at(size_t i) { return "layers[" + std::to_string(i) + "]"; }

int64_t padTop(const LayerConfig& l) { return l.has_pads ? l.pad_top : l.padding; }

}  // namespace

NetworkConfig chainLayerList(const NetworkConfig& n, const ArchConfig& a) {
  if (n.chain) return n;
  NetworkConfig out = n;
  out.chain = true;
  for (size_t i = 0; i < n.layers.size(); ++i) {
    LayerConfig& l = out.layers[i];
    const LayerGeometry c = computeGeometry(n.layers[i], a.compat);
    l.out_c = int(c.out_c);
    l.out_h = int(c.out_h);
    l.out_w = int(c.out_w);
    if (i == 0) {
      out.input = NetworkInput{int(c.in_c), int(c.in_h), int(c.in_w)};
      l.inputs = {kNetworkInputName};
      continue;
    }
    l.inputs = {n.layers[i - 1].name};
    const LayerGeometry p = computeGeometry(n.layers[i - 1], a.compat);
    // A linear layer reads its producer's whole output as one vector (a flatten).
    const bool linear = n.layers[i].type == LayerType::Linear;
    const bool chains = linear ? int64_t(p.out_c) * p.out_h * p.out_w == int64_t(c.in_c) && c.in_h == 1 && c.in_w == 1
                               : (p.out_c == c.in_c && p.out_h == c.in_h && p.out_w == c.in_w);
    if (!chains)
      throw ConfigError(n.source_file, at(i),
                        "execution layer_pipelined streams each layer's output into the next; layer \"" + n.layers[i - 1].name +
                            "\" outputs " + std::to_string(p.out_c) + "x" + std::to_string(p.out_h) + "x" + std::to_string(p.out_w) +
                            " but layer \"" + n.layers[i].name + "\" reads " + std::to_string(c.in_c) + "x" + std::to_string(c.in_h) +
                            "x" + std::to_string(c.in_w));
  }
  // The chained defaults: a layer that feeds another requantizes its output to int8.
  finishChain(out);
  return out;
}

namespace {

// Rows of an (Hin-row) input a sliding window over `outRows` rows needs and frees.
void windowRows(uint64_t outRows, int64_t inRows, int64_t kernel, int64_t stride, int64_t pad, int64_t dilation,
                std::vector<uint64_t>& needs, std::vector<uint64_t>& frees) {
  for (uint64_t r = 0; r < outRows; ++r) {
    const int64_t last = std::min<int64_t>(int64_t(r) * stride - pad + (kernel - 1) * dilation, inRows - 1);
    needs.push_back(uint64_t(std::max<int64_t>(last + 1, 1)));
    const int64_t nextFirst = r + 1 == outRows ? inRows : std::max<int64_t>(int64_t(r + 1) * stride - pad, 0);
    frees.push_back(uint64_t(std::min(nextFirst, inRows)));
  }
}

}  // namespace

PipelinePlan planPipeline(const ArchConfig& a, const NetworkConfig& n) {
  if (!n.chain) return planPipeline(a, chainLayerList(n, a));
  std::map<std::string, int> readers;
  std::map<std::string, size_t> index;
  for (size_t i = 0; i < n.layers.size(); ++i) {
    index[n.layers[i].name] = i;
    for (const auto& p : n.layers[i].inputs) ++readers[p];
    if (n.layers[i].inputs.size() != 1)
      throw ConfigError(n.source_file, at(i) + ".inputs",
                        "execution layer_pipelined streams a chain of single-input layers; layer \"" + n.layers[i].name + "\" reads " +
                            std::to_string(n.layers[i].inputs.size()) + " tensors (add and concat are not pipelined)");
  }
  for (const auto& [name, count] : readers)
    if (count > 1)
      throw ConfigError(n.source_file, name == kNetworkInputName ? "input" : at(index[name]),
                        "execution layer_pipelined streams a chain; \"" + name + "\" feeds " + std::to_string(count) + " layers");

  PipelinePlan plan;
  plan.input_rows = uint64_t(n.input.height);
  plan.input_row_bytes = uint64_t(n.input.channels) * uint64_t(n.input.width);
  uint64_t inRows = plan.input_rows, inRowElements = plan.input_row_bytes;
  size_t i = 0;
  while (i < n.layers.size()) {
    const LayerConfig& l = n.layers[i];
    if (!isComputeLayer(l.type))
      throw ConfigError(n.source_file, at(i), "execution layer_pipelined needs a compute layer first; host layer \"" + l.name +
                                                  "\" reads the network input");
    PipelineStagePlan s;
    s.layer = i;
    s.name = l.name;
    s.input_rows = inRows;
    s.input_row_elements = inRowElements;
    if (l.type == LayerType::Linear) {
      s.output_rows = 1;
      s.needs.push_back(inRows);
      s.frees.push_back(inRows);
      s.window_rows = inRows;
    } else {
      s.output_rows = uint64_t(l.out_h);
      windowRows(s.output_rows, int64_t(inRows), l.kernel_h, l.stride, padTop(l), l.dilation, s.needs, s.frees);
      s.window_rows = uint64_t(std::min<int64_t>(int64_t(l.kernel_h - 1) * l.dilation + 1, int64_t(inRows)));
    }
    s.fifo_rows = s.window_rows + uint64_t(a.pipeline.slack_rows);
    // The output path: the host layers up to the next compute layer, rows mapped through each.
    OutputPathPlan& o = s.out;
    uint64_t rows = s.output_rows, rowElements = uint64_t(l.out_c) * uint64_t(l.out_w);
    for (uint64_t r = 0; r < rows; ++r) {
      o.needs.push_back(r + 1);
      o.frees.push_back(r + 1);
    }
    if (l.kwta.active()) o.ops.push_back("kwta"), o.whole_inference = true;
    size_t j = i + 1;
    for (; j < n.layers.size() && !isComputeLayer(n.layers[j].type); ++j) {
      const LayerConfig& h = n.layers[j];
      o.ops.push_back(h.name);
      o.host_layers.push_back(j);
      std::vector<uint64_t> needs, frees;
      const bool pool = h.type == LayerType::MaxPool2d || h.type == LayerType::AvgPool2d;
      if (pool && !h.global_pool) {
        windowRows(uint64_t(h.out_h), int64_t(rows), h.kernel_h, h.stride, padTop(h), 1, needs, frees);
        for (auto& v : needs) v = o.needs[v - 1];
        for (auto& v : frees) v = v ? o.frees[v - 1] : 0;
        rows = uint64_t(h.out_h);
        rowElements = uint64_t(h.out_c) * uint64_t(h.out_w);
      } else {  // flatten, a global pool: one row from all rows
        needs.push_back(o.needs.back());
        frees.push_back(o.frees.back());
        rowElements = uint64_t(h.out_c) * uint64_t(h.out_h) * uint64_t(h.out_w);
        rows = 1;
        o.whole_inference = o.whole_inference || rows != s.output_rows;
      }
      o.needs = needs;
      o.frees = frees;
      if (h.kwta.active()) o.ops.push_back("kwta"), o.whole_inference = true;
    }
    if (o.whole_inference) std::fill(o.needs.begin(), o.needs.end(), s.output_rows);
    // Rows are freed no later than the last one leaves.
    o.frees.back() = s.output_rows;
    o.rows = rows;
    o.row_elements = rowElements;
    o.to_dram = j == n.layers.size();
    inRows = rows;
    inRowElements = rowElements;
    plan.stages.push_back(std::move(s));
    i = j;
  }
  return plan;
}

}  // namespace sparsesim
