// bench_timeline.cpp: Chrome/Perfetto trace events of selected benchmark runs (bench_timeline.h).
#include "bench_timeline.h"

#include "bench_opts.h"

#include <cerrno>
#include <cinttypes>
#include <cstdio>
#include <cstring>

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
