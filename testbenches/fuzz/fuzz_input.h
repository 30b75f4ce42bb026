/* fuzz_input.h: reading a libFuzzer input as a stream of little-endian numbers; past its end every number is 0. */
#ifndef GICSIM_FUZZ_INPUT_H
#define GICSIM_FUZZ_INPUT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

/* Where a failed check is reported: a duplicate of stderr taken before libFuzzer's -close_fd_mask=2
 * closes it (the programs under test write their diagnostics to stderr; campaigns silence them). */
static int fz_err_fd = 2;
static inline void fz_keep_stderr(void)
{
    int fd = dup(2);
    if (fd >= 0) fz_err_fd = fd;
}
/* Reports a broken check and aborts: libFuzzer keeps the input as a crash. */
static inline void fz_fail(const char *file, int line, const char *cond, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    dprintf(fz_err_fd, "%s:%d: check failed: %s: ", file, line, cond);
    vdprintf(fz_err_fd, fmt, ap);
    dprintf(fz_err_fd, "\n");
    va_end(ap);
    abort();
}
/* The input as a file: a memory file descriptor holding `n` bytes, positioned at its start; its name for
 * open() is "/proc/self/fd/N" (written to path). The caller closes it. */
static inline int fz_memfd(const char *name, const void *data, size_t n, char *path, size_t path_len)
{
    int fd = memfd_create(name, 0);
    if (fd < 0 || write(fd, data, n) != (ssize_t)n || lseek(fd, 0, SEEK_SET) != 0) {
        dprintf(fz_err_fd, "%s: cannot make a memory file\n", name);
        abort();
    }
    if (path) snprintf(path, path_len, "/proc/self/fd/%d", fd);
    return fd;
}

/* Every target keeps a way to report before libFuzzer's -close_fd_mask closes stderr. */
#define FUZZ_KEEP_STDERR_AT_INIT                                                                                       \
    int LLVMFuzzerInitialize(int *argc, char ***argv)                                                                  \
    {                                                                                                                  \
        (void)argc;                                                                                                    \
        (void)argv;                                                                                                    \
        fz_keep_stderr();                                                                                              \
        return 0;                                                                                                      \
    }

#define CHECK(cond, ...)                                                                                               \
    do {                                                                                                               \
        if (!(cond)) fz_fail(__FILE__, __LINE__, #cond, __VA_ARGS__);                                                  \
    } while (0)

struct fuzz_input {
    const uint8_t *data;
    size_t size, pos;
};

static inline size_t fz_left(const struct fuzz_input *in) { return in->size - in->pos; }
static inline uint8_t fz_u8(struct fuzz_input *in) { return in->pos < in->size ? in->data[in->pos++] : 0; }
static inline uint16_t fz_u16(struct fuzz_input *in)
{
    uint16_t lo = fz_u8(in);
    return (uint16_t)(lo | (uint16_t)fz_u8(in) << 8);
}
static inline uint32_t fz_u32(struct fuzz_input *in)
{
    uint32_t lo = fz_u16(in);
    return lo | (uint32_t)fz_u16(in) << 16;
}
static inline uint64_t fz_u64(struct fuzz_input *in)
{
    uint64_t lo = fz_u32(in);
    return lo | (uint64_t)fz_u32(in) << 32;
}

#endif
