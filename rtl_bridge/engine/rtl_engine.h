// rtl_engine.h: the Verilated RTL reference (rtl_bridge/rtl) as a gicsim::Engine, so gicsim::Gic, a platform and
// `gicsim bench --model rtl` run on the RTL instead of the C kernels (docs/rtl.md, "The RTL behind the TLM interface").
#pragma once
#include <memory>
#include <string>

#include "gicsim/engine.h"

namespace gicsim {

// The RTL engine for `cfg`. Verilator fixes parameters at build time, so cfg must be a GICv3 whose CPUs, SPIs and
// list registers (and 1-of-N support) are those of a Verilated build (rtl_engine_configs()) and whose other fields
// are those the builds have: 8 priority bits, 5 virtual priority and preemption bits, maintenance PPI 25, IIDRs
// 0x43b and the default timing. Otherwise returns nullptr and says why in *why.
std::unique_ptr<Engine> make_rtl_engine(const struct gic_config &cfg, std::string *why = nullptr);

// The configurations the build has an RTL model for ("c1s256l4 (1 CPU, 256 SPIs, 4 LRs), ...").
std::string rtl_engine_configs();

} // namespace gicsim
