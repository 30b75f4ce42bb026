#!/usr/bin/python3
"""check_timeline_png.py PNG WIDTH MIN_HEIGHT MAX_HEIGHT: a picture of tools/bench/timeline_png.py is a valid PNG of
plausible size that shows what it should (docs/benchmark.md, "Timeline"):
- the file: PNG signature, chunks with valid CRCs, IHDR first (width WIDTH, height in MIN_HEIGHT..MAX_HEIGHT, 8-bit
  RGB or RGBA, not interlaced), IDAT whose data inflates to exactly one filter byte and one row of pixels per line,
  IEND last;
- the pixels (decoded by matplotlib): the bars of each track in its colour (guest vCPU blue, hypervisor orange, bus
  grey, GIC green, CPU interface purple) and the red flow arrows, each over a minimum number of pixels."""
import struct
import sys
import zlib


def fail(msg):
    print("check_timeline_png: FAIL: " + msg)
    sys.exit(1)


path, want_w, min_h, max_h = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
data = open(path, "rb").read()
if data[:8] != b"\x89PNG\r\n\x1a\n":
    fail("%s: no PNG signature" % path)
pos, chunks = 8, []
while pos < len(data):
    if pos + 12 > len(data):
        fail("truncated chunk at byte %d" % pos)
    n, kind = struct.unpack(">I4s", data[pos:pos + 8])
    body = data[pos + 8:pos + 8 + n]
    if len(body) != n or pos + 12 + n > len(data):
        fail("truncated %r chunk" % kind)
    (crc,) = struct.unpack(">I", data[pos + 8 + n:pos + 12 + n])
    if zlib.crc32(kind + body) & 0xffffffff != crc:
        fail("bad CRC in the %r chunk" % kind)
    chunks.append((kind, body))
    pos += 12 + n
if not chunks or chunks[0][0] != b"IHDR" or len(chunks[0][1]) != 13:
    fail("IHDR is not the first chunk")
if chunks[-1][0] != b"IEND":
    fail("IEND is not the last chunk")
w, h, depth, ctype, comp, filt, interlace = struct.unpack(">IIBBBBB", chunks[0][1])
if w <= 0 or h <= 0:
    fail("IHDR size %dx%d" % (w, h))
if w != want_w or not min_h <= h <= max_h:
    fail("size %dx%d, expected width %d and height %d..%d" % (w, h, want_w, min_h, max_h))
if depth != 8 or ctype not in (2, 6) or comp or filt or interlace:
    fail("IHDR: depth %d colour type %d compression %d filter %d interlace %d" % (depth, ctype, comp, filt, interlace))
raw = zlib.decompress(b"".join(b for k, b in chunks if k == b"IDAT"))
if len(raw) != h * (1 + w * (3 if ctype == 2 else 4)):
    fail("IDAT inflates to %d bytes, not %d rows of %d pixels" % (len(raw), h, w))

import matplotlib  # noqa: E402  (the pixels; matplotlib is what drew them)

matplotlib.use("Agg")
import matplotlib.image  # noqa: E402
import numpy as np  # noqa: E402

px = (matplotlib.image.imread(path)[:, :, :3] * 255).round().astype(int)
need = {"guest vCPU (#1f77b4)": ((0x1f, 0x77, 0xb4), 2000), "hypervisor (#ff7f0e)": ((0xff, 0x7f, 0x0e), 2000),
        "bus (#7f7f7f)": ((0x7f, 0x7f, 0x7f), 1000), "GIC (#2ca02c)": ((0x2c, 0xa0, 0x2c), 10),
        "CPU interface (#9467bd)": ((0x94, 0x67, 0xbd), 50), "flow arrows (#d62728)": ((0xd6, 0x27, 0x28), 500)}
found = []
for what, (rgb, least) in need.items():
    n = int((np.abs(px - np.array(rgb)).max(axis=2) <= 6).sum())
    if n < least:
        fail("%s: %d pixels of %s, expected at least %d" % (path, n, what, least))
    found.append("%s %d" % (what.split(" (")[0], n))
print("check_timeline_png: %s: %dx%d PNG, %d chunks; pixels: %s" % (path, w, h, len(chunks), ", ".join(found)))
