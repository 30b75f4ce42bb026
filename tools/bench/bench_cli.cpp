// bench_cli.cpp: `gicsim bench` and `gicsim sweep`: options, configuration files, jobs, and the
// outputs (terminal table, JSON as docs/benchmark.md "Outputs", CSV, self-contained HTML with SVG plots).
#include "bench.h"
#include "bench_timeline.h"
#include "bench_opts.h"
#include "bench_report.h"
#include "commands.h"

#include <algorithm>
#include <cerrno>
#include <cinttypes>
#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <set>
#include <sstream>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace bench {
namespace {

struct OutFile {
    std::string path;
    FILE *f = nullptr;
    int fd = -1;
    char *buf = nullptr;
    size_t len = 0;
    int err = 0; // errno of a failed open
    bool open(const std::string &p)
    {
        path = p;
        if (p.empty()) return true;
        if (p == "-") {
            f = stdout;
            return true;
        }
        fd = ::open(p.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
        if (fd < 0) {
            err = errno;
            return false;
        }
        f = open_memstream(&buf, &len);
        if (!f) {
            err = errno;
            return false;
        }
        return true;
    }
    int open_error() const { return write_error(path.c_str(), err); }
    // Returns EXIT_OK or EXIT_USAGE (after one line on stderr).
    int finish()
    {
        if (!f) return EXIT_OK;
        FILE *g = f;
        f = nullptr;
        if (g == stdout) return finish_stdout() == 0 ? EXIT_OK : EXIT_USAGE;
        int e = 0;
        if (fclose(g) != 0) e = errno ? errno : ENOMEM;
        const char *b = buf;
        size_t left = e ? 0 : len;
        while (left) {
            ssize_t n = write(fd, b, left);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) {
                e = n < 0 ? errno : EIO;
                break;
            }
            b += n;
            left -= (size_t)n;
        }
        if (close(fd) != 0 && !e) e = errno;
        fd = -1;
        return e ? write_error(path.c_str(), e) : EXIT_OK;
    }
    ~OutFile()
    {
        if (f && f != stdout) fclose(f);
        if (fd >= 0) close(fd);
        free(buf);
    }
};

// Probes --record-gic's first file before any job runs: it must open and take a write (a full device,
// a read-only directory, a missing directory: exit 2 with one line, not once per job).
int probe_record(const std::string &path)
{
    OutFile o;
    if (!o.open(path)) return o.open_error();
    fputs("# gicsim stimulus (being recorded)\n", o.f);
    return o.finish();
}

// mkdir -p with mkdir(2): "" or why DIR cannot be created (or is not a directory), then checks it takes files.
std::string make_dirs(const std::string &dir)
{
    std::string cur;
    size_t pos = 0;
    while (pos <= dir.size()) {
        size_t sl = dir.find('/', pos);
        if (sl == std::string::npos) sl = dir.size();
        cur = dir.substr(0, sl);
        pos = sl + 1;
        if (cur.empty() || cur == "." || cur == "..") continue;
        if (mkdir(cur.c_str(), 0777) != 0 && errno != EEXIST) return strerror(errno);
    }
    struct stat st;
    if (stat(dir.c_str(), &st) != 0) return strerror(errno);
    if (!S_ISDIR(st.st_mode)) return strerror(ENOTDIR);
    if (access(dir.c_str(), W_OK | X_OK) != 0) return strerror(errno);
    return "";
}

bool violates(const SeqResult &r) { return r.violations || r.ignored_deacts || r.blocked; }

void print_bench_help()
{
    printf(
        "usage: gicsim bench [options]\n\n"
        "Runs the guest's SPEND/CPEND/ACTIVE sequences on hardware-mapped interrupts on a SystemC platform\n"
        "(gicsim::Gic over TLM, a memory bus, a CPU running the guest and the hypervisor's vgic), for each\n"
        "GIC version, trigger, virtual EOImode and policy, and reports each segment's latency in GIC cycles\n"
        "(median, p99; --json/--csv/--html: min, median, p99, max and ns) over --runs repetitions with seeded\n"
        "jitter, the physical register accesses, the rule checker's violations and blocked reassertions.\n"
        "Without options: the built-in default (v2 and v3, edge and level, EOImode 0 and 1, lazy/eager/none,\n"
        "every sequence). docs/benchmark.md says what each sequence and segment measures.\n\n"
        "  --gic v2|v3[,..]          --trigger edge|level[,..]   --eoimode 0|1[,..]   --policy lazy|eager|none[,..]\n"
        "  --sequence NAME[,..]      (repeatable)\n"
        "  --config FILE             KEY=VALUE lines (# comments); the keys are the option names below\n"
        "                            with '_' for '-' (and gic, trigger, eoimode, policy, sequence, timing, costs)\n"
        "  --timing k=v,..           req, resp, ack, line, prio, deliver, deact, hwdeact, maint, out\n"
        "  --costs k=v,..            cpu_mhz, trap_entry, trap_exit, emul_access, vm_entry, vm_exit, lr_write, ...\n"
        "  --json FILE               results as JSON (docs/benchmark.md, Outputs; '-' for stdout)\n"
        "  --csv FILE                one line per result and segment\n"
        "  --html FILE               self-contained report with SVG plots\n"
        "  --strict                  exit 1 if a lazy or eager result shows a violation, an ignored HW\n"
        "                            deactivation or a blocked reassertion (none is expected to: not counted)\n"
        "  --model c|rtl             the GIC model: the C kernels (default) or the Verilated RTL reference\n"
        "                            (GICv3 unless --gic is given; docs/rtl.md); the same sequences give the\n"
        "                            same cycles\n"
        "  --record-gic PREFIX       write every stimulus the GIC gets to PREFIX-GIC-TRIGGER-eoimodeN-POLICY.stim,\n"
        "                            for gicsim_lockstep --replay (C kernels and RTL cycle by cycle)\n"
        "  --dtb FILE                the GIC (version, CPUs, affinities, maintenance PPI) and frame addresses of\n"
        "                            a device tree (docs/dt.md) instead of QEMU virt's\n"
        "  --timeline FILE           the first run of each sequence as Chrome/Perfetto trace-event JSON\n"
        "                            (tracks: guest, hypervisor, bus, GIC, CPU interface; opens in ui.perfetto.dev)\n"
        "  --timeline-runs N         the first N runs instead (1..1000)\n"
        "  --vcd FILE                the GIC's waveform (VCD, one time unit per GIC cycle, the RTL reference's\n"
        "                            signal names: docs/waveforms.md); needs exactly one job (one --gic, --trigger,\n"
        "                            --eoimode and --policy) and the C kernels; --runs 1 keeps it short\n"
        "  --vcd-from N, --vcd-to N  only the GIC cycles N.. / ..N of the waveform (the first one's values as\n"
        "                            $dumpvars)\n"
        "  -j N                      parallel processes (default: the number of CPUs)\n"
        "  --quiet                   no progress line (shown on a terminal's stderr after 2 s otherwise)\n\n%s\n",
        seq_help);
    print_params_help();
    puts("\nExit status: 0 success, 1 --strict found a violation or a run failed, 2 bad usage or input (also an\n"
         "output that cannot be written or a --config that cannot be read), with one line on stderr.");
}

void print_sweep_help()
{
    printf("usage: gicsim sweep [--KEY V1,V2,..]... [options]\n"
           "       gicsim sweep --merge DIR\n\n"
           "Runs the benchmark (gicsim bench) on every point of a grid and writes one CSV and an HTML page with\n"
           "SVG plots (median of each segment against the grid points, one line per GIC/policy/trigger/EOImode).\n"
           "Every numeric parameter of gicsim bench may take a comma list (an axis), e.g.\n"
           "  gicsim sweep --lrs 1,4,16 --bus-latency 10,30,100 --prio 2,4 --gic v2,v3 --policy lazy,eager\n"
           "Each point (axis values x gic x trigger x eoimode x policy) runs in its own process, -j at a time.\n"
           "Defaults differ from bench: --runs 50, --trigger edge, --eoimode 0.\n\n"
           "  --out DIR        write DIR/sweep.csv and DIR/sweep.html (default: sweep-out)\n"
           "  --csv FILE       --html FILE   instead of --out\n"
           "  -j N             parallel processes (default: the number of CPUs)\n"
           "  --quiet          no progress line (shown on a terminal's stderr after 2 s otherwise)\n"
           "  --config FILE    KEY=VALUE lines; values may be comma lists\n"
           "  --max-points N   refuse a grid of more than N points (default 100000, at most 1000000000)\n"
           "  --plan FILE      run nothing: write OUT/sweep.args and one command per point to FILE\n"
           "  --point K        run point K alone into OUT/point-K.result (a line of the plan)\n"
           "  --merge DIR      (alone) build DIR/sweep.csv and sweep.html from the points' results\n"
           "  --dtb FILE       the GIC and frame addresses of a device tree (docs/dt.md), as gicsim bench\n\n%s\n",
           seq_help);
    print_params_help();
    puts("\nExit status: 0 success, 1 a point failed, 2 bad usage or input (a grid above --max-points, an --out\n"
         "that cannot be created, an output that cannot be written), with one line on stderr.");
}

// A sweep's grid: point i is the numeric axes in mixed radix (the last axis fastest); job k is point k / combos with
// combination k % combos of policy, EOImode, trigger and GIC version (policy fastest).
struct Grid {
    const Opts &o;
    uint64_t combos;
    const struct gic_dt *dt = nullptr; // --dtb
    Params point(uint64_t i, std::string *label) const
    {
        Params q = o.p;
        std::vector<size_t> digit(o.axes.size());
        for (size_t a = o.axes.size(); a-- > 0;) {
            digit[a] = (size_t)(i % o.axes[a].second.size());
            i /= o.axes[a].second.size();
        }
        if (label) label->clear();
        for (size_t a = 0; a < o.axes.size(); a++) {
            uint64_t v = o.axes[a].second[digit[a]];
            find_param(o.axes[a].first)->ref(q) = (uint32_t)v;
            if (label) *label += (label->empty() ? "" : " ") + o.axes[a].first + "=" + std::to_string(v);
        }
        return q;
    }
    Job job(size_t k) const
    {
        Job j;
        std::string label;
        j.p = point(k / combos, &label);
        size_t c = k % combos;
        j.policy = o.policies[c % o.policies.size()];
        c /= o.policies.size();
        j.eoimode = o.eoimodes[c % o.eoimodes.size()];
        c /= o.eoimodes.size();
        j.level = o.triggers[c % o.triggers.size()];
        c /= o.triggers.size();
        j.gic = o.gics[c];
        j.seqs = o.seqs;
        j.model = o.model;
        j.label = label.empty() ? "default" : label;
        if (dt) j.has_dt = true, j.dt = *dt;
        return j;
    }
};

// Parses the options: -1 to go on, or the exit status after --help (EXIT_OK) or a usage error.
int parse_or_help(Opts &o, int argc, char **argv, bool sweep)
{
    bool help;
    int rc = parse_args(o, argc, argv, sweep, help);
    if (!help) return rc;
    (sweep ? print_sweep_help : print_bench_help)();
    return EXIT_OK;
}

// --dtb: the device tree's GIC (its version, CPUs, affinities, maintenance PPI) at its addresses, for every job;
// its version becomes the only --gic. -1 to go on (dt filled when --dtb was given), or the exit status after one line.
int load_dtb(Opts &o, struct gic_dt &dt)
{
    if (o.dtb.empty()) return -1;
    char why[320];
    if (gic_dt_load(o.dtb.c_str(), std::max<uint32_t>(256, o.p.num_spis), &dt, why, sizeof why)) {
        fprintf(stderr, "gicsim: %s\n", why);
        return EXIT_USAGE;
    }
    int v = dt.cfg.version == GIC_V3 ? 3 : 2;
    if (o.gics_set && (o.gics.size() != 1 || o.gics[0] != v))
        return usage_error("--dtb %s describes a GICv%d: no other --gic with it", o.dtb.c_str(), v);
    if (!dt.cfg.maint_ppi)
        return usage_error("--dtb %s: a GIC without the virtualization extensions (no maintenance interrupt); "
                           "the benchmark needs list registers",
                           o.dtb.c_str());
    o.gics = { v };
    return -1;
}

// --model rtl without the RTL configuration the job needs: refused with one line before any job runs.
int refuse_model(const Opts &o, const Job &j)
{
    if (o.model != "rtl") return EXIT_OK;
    std::string why = probe_model(j);
    if (why.empty()) return EXIT_OK;
    fprintf(stderr, "gicsim: %s\n", why.c_str());
    return EXIT_USAGE;
}

// The rows of the jobs that ran; a job that failed is reported (what(job): its name) and makes the status 1.
std::vector<Row> rows_of(const std::vector<Job> &jobs, const std::vector<JobResult> &res, int &status,
                         const std::function<std::string(const Job &)> &what)
{
    std::vector<Row> rows;
    for (size_t i = 0; i < jobs.size(); i++) {
        if (!res[i].ok) {
            fprintf(stderr, "%s: %s\n", what(jobs[i]).c_str(), res[i].error.c_str());
            status = EXIT_CHECK;
            continue;
        }
        for (const SeqResult &r : res[i].seqs) rows.push_back({ &jobs[i], &r });
    }
    return rows;
}

// --vcd FILE: the C kernels' waveform of the one job selected (a waveform is one GIC's run): -1 to go on, or
// EXIT_USAGE after one line.
int vcd_job(const Opts &o, std::vector<Job> &jobs)
{
    if (o.vcd.empty()) return -1;
    if (o.model != "c")
        return usage_error(
            "--vcd writes the C kernels' waveform, not with --model rtl (GICSIM_RTL_VCD=FILE: docs/rtl.md)");
    if (jobs.size() != 1)
        return usage_error("--vcd needs exactly one job (one --gic, --trigger, --eoimode and --policy), not %zu",
                           jobs.size());
    if (probe_record(o.vcd) != EXIT_OK) return EXIT_USAGE;
    jobs[0].vcd = o.vcd;
    jobs[0].vcd_window = o.vcd_window;
    return -1;
}

// The jobs of `gicsim bench`: every version x trigger x EOImode x policy, with its --record-gic file name.
std::vector<Job> bench_jobs(const Opts &o)
{
    std::vector<Job> jobs;
    for (int g : o.gics)
        for (int t : o.triggers)
            for (int e : o.eoimodes)
                for (int p : o.policies) {
                    Job j;
                    j.p = o.p;
                    j.gic = g;
                    j.level = t;
                    j.eoimode = e;
                    j.policy = p;
                    j.seqs = o.seqs;
                    j.model = o.model;
                    if (!o.record.empty())
                        j.record = o.record + "-" + gic_name(g) + "-" + trig_name(t) + "-eoimode" + std::to_string(e) +
                                   "-" + kPolicyNames[p] + ".stim";
                    jobs.push_back(j);
                }
    return jobs;
}

// The terminal table (also the top of the HTML report): header line, table, eager-against-lazy claim.
std::string bench_table(const Opts &o, const std::vector<Row> &rows)
{
    char *buf = nullptr;
    size_t len = 0;
    FILE *mem = open_memstream(&buf, &len);
    fprintf(mem,
            "gicsim %s bench: %u runs per sequence, seed %" PRIu64
            ", bus latency %u+0..%u cycles, %u LRs, CPU %u MHz, GIC %u MHz, %s\n",
            GICSIM_VERSION, o.p.runs, o.p.seed, o.p.bus_latency, o.p.bus_jitter, o.p.num_lrs, o.p.costs.cpu_mhz,
            o.p.gic_mhz, o.model == "rtl" ? "model: the Verilated RTL reference" : "model: the C kernels");
    print_table(o, rows, mem);
    print_claim(o, rows, mem);
    fclose(mem);
    std::string table(buf, len);
    free(buf);
    return table;
}

// --strict: a policy other than none that broke a rule or failed a run makes the status 1 (one line each).
void check_strict(const std::vector<Row> &rows, int &status)
{
    for (const Row &r : rows)
        if (r.job->policy != VGIC_POLICY_NONE && (violates(*r.r) || r.r->errors)) {
            if (status == EXIT_OK) status = EXIT_CHECK;
            fprintf(stderr,
                    "gicsim bench: --strict: GIC%s %s EOImode %d %s %s: %" PRIu64 " violations, %" PRIu64
                    " ignored HW deactivations, %" PRIu64 " blocked reassertions, %" PRIu64 " failed runs\n",
                    gic_name(r.job->gic).c_str(), trig_name(r.job->level).c_str(), r.job->eoimode,
                    kPolicyNames[r.job->policy], kSeqNames[r.r->seq], r.r->violations, r.r->ignored_deacts,
                    r.r->blocked, r.r->errors);
        }
}

} // namespace
} // namespace bench

