/* trace_input.c: read a whole file (or standard input) into memory; xz streams are decompressed
 * with liblzma. Every read error is reported, never taken for the end of the input. */
#define _POSIX_C_SOURCE 200809L
#include "trace_input.h"

#include <errno.h>
#include <fcntl.h>
#include <lzma.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const uint8_t xz_magic[6] = { 0xfd, '7', 'z', 'X', 'Z', 0x00 };

static int fail(char *why, size_t n, const char *fmt, const char *a, const char *b)
{
    snprintf(why, n, fmt, a, b);
    return -1;
}

/* Appends to a growing buffer; false when the limit would be passed or memory runs out. */
static bool grow(char **buf, size_t *cap, size_t need)
{
    if (need + 1 > TRACE_INPUT_MAX) return false;
    if (need + 1 <= *cap) return true;
    size_t c = *cap ? *cap : 1 << 16;
    while (c < need + 1) c *= 2;
    if (c > TRACE_INPUT_MAX) c = TRACE_INPUT_MAX;
    char *nb = realloc(*buf, c);
    if (!nb) return false;
    *buf = nb;
    *cap = c;
    return true;
}

static int read_raw(int fd, const char *name, char **buf, size_t *len, char *why, size_t wn)
{
    size_t cap = 0;
    *buf = NULL;
    *len = 0;
    for (;;) {
        if (!grow(buf, &cap, *len + 65536)) {
            if (*len + 65536 + 1 > TRACE_INPUT_MAX) return fail(why, wn, "%s: larger than the 2 GiB limit%s", name, "");
            return fail(why, wn, "%s: out of memory%s", name, "");
        }
        ssize_t k = read(fd, *buf + *len, 65536);
        if (k < 0 && errno == EINTR) continue;
        if (k < 0) return fail(why, wn, "cannot read %s: %s", name, strerror(errno));
        if (k == 0) break;
        *len += (size_t)k;
    }
    return 0;
}

static int unxz(const char *name, const char *src, size_t n, char **out, size_t *out_len, char *why, size_t wn)
{
    lzma_stream s = LZMA_STREAM_INIT;
    if (lzma_stream_decoder(&s, UINT64_MAX, LZMA_CONCATENATED) != LZMA_OK)
        return fail(why, wn, "%s: cannot start the xz decoder%s", name, "");
    size_t cap = 0;
    *out = NULL;
    *out_len = 0;
    s.next_in = (const uint8_t *)src;
    s.avail_in = n;
    lzma_ret r = LZMA_OK;
    while (r == LZMA_OK) {
        if (!grow(out, &cap, *out_len + 65536)) {
            lzma_end(&s);
            return fail(why, wn, "%s: decompressed trace larger than the 2 GiB limit or out of memory%s", name, "");
        }
        s.next_out = (uint8_t *)*out + *out_len;
        s.avail_out = 65536;
        r = lzma_code(&s, s.avail_in ? LZMA_RUN : LZMA_FINISH);
        *out_len += 65536 - s.avail_out;
    }
    lzma_end(&s);
    if (r != LZMA_STREAM_END) {
        const char *what = r == LZMA_BUF_ERROR ? "cut (the xz stream ends early)" : "corrupt xz data";
        return fail(why, wn, "%s: %s", name, what);
    }
    return 0;
}

int trace_input_read(const char *path, struct trace_input *in, char *why, size_t wn)
{
    bool is_stdin = !strcmp(path, "-");
    const char *name = is_stdin ? "standard input" : path;
    in->text = NULL;
    in->len = 0;
    int fd = is_stdin ? STDIN_FILENO : open(path, O_RDONLY);
    if (fd < 0) return fail(why, wn, "cannot read %s: %s", name, strerror(errno));
    struct stat sb;
    if (fstat(fd, &sb) == 0 && S_ISDIR(sb.st_mode)) {
        if (!is_stdin) close(fd);
        return fail(why, wn, "cannot read %s: %s", name, strerror(EISDIR));
    }
    char *raw;
    size_t n;
    int rc = read_raw(fd, name, &raw, &n, why, wn);
    if (!is_stdin) close(fd);
    if (rc) {
        free(raw);
        return -1;
    }
    if (n >= sizeof xz_magic && !memcmp(raw, xz_magic, sizeof xz_magic)) {
        char *plain = NULL;
        size_t pn;
        rc = unxz(name, raw, n, &plain, &pn, why, wn);
        free(raw);
        if (rc) {
            free(plain);
            return -1;
        }
        raw = plain;
        n = pn;
    }
    if (memchr(raw, 0, n)) {
        free(raw);
        return fail(why, wn, "%s: binary data (a NUL byte): not a text trace%s", name, "");
    }
    raw[n] = 0; /* grow() always leaves room for it */
    in->text = raw;
    in->len = n;
    return 0;
}

void trace_input_free(struct trace_input *in)
{
    free(in->text);
    in->text = NULL;
    in->len = 0;
}
