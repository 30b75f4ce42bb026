// engine_vcd.cpp: gicsim::make_vcd_engine: an Engine that forwards to one over the C kernels and writes their
// waveform (gicsim/gic_vcd.h) while it runs; the VCD writer takes every trace event before the hook of set_trace().
#include <cerrno>
#include <cstring>

#include "gicsim/engine.h"

namespace gicsim {
namespace {

class VcdEngine final : public ForwardingEngine {
public:
    VcdEngine(std::unique_ptr<Engine> inner, gic_vcd_t *vcd, std::shared_ptr<RecordStatus> st)
        : ForwardingEngine(std::move(inner)), vcd_(vcd), st_(st ? std::move(st) : std::make_shared<RecordStatus>())
    {
        in_->set_trace(hook, this, true);
    }
    ~VcdEngine() override
    {
        in_->set_trace(nullptr, nullptr, false);
        int rc = gic_vcd_close(vcd_);
        if (rc != GIC_OK && !st_->err) st_->err = rc == GIC_E_IO && errno ? errno : rc == GIC_E_NOMEM ? ENOMEM : EIO;
        st_->closed = true;
    }
    // The caller's hook gets every event after the waveform (the C kernels trace every kind whatever `full` says).
    void set_trace(gic_trace_fn fn, void *ctx, bool) override
    {
        fn_ = fn;
        ctx_ = ctx;
    }

private:
    static void hook(void *p, const struct gic_trace_event *e)
    {
        VcdEngine *s = static_cast<VcdEngine *>(p);
        gic_vcd_event(s->vcd_, e);
        if (s->fn_) s->fn_(s->ctx_, e);
    }
    gic_vcd_t *vcd_;
    std::shared_ptr<RecordStatus> st_;
    gic_trace_fn fn_ = nullptr;
    void *ctx_ = nullptr;
};

} // namespace

std::unique_ptr<Engine> make_vcd_engine(std::unique_ptr<Engine> inner, const std::string &path,
                                        const struct gic_vcd_window *window, std::string *why,
                                        std::shared_ptr<RecordStatus> status)
{
    if (!inner || !inner->kernel()) {
        if (why) *why = "the waveform is the C kernels' (not the RTL engine's: GICSIM_RTL_VCD=FILE writes that one)";
        return nullptr;
    }
    gic_vcd_t *vcd = nullptr;
    int rc = gic_vcd_open(inner->kernel(), path.c_str(), window, &vcd);
    if (rc != GIC_OK) {
        if (why) *why = "cannot write " + path + ": " + (rc == GIC_E_IO ? strerror(errno) : gic_strerror(rc));
        return nullptr;
    }
    return std::make_unique<VcdEngine>(std::move(inner), vcd, std::move(status));
}

} // namespace gicsim
