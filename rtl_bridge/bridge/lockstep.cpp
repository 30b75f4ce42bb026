// lockstep.cpp: the lock-step loop: one stimulus per cycle to both sides, then compare responses, pins, state.
#include "lockstep.h"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <deque>
#include <map>
#include <sstream>
#include <tuple>
#include <vector>

#include "gicsim/gic.h"
#include "gicsim/gic_regs.h"
#include "gicsim/gic_vcd.h"

namespace rtlb {
namespace {

const char *frame_name(unsigned f)
{
    static const char *n[] = { "GICD", "GICR_RD", "GICR_SGI", "GICC", "GICH", "GICV", "SYSREG", "VSYSREG" };
    return f < 8 ? n[f] : "?";
}

std::string describe(gic_t *gic, const Access &a)
{
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

// GICv2: the distributor (banked INTIDs 0..31 through each CPU), the CPU interface, the virtual interface control
// and the virtual CPU interface of each CPU.
std::vector<PeekReg> peek_list_v2(const RtlIo &rtl)
{
    std::vector<PeekReg> v;
    unsigned nb = (32 + rtl.spis() + 31) / 32;
    v.push_back({ GIC_FRAME_GICD, 0, 0x0, 4 });
    for (unsigned n = 1; n < nb; n++)
        for (uint32_t base : { 0x080u, 0x100u, 0x200u, 0x300u }) v.push_back({ GIC_FRAME_GICD, 0, base + 4 * n, 4 });
    for (unsigned n = 8; n < 8 * nb; n++)
        for (uint32_t base : { 0x400u, 0x800u }) v.push_back({ GIC_FRAME_GICD, 0, base + 4 * n, 4 });
    for (unsigned n = 2; n < 2 * nb; n++) v.push_back({ GIC_FRAME_GICD, 0, 0xC00 + 4 * n, 4 });
    for (unsigned c = 0; c < rtl.cpus(); c++) {
        const uint16_t k = static_cast<uint16_t>(c);
        for (uint32_t o : { 0x080u, 0x100u, 0x200u, 0x300u, 0xC00u, 0xC04u, 0x800u, 0x81Cu })
            v.push_back({ GIC_FRAME_GICD, k, o, 4 });
        for (unsigned n = 0; n < 8; n++) v.push_back({ GIC_FRAME_GICD, k, 0x400 + 4 * n, 4 });
        for (unsigned n = 0; n < 4; n++) v.push_back({ GIC_FRAME_GICD, k, 0xF20 + 4 * n, 4 });
        for (uint32_t o : { 0x000u, 0x004u, 0x008u, 0x014u, 0x01Cu, 0x0D0u, 0x0D4u, 0x0D8u, 0x0DCu })
            v.push_back({ GIC_FRAME_GICC, k, o, 4 });
        for (uint32_t o : { 0x000u, 0x004u, 0x008u, 0x010u, 0x020u, 0x030u, 0x0F0u })
            v.push_back({ GIC_FRAME_GICH, k, o, 4 });
        for (unsigned l = 0; l < rtl.lrs(); l++) v.push_back({ GIC_FRAME_GICH, k, 0x100 + 4 * l, 4 });
        for (uint32_t o : { 0x000u, 0x004u, 0x008u, 0x014u, 0x01Cu, 0x0D0u }) v.push_back({ GIC_FRAME_GICV, k, o, 4 });
    }
    return v;
}

std::vector<PeekReg> peek_list(const RtlIo &rtl)
{
    if (rtl.version() == 2) return peek_list_v2(rtl);
    std::vector<PeekReg> v;
    unsigned nb = (32 + rtl.spis() + 31) / 32;
    v.push_back({ GIC_FRAME_GICD, 0, 0x0, 4 });
    for (unsigned n = 1; n < nb; n++)
        for (uint32_t base : { 0x080u, 0x100u, 0x200u, 0x300u }) v.push_back({ GIC_FRAME_GICD, 0, base + 4 * n, 4 });
    for (unsigned n = 8; n < 8 * nb; n++) v.push_back({ GIC_FRAME_GICD, 0, 0x400 + 4 * n, 4 });
    for (unsigned n = 2; n < 2 * nb; n++) v.push_back({ GIC_FRAME_GICD, 0, 0xC00 + 4 * n, 4 });
    for (unsigned i = 0; i < rtl.spis(); i++) v.push_back({ GIC_FRAME_GICD, 0, 0x6100 + 8 * i, 8 });
    for (unsigned c = 0; c < rtl.cpus(); c++) {
        v.push_back({ GIC_FRAME_GICR_RD, (uint16_t)c, 0x14, 4 });
        for (uint32_t o : { 0x080u, 0x100u, 0x200u, 0x300u, 0xC04u })
            v.push_back({ GIC_FRAME_GICR_SGI, (uint16_t)c, o, 4 });
        for (unsigned n = 0; n < 8; n++) v.push_back({ GIC_FRAME_GICR_SGI, (uint16_t)c, 0x400 + 4 * n, 4 });
        for (uint32_t e : { ICC_PMR_EL1_ENC, ICC_BPR0_EL1_ENC, ICC_BPR1_EL1_ENC, ICC_CTLR_EL1_ENC, ICC_IGRPEN0_EL1_ENC,
                            ICC_IGRPEN1_EL1_ENC, ICC_RPR_EL1_ENC, ICH_HCR_EL2_ENC, ICH_VMCR_EL2_ENC, ICH_MISR_EL2_ENC,
                            ICH_EISR_EL2_ENC, ICH_ELRSR_EL2_ENC, ICH_AP0R_EL2_ENC, ICH_AP1R_EL2_ENC })
            v.push_back({ GIC_FRAME_SYSREG, (uint16_t)c, e, 8 });
        // the active-priority words the CPU interface implements (IHI0069H 12.2.1: 1, 2 or 4)
        unsigned pre = rtl.cpu_prio_bits() < 7 ? rtl.cpu_prio_bits() : 7, words = pre > 5 ? 1u << (pre - 5) : 1u;
        for (unsigned n = 0; n < words; n++)
            for (uint32_t e : { ICC_AP0R_EL1_ENC + n, ICC_AP1R_EL1_ENC + n })
                v.push_back({ GIC_FRAME_SYSREG, (uint16_t)c, e, 8 });
        for (unsigned l = 0; l < rtl.lrs(); l++) v.push_back({ GIC_FRAME_SYSREG, (uint16_t)c, ICH_LR_EL2_ENC + l, 8 });
        for (uint32_t e : { ICC_RPR_EL1_ENC, ICC_PMR_EL1_ENC, ICC_CTLR_EL1_ENC, ICC_BPR1_EL1_ENC })
            v.push_back({ GIC_FRAME_VSYSREG, (uint16_t)c, e, 8 });
    }
    return v;
}

/* Bits left out of the comparison because the two sides read the architecture differently and the question is
 * open (docs/rtl.md, "Open questions"). None at present: ICH_VMCR_EL2.VFIQEn (RES1) is compared since both sides
 * read it as one. */
uint64_t known_mask(uint8_t frame, uint32_t offset)
{
    (void)frame, (void)offset;
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
    std::vector<gic_trace_event> ev; // the C events of the cycle being stepped
    uint64_t compared = 0;
    static void hook(void *ctx, const gic_trace_event *e) { static_cast<TraceCheck *>(ctx)->ev.push_back(*e); }
    void init(const RtlState &s0, unsigned nlr)
    {
        m_ = s0;
        nlr_ = nlr;
    }
    bool check(uint64_t t, const RtlObs &obs, const RtlState &before, const RtlState &after,
               const std::vector<InFlight> &inflight, std::ostream &why);

private:
    RtlState m_; // the mirror
    unsigned nlr_ = 0;
    static bool mirrored(unsigned k)
    {
        return k == GIC_TR_PENDING || k == GIC_TR_ACTIVE || k == GIC_TR_LR || k == GIC_TR_MISR ||
               k == GIC_TR_EOICOUNT || k == GIC_TR_RPR || k == GIC_TR_VRPR;
    }
    // the mirrored value of (kind, cpu, intid); nullptr when the RTL state has no such field
    bool field(const gic_trace_event &e, uint64_t **w64, uint32_t **w32, uint8_t **w8, unsigned *bit);
};

bool TraceCheck::field(const gic_trace_event &e, uint64_t **w64, uint32_t **w32, uint8_t **w8, unsigned *bit)
{
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
    case GIC_TR_MISR:
        if (c >= m_.misr.size()) return false;
        *w8 = &m_.misr[c];
        return true;
    case GIC_TR_EOICOUNT:
        if (c >= m_.eoicount.size()) return false;
        *w8 = &m_.eoicount[c];
        return true;
    case GIC_TR_RPR:
        if (c >= m_.rpr.size()) return false;
        *w8 = &m_.rpr[c];
        return true;
    case GIC_TR_VRPR:
        if (c >= m_.vrpr.size()) return false;
        *w8 = &m_.vrpr[c];
        return true;
    default: return false;
    }
}

std::string show_ev(const gic_trace_event &e)
{
    char buf[256];
    gic_trace_format(&e, buf, sizeof buf);
    return buf;
}

// INTIDs whose bit differs between two vectors of 32-bit words (word n holds INTIDs 32n..).
std::string bit_diff(const std::vector<uint32_t> &a, const std::vector<uint32_t> &b)
{
    std::ostringstream o;
    for (size_t n = 0; n < a.size() && n < b.size(); n++)
        for (unsigned i = 0; i < 32; i++)
            if (((a[n] ^ b[n]) >> i) & 1) o << " " << 32 * n + i << "(C " << ((a[n] >> i) & 1) << ")";
    return o.str();
}

bool TraceCheck::check(uint64_t t, const RtlObs &obs, const RtlState &before, const RtlState &after,
                       const std::vector<InFlight> &inflight, std::ostream &why)
{
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
            why << "  C trace event of cycle " << e.cycle << " while stepping cycle " << t << ": " << show_ev(e)
                << "\n";
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
            if (it == keys.end()) keys[kk] = Key{ cur, 1, &e };
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
    if (m_.spi_pend != after.spi_pend) {
        why << "  pending SPIs differ:" << bit_diff(m_.spi_pend, after.spi_pend) << "\n";
        ok = false;
    }
    if (m_.spi_act != after.spi_act) {
        why << "  active SPIs differ:" << bit_diff(m_.spi_act, after.spi_act) << "\n";
        ok = false;
    }
    for (size_t k = 0; k < m_.ppi_pend.size(); k++) {
        if (m_.ppi_pend[k] != after.ppi_pend[k]) {
            why << "  pending SGIs/PPIs of cpu" << k
                << " differ:" << bit_diff({ m_.ppi_pend[k] }, { after.ppi_pend[k] }) << "\n";
            ok = false;
        }
        if (m_.ppi_act[k] != after.ppi_act[k]) {
            why << "  active SGIs/PPIs of cpu" << k << " differ:" << bit_diff({ m_.ppi_act[k] }, { after.ppi_act[k] })
                << "\n";
            ok = false;
        }
        struct {
            const char *n;
            uint8_t c, r;
        } f8[] = { { "ICH_MISR_EL2", m_.misr[k], after.misr[k] },
                   { "ICH_HCR_EL2.EOIcount", m_.eoicount[k], after.eoicount[k] },
                   { "ICC_RPR_EL1", m_.rpr[k], after.rpr[k] },
                   { "ICV_RPR_EL1", m_.vrpr[k], after.vrpr[k] } };
        for (auto &f : f8)
            if (f.c != f.r) {
                why << "  " << f.n << " of cpu" << k << ": C trace 0x" << std::hex << unsigned(f.c) << ", RTL 0x"
                    << unsigned(f.r) << std::dec << "\n";
                ok = false;
            }
        for (unsigned n = 0; n < nlr_; n++)
            if (m_.lr[k * nlr_ + n] != after.lr[k * nlr_ + n]) {
                why << "  ICH_LR" << n << "_EL2 of cpu" << k << ": C trace 0x" << std::hex << m_.lr[k * nlr_ + n]
                    << ", RTL 0x" << after.lr[k * nlr_ + n] << std::dec << "\n";
                ok = false;
            }
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
            if (static_cast<uint16_t>(x.seq) == obs.acc_tag) {
                f = &x;
                break;
            }
        int st = static_cast<int8_t>((e.aux >> 24) & 0xff);
        uint64_t want_aux =
            f ? (uint64_t(f->acc.frame) | uint64_t(f->acc.write) << 8 | uint64_t(f->acc.size) << 16) : 0;
        if (!f || e.cpu != f->acc.cpu || e.intid != f->acc.offset || (e.aux & 0xffffff) != want_aux ||
            e.value != obs.acc_data || st != obs.acc_status) {
            why << "  access taking effect: C " << show_ev(e) << "; RTL tag " << obs.acc_tag
                << (f ? "" : " (no access in flight with that tag)") << " data 0x" << std::hex << obs.acc_data
                << std::dec << " status " << obs.acc_status << "\n";
            ok = false;
        }
    }
    // ---- deactivations applied in cycle t (aux = 1: from a HW=1 list register) ----
    std::vector<std::tuple<unsigned, unsigned, unsigned>> cd, rd;
    for (auto *e : deact) {
        cd.emplace_back(unsigned(e->aux), e->cpu, e->intid);
        if (e->value) { // applied: inactive at the end of the cycle
            bool a = e->intid >= 32 ? (after.spi_act[e->intid / 32] >> (e->intid % 32)) & 1
                                    : (e->cpu < after.ppi_act.size() && ((after.ppi_act[e->cpu] >> e->intid) & 1));
            if (a) {
                why << "  C applies " << show_ev(*e) << " but the RTL's interrupt is still active\n";
                ok = false;
            }
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
        if (obs.hwfwd_lr >= nlr_ || static_cast<uint32_t>(lr) != obs.hwfwd_vintid ||
            !GIC_FIELD_GET(ICH_LR_EL2_HW, lr) || GIC_FIELD_GET(ICH_LR_EL2_PINTID, lr) != obs.hwfwd_pintid) {
            why << "  RTL forwards from LR" << obs.hwfwd_lr << " of cpu" << obs.hwfwd_cpu << ", which held 0x"
                << std::hex << lr << std::dec << "\n";
            ok = false;
        }
    }
    if (!ok)
        for (const gic_trace_event &e : ev) why << "    C event: " << show_ev(e) << "\n";
    ev.clear();
    return ok;
}

} // namespace

void c_config_for(const RtlIo &rtl, struct gic_config *cfg)
{
    gic_config_default(cfg, rtl.version() == 2 ? GIC_V2 : GIC_V3);
    cfg->num_cpus = rtl.cpus();
    cfg->num_spis = rtl.spis();
    cfg->num_lrs = rtl.lrs();
    cfg->prio_bits = 8;
    cfg->cpu_prio_bits = rtl.cpu_prio_bits(); // the variant's CPU_PRIO_BITS
    cfg->vprio_bits = 5;
    cfg->vpre_bits = 5;
    cfg->maint_ppi = 25;
    cfg->one_of_n = rtl.one_of_n(); // the variant's ONE_OF_N (QEMU's presets: false)
    cfg->dist_iidr = cfg->cpu_iidr = cfg->redist_iidr = 0x43b;
    if (rtl.version() == 2) cfg->cpu_iidr = 0x2043b; // GICC_IIDR/GICV_IIDR (gic_top CPU_IIDR), QEMU's
    cfg->lpis = cfg->its = false;                    // the RTL has no LPIs and no ITS (docs/rtl.md)
    gic_timing_default(&cfg->timing);
}

namespace {

// One lock-step run: the C kernels and the RTL, cycle by cycle, on one stimulus stream (docs/rtl.md "Lock-step").
// run() is the loop; each comparison is a step of its own, each returns false after writing why it failed.
class Lockstep {
public:
    Lockstep(RtlIo &rtl, Stimulus &stim, const RunOptions &opt) : rtl_(rtl), stim_(stim), opt_(opt) {}
    ~Lockstep()
    {
        if (cvcd_) gic_vcd_close(cvcd_);
        if (gic_) gic_destroy(gic_);
    }
    RunResult run();

private:
    using clk = std::chrono::steady_clock;
    // qactive honesty: from a cycle that left qactive = 0, idle cycles must change no output and no state (snapshot
    // taken when qactive fell), and qactive must stay 0 (it is a function of the state and the inputs)
    struct Quiet {
        std::vector<uint32_t> out;
        RtlResponse rsp[2];
        RtlState st;
        RtlObs obs;
        std::vector<uint64_t>
            regs; // the state registers (debug port, with the offers: HPPIR), a limited number of times
    };
    static constexpr uint64_t kSweeps = 256;

