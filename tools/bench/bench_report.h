// bench_report.h: the outputs of `gicsim bench` and `gicsim sweep` (docs/benchmark.md, "Outputs"): the terminal
// table and the eager-against-lazy summary, JSON and CSV (bench_report.cpp), and the self-contained HTML report with
// SVG plots (bench_html.cpp). bench_cli.cpp runs the jobs and writes these to their files.
#ifndef GICSIM_BENCH_REPORT_H
#define GICSIM_BENCH_REPORT_H

#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "bench.h"
#include "bench_timeline.h"
#include "bench_opts.h"

namespace bench {

// One result row: a job and one of its sequences.
struct Row {
    const Job *job;
    const SeqResult *r;
};

std::string gic_name(int g);
std::string trig_name(bool level);
double ns_per_cycle(const Params &p);
std::string jstr(const std::string &s); // a JSON string literal
std::string config_json(const Opts &o, const Params &p, const char *indent);
void write_json(const Opts &o, const std::vector<Row> &rows, FILE *f);
void write_csv(const std::vector<Row> &rows, FILE *f, const std::vector<std::string> &axis_keys);
const SegStats *seg_of(const SeqResult *r, const std::string &name);
// One block's (GIC version g, trigger t, EOImode e) results of sequence s, one per policy of `pols` (nullptr where
// that job did not run it), and the segment names they have, in order.
std::vector<const SeqResult *> results_of(const std::vector<Row> &rows, int g, int t, int e, int s,
                                          const std::vector<int> &pols);
std::vector<std::string> seg_names_of(const std::vector<const SeqResult *> &rs);
void print_table(const Opts &o, const std::vector<Row> &rows, FILE *f);
void print_claim(const Opts &o, const std::vector<Row> &rows, FILE *f);

// HTML (bench_html.cpp)
extern const char *const kHtmlHead; // printf format: the page's title
std::string html_esc(const std::string &s);
std::string svg_lines(const std::string &title, const std::vector<std::string> &xs,
                      const std::vector<std::string> &series,
                      const std::vector<std::vector<const SegStats *>> &vals /* [series][x] */);
// lanes: each job's run-0 swimlane events by sequence (bench_timeline.h), for the chart of each sequence.
void write_bench_html(const Opts &o, const std::vector<Row> &rows, FILE *f, const std::string &table_text,
                      const std::map<const Job *, std::map<int, std::vector<struct LaneEvent>>> &lanes);
// The sweep's page: one plot per sequence and segment, the grid points (labels xs) along the x axis.
void write_sweep_html(const Opts &o, const std::vector<std::string> &xs, const std::vector<Row> &rows, FILE *f);

} // namespace bench

#endif