using namespace bench;

int cmd_bench(int argc, char **argv)
{
    Opts o;
    int rc = parse_or_help(o, argc, argv, false);
    if (rc >= 0) return rc;
    // --dtb: the device tree's GIC (its version, CPUs, affinities, maintenance PPI) at its addresses.
    struct gic_dt dt;
    if ((rc = load_dtb(o, dt)) >= 0) return rc;
    std::vector<Job> jobs = bench_jobs(o);
    for (Job &j : jobs)
        if (!o.dtb.empty()) j.has_dt = true, j.dt = dt;
    // Everything that can be refused is refused here, once, before any job runs (exit 2, one line).
    if (!jobs.empty() && refuse_model(o, jobs[0]) != EXIT_OK) return EXIT_USAGE; // one GIC configuration for all
    if ((rc = vcd_job(o, jobs)) >= 0) return rc;
    OutFile out_json, out_csv, out_html;
    if (!out_json.open(o.json)) return out_json.open_error();
    if (!out_csv.open(o.csv)) return out_csv.open_error();
    if (!out_html.open(o.html)) return out_html.open_error();
    for (const Job &j : jobs)
        if (!j.record.empty() && probe_record(j.record) != EXIT_OK) return EXIT_USAGE;
    // --timeline FILE: each job writes its events to FILE.partN, merged into FILE at the end (bench_timeline.h).
    std::vector<std::string> tl_names, tl_parts;
    if (!o.timeline.empty()) {
        if (probe_record(o.timeline) != EXIT_OK) return EXIT_USAGE;
        for (size_t i = 0; i < jobs.size(); i++) {
            Job &j = jobs[i];
            j.timeline = o.timeline + ".part" + std::to_string(i);
            j.timeline_runs = o.timeline_runs;
            j.timeline_pid = (int)i + 1;
            tl_parts.push_back(j.timeline);
            tl_names.push_back("GICv" + std::to_string(j.gic) + " " + trig_name(j.level) + " EOImode " +
                               std::to_string(j.eoimode) + " " + kPolicyNames[j.policy]);
        }
    }
    // --html: each job writes the first run of each sequence for the swimlanes into a temporary directory.
    std::string lanes_dir;
    if (!o.html.empty()) {
        const char *tmp = getenv("TMPDIR");
        std::string tmpl = std::string(tmp && *tmp ? tmp : "/tmp") + "/gicsim-lanes-XXXXXX";
        std::vector<char> buf(tmpl.begin(), tmpl.end());
        buf.push_back(0);
        if (!mkdtemp(buf.data())) return write_error(tmpl.c_str(), errno);
        lanes_dir = buf.data();
        for (size_t i = 0; i < jobs.size(); i++) jobs[i].lanes = lanes_dir + "/" + std::to_string(i);
    }
    std::vector<JobResult> res = run_jobs(jobs, o.procs, "gicsim bench", o.quiet);
    std::map<const Job *, std::map<int, std::vector<LaneEvent>>> lanes;
    if (!lanes_dir.empty()) {
        for (Job &j : jobs) {
            std::string text, why;
            if (read_file(j.lanes, text, why)) lanes[&j] = parse_lanes(text);
            unlink(j.lanes.c_str());
        }
        rmdir(lanes_dir.c_str());
    }
    if (!o.timeline.empty()) {
        std::string e;
        bool all = true;
        for (const JobResult &r : res) all = all && r.ok;
        if (all) e = merge_timeline(o.timeline, tl_names, tl_parts);
        for (const std::string &part : tl_parts) unlink(part.c_str());
        if (!e.empty()) {
            fprintf(stderr, "gicsim: --timeline: %s\n", e.c_str());
            return EXIT_USAGE;
        }
    }
    // An output a job could not write (--record-gic on a device that filled up meanwhile): exit 2, one line.
    for (const JobResult &r : res)
        if (r.output_error) {
            fprintf(stderr, "gicsim: %s\n", r.error.c_str());
            return EXIT_USAGE;
        }
    int status = EXIT_OK;
    std::vector<Row> rows = rows_of(jobs, res, status, [](const Job &j) {
        return "gicsim bench: GIC" + gic_name(j.gic) + " " + trig_name(j.level) + " EOImode " +
               std::to_string(j.eoimode) + " " + kPolicyNames[j.policy];
    });
    std::string table = bench_table(o, rows);
    if (o.json != "-") fputs(table.c_str(), stdout);
    bool out_failed = false; // after a failed output, the others are not written (one line on stderr)
    auto emit = [&](OutFile &out, std::function<void(FILE *)> fn) {
        if (!out.f || out_failed) return;
        fn(out.f);
        if (out.finish() != EXIT_OK) {
            out_failed = true;
            status = EXIT_USAGE;
        }
    };
    emit(out_json, [&](FILE *f) { write_json(o, rows, f); });
    emit(out_csv, [&](FILE *f) { write_csv(rows, f, {}); });
    emit(out_html, [&](FILE *f) { write_bench_html(o, rows, f, table, lanes); });
    if (o.strict) check_strict(rows, status);
    return status;
}

