// bench_timeline.cpp: Chrome/Perfetto trace events of selected benchmark runs (bench_timeline.h).
#include "bench_timeline.h"

#include "bench_opts.h"
#include "bench_report.h"

#include <cerrno>
#include <cinttypes>
#include <cstdio>
#include <cmath>
#include <cstring>
#include <algorithm>

namespace bench {

const char *const kTrackNames[TL_COUNT] = {
    "", "guest vCPU 0", "hypervisor", "bus", "GIC distributor/redistributor", "CPU interface 0"
};

void Timeline::slice(Track t, const std::string &name, uint64_t t0, uint64_t t1, const std::string &args)
{
    if (on) ev_.push_back({ 'X', t, name, args, t0, t1 > t0 ? t1 - t0 : 0, 0 });
}

void Timeline::instant(Track t, const std::string &name, uint64_t ps, const std::string &args)
{
    if (on) ev_.push_back({ 'i', t, name, args, ps, 0, 0 });
}

void Timeline::flow(char phase, Track t, uint64_t id, uint64_t ps)
{
    if (on) ev_.push_back({ phase, t, "write to vIRQ", "", ps, 0, id });
}

std::string json_str(const std::string &s)
{
    std::string o = "\"";
    for (unsigned char c : s) {
        if (c == '"' || c == '\\') o += '\\', o += (char)c;
        else if (c < 0x20) {
            char b[8];
            snprintf(b, sizeof b, "\\u%04x", c);
            o += b;
        } else o += (char)c;
    }
    return o + "\"";
}

// Microseconds (Chrome's unit) from picoseconds, exactly: 6 decimals.
static std::string us(uint64_t ps)
{
    char b[40];
    snprintf(b, sizeof b, "%" PRIu64 ".%06" PRIu64, ps / 1000000, ps % 1000000);
    return b;
}

std::string Timeline::events(int pid) const
{
    std::string o;
    for (const Ev &e : ev_) {
        if (!o.empty()) o += ",\n";
        o += "{\"ph\":\"" + std::string(1, e.ph) + "\",\"pid\":" + std::to_string(pid) +
             ",\"tid\":" + std::to_string((int)e.t) + ",\"ts\":" + us(e.ps) + ",\"name\":" + json_str(e.name);
        if (e.ph == 'X') o += ",\"dur\":" + us(e.dur_ps) + ",\"cat\":\"slice\"";
        if (e.ph == 'i') o += ",\"s\":\"t\",\"cat\":\"gic\"";
        if (e.ph == 's' || e.ph == 't' || e.ph == 'f')
            o += ",\"cat\":\"flow\",\"id\":" + std::to_string(e.id) + (e.ph == 's' ? "" : ",\"bp\":\"e\"");
        if (!e.args.empty()) o += ",\"args\":{" + e.args + "}";
        o += "}";
    }
    return o;
}

std::string Timeline::lanes() const
{
    std::string o;
    size_t m = 0;
    for (size_t i = 0; i <= ev_.size(); i++) {
        for (; m < marks_.size() && marks_[m].first == i; m++) o += "S " + std::to_string(marks_[m].second) + "\n";
        if (i == ev_.size()) break;
        const Ev &e = ev_[i];
        if (e.ph == 'X' || e.ph == 'i')
            o += std::string(e.ph == 'X' ? "X " : "I ") + std::to_string((int)e.t) + " " + std::to_string(e.ps) + " " +
                 (e.ph == 'X' ? std::to_string(e.dur_ps) + " " : "") + e.name + "\n";
    }
    return o;
}

std::map<int, std::vector<LaneEvent>> parse_lanes(const std::string &text)
{
    std::map<int, std::vector<LaneEvent>> out;
    std::vector<LaneEvent> *cur = nullptr;
    size_t pos = 0;
    while (pos < text.size()) {
        size_t nl = text.find('\n', pos);
        std::string line = text.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos);
        pos = nl == std::string::npos ? text.size() : nl + 1;
        char kind = 0;
        int a = 0, used = 0;
        unsigned long long t = 0, d = 0;
        if (sscanf(line.c_str(), "S %d", &a) == 1 && line[0] == 'S') {
            cur = &out[a];
        } else if (cur && sscanf(line.c_str(), "%c %d %llu %llu %n", &kind, &a, &t, &d, &used) == 4 && kind == 'X' &&
                   used > 0) {
            cur->push_back({ a, t, d, line.substr((size_t)used) });
        } else if (cur && sscanf(line.c_str(), "%c %d %llu %n", &kind, &a, &t, &used) == 3 && kind == 'I' && used > 0) {
            cur->push_back({ a, t, 0, line.substr((size_t)used) });
        }
    }
    return out;
}

