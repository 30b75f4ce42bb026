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
    bool next(uint64_t cycle, CycleStim &s) override {
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
    std::string stats() const override {
        return "replayed " + std::to_string(accesses_) + " accesses and " +
               std::to_string(items_.size() - accesses_) + " line changes over " + std::to_string(end_) + " cycles";
    }

private:
    std::vector<Item> items_;
    uint64_t end_;
    size_t pos_ = 0;
    uint64_t accesses_ = 0;
};

bool fail(std::string *why, const std::string &path, unsigned line, const std::string &m) {
    if (why) *why = path + ":" + std::to_string(line) + ": " + m;
    return false;
}

// Reads the whole file; items in cycle order, at most one access per cycle (the register port takes one).
bool parse(const std::string &path, StimConfig &cfg, std::vector<Item> &items, uint64_t &end, std::string *why) {
    std::ifstream in(path);
    if (!in) return fail(why, path, 0, "cannot read the file");
    std::string text;
    unsigned n = 0;
    bool have_cfg = false, have_end = false;
    uint64_t last = 0, last_access = UINT64_MAX;
    while (std::getline(in, text)) {
        n++;
        if (text.empty() || text[0] == '#') continue;
        std::istringstream l(text);
        if (text.compare(0, 7, "config ") == 0) {
            unsigned c = 0, s = 0, r = 0, o = 0;
            if (sscanf(text.c_str(), "config cpus=%u spis=%u lrs=%u one_of_n=%u", &c, &s, &r, &o) != 4)
                return fail(why, path, n, "bad config line");
            cfg.cpus = c;
            cfg.spis = s;
            cfg.lrs = r;
            cfg.one_of_n = o != 0;
            have_cfg = true;
            continue;
        }
        uint64_t cycle;
        std::string kind;
        if (!(l >> cycle >> kind)) return fail(why, path, n, "expected 'CYCLE KIND ...'");
        if (!have_cfg) return fail(why, path, n, "no config line before the stimuli");
        if (have_end) return fail(why, path, n, "stimulus after 'end'");
        if (cycle < last) return fail(why, path, n, "cycles go backwards");
        last = cycle;
        Item it{};
        it.cycle = cycle;
        if (kind == "end") {
            end = cycle;
            have_end = true;
            continue;
        } else if (kind == "access") {
            unsigned f, w, sz, cpu;
            std::string off, data;
            if (!(l >> f >> w >> sz >> cpu >> off >> data) || f >= GIC_FRAME_COUNT || w > 1 || cpu >= cfg.cpus ||
                (sz != 1 && sz != 2 && sz != 4 && sz != 8))
                return fail(why, path, n, "bad access line");
            if (cycle == last_access) return fail(why, path, n, "two accesses in one cycle (one register port)");
            last_access = cycle;
            it.is_access = true;
            it.access.frame = static_cast<uint8_t>(f);
            it.access.write = w != 0;
            it.access.size = static_cast<uint8_t>(sz);
            it.access.cpu = static_cast<uint16_t>(cpu);
            it.access.offset = static_cast<uint32_t>(strtoul(off.c_str(), nullptr, 0));
            it.access.data = strtoull(data.c_str(), nullptr, 0);
        } else if (kind == "spi") {
            unsigned id, lv;
            if (!(l >> id >> lv) || id < 32 || id >= 32 + cfg.spis || lv > 1) return fail(why, path, n, "bad spi line");
            it.pin.ppi = false;
            it.pin.intid = id;
            it.pin.level = lv != 0;
        } else if (kind == "ppi") {
            unsigned cpu, id, lv;
            if (!(l >> cpu >> id >> lv) || cpu >= cfg.cpus || id < 16 || id > 31 || lv > 1)
                return fail(why, path, n, "bad ppi line");
            it.pin.ppi = true;
            it.pin.cpu = cpu;
            it.pin.intid = id;
            it.pin.level = lv != 0;
        } else {
            return fail(why, path, n, "unknown kind '" + kind + "'");
        }
        items.push_back(it);
    }
    if (!have_cfg) return fail(why, path, n, "no config line");
    if (!have_end) return fail(why, path, n, "no 'end' line (the recording was cut short)");
    return true;
}

}  // namespace

bool replay_config(const std::string &path, StimConfig &config, std::string *why) {
    std::vector<Item> items;
    uint64_t end = 0;
    return parse(path, config, items, end, why);
}

std::unique_ptr<Stimulus> make_replay(const std::string &path, const StimConfig &cfg, std::string *why) {
    StimConfig file;
    std::vector<Item> items;
    uint64_t end = 0;
    if (!parse(path, file, items, end, why)) return nullptr;
    if (file.cpus != cfg.cpus || file.spis != cfg.spis || file.lrs != cfg.lrs || file.one_of_n != cfg.one_of_n) {
        if (why) *why = path + ": recorded for " + std::to_string(file.cpus) + " CPUs, " + std::to_string(file.spis) +
                        " SPIs, " + std::to_string(file.lrs) + " LRs, not this RTL build's configuration";
        return nullptr;
    }
    return std::make_unique<Replay>(std::move(items), end);
}

}  // namespace rtlb