namespace {
// ---------------- sweeps beyond one machine: --plan, --point, --merge (docs/benchmark.md) ----------------

// A shell word: single quotes around everything but plain characters.
std::string shell_quote(const std::string &w)
{
    if (!w.empty() && w.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-+=.,/:@%") ==
                          std::string::npos)
        return w;
    std::string q = "'";
    for (char c : w) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return q + "'";
}

std::string point_result_path(const std::string &dir, uint64_t k)
{
    return dir + "/point-" + std::to_string(k) + ".result";
}

// --plan FILE: OUT/sweep.args (the grid's arguments, one per line, for the points and --merge) and FILE (one
// command per point, then a comment with the merge command). Nothing runs.
int write_plan(const Opts &o, uint64_t njobs)
{
    char *exe = realpath("/proc/self/exe", nullptr);
    std::string gicsim = exe ? exe : "gicsim";
    free(exe);
    OutFile args, plan;
    if (!args.open(o.out_dir + "/sweep.args")) return args.open_error();
    if (!plan.open(o.plan)) return plan.open_error();
    std::string cmd = shell_quote(gicsim) + " sweep";
    for (const std::string &a : o.grid_args) {
        fprintf(args.f, "%s\n", a.c_str());
        cmd += " " + shell_quote(a);
    }
    fprintf(plan.f,
            "# gicsim sweep plan: %" PRIu64 " points; run every line (each writes %s/point-K.result),\n"
            "# e.g. parallel < PLAN, then: %s sweep --merge %s\n",
            njobs, o.out_dir.c_str(), shell_quote(gicsim).c_str(), shell_quote(o.out_dir).c_str());
    for (uint64_t k = 0; k < njobs; k++) fprintf(plan.f, "%s --point %" PRIu64 "\n", cmd.c_str(), k);
    if (args.finish() != EXIT_OK || plan.finish() != EXIT_OK) return EXIT_USAGE;
    printf("gicsim sweep: %" PRIu64 " points planned in %s (arguments in %s/sweep.args)\n", njobs, o.plan.c_str(),
           o.out_dir.c_str());
    return finish_stdout() == 0 ? EXIT_OK : EXIT_USAGE;
}

// --point K: job K alone, in this process, into OUT/point-K.result (written whole under a temporary name, then
// renamed: a result file is never partial). 0, 1 if the job failed (its reason is in the file too), 2.
int run_point(const Opts &o, const Job &job)
{
    const std::string path = point_result_path(o.out_dir, o.point), tmp = path + ".part";
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (fd < 0) return write_error(tmp.c_str(), errno);
    int rc = run_job_in_child(job, fd);
    int e = fsync(fd) != 0 && errno != EINVAL ? errno : 0;
    if (close(fd) != 0 && !e) e = errno;
    if (!e && rename(tmp.c_str(), path.c_str()) != 0) e = errno;
    if (e) {
        unlink(tmp.c_str());
        return write_error(path.c_str(), e);
    }
    if (rc != 0) fprintf(stderr, "gicsim sweep: point %" PRIu64 " (%s) failed\n", o.point, job.label.c_str());
    return rc == 0 ? EXIT_OK : EXIT_CHECK;
}

// --merge DIR: the results of every point, read back; a missing or unreadable one refuses the merge.
int read_points(const std::string &dir, size_t n, std::vector<JobResult> &res)
{
    res.assign(n, JobResult{});
    for (size_t k = 0; k < n; k++) {
        std::string text, why, path = point_result_path(dir, k);
        if (!read_file(path, text, why)) {
            fprintf(stderr, "gicsim: sweep --merge: point %zu has no result: %s\n", k, why.c_str());
            return EXIT_USAGE;
        }
        if (!parse_job_output(text, res[k])) {
            fprintf(stderr, "gicsim: sweep --merge: %s is not a point result\n", path.c_str());
            return EXIT_USAGE;
        }
    }
    return EXIT_OK;
}

// --merge DIR: the grid's arguments come from DIR/sweep.args; only --quiet may go with it.
int merge_args(int argc, char **argv, std::vector<std::string> &args, std::string &dir)
{
    for (int i = 0; i < argc; i++) {
        std::string a = argv[i];
        if (a == "--merge" && i + 1 < argc) dir = argv[++i];
        else if (a.rfind("--merge=", 0) == 0) dir = a.substr(8);
        else if (a != "--quiet")
            return usage_error("sweep --merge DIR takes no other option (the grid is in DIR/sweep.args), not '%s'",
                               a.c_str());
    }
    if (dir.empty()) return usage_error("option --merge needs a directory");
    std::string text, why;
    if (!read_file(dir + "/sweep.args", text, why)) {
        fprintf(stderr, "gicsim: sweep --merge: cannot read %s/sweep.args: %s\n", dir.c_str(), why.c_str());
        return EXIT_USAGE;
    }
    std::string cur;
    for (char c : text) {
        if (c != '\n') cur += c;
        else args.push_back(cur), cur.clear();
    }
    if (!cur.empty()) return usage_error("sweep --merge: %s/sweep.args does not end with a newline", dir.c_str());
    return -1;
}

} // namespace

