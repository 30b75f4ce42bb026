/* fuzz_replay.c: libFuzzer target for `gicsim replay`'s front end (tools/replay.c, trace_input.c): the input
 * is a QEMU trace (text; an xz stream when it starts with xz's magic), replayed on the C kernels with the
 * rule checker and the timing report on. The first byte's low bit asks for an explicit --smp (from its
 * other bits) instead of the CPU count the trace implies. replay_run must return 0, 1 or 2 (never crash,
 * hang or trip a sanitizer). docs/fuzzing.md explains how to run and minimise. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "replay.h"

#include "fuzz_input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > 1 << 18) return 0;
    char path[64];
    int fd = fz_memfd("fuzz_replay_trace", data + 1, size - 1, path, sizeof path);
    static FILE *out;
    if (!out) out = fopen("/dev/null", "w");
    CHECK(out, "/dev/null");
    struct replay_opts o = { 0 };
    o.trace = path;
    o.rulecheck = true;
    o.timing = "/dev/null";
    o.max_report = 2;
    o.guest_gicd = 0x08000000;
    o.guest_gicr = 0x080a0000;
    if (data[0] & 1) {
        o.have_smp = true;
        o.smp = 1 + (data[0] >> 1) % 4;
    }
    int rc = replay_run(&o, out);
    CHECK(rc == 0 || rc == 1 || rc == 2, "replay_run returned %d", rc);
    close(fd);
    return 0;
}

FUZZ_KEEP_STDERR_AT_INIT
