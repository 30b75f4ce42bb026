// bench_opts.h: the options and configuration files of `gicsim bench` and `gicsim sweep` (docs/benchmark.md,
// "Parameters", "Configuration file", "Exit status and limits"), parsed into Opts without running anything.
// bench_cli.cpp runs what they describe; testbenches/fuzz/fuzz_bench_args.cpp feeds the parser arbitrary input.
#ifndef GICSIM_BENCH_OPTS_H
#define GICSIM_BENCH_OPTS_H

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "bench.h"
#include "cli_errors.h"

namespace bench {

// One numeric parameter: its key, its inclusive range and where it lives in Params.
struct ParamDef {
    const char *key;
    uint32_t lo, hi;
    std::function<uint32_t &(Params &)> ref;
    const char *help;
};
const std::vector<ParamDef> &param_defs();
const ParamDef *find_param(const std::string &k);

// A sweep's grid: at most --max-points points (default), and --max-points at most kMaxPointsCap.
constexpr uint64_t kMaxPointsDefault = 100000, kMaxPointsCap = 1000000000;

struct Opts {
    Params p;
    std::vector<int> gics{ 2, 3 }, triggers{ 0, 1 }, eoimodes{ 0, 1 }, policies{ 0, 1, 2 }, seqs;
    bool seqs_set = false, gics_set = false, trig_set = false, eoim_set = false, pol_set = false;
    std::vector<std::pair<std::string, std::vector<uint64_t>>> axes; // sweep: numeric axes
    std::string json, csv, html, out_dir;
    bool strict = false;
    bool quiet = false; // --quiet: no progress line
    unsigned procs = 0;
    std::string model = "c";
    std::string record;                                        // --record-gic PREFIX
    std::string vcd;                                           // --vcd FILE (one job only; the C kernels' waveform)
    struct gic_vcd_window vcd_window = { 0, GIC_CYCLE_NEVER }; // --vcd-from N, --vcd-to N
    bool vcd_window_set = false;
    std::string timeline;                    // --timeline FILE (bench_timeline.h)
    std::string dtb;                         // --dtb FILE: the GIC and memory map of a device tree
    uint32_t timeline_runs = 1;              // --timeline-runs N: the first N runs of each sequence
    uint64_t max_points = kMaxPointsDefault; // sweep: --max-points N (docs/benchmark.md)
    // Sweeps over several machines (docs/benchmark.md, "Sweeps beyond one machine"):
    std::string plan;                   // --plan FILE: write one command per grid point, run nothing
    uint64_t point = UINT64_MAX;        // --point K: run only point K into OUT/point-K.result
    std::vector<std::string> grid_args; // the arguments that define the grid (--plan writes them to OUT/sweep.args)
};

// Parses bench's (sweep false) or sweep's arguments (argv without the command name) into o. Returns -1 to go on,
// or the exit status: EXIT_OK with help set for --help, EXIT_USAGE after one line on stderr (usage_error).
int parse_args(Opts &o, int argc, char **argv, bool sweep, bool &help);
// Sets one key (a --KEY option or a configuration line); "" or why not.
std::string set_key(Opts &o, const std::string &key, const std::string &val, bool sweep, bool append_seq);
// Reads a KEY=VALUE configuration file into o; "" or "FILE:LINE: reason" / "cannot read ...".
std::string load_config(Opts &o, const std::string &path, bool sweep);
// "" or why a point's parameters do not go together.
std::string check_params(const Params &p);
// The points of a sweep's grid (axes x gic x trigger x eoimode x policy), saturating at UINT64_MAX.
uint64_t grid_points(const Opts &o);
// Reads a whole file; false and why on any read error (a directory, EIO), never an empty text.
bool read_file(const std::string &path, std::string &text, std::string &why);

extern const char *seq_help;
void print_params_help();

} // namespace bench

#endif
