// bench_opts.cpp: the options and configuration files of `gicsim bench` and `gicsim sweep` (bench_opts.h).
#include "bench_opts.h"
#include "vcd_cli.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <sstream>
#include <unistd.h>

namespace bench {

// The names of the sequences and policies (bench.h), and the default parameters.
const char *const kSeqNames[SEQ_COUNT] = { "spend_ack_eoi", "spend_cpend_reassert",
                                           "cpend_active",  "isactiver_icactiver",
                                           "burst",         "level_drop",
                                           "forward_eoi",   "fwd_cpend_reassert" };
const char *const kPolicyNames[3] = { "lazy", "eager", "none" };

Params::Params()
{
    gic_timing_default(&timing);
    vgic_costs_default(&costs);
}

const std::vector<ParamDef> &param_defs()
{
    static const std::vector<ParamDef> defs = {
        { "gic_mhz", 1, 1000000, [](Params &p) -> uint32_t & { return p.gic_mhz; },
          "GIC clock in MHz (1e6/gic_mhz must be whole picoseconds)" },
        { "cpu_mhz", 1, 100000, [](Params &p) -> uint32_t & { return p.costs.cpu_mhz; },
          "CPU clock in MHz (guest and hypervisor)" },
        { "lrs", 1, 16, [](Params &p) -> uint32_t & { return p.num_lrs; }, "list registers per CPU" },
        { "spis", 32, 988, [](Params &p) -> uint32_t & { return p.num_spis; }, "SPIs of the GIC and of the VM" },
        { "bus_latency", 0, 100000, [](Params &p) -> uint32_t & { return p.bus_latency; },
          "memory bus latency, GIC cycles each way (MMIO)" },
        { "bus_jitter", 0, 100000, [](Params &p) -> uint32_t & { return p.bus_jitter; },
          "random extra bus cycles per MMIO request, uniform 0..N" },
        { "sysreg_latency", 0, 100000, [](Params &p) -> uint32_t & { return p.sysreg_latency; },
          "extra GIC cycles each way of a system-register access (GICv3)" },
        { "think_min", 0, 10000000, [](Params &p) -> uint32_t & { return p.think_min; },
          "guest think time between steps, CPU cycles, minimum" },
        { "think_max", 0, 10000000, [](Params &p) -> uint32_t & { return p.think_max; },
          "guest think time, CPU cycles, maximum (uniform)" },
        { "irq_entry", 0, 10000000, [](Params &p) -> uint32_t & { return p.irq_entry; },
          "CPU cycles from an IRQ/vIRQ edge to the handler" },
        { "burst", 1, 16, [](Params &p) -> uint32_t & { return p.burst; }, "interrupts of the burst sequence" },
        { "runs", 1, 1000000, [](Params &p) -> uint32_t & { return p.runs; }, "repetitions of each sequence" },
        { "req", 1, 10000, [](Params &p) -> uint32_t & { return p.timing.req; }, "timing: register request -> effect" },
        { "resp", 1, 10000, [](Params &p) -> uint32_t & { return p.timing.resp; }, "timing: effect -> response" },
        { "ack", 1, 10000, [](Params &p) -> uint32_t & { return p.timing.ack; },
          "timing: acknowledge effect -> response" },
        { "line", 1, 10000, [](Params &p) -> uint32_t & { return p.timing.line; }, "timing: input line synchroniser" },
        { "prio", 0, 10000, [](Params &p) -> uint32_t & { return p.timing.prio; }, "timing: prioritiser pipeline" },
        { "deliver", 0, 10000, [](Params &p) -> uint32_t & { return p.timing.deliver; },
          "timing: HPPI to the CPU interface" },
        { "deact", 1, 10000, [](Params &p) -> uint32_t & { return p.timing.deact; },
          "timing: EOI/DIR -> deactivation applied" },
        { "hwdeact", 1, 10000, [](Params &p) -> uint32_t & { return p.timing.hwdeact; },
          "timing: HW=1 LR deactivation -> physical" },
        { "maint", 1, 10000, [](Params &p) -> uint32_t & { return p.timing.maint; }, "timing: maintenance output" },
        { "out", 1, 10000, [](Params &p) -> uint32_t & { return p.timing.out; }, "timing: IRQ/FIQ/vIRQ/vFIQ output" },
        { "trap_entry", 0, 10000000, [](Params &p) -> uint32_t & { return p.costs.trap_entry; },
          "cost: trap entry (CPU cycles)" },
        { "trap_exit", 0, 10000000, [](Params &p) -> uint32_t & { return p.costs.trap_exit; }, "cost: trap return" },
        { "emul_access", 0, 10000000, [](Params &p) -> uint32_t & { return p.costs.emul_access; },
          "cost: emulating one distributor access" },
        { "vm_entry", 0, 10000000, [](Params &p) -> uint32_t & { return p.costs.vm_entry; },
          "cost: fixed VM entry work" },
        { "vm_exit", 0, 10000000, [](Params &p) -> uint32_t & { return p.costs.vm_exit; }, "cost: fixed VM exit work" },
        { "lr_write", 0, 10000000, [](Params &p) -> uint32_t & { return p.costs.lr_write; }, "cost: building one LR" },
        { "lr_read", 0, 10000000, [](Params &p) -> uint32_t & { return p.costs.lr_read; }, "cost: folding one LR" },
        { "irq_scan", 0, 10000000, [](Params &p) -> uint32_t & { return p.costs.irq_scan; },
          "cost: per candidate interrupt at entry" },
        { "host_irq", 0, 10000000, [](Params &p) -> uint32_t & { return p.costs.host_irq; },
          "cost: host IRQ handler work" },
        { "inject", 0, 10000000, [](Params &p) -> uint32_t & { return p.costs.inject; }, "cost: injection" },
    };
    return defs;
}
const ParamDef *find_param(const std::string &k)
{
    for (const ParamDef &d : param_defs())
        if (k == d.key) return &d;
    if (k == "num_lrs") return find_param("lrs");
    return nullptr;
}

namespace {

std::string norm_key(std::string k)
{
    for (char &c : k)
        if (c == '-') c = '_';
    return k;
}
std::vector<std::string> split(const std::string &s, char sep)
{
    std::vector<std::string> v;
    std::string cur;
    for (char c : s) {
        if (c == sep) {
            v.push_back(cur);
            cur.clear();
        } else cur += c;
    }
    v.push_back(cur);
    return v;
}
std::string trim(const std::string &s)
{
    size_t a = s.find_first_not_of(" \t\r\n"), b = s.find_last_not_of(" \t\r\n");
    return a == std::string::npos ? "" : s.substr(a, b - a + 1);
}
// The whole string is one unsigned number (strtoull base 0); a sign, a suffix or a NUL byte inside refuses it.
bool parse_u64(const std::string &s, uint64_t &v)
{
    if (s.empty() || s[0] == '-' || s[0] == '+' || s.find('\0') != std::string::npos) return false;
    char *end = nullptr;
    errno = 0;
    unsigned long long x = strtoull(s.c_str(), &end, 0);
    if (errno || *end) return false;
    v = x;
    return true;
}

// A numeric parameter (ParamDef): one value, or in a sweep a list that becomes an axis of the grid.
std::string set_param(Opts &o, const std::string &key, const std::vector<std::string> &items, const std::string &val,
                      bool sweep)
{
    const ParamDef *d = find_param(key);
    if (!d) return "unknown parameter '" + key + "'";
    if (items.size() > 1 && !sweep) return key + " takes one value here, not '" + val + "'";
    std::vector<uint64_t> vals;
    for (const std::string &i : items) {
        uint64_t v;
        if (!parse_u64(i, v) || v < d->lo || v > d->hi)
            return std::string(d->key) + " takes a whole number " + std::to_string(d->lo) + ".." +
                   std::to_string(d->hi) + ", not '" + i + "'";
        vals.push_back(v);
    }
    d->ref(o.p) = (uint32_t)vals[0];
    if (sweep) { // a list is an axis of the grid; a single value just sets the parameter
        std::string k = d->key;
        auto it = std::find_if(o.axes.begin(), o.axes.end(), [&](auto &a) { return a.first == k; });
        if (it != o.axes.end()) o.axes.erase(it);
        if (vals.size() > 1) o.axes.push_back({ k, vals });
    }
    return "";
}

// The value of s in a list of names: first + its index, or -1 when it is none of them.
int name_index(const std::string &s, const char *const *names, int count, int first)
{
    for (int i = 0; i < count; i++)
        if (s == names[i]) return first + i;
    return -1;
}

} // namespace

// Sets one key from a value (a comma list for the list keys, and for numeric keys in a sweep).
// Returns "" or the reason.
std::string set_key(Opts &o, const std::string &key_in, const std::string &val, bool sweep, bool append_seq)
{
    std::string key = norm_key(trim(key_in));
    std::vector<std::string> items = split(trim(val), ',');
    for (std::string &i : items) i = trim(i);
    auto names = [&](std::vector<int> &dst, bool &set_flag, const char *const *names, int count, int first,
                     const char *allowed, bool append) -> std::string {
        std::vector<int> v;
        for (const std::string &i : items) {
            const int x = name_index(i, names, count, first);
            if (x < 0) return key + " takes " + allowed + ", not '" + i + "'";
            if (std::find(v.begin(), v.end(), x) == v.end()) v.push_back(x);
        }
        if (!append || !set_flag) dst.clear();
        for (int x : v)
            if (std::find(dst.begin(), dst.end(), x) == dst.end()) dst.push_back(x);
        set_flag = true;
        return "";
    };
    static const char *const gics[] = { "v2", "v3" }, *const triggers[] = { "edge", "level" },
                             *const eoimodes[] = { "0", "1" };
    if (key == "gic") return names(o.gics, o.gics_set, gics, 2, 2, "v2 or v3", false);
    if (key == "trigger") return names(o.triggers, o.trig_set, triggers, 2, 0, "edge or level", false);
    if (key == "eoimode") return names(o.eoimodes, o.eoim_set, eoimodes, 2, 0, "0 or 1", false);
    if (key == "policy") return names(o.policies, o.pol_set, kPolicyNames, 3, 0, "lazy, eager or none", false);
    if (key == "sequence")
        return names(o.seqs, o.seqs_set, kSeqNames, SEQ_COUNT, 0, "a sequence name (see --help)", append_seq);
    if (key == "model") {
        if (items.size() != 1 || (items[0] != "c" && items[0] != "rtl"))
            return "model takes c or rtl, not '" + val + "'";
        o.model = items[0];
        return "";
    }
    if (key == "seed") {
        uint64_t v;
        if (items.size() != 1 || !parse_u64(items[0], v)) return "seed takes an unsigned number, not '" + val + "'";
        o.p.seed = v;
        return "";
    }
    if (key == "timing" || key == "costs") {
        for (const std::string &kv : items) {
            size_t eq = kv.find('=');
            if (eq == std::string::npos) return key + " takes key=value pairs, not '" + kv + "'";
            std::string k = norm_key(trim(kv.substr(0, eq)));
            const ParamDef *d = find_param(k);
            if (!d) return "unknown " + key + " key '" + k + "'";
            std::string e = set_key(o, k, kv.substr(eq + 1), false, false);
            if (!e.empty()) return e;
        }
        return "";
    }
    return set_param(o, key, items, val, sweep);
}

std::string check_params(const Params &p)
{
    if (1000000 % p.gic_mhz) return "gic_mhz must divide 1000000 (a whole number of picoseconds per cycle)";
    if (p.timing.prio + p.timing.deliver < 1) return "prio + deliver must be at least 1";
    if (p.think_min > p.think_max) return "think_min must not exceed think_max";
    return "";
}

// Reads a whole file; a read error (a directory, EIO, ...) is an error, never an empty file.
bool read_file(const std::string &path, std::string &text, std::string &why)
{
    FILE *f = fopen(path.c_str(), "r");
    if (!f) {
        why = strerror(errno);
        return false;
    }
    char buf[65536];
    size_t n;
    errno = 0;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) text.append(buf, n);
    int err = errno;
    bool bad = ferror(f);
    fclose(f);
    if (bad) why = strerror(err ? err : EIO);
    return !bad;
}

