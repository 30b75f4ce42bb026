// bench_timeline.h: the timeline of selected benchmark runs as Chrome/Perfetto trace events (gicsim bench
// --timeline FILE; docs/benchmark.md, "Timeline"): one track per actor, slices for traps, VM entries and exits,
// register accesses and the GIC's phases, flow arrows from a guest's write to the physical access and the vIRQ.
#ifndef GICSIM_BENCH_TIMELINE_H
#define GICSIM_BENCH_TIMELINE_H

#include <cstdint>
#include <map>
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
    // Starts sequence `seq`'s part of the recording (for lanes()).
    void mark(int seq) { marks_.push_back({ ev_.size(), seq }); }
    // The slices and point events for the HTML report's swimlanes, one line each: "S SEQ" at each sequence's start,
    // then "X TRACK T0_PS DUR_PS NAME" and "I TRACK T_PS NAME".
    std::string lanes() const;
    bool empty() const { return ev_.empty(); }

private:
    struct Ev {
        char ph;
        Track t;
        std::string name, args;
        uint64_t ps, dur_ps, id;
    };
    std::vector<Ev> ev_;
    std::vector<std::pair<size_t, int>> marks_;
    uint64_t flows_ = 0;
};

// Writes FILE: {"traceEvents": [...]} with a process per job (named `names[i]`), its tracks named, and the events
// each job wrote to parts[i] (Timeline::events). Returns "" or why FILE cannot be written / a part read.
std::string merge_timeline(const std::string &file, const std::vector<std::string> &names,
                           const std::vector<std::string> &parts);
// A JSON string literal.
std::string json_str(const std::string &s);

// One slice (dur_ps > 0) or point event (dur_ps 0) of a swimlane, read back from Timeline::lanes().
struct LaneEvent {
    int track;
    uint64_t t_ps, dur_ps;
    std::string name;
};
// Timeline::lanes() text, by sequence.
std::map<int, std::vector<LaneEvent>> parse_lanes(const std::string &text);
// A swimlane chart (SVG) of one run: a lane per track, time along x from the first event, slices as bars.
std::string svg_swimlane(const std::string &title, const std::vector<LaneEvent> &ev, double ns_per_ps);

} // namespace bench

#endif