    bool start();
    bool open_c_vcd();
    void close_c_vcd();
    bool apply(uint64_t t, const CycleStim &s, bool &idle);
    void clock_both(uint64_t t, bool do_reset);
    bool check_trace(uint64_t t, bool do_reset);
    bool check_quiet(uint64_t t);
    bool check_pins();
    bool check_responses(uint64_t t, bool ok);
    bool check_state(bool do_reset);
    bool check_idleness(uint64_t t);
    void final_sweep(uint64_t t);
    void sweep(std::vector<uint64_t> &v);
    bool state_differs(const PeekReg &p, const char *what, bool check_status);
    void fail(uint64_t t);

    RtlIo &rtl_;
    Stimulus &stim_;
    const RunOptions &opt_;
    RunResult res_;
    gic_t *gic_ = nullptr;
    gic_vcd_t *cvcd_ = nullptr; // --vcd-c: the C kernel's waveform, on the RTL's time axis (docs/waveforms.md)
    bool tracing_ = false;
    std::vector<PeekReg> peeks_; // the state registers compared
    std::vector<PeekReg> qregs_; // what the RTL alone is compared with itself on: HPPIR too (question 1)
    TraceCheck tc_check_;
    RtlState st_prev_, st_now_;
    RtlObs obs_;
    Quiet quiet_;
    bool held_ = false;       // quiet_ holds the state at the last fall of qactive, and every cycle since was idle
    bool expect_low_ = false; // this cycle must have moved nothing (held_ and idle)
    uint64_t sweeps_ = 0, quiet_from_ = 0;
    size_t peek_pos_ = 0;
    std::deque<std::string> recent_;
    std::vector<InFlight> inflight_;
    std::vector<uint8_t> spi_lvl_, ppi_lvl_;
    std::map<unsigned, bool> spi_rise_, ppi_rise_; // rise strobes of this cycle
    uint64_t seq_ = 0;
    std::ostringstream why_;
    double tc_ = 0, tr_ = 0;
};

void Lockstep::fail(uint64_t t)
{
    res_.diverged = true;
    res_.cycle = t;
    std::ostringstream o;
    o << "DIVERGENCE at cycle " << t << ":\n" << why_.str() << "last " << recent_.size() << " stimuli:\n";
    for (auto &s : recent_) o << "  " << s << "\n";
    res_.report = o.str();
}

void Lockstep::sweep(std::vector<uint64_t> &v)
{
    sweeps_++;
    v.resize(qregs_.size());
    for (size_t i = 0; i < qregs_.size(); i++) v[i] = rtl_.debug_read(qregs_[i].frame, qregs_[i].cpu, qregs_[i].offset);
}

// The C kernel and the RTL from reset; the trace port's mirror starts from the RTL's state after reset.
bool Lockstep::start()
{
    struct gic_config cfg;
    c_config_for(rtl_, &cfg);
    if (gic_create(&cfg, &gic_) != GIC_OK) {
        res_.diverged = true;
        res_.report = "gic_create failed";
        return false;
    }
    rtl_.reset();
    peeks_ = peek_list(rtl_);
    gic_set_trace(gic_, TraceCheck::hook, &tc_check_);
    if (!open_c_vcd()) return false;
    rtl_.state(st_prev_);
    tc_check_.init(st_prev_, rtl_.lrs());
    obs_ = rtl_.observe();
    qregs_ = peeks_;
    for (unsigned c = 0; c < rtl_.cpus(); c++) {
        if (rtl_.version() == 2) { // GICC/GICV_HPPIR and _AHPPIR
            for (uint8_t f : { uint8_t(GIC_FRAME_GICC), uint8_t(GIC_FRAME_GICV) })
                for (uint32_t o : { 0x018u, 0x028u }) qregs_.push_back({ f, (uint16_t)c, o, 4 });
            continue;
        }
        for (uint8_t f : { uint8_t(GIC_FRAME_SYSREG), uint8_t(GIC_FRAME_VSYSREG) })
            for (uint32_t e : { ICC_HPPIR0_EL1_ENC, ICC_HPPIR1_EL1_ENC }) qregs_.push_back({ f, (uint16_t)c, e, 8 });
    }
    spi_lvl_.assign(rtl_.spis(), 0);
    ppi_lvl_.assign(rtl_.cpus() * 16, 0);
    return true;
}

// --vcd-c: the C kernel's waveform from cycle 0 (the bridge's cycle t is the C kernel's cycle t), in the RTL
// waveform's window; the writer is chained before the trace check's hook.
bool Lockstep::open_c_vcd()
{
    if (opt_.c_vcd_path.empty()) return true;
    struct gic_vcd_window w = { opt_.vcd_from, opt_.vcd_to };
    int rc = gic_vcd_open(gic_, opt_.c_vcd_path.c_str(), &w, &cvcd_);
    if (rc == GIC_OK) rc = gic_vcd_attach(cvcd_);
    if (rc == GIC_OK) return true;
    res_.c_vcd_error = opt_.c_vcd_path + ": cannot write the waveform: " +
                       (rc == GIC_E_IO ? std::string(strerror(errno)) : std::string(gic_strerror(rc)));
    return false;
}

void Lockstep::close_c_vcd()
{
    if (!cvcd_) return;
    int rc = gic_vcd_close(cvcd_);
    cvcd_ = nullptr;
    if (rc != GIC_OK && res_.c_vcd_error.empty())
        res_.c_vcd_error = opt_.c_vcd_path + ": cannot write the waveform: " +
                           (rc == GIC_E_IO ? std::string(strerror(errno)) : std::string(gic_strerror(rc)));
}

// The stimulus of cycle t to both sides: pin changes (the RTL also gets the rise strobes), the access. idle: nothing
// changed (no access, no reset, no pin level change).
bool Lockstep::apply(uint64_t t, const CycleStim &s, bool &idle)
{
    spi_rise_.clear();
    ppi_rise_.clear();
    if (s.reset && (s.has_access || !s.pins.empty())) {
        why_ << "  the stimulus of a reset cycle has pins or an access\n";
        return false;
    }
    if (s.reset) {
        recent_.push_back("cycle " + std::to_string(t) + ": reset of both sides");
        res_.resets++;
    }
    idle = !s.has_access && !s.reset;
    for (const PinChange &p : s.pins) {
        char buf[96];
        if (p.ppi) snprintf(buf, sizeof buf, "cycle %" PRIu64 ": PPI %u of cpu%u = %d", t, p.intid, p.cpu, p.level);
        else snprintf(buf, sizeof buf, "cycle %" PRIu64 ": SPI %u = %d", t, p.intid, p.level);
        recent_.push_back(buf);
        std::vector<uint8_t> &lvl = p.ppi ? ppi_lvl_ : spi_lvl_;
        std::map<unsigned, bool> &rise = p.ppi ? ppi_rise_ : spi_rise_;
        unsigned k = p.ppi ? p.cpu * 16 + (p.intid - 16) : p.intid - 32;
        if (lvl[k] != p.level) {
            if (p.level) rise[k] = true;
            idle = false;
            if (p.ppi) gic_set_ppi(gic_, p.cpu, p.intid, p.level);
            else gic_set_spi(gic_, p.intid, p.level);
        }
        lvl[k] = p.level;
    }
    for (const PinChange &p : s.pins) {
        if (p.ppi) {
            unsigned k = p.cpu * 16 + (p.intid - 16);
            rtl_.set_ppi(p.cpu, p.intid - 16, ppi_lvl_[k], ppi_rise_.count(k) != 0);
        } else {
            unsigned k = p.intid - 32;
            rtl_.set_spi(k, spi_lvl_[k], spi_rise_.count(k) != 0);
        }
    }
    if (s.has_access) {
        const Access &a = s.access;
        struct gic_access ga = to_gic_access(a);
        uint64_t ctag = 0;
        int rc = gic_submit(gic_, &ga, &ctag);
        if (rc != GIC_OK) {
            why_ << "  gic_submit refused the access (" << gic_strerror(rc) << "): " << describe(gic_, a) << "\n";
            return false;
        }
        inflight_.push_back({ seq_, ctag, a, t });
        rtl_.set_request(true, a.frame, a.write, a.size, a.cpu, a.offset, a.data, static_cast<uint16_t>(seq_));
        recent_.push_back("cycle " + std::to_string(t) + ": #" + std::to_string(seq_) + " " + describe(gic_, a));
        seq_++;
        res_.accesses++;
    } else {
        rtl_.set_request(false, 0, false, 0, 0, 0, 0, 0);
    }
    while (recent_.size() > 16) recent_.pop_front();
    return true;
}

// One cycle on each side (a reset cycle resets both: timing.md 6, every message and access in flight is dropped;
// cycles are not renumbered), then the rise strobes cleared for the next cycle.
void Lockstep::clock_both(uint64_t t, bool do_reset)
{
    auto t0 = clk::now();
    if (do_reset) {
        if (cvcd_) gic_vcd_reset(cvcd_); // gic_reset(), with the C waveform following it
        else gic_reset(gic_);
        inflight_.clear();
    }
    gic_step(gic_, 1);
    auto t1 = clk::now();
    if (do_reset) rtl_.reset(); // rst for the edge that ends cycle t
    else rtl_.clock();
    if (tracing_ && t <= opt_.vcd_to) rtl_.trace_dump(t);
    auto t2 = clk::now();
    tc_ += std::chrono::duration<double>(t1 - t0).count();
    tr_ += std::chrono::duration<double>(t2 - t1).count();
    for (auto &kv : spi_rise_) rtl_.set_spi(kv.first, spi_lvl_[kv.first], false);
    for (auto &kv : ppi_rise_) rtl_.set_ppi(kv.first / 16, kv.first % 16, ppi_lvl_[kv.first], false);
}

// The trace port against the C kernel's trace of cycle t.
bool Lockstep::check_trace(uint64_t t, bool do_reset)
{
    rtl_.state(st_now_);
    if (!do_reset) return tc_check_.check(t, obs_, st_prev_, st_now_, inflight_, why_);
    // a reset traces nothing on the C side; the mirror restarts from the RTL's state after reset, which the full
    // register sweep compares with the C kernel's
    bool ok = tc_check_.ev.empty();
    if (!ok) {
        why_ << "  the C kernel traced " << tc_check_.ev.size() << " events in a reset cycle\n";
        for (const gic_trace_event &e : tc_check_.ev) why_ << "    C event: " << show_ev(e) << "\n";
    }
    tc_check_.ev.clear();
    tc_check_.init(st_now_, rtl_.lrs());
    return ok;
}

// qactive was 0 after cycle t-1 and cycle t had no stimulus: nothing may have moved.
bool Lockstep::check_quiet(uint64_t t)
{
    if (!expect_low_) return true;
    res_.quiet_checks++;
    bool moved = st_now_ != quiet_.st || rtl_.observe() != quiet_.obs;
    for (unsigned c = 0; c < rtl_.cpus(); c++) moved = moved || rtl_.outputs(c) != quiet_.out[c];
    for (int lane = 0; lane < 2; lane++) {
        RtlResponse r = rtl_.response(lane);
        moved = moved || r.valid != quiet_.rsp[lane].valid || r.tag != quiet_.rsp[lane].tag ||
                r.data != quiet_.rsp[lane].data || r.status != quiet_.rsp[lane].status;
    }
    if (!quiet_.regs.empty() && sweeps_ < kSweeps) {
        std::vector<uint64_t> now;
        sweep(now);
        for (size_t i = 0; i < now.size(); i++)
            if (now[i] != quiet_.regs[i]) {
                Access a;
                a.frame = qregs_[i].frame;
                a.cpu = qregs_[i].cpu;
                a.offset = qregs_[i].offset;
                a.size = qregs_[i].size;
                why_ << "  idle cycle after qactive = 0: " << describe(gic_, a) << " changed from 0x" << std::hex
                     << quiet_.regs[i] << " to 0x" << now[i] << std::dec << "\n";
                moved = true;
            }
    }
    if (moved)
        why_ << "  the RTL reported qactive = 0 (from cycle " << quiet_from_ << " on) and cycle " << t
             << " had no stimulus, but its outputs, responses, trace port or state changed\n";
    return !moved;
}

bool Lockstep::check_pins()
{
    bool ok = true;
    for (unsigned c = 0; c < rtl_.cpus(); c++) {
        uint32_t oc = gic_outputs(gic_, c), orl = rtl_.outputs(c);
        if (oc != orl) {
            why_ << "  outputs of cpu" << c << ": C 0x" << std::hex << oc << " RTL 0x" << orl << std::dec
                 << " (IRQ=1 FIQ=2 vIRQ=4 vFIQ=8 MAINT=16)\n";
            ok = false;
        }
    }
    return ok;
}

// The responses due now: every C response of cycle t+1 has its RTL twin on a lane (tag, status, data) and no lane
// answers what the C kernel does not. A response goes back to the stimulus (on_response) while nothing of the
// cycle has failed (ok: the checks before this one).
bool Lockstep::check_responses(uint64_t t, bool ok)
{
    std::map<uint16_t, RtlResponse> rtl_rsp;
    for (int lane = 0; lane < 2; lane++) {
        RtlResponse r = rtl_.response(lane);
        if (r.valid) rtl_rsp[r.tag] = r;
    }
    for (size_t i = 0; i < inflight_.size();) {
        struct gic_response gr {};
        int rc = gic_collect(gic_, inflight_[i].ctag, &gr);
        if (rc == GIC_E_AGAIN) {
            i++;
            continue;
        }
        InFlight f = inflight_[i];
        inflight_.erase(inflight_.begin() + static_cast<long>(i));
        uint16_t tag = static_cast<uint16_t>(f.seq);
        auto it = rtl_rsp.find(tag);
        if (it == rtl_rsp.end()) {
            why_ << "  response of #" << f.seq << " (" << describe(gic_, f.acc) << ", issued " << f.issue
                 << "): C answers in cycle " << gr.done << " status " << gr.status << " data 0x" << std::hex << gr.data
                 << std::dec << ", RTL has no response now\n";
            ok = false;
            continue;
        }
        RtlResponse r = it->second;
        rtl_rsp.erase(it);
        uint64_t km = known_mask(f.acc.frame, f.acc.offset);
        if (r.status != gr.status || (r.data & km) != (gr.data & km) || gr.done != t + 1) {
            why_ << "  response of #" << f.seq << " (" << describe(gic_, f.acc) << ", issued " << f.issue
                 << "): C status " << gr.status << " data 0x" << std::hex << gr.data << std::dec << " done " << gr.done
                 << "; RTL status " << r.status << " data 0x" << std::hex << r.data << std::dec << " done " << t + 1
                 << "\n";
            ok = false;
        }
        if (ok) stim_.on_response(f.seq, f.acc, gr.status, gr.data);
    }
    for (auto &kv : rtl_rsp) {
        why_ << "  RTL answers access tag " << kv.first << " in cycle " << t + 1
             << " but the C kernel has no response for it now\n";
        ok = false;
    }
    return ok;
}

// One state register through both debug ports (known bits only); true (and why) when they differ.
bool Lockstep::state_differs(const PeekReg &p, const char *what, bool check_status)
{
    uint64_t cv = 0;
    int rc = gic_peek(gic_, static_cast<gic_frame>(p.frame), p.cpu, p.offset, p.size, &cv);
    uint64_t rv = rtl_.debug_read(p.frame, p.cpu, p.offset);
    if (p.size == 4) rv &= 0xffffffffu;
    rv &= known_mask(p.frame, p.offset);
    cv &= known_mask(p.frame, p.offset);
    if ((!check_status || rc == GIC_OK) && cv == rv) return false;
    Access a;
    a.frame = p.frame;
    a.cpu = p.cpu;
    a.offset = p.offset;
    a.size = p.size;
    why_ << "  " << what << " " << describe(gic_, a) << ": C 0x" << std::hex << cv << " RTL 0x" << rv << std::dec;
    if (check_status) why_ << " (peek status " << rc << ")";
    why_ << "\n";
    return true;
}

// Architectural state through the debug ports: a few registers per cycle (round robin), all of them after a reset.
bool Lockstep::check_state(bool do_reset)
{
    unsigned n = do_reset ? static_cast<unsigned>(peeks_.size()) : opt_.peeks_per_cycle;
    for (unsigned k = 0; k < n && !peeks_.empty(); k++) {
        const PeekReg &p = peeks_[peek_pos_];
        peek_pos_ = (peek_pos_ + 1) % peeks_.size();
        if (state_differs(p, "state", true)) return false;
    }
    return true;
}

// The inputs made idle: qactive_core against the C kernel's "no event left" (both ways), qactive's honesty, and the
// snapshot when qactive falls.
bool Lockstep::check_idleness(uint64_t t)
{
    rtl_.set_request(false, 0, false, 0, 0, 0, 0, 0);
    bool q_low = !rtl_.qactive();
    // qactive_core is the C kernel's "no event left" (both compute a response at E and only deliver it at D), both
    // ways: the RTL is never busier than the C kernel, and the C kernel schedules no event that the RTL has no work
    // for (an event that changes nothing is an idleness divergence too).
    gic_cycle_t c_next = gic_next_event(gic_);
    bool c_idle = c_next == GIC_CYCLE_NEVER;
    if (c_idle != !rtl_.qactive_core()) {
        if (c_idle)
            why_ << "  after cycle " << t << " the C kernel has no event left but the RTL's qactive_core is 1\n";
        else
            why_ << "  after cycle " << t << " the C kernel still has an event (cycle " << c_next
                 << ") but the RTL's qactive_core is 0\n";
        return false;
    }
    res_.c_idle += c_idle;
    obs_ = rtl_.observe();
    if (expect_low_ && !q_low) {
        why_ << "  the RTL reported qactive = 0 (from cycle " << quiet_from_ << " on), cycle " << t
             << " had no stimulus, yet qactive is 1 after it: something moved\n";
        return false;
    }
    if (!q_low) held_ = false;
    else res_.qactive_low++;
    if (q_low && !held_) {
        held_ = true;
        quiet_from_ = t;
        quiet_.out.resize(rtl_.cpus());
        for (unsigned c = 0; c < rtl_.cpus(); c++) quiet_.out[c] = rtl_.outputs(c);
        for (int lane = 0; lane < 2; lane++) quiet_.rsp[lane] = rtl_.response(lane);
        quiet_.st = st_now_;
        quiet_.obs = obs_;
        quiet_.regs.clear();
        if (sweeps_ < kSweeps / 2) sweep(quiet_.regs);
    }
    return true;
}

// The end: every state register once more.
void Lockstep::final_sweep(uint64_t t)
{
    for (const PeekReg &p : peeks_)
        if (state_differs(p, "final state", false)) {
            fail(t);
            return;
        }
}

RunResult Lockstep::run()
{
    if (!start()) return res_;
    uint64_t t = 0, drain_end = UINT64_MAX, drained = 0, quiet_at_end = 0;
    for (; t < opt_.max_cycles; t++) {
        if (!opt_.vcd_path.empty() && !tracing_ && t >= opt_.vcd_from) {
            rtl_.trace_open(opt_.vcd_path);
            tracing_ = true;
        }
        CycleStim s;
        if (drained == 0 && !stim_.next(t, s)) drain_end = t + opt_.drain_cycles; // the stream ended: idle cycles
        if (drain_end != UINT64_MAX) {
            // draining: stop at the limit, or once qactive fell and an idle cycle was checked after the stream
            if (t >= drain_end || res_.quiet_checks >= quiet_at_end + 8) break;
            if (drained++ == 0) quiet_at_end = res_.quiet_checks;
        }
        bool idle = false;
        if (!apply(t, s, idle)) {
            fail(t);
            break;
        }
        clock_both(t, s.reset);
        bool ok = check_trace(t, s.reset);
        expect_low_ = held_ && idle;
        if (!idle) held_ = false;
        ok = check_quiet(t) && ok;
        ok = check_pins() && ok;
        ok = check_responses(t, ok);
        if (ok) ok = check_state(s.reset);
        if (!ok || !check_idleness(t)) {
            fail(t);
            break;
        }
        std::swap(st_prev_, st_now_);
    }
    if (!res_.diverged && opt_.require_quiet && res_.quiet_checks == 0) {
        why_ << "  qactive was never 0 before an idle cycle (" << res_.qactive_low
             << " cycles with qactive = 0): the idle check did not run\n";
        fail(t);
    }
    if (!res_.diverged) final_sweep(t);
    if (tracing_) rtl_.trace_close();
    close_c_vcd();
    res_.cycles_run = t;
    res_.trace_events = tc_check_.compared;
    res_.c_seconds = tc_;
    res_.rtl_seconds = tr_;
    return res_;
}

} // namespace

RunResult run_lockstep(RtlIo &rtl, Stimulus &stim, const RunOptions &opt)
{
    Lockstep ls(rtl, stim, opt);
    return ls.run();
}

} // namespace rtlb
