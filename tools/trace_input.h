/* trace_input.h: a whole input file in memory, plain or xz-compressed, with read errors reported. */
#ifndef GICSIM_TRACE_INPUT_H
#define GICSIM_TRACE_INPUT_H

#include <stddef.h>

/* Largest input accepted (after decompression): a bigger file is refused, never half-read. */
#define TRACE_INPUT_MAX ((size_t)2 << 30)

struct trace_input {
    char *text; /* NUL-terminated; owned */
    size_t len; /* bytes before the NUL */
};

/* Reads `path` ("-": standard input) whole; an xz stream (by its magic bytes) is decompressed.
 * Returns 0, or -1 with a one-line reason in why (a read error, a directory, a corrupt or cut xz
 * stream, a NUL byte, more than TRACE_INPUT_MAX bytes). */
int trace_input_read(const char *path, struct trace_input *in, char *why, size_t why_len);
void trace_input_free(struct trace_input *in);

#endif
