// fuzz_lockstep_replay.cpp: libFuzzer target for the parser of `gicsim_lockstep --replay FILE` (rtl_bridge/bridge/
// replay.cpp), the recorded platform stimulus of `gicsim bench --record-gic`. The input is the file. A file the
// parser accepts is then driven into the C kernels cycle by cycle, as the lock-step's C side does (the RTL side
// needs a Verilated build and is left out here), with the end of the run bounded by max_end as --max-cycles bounds
// it. The parser must refuse with "FILE:LINE: reason" or accept; nothing may crash, hang or trip a sanitizer.
// docs/fuzzing.md explains how to run and minimise.
#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <string>

#include "gicsim/gic.h"
#include "stimulus.h"

extern "C" {
#include "fuzz_input.h"
}

namespace {
constexpr uint64_t kMaxEnd = 20000; // the harness's --max-cycles

void drive(const rtlb::StimConfig &cfg, rtlb::Stimulus &s)
{
    struct gic_config gc;
    gic_config_default(&gc, GIC_V3);
    gc.num_cpus = cfg.cpus;
    gc.num_spis = cfg.spis;
    gc.num_lrs = cfg.lrs;
    gc.one_of_n = cfg.one_of_n;
    gc.lpis = gc.its = false; // as the RTL
    gic_t *g = nullptr;
    if (gic_create(&gc, &g) != GIC_OK) return; // a configuration the kernels refuse (the parser's ranges are wider)
    rtlb::CycleStim cs;
    for (uint64_t cycle = 0; s.next(cycle, cs); cycle++) {
        CHECK(cycle <= kMaxEnd, "the replay ran past its end bound (cycle %llu)", (unsigned long long)cycle);
        for (const rtlb::PinChange &p : cs.pins)
            (void)(p.ppi ? gic_set_ppi(g, p.cpu, p.intid, p.level) : gic_set_spi(g, p.intid, p.level));
        if (cs.has_access) {
            struct gic_access a = rtlb::to_gic_access(cs.access);
            (void)gic_submit(g, &a, nullptr);
        }
        CHECK(gic_step(g, 1) == GIC_OK, "gic_step");
    }
    gic_destroy(g);
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 1 << 18) return 0;
    char pbuf[64];
    int fd = fz_memfd("fuzz_lockstep_replay", data, size, pbuf, sizeof pbuf);
    const std::string path = pbuf;
    rtlb::StimConfig cfg;
    std::string why;
    if (rtlb::replay_config(path, cfg, kMaxEnd, &why)) {
        std::unique_ptr<rtlb::Stimulus> s = rtlb::make_replay(path, cfg, kMaxEnd, &why);
        CHECK(s != nullptr, "replay_config accepted what make_replay refused: %s", why.c_str());
        drive(cfg, *s);
    } else {
        CHECK(why.rfind(path + ":", 0) == 0, "a refusal without FILE:LINE: '%s'", why.c_str());
        CHECK(why.find('\n') == std::string::npos, "a refusal of more than one line");
    }
    close(fd);
    return 0;
}

extern "C" {
FUZZ_KEEP_STDERR_AT_INIT
}