std::string load_config(Opts &o, const std::string &path, bool sweep)
{
    std::string text, why;
    if (!read_file(path, text, why)) return "cannot read config file '" + path + "': " + why;
    std::istringstream f(text);
    std::string line;
    int n = 0;
    while (std::getline(f, line)) {
        n++;
        // A configuration is text: a NUL byte would cut the line short where the C library reads it.
        if (line.find('\0') != std::string::npos)
            return path + ":" + std::to_string(n) + ": a NUL byte (not a text file)";
        size_t h = line.find('#');
        if (h != std::string::npos) line = line.substr(0, h);
        line = trim(line);
        if (line.empty()) continue;
        size_t eq = line.find('=');
        if (eq == std::string::npos) return path + ":" + std::to_string(n) + ": expected key=value";
        std::string e = set_key(o, line.substr(0, eq), line.substr(eq + 1), sweep, false);
        if (!e.empty()) return path + ":" + std::to_string(n) + ": " + e;
    }
    return "";
}

const char *seq_help =
    "sequences (docs/benchmark.md):\n"
    "  spend_ack_eoi         guest SPEND (trapped GICD_ISPENDR) of a HW-mapped SPI, VM entry, acknowledge, EOI (DIR "
    "with --eoimode 1)\n"
    "  spend_cpend_reassert  SPEND, then CPEND while inactive; the device's next assertion must reach the host\n"
    "  cpend_active          SPEND, acknowledge, CPEND while active, deactivation\n"
    "  isactiver_icactiver   guest ISACTIVER then ICACTIVER; the assertion made meanwhile must reach the host\n"
    "  burst                 SPEND of --burst mapped SPIs, then CPEND of each; then a reassertion\n"
    "  level_drop            (level only) a forwarded level interrupt whose line drops while in an LR; exit resamples\n"
    "  forward_eoi           device interrupt forwarded by the host (EOImode 1), guest acknowledge and deactivation\n"
    "  fwd_cpend_reassert    forwarded interrupt the guest clears with CPEND; the next assertion must reach the host\n";

