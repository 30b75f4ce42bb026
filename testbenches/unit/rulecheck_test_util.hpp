// rulecheck_test_util.hpp: looking at a rule checker's violations in tests (docs/rulecheck.md).
#ifndef GICSIM_RULECHECK_TEST_UTIL_HPP
#define GICSIM_RULECHECK_TEST_UTIL_HPP

#include <cstring>
#include <string>
#include <vector>

#include "gic_test_util.hpp"
extern "C" {
#include "gicsim/rulecheck.h"
#include "gicsim/vgic.h"
}

// The first kept violation of `rule` whose message starts with the check name `check`, or nullptr.
inline const gic_violation *find_violation(const gic_rulecheck_t *rc, const char *rule, const char *check)
{
    size_t l = strlen(check);
    for (size_t i = 0; i < gic_rulecheck_count(rc); i++) {
        const gic_violation *x = gic_rulecheck_get(rc, i);
        if (x && !strcmp(x->rule, rule) && !strncmp(x->msg, check, l) && x->msg[l] == ':') return x;
    }
    return nullptr;
}

// Every kept violation, formatted, one per line (for failure messages).
inline std::string violations_report(const gic_rulecheck_t *rc)
{
    std::string s;
    for (size_t i = 0; i < gic_rulecheck_count(rc); i++) {
        char buf[2048];
        gic_violation_format(gic_rulecheck_get(rc, i), buf, sizeof buf);
        s += buf;
        s += '\n';
    }
    return s;
}

// A one-CPU GIC with the rule checker on its trace (fanned out with a TraceLog), the host set up, and
// optionally a vgic VM over it (test_rulecheck.cpp, test_kvm_findings.cpp).
struct CheckedRig {
    gic_version v;
    gt::Gic gic;
    gt::TraceLog log;
    gic_rulecheck_t *rc = nullptr;
    vgic_vm_t *vm = nullptr;
    std::vector<gic_violation> cb_seen; // every violation, as the checker's callback saw it

    static void fan(void *ctx, const gic_trace_event *e)
    {
        auto *R = static_cast<CheckedRig *>(ctx);
        R->log.ev.push_back(*e);
        gic_rulecheck_trace(R->rc, e);
    }
    static void on_violation(void *ctx, const gic_violation *v)
    {
        static_cast<CheckedRig *>(ctx)->cb_seen.push_back(*v);
    }
    // The vgic's physical accesses, straight to the GIC (ctx: the CheckedRig).
    static int plain_access(void *ctx, const gt::Access *a, uint64_t *r)
    {
        return gt::settled_access(static_cast<CheckedRig *>(ctx)->gic, a, r);
    }

    explicit CheckedRig(gic_version ver) : v(ver), gic(ver, 1)
    {
        EXPECT_EQ(gic_rulecheck_create(gic_get_config(gic.g), &rc), GIC_OK);
        gic_rulecheck_set_callback(rc, &CheckedRig::on_violation, this);
        gic_set_trace(gic.g, &CheckedRig::fan, this);
        host_setup();
    }
    ~CheckedRig()
    {
        gic_set_trace(gic.g, nullptr, nullptr);
        vgic_destroy(vm);
        gic_rulecheck_destroy(rc);
    }
    CheckedRig(const CheckedRig &) = delete;
    CheckedRig &operator=(const CheckedRig &) = delete;
    bool v3() const { return v == GIC_V3; }

    // The host: EOImode=1 (SEMANTICS A7), everything unmasked; GICv3 host interrupts in Group 1.
    void host_setup()
    {
        if (v3()) {
            gic.gicd_w(0x000, 0x3);
            gic.rdb_w(0x014, 0);
            gic.icc_w(ICC_CTLR_EL1_ENC, 0x2);
            gic.icc_w(ICC_PMR_EL1_ENC, 0xff);
            gic.icc_w(ICC_IGRPEN1_EL1_ENC, 1);
        } else {
            gic.gicd_w(0x000, 0x1);
            gic.gicc_w(0x000, 0x201);
            gic.gicc_w(0x004, 0xff);
        }
    }
    // A vgic VM of policy `pol` whose physical accesses go to access(ctx, ...); with `attach` the checker
    // is given it.
    void create_vm(vgic_policy pol, int (*access)(void *, const gt::Access *, uint64_t *), void *ctx, bool attach)
    {
        vgic_config c;
        vgic_config_default(&c, v);
        c.policy = pol;
        vgic_hw_ops ops{ access, nullptr, ctx };
        EXPECT_EQ(vgic_create(&c, &ops, &vm), VGIC_OK);
        if (attach) gic_rulecheck_set_vgic(rc, vm);
    }

    // The guest's virtual CPU interface (not trapped), with the given virtual EOImode. GICv2 list
    // registers are Group 0 (IAR takes them).
    void guest_cpuif(bool veoimode = false)
    {
        if (v3()) {
            gic.icv_w(ICC_PMR_EL1_ENC, 0xf8);
            gic.icv_w(ICC_IGRPEN1_EL1_ENC, 1);
            if (veoimode) gic.icv_w(ICC_CTLR_EL1_ENC, 0x2);
        } else {
            gic.gicv_w(0x000, 0x1 | (veoimode ? 0x200 : 0));
            gic.gicv_w(0x004, 0xf8);
        }
    }
    // A CPU interface register of the host (virt false) or the guest: its system register (ICC_*/ICV_*) on
    // GICv3, its GICC/GICV offset on GICv2.
    uint32_t if_r(bool virt, uint32_t enc, uint32_t off)
    {
        if (v3()) return (uint32_t)(virt ? gic.icv(enc) : gic.icc(enc));
        return (uint32_t)(virt ? gic.gicv(off) : gic.gicc(off));
    }
    void if_w(bool virt, uint32_t enc, uint32_t off, uint32_t v)
    {
        if (v3()) virt ? gic.icv_w(enc, v) : gic.icc_w(enc, v);
        else virt ? gic.gicv_w(off, v) : gic.gicc_w(off, v);
    }
    uint32_t guest_ack() { return if_r(true, ICC_IAR1_EL1_ENC, 0x00c); }
    void guest_eoi(uint32_t iar) { if_w(true, ICC_EOIR1_EL1_ENC, 0x010, iar); }
    void guest_dir(uint32_t iar) { if_w(true, ICC_DIR_EL1_ENC, 0x1000, iar); }

    // ---- checker
    size_t n(const char *rule, const char *check = nullptr) const { return gic_rulecheck_count_rule(rc, rule, check); }
    std::string report() const { return violations_report(rc); }
};

#endif