int cmd_sweep(int argc, char **argv)
{
    Opts o;
    o.p.runs = 50;
    o.triggers = { 0 };
    o.eoimodes = { 0 };
    // --merge DIR: parse the arguments the plan kept instead of the command line's.
    std::vector<std::string> margs;
    std::string merge_dir;
    bool merge = false;
    for (int i = 0; i < argc; i++) merge = merge || !strcmp(argv[i], "--merge") || !strncmp(argv[i], "--merge=", 8);
    std::vector<char *> mv;
    if (merge) {
        int rc = merge_args(argc, argv, margs, merge_dir);
        if (rc >= 0) return rc;
        for (std::string &a : margs) mv.push_back(&a[0]);
        argc = (int)mv.size();
        argv = mv.data();
    }
    int rc = parse_or_help(o, argc, argv, true);
    if (rc >= 0) return rc;
    if (merge && (!o.plan.empty() || o.point != UINT64_MAX))
        return usage_error("sweep --merge: %s/sweep.args names --plan or --point", merge_dir.c_str());
    if ((!o.plan.empty() || o.point != UINT64_MAX || merge) && (!o.csv.empty() || !o.html.empty()))
        return usage_error("sweep --plan/--point/--merge write into --out DIR (not --csv/--html)");
    if (!o.plan.empty() && o.point != UINT64_MAX) return usage_error("sweep: --plan or --point, not both");
    if (o.out_dir.empty() && o.csv.empty() && o.html.empty()) o.out_dir = "sweep-out";
    struct gic_dt dt; // --dtb: fixes the GIC version before the grid is counted
    if ((rc = load_dtb(o, dt)) >= 0) return rc;
    // The grid's size, counted without overflow (saturating) before anything else.
    const uint64_t combos = (uint64_t)o.gics.size() * o.triggers.size() * o.eoimodes.size() * o.policies.size();
    const uint64_t njobs = grid_points(o), npts = combos ? njobs / combos : 0;
    if (njobs > o.max_points)
        return usage_error("sweep: the grid has more than %" PRIu64
                           " points (axes x gic x trigger x eoimode x policy); "
                           "narrow it or raise --max-points",
                           o.max_points);
    if (o.point != UINT64_MAX && o.point >= njobs)
        return usage_error("sweep --point %" PRIu64 ": the grid has %" PRIu64 " points (0..%" PRIu64 ")", o.point,
                           njobs, njobs ? njobs - 1 : 0);
    std::vector<std::string> axis_keys;
    for (auto &ax : o.axes) axis_keys.push_back(ax.first);
    const Grid grid{ o, combos, o.dtb.empty() ? nullptr : &dt };
    for (uint64_t i = 0; i < npts; i++) {
        std::string e = check_params(grid.point(i, nullptr));
        if (!e.empty()) return usage_error("%s", e.c_str());
    }
    // The output location, checked (and created) before any work.
    if (!o.out_dir.empty()) {
        std::string e = make_dirs(o.out_dir);
        if (!e.empty()) {
            fprintf(stderr, "gicsim: cannot create directory %s: %s\n", o.out_dir.c_str(), e.c_str());
            return EXIT_USAGE;
        }
        if (!o.plan.empty()) {
            // The points may run elsewhere (another directory, another host on a shared file system).
            char *abs = realpath(o.out_dir.c_str(), nullptr);
            if (abs) o.out_dir = abs;
            free(abs);
            for (size_t i = 0; i + 1 < o.grid_args.size(); i += 2)
                if (o.grid_args[i] == "--out")
                    o.grid_args.erase(o.grid_args.begin() + (long)i), o.grid_args.erase(o.grid_args.begin() + (long)i),
                        i -= 2;
            o.grid_args.push_back("--out");
            o.grid_args.push_back(o.out_dir);
        }
        if (o.csv.empty()) o.csv = o.out_dir + "/sweep.csv";
        if (o.html.empty()) o.html = o.out_dir + "/sweep.html";
    }
    auto make_job = [&](size_t k) { return grid.job(k); };
    if (!merge && njobs && refuse_model(o, make_job(0)) != EXIT_OK) return EXIT_USAGE;
    if (!o.plan.empty()) return write_plan(o, njobs);
    if (o.point != UINT64_MAX) return run_point(o, make_job((size_t)o.point));
    OutFile out_csv, out_html;
    if (!out_csv.open(o.csv)) return out_csv.open_error();
    if (!out_html.open(o.html)) return out_html.open_error();
    std::vector<Job> jobs;
    std::vector<JobResult> res;
    if (merge) {
        for (size_t k = 0; k < (size_t)njobs; k++) jobs.push_back(make_job(k));
        if ((rc = read_points(o.out_dir, (size_t)njobs, res)) != EXIT_OK) return rc;
    } else {
        res = run_jobs((size_t)njobs, make_job, jobs, o.procs, "gicsim sweep", o.quiet);
    }
    int status = EXIT_OK;
    std::vector<Row> rows = rows_of(jobs, res, status, [](const Job &j) {
        return "gicsim sweep: point " + j.label + " GIC" + gic_name(j.gic) + " " + kPolicyNames[j.policy];
    });
    write_csv(rows, out_csv.f, axis_keys);
    if (out_csv.finish() != EXIT_OK) return EXIT_USAGE;
    if (out_html.f) {
        std::vector<std::string> xs;
        for (uint64_t i = 0; i < npts; i++) {
            std::string l;
            grid.point(i, &l);
            xs.push_back(l.empty() ? "default" : l);
        }
        write_sweep_html(o, xs, rows, out_html.f);
        if (out_html.finish() != EXIT_OK) return EXIT_USAGE;
    }
    printf("gicsim sweep: %zu points x %zu policy/version combinations, %zu results -> %s%s%s\n", (size_t)npts,
           jobs.size() / std::max<size_t>(1, (size_t)npts), rows.size(), o.csv.c_str(), o.html.empty() ? "" : ", ",
           o.html.c_str());
    return status;
}
