/* vcd_cli.c: --vcd FILE, --vcd-from N, --vcd-to N (vcd_cli.h). */
#include "vcd_cli.h"
#include "cli_errors.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

void vcd_cli_init(struct vcd_cli *o)
{
    memset(o, 0, sizeof *o);
    o->window.to = GIC_CYCLE_NEVER;
}

const char *vcd_cli_cycle(const char *s, uint64_t *out)
{
    uint64_t v = 0;
    if (!*s) return "a cycle number";
    for (const char *p = s; *p; p++) {
        if (*p < '0' || *p > '9') return "a cycle number (decimal digits)";
        if (v > (GIC_CYCLE_LIMIT - (uint64_t)(*p - '0')) / 10) return "a cycle number up to 2^63";
        v = v * 10 + (uint64_t)(*p - '0');
    }
    *out = v;
    return NULL;
}

int vcd_cli_option(struct vcd_cli *o, int argc, char **argv, int *i)
{
    const char *a = argv[*i];
    bool from = !strcmp(a, "--vcd-from"), to = !strcmp(a, "--vcd-to");
    if (strcmp(a, "--vcd") && !from && !to) return 0;
    if (*i + 1 >= argc) return usage_error("%s needs a value", a);
    const char *val = argv[++*i];
    if (!from && !to) {
        if (!*val || val[0] == '-') return usage_error("--vcd takes a FILE, not '%s'", val);
        o->path = val;
        return 1;
    }
    uint64_t n = 0;
    const char *why = vcd_cli_cycle(val, &n);
    if (why) return usage_error("%s takes %s, not '%s'", a, why, val);
    if (from) o->window.from = n, o->have_from = true;
    else o->window.to = n, o->have_to = true;
    return 1;
}

int vcd_cli_check(const struct vcd_cli *o)
{
    if ((o->have_from || o->have_to) && !o->path) return usage_error("--vcd-from and --vcd-to go with --vcd FILE");
    if (o->window.from > o->window.to)
        return usage_error("--vcd-from %llu is after --vcd-to %llu", (unsigned long long)o->window.from,
                           (unsigned long long)o->window.to);
    return 0;
}

/* "gicsim: cannot write FILE: REASON", as every output of gicsim reports it (cli_errors.h). */
static int failed(const struct vcd_cli *o, int rc)
{
    return write_error(o->path, rc == GIC_E_IO ? errno : rc == GIC_E_NOMEM ? ENOMEM : EINVAL);
}

int vcd_cli_open(const struct vcd_cli *o, gic_t *g, gic_vcd_t **out)
{
    *out = NULL;
    if (!o->path) return 0;
    int rc = gic_vcd_open(g, o->path, &o->window, out);
    if (rc == GIC_OK && (rc = gic_vcd_attach(*out)) != GIC_OK) {
        gic_vcd_close(*out);
        *out = NULL;
    }
    return rc == GIC_OK ? 0 : failed(o, rc);
}

int vcd_cli_close(const struct vcd_cli *o, gic_vcd_t *v)
{
    if (!v) return 0;
    int rc = gic_vcd_close(v);
    return rc == GIC_OK ? 0 : failed(o, rc);
}
