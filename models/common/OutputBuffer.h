#pragma once
// The output partition of the global buffer and its drain process: finished output tiles (and
// spilled partial sums) wait here, prefetch_depth of them at most, until the DRAM port writes
// them back. When it is full the array stalls. It tells the datapath when a layer's last
// write-back has completed, which is when the layer ends.
#include <systemc>

#include "models/common/DramController.h"
#include "models/common/Tasks.h"

namespace sparsesim {

class OutputBuffer : public sc_core::sc_module {
 public:
  sc_core::sc_port<sc_core::sc_fifo_in_if<WritebackTask>> from_array;
  sc_core::sc_port<DramPortIf> dram;
  sc_core::sc_fifo<int> layer_done;

  explicit OutputBuffer(sc_core::sc_module_name name);

 private:
  void drain();
};

}  // namespace sparsesim
