// lockstep.h: run the C kernel and a Verilated RTL model on one stimulus stream and stop at the first divergence.
#pragma once
#include <cstdint>
#include <string>

#include "gicsim/gic.h"
#include "rtl_io.h"
#include "stimulus.h"

namespace rtlb {

struct RunOptions {
    uint64_t max_cycles = 100000;
    unsigned peeks_per_cycle = 8;               // debug reads compared per cycle (round robin over the state registers)
    std::string vcd_path;                       // empty: no waveform
    std::string c_vcd_path;                     // the C kernel's waveform (gicsim/gic_vcd.h); empty: none
    uint64_t vcd_from = 0, vcd_to = UINT64_MAX; // waveform window (cycles), of both waveforms
    bool verbose = false;
    bool require_quiet = false; // fail if qactive was never seen low before an idle cycle (the check was vacuous)
    uint64_t drain_cycles = 0;  // after the stream ends, up to this many idle cycles until an idle check has run
};

struct RunResult {
    bool diverged = false;
    uint64_t cycle = 0; // first divergent cycle
    uint64_t cycles_run = 0;
    uint64_t accesses = 0;
    uint64_t qactive_low = 0; // cycles after which the RTL's qactive was 0 (inputs idle)
    uint64_t quiet_checks = 0;
    uint64_t c_idle = 0;       // cycles after which the C kernel had no event left and the RTL's qactive_core was 0
                               // (the two must agree after every cycle: a difference either way is a divergence)
    uint64_t resets = 0;       // reset cycles (CycleStim::reset)
    uint64_t trace_events = 0; // C trace events compared with the RTL's trace port
    std::string c_vcd_error;   // the C kernel's waveform could not be written: why (exit status 2)
    std::string report;
    double c_seconds = 0, rtl_seconds = 0;
};

RunResult run_lockstep(RtlIo &rtl, Stimulus &stim, const RunOptions &opt);

// The C kernel configuration that matches a Verilated build (its CPUs, SPIs and LRs; QEMU virt's
// choices otherwise, default timing).
void c_config_for(const RtlIo &rtl, struct gic_config *cfg);

} // namespace rtlb
