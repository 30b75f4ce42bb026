/* fuzz_qtest.c: libFuzzer target for the qtest / run front end (tools/qtest.c over tools/platform.c).
 *
 * The first byte picks the machine (virt-gicv2 or virt-gicv3), the CPU count and the mode (QEMU's qtest
 * protocol, or gicsim run's script syntax with its extensions); the rest is the session's input.
 * Checks:
 *  1. qtest_session() reads it all; in qtest mode every input line gets exactly one response line, and
 *     every response is "OK..." or "FAIL..." (QEMU's protocol).
 *  2. The same lines executed one by one with --record's file: the record replays on a fresh platform
 *     (as gicsim run does with it) without a malformed line, and every recorded command answers there
 *     exactly as it did the first time (reads give the same values).
 * Any failure aborts (a crash for libFuzzer). docs/fuzzing.md explains how to run and minimise. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "qtest.h"

#include "fuzz_input.h"

enum { MAX_LINES = 256, LINE_CAP = 4096, RESP_CAP = 512 };

static size_t count_lines(const uint8_t *d, size_t n)
{
    size_t lines = 0;
    for (size_t i = 0; i < n; i++) lines += d[i] == '\n';
    return lines + (n && d[n - 1] != '\n');
}

/* A memory stream into (buf, len) and a platform of the preset: the setup both checks share. */
static FILE *open_stream_and_platform(char **buf, size_t *len, struct platform *p, enum platform_preset preset,
                                      unsigned smp)
{
    FILE *f = open_memstream(buf, len);
    CHECK(f, "open_memstream");
    CHECK(platform_init(p, preset, smp) == 0, "platform_init");
    return f;
}

/* 1: the whole input through qtest_session(), from a memory file descriptor. */
static void check_session(enum platform_preset preset, unsigned smp, bool ext, const uint8_t *d, size_t n)
{
    int fd = fz_memfd("fuzz_qtest_in", d, n, NULL, 0);
    char *out_buf = NULL;
    size_t out_len = 0;
    struct platform p;
    FILE *out = open_stream_and_platform(&out_buf, &out_len, &p, preset, smp);
    struct qtest_opts o = { .extensions = ext, .name = "fuzz" };
    struct qtest_stats st = { 0 };
    int rc = qtest_session(&p, fd, out, &o, &st);
    CHECK(rc == QTEST_DONE, "qtest_session returned %d", rc);
    fclose(out);
    close(fd);
    size_t responses = 0;
    for (size_t i = 0; i < out_len; i++) {
        if (i == 0 || out_buf[i - 1] == '\n')
            CHECK(!strncmp(out_buf + i, "OK", 2) || !strncmp(out_buf + i, "FAIL", 4),
                  "response line starts with '%.20s'", out_buf + i);
        responses += out_buf[i] == '\n';
    }
    CHECK(out_len == 0 || out_buf[out_len - 1] == '\n', "the last response has no newline");
    if (!ext) CHECK(responses == count_lines(d, n), "%zu responses to %zu lines", responses, count_lines(d, n));
    else CHECK(responses <= count_lines(d, n), "%zu responses to %zu lines", responses, count_lines(d, n));
    free(out_buf);
    platform_fini(&p);
}

/* 2: line by line with a record, then the record replayed. */
static void check_record(enum platform_preset preset, unsigned smp, bool ext, const uint8_t *d, size_t n)
{
    static char resp[MAX_LINES][RESP_CAP];
    static char line[LINE_CAP];
    unsigned recorded = 0;
    char *rec_buf = NULL;
    size_t rec_len = 0;
    struct platform p;
    FILE *rec = open_stream_and_platform(&rec_buf, &rec_len, &p, preset, smp);
    struct qtest_opts o = { .record = rec, .extensions = ext, .name = "fuzz" };
    struct qtest_stats st = { 0 };
    size_t pos = 0;
    while (pos < n && recorded < MAX_LINES) {
        const uint8_t *nl = memchr(d + pos, '\n', n - pos);
        size_t len = nl ? (size_t)(nl - (d + pos)) : n - pos;
        size_t next = pos + len + 1;
        if (len >= LINE_CAP) {
            pos = next;
            continue;
        } /* the session refuses it (checked above) */
        memcpy(line, d + pos, len);
        line[len] = 0;
        pos = next;
        CHECK(fflush(rec) == 0, "fflush");
        size_t before = rec_len;
        char r[RESP_CAP];
        enum qtest_result res = qtest_line(&p, line, r, sizeof r, &o, &st);
        CHECK(fflush(rec) == 0, "fflush");
        if (rec_len != before) {
            size_t nls = 0;
            for (size_t i = before; i < rec_len; i++) nls += rec_buf[i] == '\n';
            CHECK(nls == 1, "one command recorded %zu lines", nls);
            snprintf(resp[recorded++], RESP_CAP, "%s", r);
        }
        if (res == QT_BAD && ext) break; /* gicsim run stops there */
    }
    fclose(rec);
    platform_fini(&p);

    /* The replay: run mode (the record uses its extensions for named and banked accesses). */
    CHECK(platform_init(&p, preset, smp) == 0, "platform_init");
    struct qtest_opts ro = { .extensions = true, .name = "record" };
    struct qtest_stats rst = { 0 };
    unsigned i = 0;
    char *save = NULL;
    for (char *l = strtok_r(rec_buf ? rec_buf : (char[]){ 0 }, "\n", &save); l; l = strtok_r(NULL, "\n", &save), i++) {
        CHECK(i < recorded, "the record has more lines than commands recorded");
        char r[RESP_CAP];
        enum qtest_result res = qtest_line(&p, l, r, sizeof r, &ro, &rst);
        CHECK(res != QT_BAD, "recorded line %u '%s' is malformed: %s", i + 1, l, r);
        CHECK(!strcmp(r, resp[i]), "recorded line %u '%s' answers '%s' in the replay, '%s' when recorded", i + 1, l, r,
              resp[i]);
    }
    CHECK(i == recorded, "%u record lines for %u recorded commands", i, recorded);
    free(rec_buf);
    platform_fini(&p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > 1 << 16) return 0;
    uint8_t k = data[0];
    enum platform_preset preset = (k & 1) ? PRESET_VIRT_GICV2 : PRESET_VIRT_GICV3;
    unsigned smp = 1 + ((k >> 1) & 3);
    bool ext = k & 8;
    check_session(preset, smp, ext, data + 1, size - 1);
    check_record(preset, smp, ext, data + 1, size - 1);
    return 0;
}

FUZZ_KEEP_STDERR_AT_INIT
