// platform_rtl.cpp: the Verilated RTL reference as a platform's model (gicsim replay/run/qtest
// --model rtl), through the gicsim::Engine interface the TLM module uses (docs/tlm.md, docs/rtl.md).
#include <cstdio>
#include <memory>
#include <string>

extern "C" {
#include "platform.h"
}
#ifdef GICSIM_HAVE_RTL
#include "gicsim/engine.h"
#include "rtl_engine.h"

namespace {
gicsim::Engine *E(void *ctx) { return static_cast<gicsim::Engine *>(ctx); }
int e_access(void *c, const struct gic_access *a, struct gic_response *r) { return E(c)->access(*a, *r); }
int e_set_spi(void *c, uint32_t intid, bool level) { return E(c)->set_spi(intid, level); }
int e_set_ppi(void *c, unsigned cpu, uint32_t intid, bool level) { return E(c)->set_ppi(cpu, intid, level); }
uint32_t e_outputs(void *c, unsigned cpu) { return E(c)->outputs(cpu); }
gic_cycle_t e_now(void *c) { return E(c)->now(); }
gic_cycle_t e_next_event(void *c) { return E(c)->next_event(); }
int e_run_until(void *c, gic_cycle_t t) { return E(c)->run_until(t); }
void e_set_trace(void *c, gic_trace_fn fn, void *ctx) { E(c)->set_trace(fn, ctx, true); }
void e_destroy(void *c) { delete E(c); }
} // namespace

extern "C" int platform_use_rtl(struct platform *p, char *why, size_t n)
{
    std::string reason;
    std::unique_ptr<gicsim::Engine> e = gicsim::make_rtl_engine(*gic_get_config(p->gic), &reason);
    if (!e) {
        std::snprintf(why, n, "--model rtl: %s", reason.c_str());
        return -1;
    }
    if (p->m.destroy) p->m.destroy(p->m.ctx);
    gicsim::Engine *raw = e.release();
    p->m = platform_model{ raw,          e_access,    e_set_spi,   e_set_ppi, e_outputs,  e_now,
                           e_next_event, e_run_until, e_set_trace, e_destroy, raw->name() };
    return 0;
}
#else
extern "C" int platform_use_rtl(struct platform *, char *why, size_t n)
{
    std::snprintf(why, n, "--model rtl: this gicsim was built without Verilator (no RTL reference)");
    return -1;
}
#endif
