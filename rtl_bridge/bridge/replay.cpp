// replay.cpp: a recorded platform stimulus (tlm/src/engine_record.cpp's format) as a lock-step Stimulus: the same
// accesses and line changes in the same cycles, so the SPEND/CPEND stories of `gicsim bench` (or any platform's run)
// are compared cycle by cycle between the C kernels and the RTL.
#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

#include "gicsim/gic.h"
#include "stimulus.h"

namespace rtlb {
namespace {

struct Item {
    uint64_t cycle;
    bool is_access;
    Access access;
    PinChange pin;
};

class Replay final : public Stimulus {
public:
    Replay(std::vector<Item> items, uint64_t end) : items_(std::move(items)), end_(end) {}
    bool next(uint64_t cycle, CycleStim &s) override
    {
        if (cycle > end_) return false;
        s = CycleStim();
        for (; pos_ < items_.size() && items_[pos_].cycle == cycle; pos_++) {
            const Item &it = items_[pos_];
            if (it.is_access) {
                s.has_access = true;
                s.access = it.access;
                accesses_++;
            } else {
                s.pins.push_back(it.pin);
            }
        }
        return true;
    }
    std::string stats() const override
    {
        return "replayed " + std::to_string(accesses_) + " accesses and " + std::to_string(items_.size() - accesses_) +
               " line changes over " + std::to_string(end_) + " cycles";
    }

private:
    std::vector<Item> items_;
    uint64_t end_;
    size_t pos_ = 0;
    uint64_t accesses_ = 0;
};

bool fail(std::string *why, const std::string &path, unsigned line, const std::string &m)
{
    if (why) *why = path + ":" + std::to_string(line) + ": " + m;
    return false;
}

// One unsigned field, whole and in range: decimal digits, or 0x and hex digits (what the recorder writes); no sign,
// no spaces, no suffix, no overflow. [lo, hi] inclusive.
bool num(const std::string &t, uint64_t lo, uint64_t hi, uint64_t &out)
{
    if (t.empty()) return false;
    size_t i = 0;
    unsigned base = 10;
    if (t.size() > 2 && t[0] == '0' && (t[1] == 'x' || t[1] == 'X')) {
        base = 16;
        i = 2;
    }
    uint64_t v = 0;
    for (; i < t.size(); i++) {
        char c = t[i];
        unsigned d;
        if (c >= '0' && c <= '9') d = unsigned(c - '0');
        else if (base == 16 && c >= 'a' && c <= 'f') d = unsigned(c - 'a' + 10);
        else if (base == 16 && c >= 'A' && c <= 'F') d = unsigned(c - 'A' + 10);
        else return false;
        if (v > (UINT64_MAX - d) / base) return false; // beyond 2^64 - 1
        v = v * base + d;
    }
    if (v < lo || v > hi) return false;
    out = v;
    return true;
}

// The line's fields, split at spaces and tabs (anything else, a CR too, stays in a field and makes it bad).
std::vector<std::string> fields(const std::string &text)
{
    std::vector<std::string> f;
    size_t i = 0;
    while (i < text.size()) {
        while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) i++;
        size_t b = i;
        while (i < text.size() && text[i] != ' ' && text[i] != '\t') i++;
        if (i > b) f.push_back(text.substr(b, i - b));
    }
    return f;
}

// "key=VALUE" with VALUE a number in [lo, hi]
bool keyval(const std::string &t, const char *key, uint64_t lo, uint64_t hi, uint64_t &out)
{
    size_t k = strlen(key);
    return t.size() > k + 1 && t.compare(0, k, key) == 0 && t[k] == '=' && num(t.substr(k + 1), lo, hi, out);
}

// Reads the whole file; items in cycle order, at most one access per cycle (the register port takes one). Every
// field is checked whole and in range; the end cycle may not lie beyond max_end (the run-time bound).
bool parse(const std::string &path, StimConfig &cfg, std::vector<Item> &items, uint64_t &end, uint64_t max_end,
           std::string *why)
{
    std::ifstream in(path);
    if (!in) return fail(why, path, 0, "cannot read the file");
    std::string text;
    unsigned n = 0;
    bool have_cfg = false, have_end = false;
    uint64_t last = 0, last_access = UINT64_MAX;
    while (std::getline(in, text)) {
        n++;
        if (text.empty() || text[0] == '#') continue;
        std::vector<std::string> f = fields(text);
        if (f.empty()) continue;
        if (f[0] == "config") {
            uint64_t c, s, r, o;
            if (have_cfg) return fail(why, path, n, "a second config line");
            if (f.size() != 5 || !keyval(f[1], "cpus", 1, 64, c) || !keyval(f[2], "spis", 0, 988, s) ||
                !keyval(f[3], "lrs", 0, 16, r) || !keyval(f[4], "one_of_n", 0, 1, o))
                return fail(why, path, n, "bad config line (expected 'config cpus=N spis=N lrs=N one_of_n=0|1')");
            cfg.cpus = unsigned(c);
            cfg.spis = unsigned(s);
            cfg.lrs = unsigned(r);
            cfg.one_of_n = o != 0;
            have_cfg = true;
            continue;
        }
        uint64_t cycle;
        if (f.size() < 2) return fail(why, path, n, "expected 'CYCLE KIND ...'");
        if (!num(f[0], 0, UINT64_MAX, cycle)) return fail(why, path, n, "bad cycle '" + f[0] + "'");
        const std::string &kind = f[1];
        if (!have_cfg) return fail(why, path, n, "no config line before the stimuli");
        if (have_end) return fail(why, path, n, "stimulus after 'end'");
        if (cycle < last) return fail(why, path, n, "cycles go backwards");
        if (cycle > max_end)
            return fail(why, path, n,
                        "cycle " + f[0] + " is beyond the limit of " + std::to_string(max_end) +
                            " cycles (--max-cycles)");
        last = cycle;
        Item it{};
        it.cycle = cycle;
        // the fields after CYCLE KIND, checked one by one
        auto bad = [&](size_t i, const char *what) {
            return fail(why, path, n, std::string("bad ") + what + (i < f.size() ? " '" + f[i] + "'" : ""));
        };
        if (kind == "end") {
            if (f.size() != 2) return fail(why, path, n, "trailing fields after 'end'");
            end = cycle;
            have_end = true;
            continue;
        } else if (kind == "access") {
            if (f.size() != 8) return fail(why, path, n, "expected 'CYCLE access FRAME WRITE SIZE CPU OFFSET DATA'");
            uint64_t fr, w, sz, cpu, off, data;
            if (!num(f[2], 0, GIC_FRAME_VSYSREG, fr)) return bad(2, "frame"); // the RTL has no ITS frames
            if (!num(f[3], 0, 1, w)) return bad(3, "write flag");
            if (!num(f[4], 1, 8, sz) || (sz != 1 && sz != 2 && sz != 4 && sz != 8)) return bad(4, "size");
            if (!num(f[5], 0, cfg.cpus - 1, cpu)) return bad(5, "cpu");
            if (!num(f[6], 0, UINT32_MAX, off)) return bad(6, "offset (below 2^32)");
            if (!num(f[7], 0, UINT64_MAX, data)) return bad(7, "data (below 2^64)");
            if (cycle == last_access) return fail(why, path, n, "two accesses in one cycle (one register port)");
            last_access = cycle;
            it.is_access = true;
            it.access.frame = static_cast<uint8_t>(fr);
            it.access.write = w != 0;
            it.access.size = static_cast<uint8_t>(sz);
            it.access.cpu = static_cast<uint16_t>(cpu);
            it.access.offset = static_cast<uint32_t>(off);
            it.access.data = data;
        } else if (kind == "spi") {
            if (f.size() != 4) return fail(why, path, n, "expected 'CYCLE spi INTID LEVEL'");
            uint64_t id, lv;
            if (cfg.spis == 0 || !num(f[2], 32, 32 + uint64_t(cfg.spis) - 1, id)) return bad(2, "SPI INTID");
            if (!num(f[3], 0, 1, lv)) return bad(3, "level");
            it.pin.ppi = false;
            it.pin.intid = unsigned(id);
            it.pin.level = lv != 0;
        } else if (kind == "ppi") {
            if (f.size() != 5) return fail(why, path, n, "expected 'CYCLE ppi CPU INTID LEVEL'");
            uint64_t cpu, id, lv;
            if (!num(f[2], 0, cfg.cpus - 1, cpu)) return bad(2, "cpu");
            if (!num(f[3], 16, 31, id)) return bad(3, "PPI INTID");
            if (!num(f[4], 0, 1, lv)) return bad(4, "level");
            it.pin.ppi = true;
            it.pin.cpu = unsigned(cpu);
            it.pin.intid = unsigned(id);
            it.pin.level = lv != 0;
        } else {
            return fail(why, path, n, "unknown kind '" + kind + "'");
        }
        items.push_back(it);
    }
    if (in.bad()) return fail(why, path, n, "read error");
    if (!have_cfg) return fail(why, path, n, "no config line");
    if (!have_end) return fail(why, path, n, "no 'end' line (the recording was cut short)");
    // The recording names no GIC version: one that accesses the GICv2 CPU interface frames (GICC, GICH, GICV,
    // absent on GICv3) was made on a GICv2, every other one is replayed on a GICv3 build.
    cfg.version = 3;
    for (const Item &it : items)
        if (it.is_access && (it.access.frame == GIC_FRAME_GICC || it.access.frame == GIC_FRAME_GICH ||
                             it.access.frame == GIC_FRAME_GICV))
            cfg.version = 2;
    return true;
}

} // namespace

bool replay_config(const std::string &path, StimConfig &config, uint64_t max_end, std::string *why)
{
    std::vector<Item> items;
    uint64_t end = 0;
    return parse(path, config, items, end, max_end, why);
}

std::unique_ptr<Stimulus> make_replay(const std::string &path, const StimConfig &cfg, uint64_t max_end,
                                      std::string *why)
{
    StimConfig file;
    std::vector<Item> items;
    uint64_t end = 0;
    if (!parse(path, file, items, end, max_end, why)) return nullptr;
    if (file.cpus != cfg.cpus || file.spis != cfg.spis || file.lrs != cfg.lrs || file.one_of_n != cfg.one_of_n ||
        file.version != cfg.version) {
        if (why)
            *why = path + ": recorded for a GICv" + std::to_string(file.version) + " with " +
                   std::to_string(file.cpus) + " CPUs, " + std::to_string(file.spis) + " SPIs, " +
                   std::to_string(file.lrs) + " LRs, not this RTL build's configuration";
        return nullptr;
    }
    return std::make_unique<Replay>(std::move(items), end);
}

} // namespace rtlb
