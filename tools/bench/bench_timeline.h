// bench_timeline.h: the timeline of selected benchmark runs as Chrome/Perfetto trace events (gicsim bench
// --timeline FILE; docs/benchmark.md, "Timeline"): one track per actor, slices for traps, VM entries and exits,
// register accesses and the GIC's phases, flow arrows from a guest's write to the physical access and the vIRQ.
#ifndef GICSIM_BENCH_TIMELINE_H
#define GICSIM_BENCH_TIMELINE_H

#include <cstdint>
#include <string>
#include <vector>

namespace bench {

// The tracks (Chrome's threads) of one job (Chrome's process), in display order.
enum Track { TL_GUEST = 1, TL_HYP, TL_BUS, TL_GICD, TL_CPUIF, TL_COUNT };
extern const char *const kTrackNames[TL_COUNT];

class Timeline {
public:
    bool on = false; // recording the current run
    // A slice [t0, t1] (picoseconds of simulated time) on a track; args: a JSON object's members, or "".
    void slice(Track t, const std::string &name, uint64_t t0_ps, uint64_t t1_ps, const std::string &args = "");
    // A point event.
    void instant(Track t, const std::string &name, uint64_t ps, const std::string &args = "");
    // A flow arrow's start ('s'), step ('t') or end ('f'), bound to the slice that encloses it on that track.
    void flow(char phase, Track t, uint64_t id, uint64_t ps);
    uint64_t new_flow() { return ++flows_; }
    // The recorded events, as JSON objects separated by ",\n", for process `pid`.
    std::string events(int pid) const;
    bool empty() const { return ev_.empty(); }

private:
    struct Ev {
        char ph;
        Track t;
        std::string name, args;
        uint64_t ps, dur_ps, id;
    };
    std::vector<Ev> ev_;
    uint64_t flows_ = 0;
};

// Writes FILE: {"traceEvents": [...]} with a process per job (named `names[i]`), its tracks named, and the events
// each job wrote to parts[i] (Timeline::events). Returns "" or why FILE cannot be written / a part read.
std::string merge_timeline(const std::string &file, const std::vector<std::string> &names,
                           const std::vector<std::string> &parts);
// A JSON string literal.
std::string json_str(const std::string &s);

} // namespace bench

#endif
