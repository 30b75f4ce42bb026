// engine_record.cpp: gicsim::make_recording_engine: an Engine that forwards to another and writes the stimulus
// stream it sees, for a cycle-by-cycle replay in the lock-step bridge (rtl_bridge/bridge/stimulus.cpp, make_replay).
// The memory port is passed on but not recorded: a replay has no LPIs (the RTL has none).
//
// Format (one line each, cycles in increasing order; docs/rtl.md "Replaying a platform"):
//   # gicsim stimulus v1
//   config cpus=N spis=N lrs=N one_of_n=0|1
//   CYCLE access FRAME WRITE SIZE CPU 0xOFFSET 0xDATA
//   CYCLE spi INTID LEVEL
//   CYCLE ppi CPU INTID LEVEL
//   CYCLE end
#include <cerrno>
#include <cinttypes>
#include <cstdarg>
#include <cstdio>

#include "gicsim/engine.h"

namespace gicsim {
namespace {

class RecordingEngine final : public ForwardingEngine {
public:
    RecordingEngine(std::unique_ptr<Engine> inner, FILE *f, std::shared_ptr<RecordStatus> st)
        : ForwardingEngine(std::move(inner)), f_(f), st_(st ? std::move(st) : std::make_shared<RecordStatus>())
    {
        const struct gic_config &c = in_->config();
        put("# gicsim stimulus v1 (recorded from model %s)\nconfig cpus=%u spis=%u lrs=%u one_of_n=%d\n", in_->name(),
            c.num_cpus, c.num_spis, c.num_lrs, c.one_of_n ? 1 : 0);
    }
    ~RecordingEngine() override
    {
        put("%" PRIu64 " end\n", in_->now());
        errno = 0;
        if ((fflush(f_) != 0 || ferror(f_)) && !st_->err) st_->err = errno ? errno : EIO;
        errno = 0;
        if (fclose(f_) != 0 && !st_->err) st_->err = errno ? errno : EIO;
        st_->closed = true;
    }
    int access(const struct gic_access &a, struct gic_response &r) override
    {
        put("%" PRIu64 " access %u %u %u %u 0x%x 0x%" PRIx64 "\n", in_->now(), a.frame, a.write, a.size, a.cpu,
            a.offset, a.write ? a.data : 0);
        return in_->access(a, r);
    }
    int set_spi(uint32_t intid, bool level) override
    {
        int rc = in_->set_spi(intid, level);
        if (rc == GIC_OK) put("%" PRIu64 " spi %u %d\n", in_->now(), intid, level ? 1 : 0);
        return rc;
    }
    int set_ppi(unsigned cpu, uint32_t intid, bool level) override
    {
        int rc = in_->set_ppi(cpu, intid, level);
        if (rc == GIC_OK) put("%" PRIu64 " ppi %u %u %d\n", in_->now(), cpu, intid, level ? 1 : 0);
        return rc;
    }

private:
    // One record line; the first failed write is kept (later ones would fail the same way).
    void put(const char *fmt, ...)
    {
        if (st_->err) return;
        va_list ap;
        va_start(ap, fmt);
        errno = 0;
        if (vfprintf(f_, fmt, ap) < 0) st_->err = errno ? errno : EIO;
        va_end(ap);
    }
    FILE *f_;
    std::shared_ptr<RecordStatus> st_;
};

} // namespace

std::unique_ptr<Engine> make_recording_engine(std::unique_ptr<Engine> inner, const std::string &path, std::string *why,
                                              std::shared_ptr<RecordStatus> status)
{
    if (!inner) {
        if (why) *why = "no engine to record";
        return nullptr;
    }
    FILE *f = fopen(path.c_str(), "w");
    if (!f) {
        if (why) *why = "cannot write '" + path + "'";
        return nullptr;
    }
    return std::make_unique<RecordingEngine>(std::move(inner), f, std::move(status));
}

} // namespace gicsim
