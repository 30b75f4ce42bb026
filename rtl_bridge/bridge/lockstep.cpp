// lockstep.cpp: the lock-step loop: one stimulus per cycle to both sides, then compare responses, pins, state.
#include "lockstep.h"

#include <algorithm>
#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <deque>
#include <map>
#include <sstream>
#include <tuple>
#include <vector>

#include "gicsim/gic.h"
#include "gicsim/gic_regs.h"

namespace rtlb {
namespace {

const char *frame_name(unsigned f) {
    static const char *n[] = {"GICD", "GICR_RD", "GICR_SGI", "GICC", "GICH", "GICV", "SYSREG", "VSYSREG"};
    return f < 8 ? n[f] : "?";
}

std::string describe(gic_t *gic, const Access &a) {
    unsigned idx = 0;
    const char *rn = gic_reg_name(gic, static_cast<gic_frame>(a.frame), a.offset, &idx);
    char buf[256];
    snprintf(buf, sizeof buf, "%s %s cpu%u %s%s(0x%x)[%u] size %u data 0x%" PRIx64, a.write ? "write" : "read",
             frame_name(a.frame), a.cpu, rn && *rn ? rn : "reserved", "", a.offset, idx, a.size, a.data);
    return buf;
}

struct PeekReg {
    uint8_t frame;
    uint16_t cpu;
    uint32_t offset;
    uint8_t size;
};

std::vector<PeekReg> peek_list(const RtlIo &rtl) {
    std::vector<PeekReg> v;
    unsigned nb = (32 + rtl.spis() + 31) / 32;
    v.push_back({GIC_FRAME_GICD, 0, 0x0, 4});
    for (unsigned n = 1; n < nb; n++)
        for (uint32_t base : {0x080u, 0x100u, 0x200u, 0x300u}) v.push_back({GIC_FRAME_GICD, 0, base + 4 * n, 4});
    for (unsigned n = 8; n < 8 * nb; n++) v.push_back({GIC_FRAME_GICD, 0, 0x400 + 4 * n, 4});
    for (unsigned n = 2; n < 2 * nb; n++) v.push_back({GIC_FRAME_GICD, 0, 0xC00 + 4 * n, 4});
    for (unsigned i = 0; i < rtl.spis(); i++) v.push_back({GIC_FRAME_GICD, 0, 0x6100 + 8 * i, 8});
    for (unsigned c = 0; c < rtl.cpus(); c++) {
        v.push_back({GIC_FRAME_GICR_RD, (uint16_t)c, 0x14, 4});
        for (uint32_t o : {0x080u, 0x100u, 0x200u, 0x300u, 0xC04u}) v.push_back({GIC_FRAME_GICR_SGI, (uint16_t)c, o, 4});
        for (unsigned n = 0; n < 8; n++) v.push_back({GIC_FRAME_GICR_SGI, (uint16_t)c, 0x400 + 4 * n, 4});
        for (uint32_t e : {enc::PMR, enc::BPR0, enc::BPR1, enc::CTLR, enc::IGRPEN0, enc::IGRPEN1, enc::RPR,
                           enc::ICH_HCR, enc::ICH_VMCR, enc::ICH_MISR, enc::ICH_EISR, enc::ICH_ELRSR, enc::ICH_AP0R0,
                           enc::ICH_AP1R0})
            v.push_back({GIC_FRAME_SYSREG, (uint16_t)c, e, 8});
        // the active-priority words the CPU interface implements (IHI0069H 12.2.1: 1, 2 or 4)
        unsigned pre = rtl.cpu_prio_bits() < 7 ? rtl.cpu_prio_bits() : 7, words = pre > 5 ? 1u << (pre - 5) : 1u;
        for (unsigned n = 0; n < words; n++)
            for (uint32_t e : {enc::AP0R0 + n, enc::AP1R0 + n}) v.push_back({GIC_FRAME_SYSREG, (uint16_t)c, e, 8});
        for (unsigned l = 0; l < rtl.lrs(); l++) v.push_back({GIC_FRAME_SYSREG, (uint16_t)c, enc::ICH_LR0 + l, 8});
        for (uint32_t e : {enc::RPR, enc::PMR, enc::CTLR, enc::BPR1})
            v.push_back({GIC_FRAME_VSYSREG, (uint16_t)c, e, 8});
    }
    return v;
}

/* Bits left out of the comparison because the two sides read the architecture differently and the question is
 * open (docs/rtl.md, "Open questions"). None at present: ICH_VMCR_EL2.VFIQEn (RES1) is compared since both sides
 * read it as one. */
uint64_t known_mask(uint8_t frame, uint32_t offset) {
    (void)frame;
    (void)offset;
    return ~uint64_t(0);
}

struct InFlight {
    uint64_t seq;
    uint64_t ctag;
    Access acc;
    uint64_t issue;
};

/* The C kernel's trace (the reference) against the RTL's trace port (docs/rtl.md "Trace port"), per cycle t:
 * - ACCESS, DEACT, HWDEACT events of cycle t against RtlObs read before clocking t (what that edge applies);
 * - PENDING, ACTIVE, LR, MISR, EOICOUNT, RPR, VRPR: a mirror of the state built from the C events alone (starting
 *   from the RTL's reset state) must equal RtlState after clocking t, and an event must change its bit or field
 *   (several events of one key within a cycle may cancel). */
class TraceCheck {
public:
    std::vector<gic_trace_event> ev;   // the C events of the cycle being stepped
    uint64_t compared = 0;
    static void hook(void *ctx, const gic_trace_event *e) { static_cast<TraceCheck *>(ctx)->ev.push_back(*e); }
    void init(const RtlState &s0, unsigned nlr) {
        m_ = s0;
        nlr_ = nlr;
    }
    bool check(uint64_t t, const RtlObs &obs, const RtlState &before, const RtlState &after,
               const std::vector<InFlight> &inflight, std::ostream &why);

private:
    RtlState m_;  // the mirror
    unsigned nlr_ = 0;
    static bool mirrored(unsigned k) {
        return k == GIC_TR_PENDING || k == GIC_TR_ACTIVE || k == GIC_TR_LR || k == GIC_TR_MISR ||
               k == GIC_TR_EOICOUNT || k == GIC_TR_RPR || k == GIC_TR_VRPR;
    }
    // the mirrored value of (kind, cpu, intid); nullptr when the RTL state has no such field
    bool field(const gic_trace_event &e, uint64_t **w64, uint32_t **w32, uint8_t **w8, unsigned *bit);
};

bool TraceCheck::field(const gic_trace_event &e, uint64_t **w64, uint32_t **w32, uint8_t **w8, unsigned *bit) {
    *w64 = nullptr;
    *w32 = nullptr;
    *w8 = nullptr;
    *bit = 0;
    unsigned c = e.cpu;
    switch (e.kind) {
    case GIC_TR_PENDING:
    case GIC_TR_ACTIVE: {
        bool pend = e.kind == GIC_TR_PENDING;
        if (e.intid >= 32) {
            std::vector<uint32_t> &v = pend ? m_.spi_pend : m_.spi_act;
            if (c != 0 || e.intid / 32 >= v.size()) return false;
            *w32 = &v[e.intid / 32];
        } else {
            std::vector<uint32_t> &v = pend ? m_.ppi_pend : m_.ppi_act;
            if (c >= v.size()) return false;
            *w32 = &v[c];
        }
        *bit = e.intid % 32;
        return true;
    }
    case GIC_TR_LR:
        if (c >= m_.misr.size() || e.intid >= nlr_) return false;
        *w64 = &m_.lr[c * nlr_ + e.intid];
        return true;
    case GIC_TR_MISR: if (c >= m_.misr.size()) return false; *w8 = &m_.misr[c]; return true;
    case GIC_TR_EOICOUNT: if (c >= m_.eoicount.size()) return false; *w8 = &m_.eoicount[c]; return true;
    case GIC_TR_RPR: if (c >= m_.rpr.size()) return false; *w8 = &m_.rpr[c]; return true;
    case GIC_TR_VRPR: if (c >= m_.vrpr.size()) return false; *w8 = &m_.vrpr[c]; return true;
    default: return false;
    }
}

std::string show_ev(const gic_trace_event &e) {
    char buf[256];
    gic_trace_format(&e, buf, sizeof buf);
    return buf;
}

// INTIDs whose bit differs between two vectors of 32-bit words (word n holds INTIDs 32n..).
std::string bit_diff(const std::vector<uint32_t> &a, const std::vector<uint32_t> &b) {
    std::ostringstream o;
    for (size_t n = 0; n < a.size() && n < b.size(); n++)
        for (unsigned i = 0; i < 32; i++)
            if (((a[n] ^ b[n]) >> i) & 1) o << " " << 32 * n + i << "(C " << ((a[n] >> i) & 1) << ")";
    return o.str();
}

bool TraceCheck::check(uint64_t t, const RtlObs &obs, const RtlState &before, const RtlState &after,
                       const std::vector<InFlight> &inflight, std::ostream &why) {
    bool ok = true;
    std::vector<const gic_trace_event *> acc, deact, hwfwd;
    struct Key {
        uint64_t before;
        int count;
        const gic_trace_event *last;
    };
    std::map<std::tuple<unsigned, unsigned, unsigned>, Key> keys;
    for (const gic_trace_event &e : ev) {
        if (e.cycle != t) {
            why << "  C trace event of cycle " << e.cycle << " while stepping cycle " << t << ": " << show_ev(e) << "\n";
            ok = false;
            continue;
        }
        if (e.kind == GIC_TR_ACCESS) acc.push_back(&e);
        else if (e.kind == GIC_TR_DEACT) deact.push_back(&e);
        else if (e.kind == GIC_TR_HWDEACT) hwfwd.push_back(&e);
        else if (!mirrored(e.kind)) continue;
        else {
            uint64_t *w64;
            uint32_t *w32;
            uint8_t *w8;
            unsigned bit;
            if (!field(e, &w64, &w32, &w8, &bit)) {
                why << "  C trace event outside the RTL's state: " << show_ev(e) << "\n";
                ok = false;
                continue;
            }
            uint64_t cur = w64 ? *w64 : w32 ? ((*w32 >> bit) & 1) : *w8;
            auto kk = std::make_tuple(unsigned(e.kind), unsigned(e.cpu), unsigned(e.intid));
            auto it = keys.find(kk);
            if (it == keys.end()) keys[kk] = Key{cur, 1, &e};
            else {
                it->second.count++;
                it->second.last = &e;
            }
            if (e.kind == GIC_TR_LR && e.aux != cur) {
                why << "  C LR event's old value 0x" << std::hex << e.aux << " is not the previous ICH_LR 0x" << cur
                    << std::dec << ": " << show_ev(e) << "\n";
                ok = false;
            }
            if (w64) *w64 = e.value;
            else if (w32) *w32 = e.value ? (*w32 | (1u << bit)) : (*w32 & ~(1u << bit));
            else *w8 = static_cast<uint8_t>(e.kind == GIC_TR_MISR ? (e.value & 0xff) : e.value);
        }
        compared++;
    }
    for (auto &kv : keys) {
        uint64_t *w64;
        uint32_t *w32;
        uint8_t *w8;
        unsigned bit;
        field(*kv.second.last, &w64, &w32, &w8, &bit);
        uint64_t cur = w64 ? *w64 : w32 ? ((*w32 >> bit) & 1) : *w8;
        if (kv.second.count == 1 && cur == kv.second.before) {
            why << "  C traced a change that is none: " << show_ev(*kv.second.last) << "\n";
            ok = false;
        }
    }
    // ---- the mirror against the RTL's state vectors at the end of cycle t ----
    if (m_.spi_pend != after.spi_pend) { why << "  pending SPIs differ:" << bit_diff(m_.spi_pend, after.spi_pend) << "\n"; ok = false; }
    if (m_.spi_act != after.spi_act) { why << "  active SPIs differ:" << bit_diff(m_.spi_act, after.spi_act) << "\n"; ok = false; }
    for (size_t k = 0; k < m_.ppi_pend.size(); k++) {
        if (m_.ppi_pend[k] != after.ppi_pend[k])
            { why << "  pending SGIs/PPIs of cpu" << k << " differ:" << bit_diff({m_.ppi_pend[k]}, {after.ppi_pend[k]}) << "\n"; ok = false; }
        if (m_.ppi_act[k] != after.ppi_act[k])
            { why << "  active SGIs/PPIs of cpu" << k << " differ:" << bit_diff({m_.ppi_act[k]}, {after.ppi_act[k]}) << "\n"; ok = false; }
        struct { const char *n; uint8_t c, r; } f8[] = {{"ICH_MISR_EL2", m_.misr[k], after.misr[k]},
            {"ICH_HCR_EL2.EOIcount", m_.eoicount[k], after.eoicount[k]}, {"ICC_RPR_EL1", m_.rpr[k], after.rpr[k]},
            {"ICV_RPR_EL1", m_.vrpr[k], after.vrpr[k]}};
        for (auto &f : f8)
            if (f.c != f.r) { why << "  " << f.n << " of cpu" << k << ": C trace 0x" << std::hex << unsigned(f.c) << ", RTL 0x" << unsigned(f.r) << std::dec << "\n"; ok = false; }
        for (unsigned n = 0; n < nlr_; n++)
            if (m_.lr[k * nlr_ + n] != after.lr[k * nlr_ + n])
                { why << "  ICH_LR" << n << "_EL2 of cpu" << k << ": C trace 0x" << std::hex << m_.lr[k * nlr_ + n] << ", RTL 0x" << after.lr[k * nlr_ + n] << std::dec << "\n"; ok = false; }
    }
    // ---- the access taking effect in cycle t ----
    if (acc.size() != (obs.acc_valid ? 1u : 0u)) {
        why << "  access taking effect: C traces " << acc.size() << ", RTL obs_acc_valid " << obs.acc_valid << "\n";
        for (auto *e : acc) why << "    C: " << show_ev(*e) << "\n";
        ok = false;
    } else if (obs.acc_valid) {
        const gic_trace_event &e = *acc[0];
        const InFlight *f = nullptr;
        for (const InFlight &x : inflight)
            if (static_cast<uint16_t>(x.seq) == obs.acc_tag) { f = &x; break; }
        int st = static_cast<int8_t>((e.aux >> 24) & 0xff);
        uint64_t want_aux = f ? (uint64_t(f->acc.frame) | uint64_t(f->acc.write) << 8 | uint64_t(f->acc.size) << 16) : 0;
        if (!f || e.cpu != f->acc.cpu || e.intid != f->acc.offset || (e.aux & 0xffffff) != want_aux ||
            e.value != obs.acc_data || st != obs.acc_status) {
            why << "  access taking effect: C " << show_ev(e) << "; RTL tag " << obs.acc_tag
                << (f ? "" : " (no access in flight with that tag)") << " data 0x" << std::hex << obs.acc_data << std::dec
                << " status " << obs.acc_status << "\n";
            ok = false;
        }
    }
    // ---- deactivations applied in cycle t (aux = 1: from a HW=1 list register) ----
    std::vector<std::tuple<unsigned, unsigned, unsigned>> cd, rd;
    for (auto *e : deact) {
        cd.emplace_back(unsigned(e->aux), e->cpu, e->intid);
        if (e->value) {  // applied: inactive at the end of the cycle
            bool a = e->intid >= 32 ? (after.spi_act[e->intid / 32] >> (e->intid % 32)) & 1
                                    : (e->cpu < after.ppi_act.size() && ((after.ppi_act[e->cpu] >> e->intid) & 1));
            if (a) { why << "  C applies " << show_ev(*e) << " but the RTL's interrupt is still active\n"; ok = false; }
        }
    }
    if (obs.deact_valid) rd.emplace_back(0u, obs.deact_cpu, obs.deact_intid);
    if (obs.hwdeact_valid) rd.emplace_back(1u, obs.hwdeact_cpu, obs.hwdeact_intid);
    std::sort(cd.begin(), cd.end());
    std::sort(rd.begin(), rd.end());
    if (cd != rd) {
        why << "  deactivations applied: C";
        for (auto *e : deact) why << " [" << show_ev(*e) << "]";
        why << "; RTL";
        if (obs.deact_valid) why << " [cpu" << obs.deact_cpu << " INTID " << obs.deact_intid << "]";
        if (obs.hwdeact_valid) why << " [HW cpu" << obs.hwdeact_cpu << " INTID " << obs.hwdeact_intid << "]";
        why << "\n";
        ok = false;
    }
    // ---- HW=1 deactivation forwarded by the virtual CPU interface in cycle t ----
    if (hwfwd.size() != (obs.hwfwd_valid ? 1u : 0u) ||
        (obs.hwfwd_valid && (hwfwd[0]->cpu != obs.hwfwd_cpu || hwfwd[0]->intid != obs.hwfwd_pintid ||
                             hwfwd[0]->value != obs.hwfwd_vintid))) {
        why << "  HW deactivation forwarded: C";
        for (auto *e : hwfwd) why << " [" << show_ev(*e) << "]";
        why << "; RTL";
        if (obs.hwfwd_valid)
            why << " [cpu" << obs.hwfwd_cpu << " pINTID " << obs.hwfwd_pintid << " vINTID " << obs.hwfwd_vintid << " LR"
                << obs.hwfwd_lr << "]";
        why << "\n";
        ok = false;
    } else if (obs.hwfwd_valid) {
        size_t i = obs.hwfwd_cpu * nlr_ + obs.hwfwd_lr;
        uint64_t lr = i < before.lr.size() ? before.lr[i] : 0;
        if (obs.hwfwd_lr >= nlr_ || static_cast<uint32_t>(lr) != obs.hwfwd_vintid || !GIC_FIELD_GET(ICH_LR_EL2_HW, lr) ||
            GIC_FIELD_GET(ICH_LR_EL2_PINTID, lr) != obs.hwfwd_pintid) {
            why << "  RTL forwards from LR" << obs.hwfwd_lr << " of cpu" << obs.hwfwd_cpu << ", which held 0x" << std::hex
                << lr << std::dec << "\n";
            ok = false;
        }
    }
    if (!ok) for (const gic_trace_event &e : ev) why << "    C event: " << show_ev(e) << "\n";
    ev.clear();
    return ok;
}

}  // namespace

void c_config_for(const RtlIo &rtl, struct gic_config *cfg) {
    gic_config_default(cfg, GIC_V3);
    cfg->num_cpus = rtl.cpus();
    cfg->num_spis = rtl.spis();
    cfg->num_lrs = rtl.lrs();
    cfg->prio_bits = 8;
    cfg->cpu_prio_bits = rtl.cpu_prio_bits();  // the variant's CPU_PRIO_BITS
    cfg->vprio_bits = 5;
    cfg->vpre_bits = 5;
    cfg->maint_ppi = 25;
    cfg->one_of_n = rtl.one_of_n();  // the variant's ONE_OF_N (QEMU's presets: false)
    cfg->dist_iidr = cfg->cpu_iidr = cfg->redist_iidr = 0x43b;
    gic_timing_default(&cfg->timing);
}

RunResult run_lockstep(RtlIo &rtl, Stimulus &stim, const RunOptions &opt) {
    RunResult res;
    struct gic_config cfg;
    c_config_for(rtl, &cfg);
    gic_t *gic = nullptr;
    if (gic_create(&cfg, &gic) != GIC_OK) {
        res.diverged = true;
        res.report = "gic_create failed";
        return res;
    }
    rtl.reset();
    bool tracing = false;
    // the trace port: the C kernel's trace is the reference; the RTL's state after reset starts the mirror
    std::vector<PeekReg> peeks = peek_list(rtl);
    TraceCheck tc_check;
    gic_set_trace(gic, TraceCheck::hook, &tc_check);
    RtlState st_prev, st_now;
    rtl.state(st_prev);
    tc_check.init(st_prev, rtl.lrs());
    RtlObs obs = rtl.observe();
    // qactive honesty: from a cycle that left qactive = 0, idle cycles must change no output and no state (snapshot
    // taken when qactive fell), and qactive must stay 0 (it is a function of the state and the inputs)
    struct Quiet {
        std::vector<uint32_t> out;
        RtlResponse rsp[2];
        RtlState st;
        RtlObs obs;
        std::vector<uint64_t> regs;  // the state registers (debug port, with the offers: HPPIR), a limited number of times
    } quiet;
    bool held = false;               // quiet holds the state at the last fall of qactive, and every cycle since was idle
    uint64_t sweeps = 0;
    const uint64_t kSweeps = 256;
    std::vector<PeekReg> qregs = peeks;  // what the RTL alone is compared with itself on: HPPIR too (question 1)
    for (unsigned c = 0; c < rtl.cpus(); c++)
        for (uint8_t f : {uint8_t(GIC_FRAME_SYSREG), uint8_t(GIC_FRAME_VSYSREG)})
            for (uint32_t e : {enc::HPPIR0, enc::HPPIR1}) qregs.push_back({f, (uint16_t)c, e, 8});
    auto sweep = [&](std::vector<uint64_t> &v) {
        sweeps++;
        v.resize(qregs.size());
        for (size_t i = 0; i < qregs.size(); i++) v[i] = rtl.debug_read(qregs[i].frame, qregs[i].cpu, qregs[i].offset);
    };

    size_t peek_pos = 0;
    std::deque<std::string> recent;
    std::vector<InFlight> inflight;
    std::vector<uint8_t> spi_lvl(rtl.spis(), 0), ppi_lvl(rtl.cpus() * 16, 0);
    uint64_t seq = 0;
    std::ostringstream why;
    using clk = std::chrono::steady_clock;
    double tc = 0, tr = 0;

    auto fail = [&](uint64_t t) {
        res.diverged = true;
        res.cycle = t;
        std::ostringstream o;
        o << "DIVERGENCE at cycle " << t << ":\n" << why.str() << "last " << recent.size() << " stimuli:\n";
        for (auto &s : recent) o << "  " << s << "\n";
        res.report = o.str();
    };

    uint64_t t = 0, drain_end = UINT64_MAX, drained = 0, quiet_at_end = 0, quiet_from = 0;
    for (; t < opt.max_cycles; t++) {
        if (!opt.vcd_path.empty() && !tracing && t >= opt.vcd_from) {
            rtl.trace_open(opt.vcd_path);
            tracing = true;
        }
        CycleStim s;
        if (drained == 0 && !stim.next(t, s)) drain_end = t + opt.drain_cycles;  // the stream ended: idle cycles
        if (drain_end != UINT64_MAX) {
            // draining: stop at the limit, or once qactive fell and an idle cycle was checked after the stream
            if (t >= drain_end || res.quiet_checks >= quiet_at_end + 8) break;
            if (drained++ == 0) quiet_at_end = res.quiet_checks;
        }
        // ---- apply the stimulus to both sides ----
        std::vector<uint8_t> rise_spi, rise_ppi;
        std::map<unsigned, bool> spi_rise, ppi_rise;
        const bool do_reset = s.reset;
        if (do_reset && (s.has_access || !s.pins.empty())) {
            why << "  the stimulus of a reset cycle has pins or an access\n";
            fail(t);
            break;
        }
        if (do_reset) {
            recent.push_back("cycle " + std::to_string(t) + ": reset of both sides");
            res.resets++;
        }
        bool idle = !s.has_access && !do_reset;
        for (const PinChange &p : s.pins) {
            char buf[96];
            if (p.ppi)
                snprintf(buf, sizeof buf, "cycle %" PRIu64 ": PPI %u of cpu%u = %d", t, p.intid, p.cpu, p.level);
            else
                snprintf(buf, sizeof buf, "cycle %" PRIu64 ": SPI %u = %d", t, p.intid, p.level);
            recent.push_back(buf);
            if (p.ppi) {
                unsigned k = p.cpu * 16 + (p.intid - 16);
                if (ppi_lvl[k] != p.level && p.level) ppi_rise[k] = true;
                if (ppi_lvl[k] != p.level) idle = false;
                if (ppi_lvl[k] != p.level) gic_set_ppi(gic, p.cpu, p.intid, p.level);
                ppi_lvl[k] = p.level;
            } else {
                unsigned k = p.intid - 32;
                if (spi_lvl[k] != p.level && p.level) spi_rise[k] = true;
                if (spi_lvl[k] != p.level) idle = false;
                if (spi_lvl[k] != p.level) gic_set_spi(gic, p.intid, p.level);
                spi_lvl[k] = p.level;
            }
        }
        for (const PinChange &p : s.pins) {
            if (p.ppi) {
                unsigned k = p.cpu * 16 + (p.intid - 16);
                rtl.set_ppi(p.cpu, p.intid - 16, ppi_lvl[k], ppi_rise.count(k) != 0);
            } else {
                unsigned k = p.intid - 32;
                rtl.set_spi(k, spi_lvl[k], spi_rise.count(k) != 0);
            }
        }
        if (s.has_access) {
            const Access &a = s.access;
            struct gic_access ga{};
            ga.frame = a.frame;
            ga.write = a.write;
            ga.size = a.size;
            ga.cpu = a.cpu;
            ga.offset = a.offset;
            ga.data = a.data;
            uint64_t ctag = 0;
            int rc = gic_submit(gic, &ga, &ctag);
            if (rc != GIC_OK) {
                why << "  gic_submit refused the access (" << gic_strerror(rc) << "): " << describe(gic, a) << "\n";
                fail(t);
                break;
            }
            inflight.push_back({seq, ctag, a, t});
            rtl.set_request(true, a.frame, a.write, a.size, a.cpu, a.offset, a.data, static_cast<uint16_t>(seq));
            recent.push_back("cycle " + std::to_string(t) + ": #" + std::to_string(seq) + " " + describe(gic, a));
            seq++;
            res.accesses++;
        } else {
            rtl.set_request(false, 0, false, 0, 0, 0, 0, 0);
        }
        while (recent.size() > 16) recent.pop_front();
        // ---- one cycle on each side ----
        auto t0 = clk::now();
        if (do_reset) {  // timing.md 6: every message and access in flight is dropped; cycles are not renumbered
            gic_reset(gic);
            inflight.clear();
        }
        gic_step(gic, 1);
        auto t1 = clk::now();
        if (do_reset) rtl.reset();  // rst for the edge that ends cycle t
        else rtl.clock();
        if (tracing && t <= opt.vcd_to) rtl.trace_dump(t);
        auto t2 = clk::now();
        tc += std::chrono::duration<double>(t1 - t0).count();
        tr += std::chrono::duration<double>(t2 - t1).count();
        // clear the rise strobes for the next cycle
        for (auto &kv : spi_rise) rtl.set_spi(kv.first, spi_lvl[kv.first], false);
        for (auto &kv : ppi_rise) rtl.set_ppi(kv.first / 16, kv.first % 16, ppi_lvl[kv.first], false);

        // ---- the trace port against the C kernel's trace of cycle t ----
        bool bad = false;
        rtl.state(st_now);
        if (do_reset) {
            // a reset traces nothing on the C side; the mirror restarts from the RTL's state after reset, which the
            // full register sweep below compares with the C kernel's
            if (!tc_check.ev.empty()) {
                why << "  the C kernel traced " << tc_check.ev.size() << " events in a reset cycle\n";
                for (const gic_trace_event &e : tc_check.ev) why << "    C event: " << show_ev(e) << "\n";
                bad = true;
            }
            tc_check.ev.clear();
            tc_check.init(st_now, rtl.lrs());
        } else if (!tc_check.check(t, obs, st_prev, st_now, inflight, why)) bad = true;
        // ---- qactive was 0 after cycle t-1 and cycle t had no stimulus: nothing may have moved ----
        bool expect_low = held && idle;
        if (!idle) held = false;
        if (expect_low) {
            res.quiet_checks++;
            bool moved = st_now != quiet.st || rtl.observe() != quiet.obs;
            for (unsigned c = 0; c < rtl.cpus(); c++) moved = moved || rtl.outputs(c) != quiet.out[c];
            for (int lane = 0; lane < 2; lane++) {
                RtlResponse r = rtl.response(lane);
                moved = moved || r.valid != quiet.rsp[lane].valid || r.tag != quiet.rsp[lane].tag ||
                        r.data != quiet.rsp[lane].data || r.status != quiet.rsp[lane].status;
            }
            if (!quiet.regs.empty() && sweeps < kSweeps) {
                std::vector<uint64_t> now;
                sweep(now);
                for (size_t i = 0; i < now.size(); i++)
                    if (now[i] != quiet.regs[i]) {
                        Access a;
                        a.frame = qregs[i].frame;
                        a.cpu = qregs[i].cpu;
                        a.offset = qregs[i].offset;
                        a.size = qregs[i].size;
                        why << "  idle cycle after qactive = 0: " << describe(gic, a) << " changed from 0x" << std::hex
                            << quiet.regs[i] << " to 0x" << now[i] << std::dec << "\n";
                        moved = true;
                    }
            }
            if (moved) {
                why << "  the RTL reported qactive = 0 (from cycle " << quiet_from
                    << " on) and cycle " << t << " had no stimulus, but its outputs, responses, trace port or state changed\n";
                bad = true;
            }
        }
        // ---- compare the pins ----
        for (unsigned c = 0; c < rtl.cpus(); c++) {
            uint32_t oc = gic_outputs(gic, c), orl = rtl.outputs(c);
            if (oc != orl) {
                why << "  outputs of cpu" << c << ": C 0x" << std::hex << oc << " RTL 0x" << orl << std::dec
                    << " (IRQ=1 FIQ=2 vIRQ=4 vFIQ=8 MAINT=16)\n";
                bad = true;
            }
        }
        // ---- compare the responses due now ----
        std::map<uint16_t, RtlResponse> rtl_rsp;
        for (int lane = 0; lane < 2; lane++) {
            RtlResponse r = rtl.response(lane);
            if (r.valid) rtl_rsp[r.tag] = r;
        }
        for (size_t i = 0; i < inflight.size();) {
            struct gic_response gr{};
            int rc = gic_collect(gic, inflight[i].ctag, &gr);
            if (rc == GIC_E_AGAIN) {
                i++;
                continue;
            }
            InFlight f = inflight[i];
            inflight.erase(inflight.begin() + static_cast<long>(i));
            uint16_t tag = static_cast<uint16_t>(f.seq);
            auto it = rtl_rsp.find(tag);
            if (it == rtl_rsp.end()) {
                why << "  response of #" << f.seq << " (" << describe(gic, f.acc) << ", issued " << f.issue
                    << "): C answers in cycle " << gr.done << " status " << gr.status << " data 0x" << std::hex
                    << gr.data << std::dec << ", RTL has no response now\n";
                bad = true;
                continue;
            }
            RtlResponse r = it->second;
            rtl_rsp.erase(it);
            uint64_t km = known_mask(f.acc.frame, f.acc.offset);
            if (r.status != gr.status || (r.data & km) != (gr.data & km) || gr.done != t + 1) {
                why << "  response of #" << f.seq << " (" << describe(gic, f.acc) << ", issued " << f.issue
                    << "): C status " << gr.status << " data 0x" << std::hex << gr.data << std::dec << " done "
                    << gr.done << "; RTL status " << r.status << " data 0x" << std::hex << r.data << std::dec
                    << " done " << t + 1 << "\n";
                bad = true;
            }
            if (!bad) stim.on_response(f.seq, f.acc, gr.status, gr.data);
        }
        for (auto &kv : rtl_rsp) {
            why << "  RTL answers access tag " << kv.first << " in cycle " << t + 1
                << " but the C kernel has no response for it now\n";
            bad = true;
        }
        // ---- compare architectural state through debug reads ----
        unsigned n = do_reset ? static_cast<unsigned>(peeks.size()) : opt.peeks_per_cycle;  // after a reset: all
        for (unsigned k = 0; k < n && !bad && !peeks.empty(); k++) {
            const PeekReg &p = peeks[peek_pos];
            peek_pos = (peek_pos + 1) % peeks.size();
            uint64_t cv = 0;
            int rc = gic_peek(gic, static_cast<gic_frame>(p.frame), p.cpu, p.offset, p.size, &cv);
            uint64_t rv = rtl.debug_read(p.frame, p.cpu, p.offset);
            if (p.size == 4) rv &= 0xffffffffu;
            rv &= known_mask(p.frame, p.offset);
            cv &= known_mask(p.frame, p.offset);
            if (rc != GIC_OK || cv != rv) {
                Access a;
                a.frame = p.frame;
                a.cpu = p.cpu;
                a.offset = p.offset;
                a.size = p.size;
                why << "  state " << describe(gic, a) << ": C 0x" << std::hex << cv << " RTL 0x" << rv << std::dec
                    << " (peek status " << rc << ")\n";
                bad = true;
            }
        }
        if (bad) {
            fail(t);
            break;
        }
        // ---- inputs made idle: qactive, and the trace port of cycle t+1 ----
        rtl.set_request(false, 0, false, 0, 0, 0, 0, 0);
        bool q_low = !rtl.qactive();
        // qactive_core is the C kernel's "no event left" (both compute a response at E and only deliver it at D), both
        // ways: the RTL is never busier than the C kernel, and the C kernel schedules no event that the RTL has no
        // work for (an event that changes nothing is an idleness divergence too).
        gic_cycle_t c_next = gic_next_event(gic);
        bool c_idle = c_next == GIC_CYCLE_NEVER;
        if (c_idle != !rtl.qactive_core()) {
            if (c_idle) why << "  after cycle " << t << " the C kernel has no event left but the RTL's qactive_core is 1\n";
            else
                why << "  after cycle " << t << " the C kernel still has an event (cycle " << c_next
                    << ") but the RTL's qactive_core is 0\n";
            fail(t);
            break;
        }
        res.c_idle += c_idle;
        obs = rtl.observe();
        if (expect_low && !q_low) {
            why << "  the RTL reported qactive = 0 (from cycle " << quiet_from << " on), cycle " << t
                << " had no stimulus, yet qactive is 1 after it: something moved\n";
            fail(t);
            break;
        }
        if (!q_low) held = false;
        else res.qactive_low++;
        if (q_low && !held) {
            held = true;
            quiet_from = t;
            quiet.out.resize(rtl.cpus());
            for (unsigned c = 0; c < rtl.cpus(); c++) quiet.out[c] = rtl.outputs(c);
            for (int lane = 0; lane < 2; lane++) quiet.rsp[lane] = rtl.response(lane);
            quiet.st = st_now;
            quiet.obs = obs;
            quiet.regs.clear();
            if (sweeps < kSweeps / 2) sweep(quiet.regs);
        }
        std::swap(st_prev, st_now);
    }
    if (!res.diverged && opt.require_quiet && res.quiet_checks == 0) {
        why << "  qactive was never 0 before an idle cycle (" << res.qactive_low
            << " cycles with qactive = 0): the idle check did not run\n";
        fail(t);
    }
    // final sweep over every state register
    if (!res.diverged) {
        for (const PeekReg &p : peeks) {
            uint64_t cv = 0;
            gic_peek(gic, static_cast<gic_frame>(p.frame), p.cpu, p.offset, p.size, &cv);
            uint64_t rv = rtl.debug_read(p.frame, p.cpu, p.offset);
            if (p.size == 4) rv &= 0xffffffffu;
            rv &= known_mask(p.frame, p.offset);
            cv &= known_mask(p.frame, p.offset);
            if (cv != rv) {
                Access a;
                a.frame = p.frame;
                a.cpu = p.cpu;
                a.offset = p.offset;
                a.size = p.size;
                why << "  final state " << describe(gic, a) << ": C 0x" << std::hex << cv << " RTL 0x" << rv
                    << std::dec << "\n";
                fail(t);
                break;
            }
        }
    }
    if (tracing) rtl.trace_close();
    res.cycles_run = t;
    res.trace_events = tc_check.compared;
    res.c_seconds = tc;
    res.rtl_seconds = tr;
    gic_destroy(gic);
    return res;
}

}  // namespace rtlb
