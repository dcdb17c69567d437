#pragma once
// The memory side the PE-array datapaths (dense, sod, sparse_pe) share: the DRAM port, the
// global buffer that fills the array's input FIFO, and the output buffer that drains the array's
// write-backs to DRAM, with the bounded FIFOs between them (depth memory.prefetch_depth).
// The datapath puts its array (and anything before it, like SoD's decompressors) between
// `to_array` and `from_array`.
#include <systemc>

#include "models/common/DramController.h"
#include "models/common/GlobalBuffer.h"
#include "models/common/OutputBuffer.h"
#include "models/common/SystolicArray.h"
#include "sim/config/ArchConfig.h"

namespace sparsesim {

struct ArrayMemory {
  explicit ArrayMemory(const ArchConfig& arch)
      : to_array("fold_fifo", arch.memory.prefetch_depth),
        from_array("writeback_fifo", arch.memory.prefetch_depth),
        dram("dram", dramBandwidthOf(arch)),
        buffer("global_buffer"),
        output("output_buffer") {
    buffer.dram(dram.port);
    buffer.to_array(to_array);
    output.from_array(from_array);
    output.dram(dram.port);
  }
  sc_core::sc_fifo<FoldTask> to_array;
  sc_core::sc_fifo<WritebackTask> from_array;
  DramController dram;
  GlobalBuffer buffer;
  OutputBuffer output;
};

}  // namespace sparsesim
