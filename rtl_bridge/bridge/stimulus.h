// stimulus.h: one stimulus stream for both sides of the lock-step: directed scenarios and a seeded random generator.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "gicsim/gic.h"
#include "gicsim/gic_regs.h"

namespace rtlb {

struct Access {
    uint8_t frame = 0; // enum gic_frame
    bool write = false;
    uint8_t size = 4;
    uint16_t cpu = 0;
    uint32_t offset = 0;
    uint64_t data = 0;
};

// The C API's form of an access (gic_submit()).
inline struct gic_access to_gic_access(const Access &a)
{
    struct gic_access g {};
    g.frame = a.frame;
    g.write = a.write;
    g.size = a.size;
    g.cpu = a.cpu;
    g.offset = a.offset;
    g.data = a.data;
    return g;
}

struct PinChange {
    bool ppi = false;   // false: SPI
    unsigned cpu = 0;   // PPI only
    unsigned intid = 0; // 16..31 (PPI) or 32.. (SPI)
    bool level = false;
};

struct CycleStim {
    bool reset = false;          // both sides reset in this cycle (gic_reset(); the RTL's rst for the edge ending it);
                                 // a reset cycle has no pin change and no access
    std::vector<PinChange> pins; // applied in order (two changes of one pin in a cycle make a pulse)
    bool has_access = false;
    Access access;
};

struct StimConfig {
    unsigned cpus = 2, spis = 64, lrs = 4, maint_ppi = 25;
    bool one_of_n = false;      // the GIC implements GICD_IROUTER.IRM (1-of-N SPIs): the random stream uses it
    unsigned cpu_prio_bits = 5; // priority bits of the physical CPU interfaces (the APR words the scenarios use)
    unsigned version = 3;       // 3: GICv3 (system registers); 2: GICv2 (GICD_ITARGETSR/SGIR, GICC, GICH, GICV)
    bool mid_reset = false; // the random stream resets both sides now and then (CycleStim::reset); only for a runner
                            // that can reset both sides in the same cycle (gicsim_lockstep)
};

class Stimulus {
public:
    virtual ~Stimulus() = default;
    /* The stimuli of `cycle`; false when the stream has ended. */
    virtual bool next(uint64_t cycle, CycleStim &s) = 0;
    /* The response to the access that `next` returned as access number `seq` (both sides agreed on it). */
    virtual void on_response(uint64_t seq, const Access &a, int status, uint64_t data)
    {
        (void)seq, (void)a, (void)status, (void)data;
    }
    /* One line of what the stream exercised (empty if nothing to say). */
    virtual std::string stats() const { return ""; }
};

/* The directed scenarios of a GIC version (GICv2 and GICv3 have their own sets). */
std::vector<std::string> scenario_names(unsigned version = 3);
std::unique_ptr<Stimulus> make_scenario(const std::string &name, const StimConfig &cfg);
std::unique_ptr<Stimulus> make_random(uint64_t seed, uint64_t cycles, const StimConfig &cfg);
/* A stimulus stream recorded from a platform (gicsim::make_recording_engine, `gicsim bench --record-gic`), replayed
 * cycle for cycle (replay.cpp). nullptr and *why if the file cannot be read, is malformed or was recorded for
 * another configuration than cfg, or if its end cycle lies beyond max_end (the run-time bound, --max-cycles); every
 * field is read whole and range-checked, *why is then "FILE:LINE: reason". replay_config: the file's configuration. */
std::unique_ptr<Stimulus> make_replay(const std::string &path, const StimConfig &cfg, uint64_t max_end,
                                      std::string *why);
bool replay_config(const std::string &path, StimConfig &config, uint64_t max_end, std::string *why);

// sr(): an encoding by its fields, for the encodings the register map does not name (UNDEFINED ones); the
// named ones are gicsim/gic_regs.h's NAME_ENC.
namespace enc {
constexpr uint32_t sr(unsigned op0, unsigned op1, unsigned crn, unsigned crm, unsigned op2)
{
    return (op0 << 14) | (op1 << 11) | (crn << 7) | (crm << 3) | op2;
}
} // namespace enc

} // namespace rtlb