void print_params_help()
{
    puts("parameters (--KEY VALUE, --timing/--costs k=v,..., or KEY=VALUE lines in --config FILE):");
    Params d;
    for (const ParamDef &p : param_defs()) {
        std::string k = p.key;
        for (char &c : k)
            if (c == '_') c = '-';
        printf("  --%-16s %-8u %s\n", k.c_str(), p.ref(d), p.help);
    }
    puts("  --seed N            1        seed of the jitter sources (bus jitter, think time)");
}
uint64_t grid_points(const Opts &o)
{
    auto mul = [](uint64_t a, uint64_t b) { return b && a > UINT64_MAX / b ? UINT64_MAX : a * b; }; // saturating
    uint64_t n = mul(mul(o.gics.size(), o.triggers.size()), mul(o.eoimodes.size(), o.policies.size()));
    for (const auto &ax : o.axes) n = mul(n, ax.second.size());
    return n;
}

// ---------------- argument parsing shared by bench and sweep ----------------
int parse_args(Opts &o, int argc, char **argv, bool sweep, bool &help)
{
    help = false;
    for (int i = 0; i < argc; i++) {
        std::string a = argv[i];
        if (a == "--help" || a == "-h") {
            help = true;
            return EXIT_OK;
        }
        std::string key, val;
        bool has_val = false;
        if (a.rfind("--", 0) == 0) {
            key = a.substr(2);
            size_t eq = key.find('=');
            if (eq != std::string::npos) {
                val = key.substr(eq + 1);
                key = key.substr(0, eq);
                has_val = true;
            }
        } else if (a == "-j") {
            key = "j";
        } else {
            return usage_error("%s: unexpected argument '%s'", sweep ? "sweep" : "bench", a.c_str());
        }
        if (key == "strict" && !sweep) {
            o.strict = true;
            continue;
        }
        if (key == "quiet" && !has_val) {
            o.quiet = true;
            continue;
        }
        auto need = [&]() -> bool {
            if (has_val) return true;
            if (i + 1 >= argc) return false;
            val = argv[++i];
            return true;
        };
        if (!need() || (key == "out" && !val.empty() && val[0] == '-'))
            return usage_error("option --%s needs a value", key.c_str());
        std::string e;
        if (sweep && key != "plan" && key != "point" && key != "j" && key != "jobs") {
            // The grid's own arguments, as given (--plan keeps them for the points and --merge).
            o.grid_args.push_back("--" + key);
            // A configuration file or device tree is named by its absolute path: points may run in other directories.
            char *abs = key == "config" || key == "dtb" ? realpath(val.c_str(), nullptr) : nullptr;
            o.grid_args.push_back(abs ? abs : val);
            free(abs);
        }
        if (key == "config") e = load_config(o, val, sweep);
        else if (key == "plan" && sweep) o.plan = val;
        else if (key == "point" && sweep) {
            if (!parse_u64(val, o.point) || o.point == UINT64_MAX)
                e = "--point takes a point number, not '" + val + "'";
        } else if (key == "json" && !sweep) o.json = val;
        else if (key == "record-gic" && !sweep) o.record = val;
        else if (key == "vcd" && !sweep) {
            if (val.empty() || val[0] == '-') e = "--vcd takes a FILE, not '" + val + "'";
            else o.vcd = val;
        } else if ((key == "vcd-from" || key == "vcd-to") && !sweep) {
            uint64_t n = 0;
            const char *why = vcd_cli_cycle(val.c_str(), &n);
            if (why) e = "--" + key + " takes " + why + ", not '" + val + "'";
            else (key == "vcd-from" ? o.vcd_window.from : o.vcd_window.to) = n;
            o.vcd_window_set = true;
        } else if (key == "timeline" && !sweep) o.timeline = val;
        else if (key == "dtb") o.dtb = val;
        else if (key == "timeline-runs" && !sweep) {
            uint64_t n;
            if (!parse_u64(val, n) || n < 1 || n > 1000) e = "--timeline-runs takes 1..1000, not '" + val + "'";
            else o.timeline_runs = (uint32_t)n;
        } else if (key == "csv") o.csv = val;
        else if (key == "html") o.html = val;
        else if (key == "out" && sweep) o.out_dir = val;
        else if (key == "max-points" && sweep) {
            uint64_t n;
            if (!parse_u64(val, n) || n < 1 || n > kMaxPointsCap)
                e = "--max-points takes a whole number 1.." + std::to_string(kMaxPointsCap) + ", not '" + val + "'";
            else o.max_points = n;
        } else if (key == "j" || key == "jobs") {
            uint64_t n;
            if (!parse_u64(val, n) || n < 1 || n > 256) e = "-j takes 1..256, not '" + val + "'";
            else o.procs = (unsigned)n;
        } else e = set_key(o, key, val, sweep, true);
        if (!e.empty()) {
            if (!find_param(norm_key(key)) && e.rfind("unknown parameter", 0) == 0)
                return usage_error("unknown option '--%s'", key.c_str());
            return usage_error("%s", e.c_str());
        }
    }
    std::string e = check_params(o.p);
    if (!e.empty()) return usage_error("%s", e.c_str());
    if (o.vcd_window_set && o.vcd.empty()) return usage_error("--vcd-from and --vcd-to go with --vcd FILE");
    if (o.vcd_window.from > o.vcd_window.to)
        return usage_error("--vcd-from %llu is after --vcd-to %llu", (unsigned long long)o.vcd_window.from,
                           (unsigned long long)o.vcd_window.to);
    if (o.model == "rtl") {
#ifndef GICSIM_HAVE_RTL
        return usage_error("--model rtl: this gicsim was built without Verilator (no RTL reference)");
#endif
        if (!o.gics_set) o.gics = { 3 }; // GICv3 unless --gic names GICv2 too (a GICv2 build: docs/rtl.md)
    }
    if (!o.seqs_set) {
        o.seqs.clear();
        for (int s = 0; s < SEQ_COUNT; s++) o.seqs.push_back(s);
    }
    if (!o.procs) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        o.procs = n > 0 ? (unsigned)n : 1;
    }
    return -1;
}
} // namespace bench
