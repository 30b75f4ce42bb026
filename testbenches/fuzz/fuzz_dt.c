/* fuzz_dt.c: libFuzzer target for the device-tree reader (dt/src/dt.c, gic_dt_parse): any blob, with the SPI
 * count from the first byte. gic_dt_parse must return 0 or -1 with a reason (never crash, read out of bounds or trip
 * a sanitizer), and a device tree it accepts must give a configuration gic_create() takes and a memory map whose
 * redistributor regions hold exactly the CPUs. docs/fuzzing.md explains how to run and minimise. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gicsim/dt.h"

#include "fuzz_input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > 1 << 16) return 0;
    /* An aligned, exactly sized copy: libfdt reads the blob in place. */
    void *blob = malloc(size - 1 ? size - 1 : 1);
    CHECK(blob, "malloc");
    memcpy(blob, data + 1, size - 1);
    struct gic_dt dt;
    char why[256] = "";
    int rc = gic_dt_parse(blob, size - 1, (uint32_t)data[0] * 4, &dt, why, sizeof why);
    CHECK(rc == 0 || (rc == -1 && why[0]), "gic_dt_parse: a refusal without a reason");
    if (rc == 0) {
        gic_t *g = NULL;
        CHECK(gic_create(&dt.cfg, &g) == GIC_OK, "an accepted device tree gives a configuration gic_create refuses");
        gic_destroy(g);
        unsigned cpus = 0;
        for (unsigned r = 0; r < dt.map.redist_regions; r++) cpus += dt.map.redist[r].count;
        CHECK(dt.cfg.version != GIC_V3 || cpus == dt.cfg.num_cpus, "redistributor regions do not hold the CPUs");
    }
    free(blob);
    return 0;
}
