/* consumer.c: smallest C user of an installed gicsim::model: create a GIC, write and read back a register. */
#include <stdio.h>

#include "gicsim/gic.h"

int main(void)
{
    struct gic_config c;
    gic_t *g = NULL;
    uint64_t v = 0;
    gic_config_default(&c, GIC_V3);
    if (gic_create(&c, &g) != GIC_OK) return 1;
    int rc = gic_write(g, GIC_FRAME_GICD, 0, 0x420, 4, 0xa0a0a0a0u) | gic_read(g, GIC_FRAME_GICD, 0, 0x420, 4, &v);
    gic_destroy(g);
    printf("consumer_c: %s\n", rc == GIC_OK && v == 0xa0a0a0a0u ? "ok" : "FAILED");
    return rc == GIC_OK && v == 0xa0a0a0a0u ? 0 : 1;
}
