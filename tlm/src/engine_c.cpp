// engine_c.cpp: gicsim::Engine over the C kernels of model/ (one gic_t).
#include "gicsim/engine.h"

namespace gicsim {
namespace {

class CEngine final : public Engine {
public:
    explicit CEngine(gic_t *g) : gic_(g), cfg_(*gic_get_config(g)) {}
    ~CEngine() override { gic_destroy(gic_); }
    const char *name() const override { return "c"; }
    const struct gic_config &config() const override { return cfg_; }
    gic_cycle_t now() const override { return gic_now(gic_); }
    gic_cycle_t next_event() const override { return gic_next_event(gic_); }
    int run_until(gic_cycle_t t) override { return gic_run_until(gic_, t); }
    int access(const struct gic_access &a, struct gic_response &r) override { return gic_access(gic_, &a, &r); }
    int set_spi(uint32_t intid, bool level) override { return gic_set_spi(gic_, intid, level); }
    int set_ppi(unsigned cpu, uint32_t intid, bool level) override { return gic_set_ppi(gic_, cpu, intid, level); }
    uint32_t outputs(unsigned cpu) const override { return gic_outputs(gic_, cpu); }
    int peek(enum gic_frame f, unsigned cpu, uint32_t offset, unsigned size, uint64_t *val) override
    {
        return gic_peek(gic_, f, cpu, offset, size, val);
    }
    void set_trace(gic_trace_fn fn, void *ctx, bool) override { gic_set_trace(gic_, fn, ctx); }
    uint32_t trace_kinds() const override { return (1u << GIC_TR_KIND_COUNT) - 1u; }
    gic_t *kernel() override { return gic_; }
    int set_memory(const struct gic_mem_ops *ops, void *ctx) override { return gic_set_memory(gic_, ops, ctx); }

private:
    gic_t *gic_;
    struct gic_config cfg_;
};

} // namespace

std::unique_ptr<Engine> make_c_engine(const struct gic_config &cfg, int *status)
{
    gic_t *g = nullptr;
    int rc = gic_create(&cfg, &g);
    if (status) *status = rc;
    if (rc != GIC_OK) return nullptr;
    return std::make_unique<CEngine>(g);
}

} // namespace gicsim
