// fuzz_bench_args.cpp: libFuzzer target for the option and configuration-file parser of `gicsim bench` and
// `gicsim sweep` (tools/bench/bench_opts.cpp). Input: a flags byte (bit 0: sweep), then the arguments one per
// line, then optionally a form feed and the text of a configuration file, which the word "@cfg" among the
// arguments names. What the parser accepts must hold together: every parameter within its documented range,
// check_params() content, the lists non-empty, a sweep's axes in range and its grid counted without overflow;
// what it refuses is exit status 2. docs/fuzzing.md explains how to run and minimise.
#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <string>
#include <vector>

#include "bench_opts.h"

extern "C" {
#include "fuzz_input.h"
}

using namespace bench;

namespace {
void check_accepted(const Opts &o, bool sweep)
{
    Opts copy = o;
    for (const ParamDef &d : param_defs()) {
        uint32_t v = d.ref(copy.p);
        CHECK(v >= d.lo && v <= d.hi, "%s = %u outside %u..%u", d.key, v, d.lo, d.hi);
    }
    CHECK(check_params(o.p).empty(), "accepted parameters that do not go together: %s", check_params(o.p).c_str());
    CHECK(!o.gics.empty() && !o.triggers.empty() && !o.eoimodes.empty() && !o.policies.empty() && !o.seqs.empty(),
          "an empty list");
    for (int g : o.gics) CHECK(g == 2 || g == 3, "gic %d", g);
    for (int s : o.seqs) CHECK(s >= 0 && s < SEQ_COUNT, "sequence %d", s);
    CHECK(o.model == "c" || o.model == "rtl", "model '%s'", o.model.c_str());
    CHECK(o.procs >= 1 && o.procs <= 256 * 1024, "procs %u", o.procs);
    CHECK(o.max_points >= 1 && o.max_points <= kMaxPointsCap, "max_points %llu", (unsigned long long)o.max_points);
    CHECK(sweep || o.axes.empty(), "bench with axes");
    for (const auto &ax : o.axes) {
        const ParamDef *d = find_param(ax.first);
        CHECK(d != nullptr, "axis of unknown key '%s'", ax.first.c_str());
        CHECK(ax.second.size() > 1, "an axis of one value");
        for (uint64_t v : ax.second)
            CHECK(v >= d->lo && v <= d->hi, "axis %s value %llu", d->key, (unsigned long long)v);
    }
    uint64_t n = grid_points(o);
    CHECK(n >= 1, "an empty grid");
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > 1 << 14) return 0;
    bool sweep = data[0] & 1;
    std::string text(reinterpret_cast<const char *>(data + 1), size - 1), cfg;
    size_t ff = text.find('\f');
    int fd = -1;
    std::string cfg_path;
    if (ff != std::string::npos) {
        cfg = text.substr(ff + 1);
        text.resize(ff);
        char pbuf[64];
        fd = fz_memfd("fuzz_bench_cfg", cfg.data(), cfg.size(), pbuf, sizeof pbuf);
        cfg_path = pbuf;
    }
    std::vector<std::string> words;
    size_t pos = 0;
    while (pos <= text.size() && words.size() < 64) {
        size_t nl = text.find('\n', pos);
        if (nl == std::string::npos) nl = text.size();
        std::string w = text.substr(pos, nl - pos);
        if (w == "@cfg" && fd >= 0) w = cfg_path;
        w = w.substr(0, w.find('\0')); // an argv word ends at a NUL byte
        words.push_back(w);
        pos = nl + 1;
    }
    if (text.empty()) words.clear();
    std::vector<char *> argv;
    for (std::string &w : words) argv.push_back(&w[0]);
    argv.push_back(nullptr);
    Opts o;
    if (sweep) { // cmd_sweep's own defaults
        o.p.runs = 50;
        o.triggers = { 0 };
        o.eoimodes = { 0 };
    }
    bool help = false;
    int rc = parse_args(o, (int)words.size(), argv.data(), sweep, help);
    CHECK(rc == -1 || rc == EXIT_OK || rc == EXIT_USAGE, "parse_args returned %d", rc);
    CHECK(rc != EXIT_OK || help, "exit status 0 without --help");
    if (rc == -1) check_accepted(o, sweep);
    if (fd >= 0) close(fd);
    return 0;
}

extern "C" {
FUZZ_KEEP_STDERR_AT_INIT
}
