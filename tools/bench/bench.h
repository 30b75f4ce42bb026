// bench.h: shared definitions of `gicsim bench` and `gicsim sweep` (docs/benchmark.md).
#ifndef GICSIM_BENCH_H
#define GICSIM_BENCH_H

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "gicsim/dt.h"
#include "gicsim/gic.h"
#include "gicsim/gic_vcd.h"
#include "gicsim/vgic.h"

namespace bench {

// Every scalar parameter of one benchmark point. Keys (config file, --KEY flags, JSON "config")
// are listed in kParams (bench_cli.cpp) and documented in docs/benchmark.md.
struct Params {
    uint32_t gic_mhz = 1000;     // GIC clock
    uint32_t num_lrs = 4;        // list registers per CPU
    uint32_t num_spis = 64;      // physical and virtual SPIs
    uint32_t bus_latency = 30;   // GIC cycles, each way, of the memory bus (MMIO: GICD, GICR, GICC, GICH, GICV)
    uint32_t bus_jitter = 8;     // + uniform [0, bus_jitter] GIC cycles on the request path of each MMIO access
    uint32_t sysreg_latency = 0; // GIC cycles added to each system-register access (GICv3), each way
    uint32_t think_min = 0;      // guest think time between its steps, CPU cycles, uniform [min, max]
    uint32_t think_max = 400;
    uint32_t irq_entry = 100; // CPU cycles from an IRQ/vIRQ output edge to the first handler instruction
    uint32_t burst = 4;       // interrupts of the burst sequence
    uint32_t runs = 1000;     // repetitions of each sequence
    uint64_t seed = 1;
    struct gic_timing timing; // docs/timing.md
    struct vgic_costs costs;  // docs/hypervisor.md (cpu_mhz is the CPU clock)
    Params();
};

enum Seq {
    SEQ_SPEND_ACK_EOI,
    SEQ_SPEND_CPEND_REASSERT,
    SEQ_CPEND_ACTIVE,
    SEQ_ISACTIVER_ICACTIVER,
    SEQ_BURST,
    SEQ_LEVEL_DROP,
    SEQ_FORWARD_EOI,
    SEQ_FWD_CPEND_REASSERT,
    SEQ_COUNT
};
extern const char *const kSeqNames[SEQ_COUNT];
extern const char *const kPolicyNames[3]; // indexed by enum vgic_policy

// One process's work: a platform (one GIC, one hypervisor policy) and the sequences it runs.
struct Job {
    Params p;
    int gic = 2;        // 2 or 3
    bool level = false; // trigger
    int eoimode = 0;    // virtual EOImode of the guest
    int policy = VGIC_POLICY_LAZY;
    std::vector<int> seqs;
    std::string label;       // sweep: the point's axis values
    std::string model = "c"; // the GIC model: "c" (the C kernels) or "rtl" (the Verilated RTL reference)
    std::string record;      // non-empty: write the GIC's stimuli to this file (gicsim::make_recording_engine)
    std::string vcd;         // non-empty: write the GIC's waveform to this file (gicsim::make_vcd_engine) ...
    struct gic_vcd_window vcd_window = { 0, GIC_CYCLE_NEVER }; // ... of these cycles
    std::string timeline;       // non-empty: write this job's timeline events here (bench_timeline.h) ...
    uint32_t timeline_runs = 1; // ... of the first N runs of each sequence ...
    int timeline_pid = 1;       // ... as Chrome process `timeline_pid`
    std::string lanes;          // non-empty: write the first run of each sequence here for the HTML's swimlanes
    bool has_dt = false;        // --dtb: the GIC and the frame addresses of a device tree (docs/dt.md)
    struct gic_dt dt;
};

struct SegStats {
    uint64_t n = 0;
    int64_t min = 0, median = 0, p99 = 0, max = 0;
};

struct SeqResult {
    int seq = 0;
    uint64_t runs = 0;
    uint64_t physical_accesses = 0; // hypervisor's physical register accesses per run (median)
    uint64_t guest_accesses = 0;    // guest's own GIC accesses per run (median): acknowledge, EOI, DIR
    uint64_t violations = 0;        // rule checker, all runs
    uint64_t violation_runs = 0;    // runs with at least one violation
    uint64_t ignored_deacts = 0;    // GIC traced a HW deactivation of an inactive pINTID (SEMANTICS A6), all runs
    uint64_t blocked = 0;           // runs whose physical reassertion never reached the host IRQ output
    uint64_t errors = 0;            // runs where an expected step did not happen (guest saw no vIRQ, ...)
    std::map<std::string, uint64_t> rules;              // violations per rule name
    std::vector<std::pair<std::string, SegStats>> segs; // in the order first seen
};

struct JobResult {
    bool ok = false;
    bool output_error = false; // error is "cannot write FILE: REASON" (--record-gic, --vcd): exit status 2, not 1
    std::string error;
    std::vector<SeqResult> seqs;
};

// Runs a job in the calling process (a fresh process: SystemC cannot be restarted) and writes its
// result, in the line protocol of bench_runner, to fd. Returns 0 on success.
int run_job_in_child(const Job &job, int fd);
// The GIC configuration of a job's platform.
struct gic_config job_gic_config(const Job &job);
// Builds (and drops) the job's GIC model in the calling process: "" or why it is refused (e.g. a configuration
// the RTL reference was not built for), so that a refusal is reported once, before any job runs.
std::string probe_model(const Job &job);
// Parses that protocol.
bool parse_job_output(const std::string &text, JobResult &out);

// Runs jobs in parallel child processes (at most `procs`), with a progress line on a terminal's stderr unless
// quiet (tools/progress.h).
std::vector<JobResult> run_jobs(const std::vector<Job> &jobs, unsigned procs, const char *what, bool quiet);
// The same for n jobs made one at a time, when each starts (a sweep's grid is never held in memory
// before it runs); `started` receives each job as it starts (index i is job i).
std::vector<JobResult> run_jobs(size_t n, const std::function<Job(size_t)> &make, std::vector<Job> &started,
                                unsigned procs, const char *what, bool quiet);

SegStats stats_of(std::vector<int64_t> v);

} // namespace bench

#endif