std::string svg_swimlane(const std::string &title, const std::vector<LaneEvent> &ev, double ns_per_ps)
{
    static const char *const fill[TL_COUNT] = { "", "#1f77b4", "#ff7f0e", "#7f7f7f", "#2ca02c", "#9467bd" };
    const int W = 720, L = 190, R = 10, T = 24, lane = 22, B = 28;
    const int H = T + lane * (TL_COUNT - 1) + B;
    uint64_t t0 = UINT64_MAX, t1 = 0;
    for (const LaneEvent &e : ev) {
        t0 = std::min(t0, e.t_ps);
        t1 = std::max(t1, e.t_ps + e.dur_ps);
    }
    if (ev.empty()) t0 = t1 = 0;
    double span = std::max<double>(1.0, (double)(t1 - t0) * ns_per_ps); // ns
    auto X = [&](uint64_t ps) { return L + (W - L - R) * ((double)(ps - t0) * ns_per_ps) / span; };
    char b[512];
    std::string o = "<svg xmlns='http://www.w3.org/2000/svg' class='swimlane' width='" + std::to_string(W) +
                    "' height='" + std::to_string(H) + "' font-family='sans-serif' font-size='10'>";
    o += "<text x='" + std::to_string(L) + "' y='14' font-size='12' font-weight='bold'>" + html_esc(title) + "</text>";
    for (int t = TL_GUEST; t < TL_COUNT; t++) {
        int y = T + lane * (t - 1);
        snprintf(b, sizeof b,
                 "<rect x='%d' y='%d' width='%d' height='%d' fill='%s'/><text x='%d' y='%d' "
                 "text-anchor='end'>%s</text>",
                 L, y, W - L - R, lane - 2, t % 2 ? "#f7f7f7" : "#eef2f7", L - 6, y + lane / 2 + 3,
                 html_esc(kTrackNames[t]).c_str());
        o += b;
    }
    for (const LaneEvent &e : ev) {
        if (e.track < TL_GUEST || e.track >= TL_COUNT) continue;
        int y = T + lane * (e.track - 1);
        double x = X(e.t_ps), w = std::max(1.0, X(e.t_ps + e.dur_ps) - x);
        if (e.dur_ps)
            snprintf(b, sizeof b, "<rect x='%.1f' y='%d' width='%.1f' height='%d' fill='%s' opacity='0.85'><title>", x,
                     y + 2, w, lane - 6, fill[e.track]);
        else
            snprintf(b, sizeof b, "<line x1='%.1f' x2='%.1f' y1='%d' y2='%d' stroke='#000'><title>", x, x, y + 2,
                     y + lane - 4);
        o += b;
        snprintf(b, sizeof b, "%s: %.1f ns at +%.1f ns</title></%s>", html_esc(e.name).c_str(),
                 (double)e.dur_ps * ns_per_ps, (double)(e.t_ps - t0) * ns_per_ps, e.dur_ps ? "rect" : "line");
        o += b;
    }
    // Round time ticks: 1, 2 or 5 times a power of ten nanoseconds, about four of them.
    double p10 = std::pow(10.0, std::floor(std::log10(std::max(span / 4, 1.0)))), step = 10 * p10;
    for (double m : { 5.0, 2.0, 1.0 })
        if (m * p10 >= span / 5) step = m * p10;
    for (double ns = 0; ns <= span + 1e-9; ns += step) {
        double x = L + (W - L - R) * ns / span;
        snprintf(b, sizeof b,
                 "<line x1='%.1f' x2='%.1f' y1='%d' y2='%d' stroke='#bbb'/><text x='%.1f' y='%d' "
                 "text-anchor='%s'>%.0f ns</text>",
                 x, x, T, H - B + 3, x, H - B + 14, ns + step > span + 1e-9 && ns > 0 ? "end" : "middle", ns);
        o += b;
    }
    return o + "</svg>";
}

std::string merge_timeline(const std::string &file, const std::vector<std::string> &names,
                           const std::vector<std::string> &parts)
{
    std::string body = "{\"displayTimeUnit\":\"ns\",\"otherData\":{\"producer\":\"gicsim bench --timeline\"},"
                       "\"traceEvents\":[\n";
    bool first = true;
    auto add = [&](const std::string &ev) {
        if (ev.empty()) return;
        body += first ? "" : ",\n";
        body += ev;
        first = false;
    };
    for (size_t i = 0; i < names.size(); i++) {
        int pid = (int)i + 1;
        add("{\"ph\":\"M\",\"pid\":" + std::to_string(pid) +
            ",\"name\":\"process_name\",\"args\":{\"name\":" + json_str(names[i]) + "}}");
        for (int t = TL_GUEST; t < TL_COUNT; t++)
            add("{\"ph\":\"M\",\"pid\":" + std::to_string(pid) + ",\"tid\":" + std::to_string(t) +
                ",\"name\":\"thread_name\",\"args\":{\"name\":" + json_str(kTrackNames[t]) + "}}");
        std::string text, why;
        if (!read_file(parts[i], text, why)) return "cannot read " + parts[i] + ": " + why;
        add(text);
    }
    body += "\n]}\n";
    FILE *f = fopen(file.c_str(), "w");
    if (!f) return "cannot write " + file + ": " + strerror(errno);
    bool ok = fwrite(body.data(), 1, body.size(), f) == body.size();
    int e = errno;
    if (fclose(f) != 0 && ok) ok = false, e = errno;
    return ok ? "" : "cannot write " + file + ": " + strerror(e ? e : EIO);
}

} // namespace bench
