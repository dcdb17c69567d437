#include "models/common/OutputBuffer.h"

namespace sparsesim {

OutputBuffer::OutputBuffer(sc_core::sc_module_name name)
    : sc_module(name), from_array("from_array"), dram("dram"), layer_done("layer_done", 1) {
  SC_HAS_PROCESS(OutputBuffer);
  SC_THREAD(drain);
}

void OutputBuffer::drain() {
  for (;;) {
    WritebackTask t = from_array->read();
    t.stats->sram_write_bytes += t.bytes;  // results land in the output buffer, then go to DRAM
    t.stats->sram_read_bytes += t.bytes;
    dram->transfer(t.bytes, DramPortIf::Dir::Write, *t.stats);
    if (t.last_of_layer) layer_done.write(1);
  }
}

}  // namespace sparsesim
