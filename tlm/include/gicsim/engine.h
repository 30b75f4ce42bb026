// engine.h: gicsim::Engine, the GIC model behind gicsim::Gic: the C kernels (make_c_engine) or the Verilated RTL
// reference (gicsim::make_rtl_engine, rtl_bridge/engine/rtl_engine.h). docs/tlm.md, "Models".
#ifndef GICSIM_ENGINE_H
#define GICSIM_ENGINE_H

#include <cstdint>
#include <memory>
#include <string>

#include "gicsim/gic.h"
#include "gicsim/gic_vcd.h"

namespace gicsim {

// The cycle-level contract of model/include/gicsim/gic.h, as a C++ interface: every function has
// the meaning of the gic_* function it is named after. Time is counted in GIC cycles; now() is the
// next cycle to be processed; stimuli (access, set_spi, set_ppi) are given at now().
class Engine {
public:
    virtual ~Engine() = default;
    virtual const char *name() const = 0; // "c", "rtl:c1s256l4", ...
    virtual const struct gic_config &config() const = 0;
    virtual gic_cycle_t now() const = 0;        // gic_now()
    virtual gic_cycle_t next_event() const = 0; // gic_next_event(): GIC_CYCLE_NEVER when idle
    virtual int run_until(gic_cycle_t t) = 0;   // gic_run_until()
    virtual int access(const struct gic_access &a, struct gic_response &r) = 0; // gic_access()
    virtual int set_spi(uint32_t intid, bool level) = 0;                        // gic_set_spi()
    virtual int set_ppi(unsigned cpu, uint32_t intid, bool level) = 0;          // gic_set_ppi()
    virtual uint32_t outputs(unsigned cpu) const = 0;                           // gic_outputs()
    virtual int peek(enum gic_frame f, unsigned cpu, uint32_t offset, unsigned size, uint64_t *val) = 0; // gic_peek()
    // The model's trace events (struct gic_trace_event), in cycle order. `full` false: the caller
    // needs only GIC_TR_OUTPUT (an engine may then skip the cost of the other kinds); true: every
    // kind the engine gives (trace_kinds()). nullptr removes the hook.
    virtual void set_trace(gic_trace_fn fn, void *ctx, bool full) = 0;
    // Bitmask (1 << enum gic_trace_kind) of the kinds the engine's trace has; the C kernels have all.
    virtual uint32_t trace_kinds() const = 0;
    // The C kernel instance, or nullptr when the model is not the C kernels.
    virtual gic_t *kernel() { return nullptr; }
    // gic_set_memory(): the model's memory port (GICv3 LPIs and the ITS). ops == nullptr removes it. A model
    // without LPIs (the RTL reference) has none: GIC_E_INVAL.
    virtual int set_memory(const struct gic_mem_ops *ops, void *ctx)
    {
        (void)ops, (void)ctx;
        return GIC_E_INVAL;
    }
};

// An Engine that passes every call to another one: the base of the wrappers (recording, waveform), which override
// only what they add.
class ForwardingEngine : public Engine {
public:
    explicit ForwardingEngine(std::unique_ptr<Engine> inner) : in_(std::move(inner)) {}
    const char *name() const override { return in_->name(); }
    const struct gic_config &config() const override { return in_->config(); }
    gic_cycle_t now() const override { return in_->now(); }
    gic_cycle_t next_event() const override { return in_->next_event(); }
    int run_until(gic_cycle_t t) override { return in_->run_until(t); }
    int access(const struct gic_access &a, struct gic_response &r) override { return in_->access(a, r); }
    int set_spi(uint32_t intid, bool level) override { return in_->set_spi(intid, level); }
    int set_ppi(unsigned cpu, uint32_t intid, bool level) override { return in_->set_ppi(cpu, intid, level); }
    uint32_t outputs(unsigned cpu) const override { return in_->outputs(cpu); }
    int peek(enum gic_frame f, unsigned cpu, uint32_t offset, unsigned size, uint64_t *val) override
    {
        return in_->peek(f, cpu, offset, size, val);
    }
    void set_trace(gic_trace_fn fn, void *ctx, bool full) override { in_->set_trace(fn, ctx, full); }
    uint32_t trace_kinds() const override { return in_->trace_kinds(); }
    gic_t *kernel() override { return in_->kernel(); }
    int set_memory(const struct gic_mem_ops *ops, void *ctx) override { return in_->set_memory(ops, ctx); }

protected:
    std::unique_ptr<Engine> in_;
};

// The C kernels of model/ (gic_create()). On failure returns nullptr and, if status is not null,
// sets *status to the gic_status.
std::unique_ptr<Engine> make_c_engine(const struct gic_config &cfg, int *status = nullptr);

// `inner`, and a record of every stimulus it is given, written to `path` as text: each register
// access with its issue cycle (the cycle it was presented in), each line change with its cycle,
// and the last cycle reached. `gicsim_lockstep --replay FILE` runs the C kernels and the RTL in
// lock-step on it (docs/rtl.md, "Replaying a platform"). nullptr (and *why) if the file cannot be
// written; then `inner` is destroyed.
// The outcome of a recording, filled in when the recording engine is destroyed (the file written to its end and
// closed): err is 0, or the errno of the first write, flush or close that failed (a full device, a file size
// limit), after which the file is incomplete and must not be used.
struct RecordStatus {
    bool closed = false;
    int err = 0;
};
std::unique_ptr<Engine> make_recording_engine(std::unique_ptr<Engine> inner, const std::string &path,
                                              std::string *why = nullptr,
                                              std::shared_ptr<RecordStatus> status = nullptr);

// `inner` (the C kernels: inner->kernel() non-null), and the waveform of its kernel (gicsim/gic_vcd.h, docs/waveforms.md)
// written to `path` in `window` (nullptr: the whole run) while it runs. The waveform's hook sees every trace event;
// set_trace() hooks get them after it. nullptr (and *why) if `inner` is not the C kernels or the file cannot be
// written; then `inner` is destroyed. The outcome (a write, flush or close that failed: a full disk) is filled in
// `status` when the engine is destroyed, as for a recording.
std::unique_ptr<Engine> make_vcd_engine(std::unique_ptr<Engine> inner, const std::string &path,
                                        const struct gic_vcd_window *window = nullptr, std::string *why = nullptr,
                                        std::shared_ptr<RecordStatus> status = nullptr);

} // namespace gicsim

#endif
