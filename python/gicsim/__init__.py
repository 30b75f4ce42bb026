"""gicsim: the cycle-level GIC kernels from Python (ctypes over libgicsim.so).

    import gicsim
    g = gicsim.Gic(version=3, cpus=1, spis=32)
    g.write("GICD_CTLR", 0x2)                 # by the spec's register name ...
    g.write(gicsim.GICD, 0x100 + 4, 1 << 8)   # ... or by frame and offset
    g.set_spi(40, True)
    g.run_until_output(0, gicsim.OUT_IRQ)
    intid = g.read("ICC_IAR1_EL1")

Every call maps to one function of the C API (model/include/gicsim/gic.h, docs/python.md); an error status
raises GicError. The library is found through the environment variable GICSIM_LIB, then in the build tree
next to this package (../build/model/libgicsim.so), then on the system's library path.
"""

import ctypes
import ctypes.util
import json
import os

__all__ = [
    "Gic", "GicError", "TraceEvent", "load_library", "load_bench_json",
    "GICD", "GICR_RD", "GICR_SGI", "GICC", "GICH", "GICV", "SYSREG", "VSYSREG",
    "OUT_IRQ", "OUT_FIQ", "OUT_VIRQ", "OUT_VFIQ", "OUT_MAINT", "CYCLE_NEVER",
]

# enum gic_frame, enum gic_output (gic.h)
GICD, GICR_RD, GICR_SGI, GICC, GICH, GICV, SYSREG, VSYSREG, GITS, GITS_TR = range(10)
OUT_IRQ, OUT_FIQ, OUT_VIRQ, OUT_VFIQ, OUT_MAINT = 1, 2, 4, 8, 16
CYCLE_NEVER = (1 << 64) - 1

_TIMING_KEYS = ("req", "resp", "ack", "line", "prio", "deliver", "deact", "hwdeact", "maint", "out", "mem", "its")


class _Timing(ctypes.Structure):
    _fields_ = [(k, ctypes.c_uint32) for k in _TIMING_KEYS]


class _Config(ctypes.Structure):
    _fields_ = [
        ("version", ctypes.c_int), ("num_cpus", ctypes.c_uint32), ("num_spis", ctypes.c_uint32),
        ("prio_bits", ctypes.c_uint32), ("cpu_prio_bits", ctypes.c_uint32), ("num_lrs", ctypes.c_uint32),
        ("vprio_bits", ctypes.c_uint32), ("vpre_bits", ctypes.c_uint32), ("maint_ppi", ctypes.c_uint32),
        ("one_of_n", ctypes.c_bool), ("dist_iidr", ctypes.c_uint32), ("cpu_iidr", ctypes.c_uint32),
        ("redist_iidr", ctypes.c_uint32), ("timing", _Timing),
        ("affinity_set", ctypes.c_bool), ("affinity", ctypes.c_uint64 * 64), ("redist_last", ctypes.c_uint64),
        ("lpis", ctypes.c_bool), ("lpi_id_bits", ctypes.c_uint32), ("direct_lpi", ctypes.c_bool),
        ("lpi_cache", ctypes.c_uint32), ("its", ctypes.c_bool), ("its_cache", ctypes.c_uint32),
    ]


class _TraceEvent(ctypes.Structure):
    _fields_ = [("cycle", ctypes.c_uint64), ("kind", ctypes.c_uint16), ("cpu", ctypes.c_uint16),
                ("intid", ctypes.c_uint32), ("value", ctypes.c_uint64), ("aux", ctypes.c_uint64)]


_TRACE_FN = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.POINTER(_TraceEvent))
_MEM_RD = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_uint64, ctypes.c_void_p, ctypes.c_uint32)
_MEM_WR = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_uint64, ctypes.c_void_p, ctypes.c_uint32)


class _MemOps(ctypes.Structure):
    _fields_ = [("read", _MEM_RD), ("write", _MEM_WR), ("peek", _MEM_RD)]


class Memory:
    """A flat memory for the GIC's memory port (the LPI and ITS tables, docs/lpi.md): `size` bytes at `base`.
    Anything with read(addr, n) -> bytes or None (a bus error) and write(addr, data) -> bool does as well."""

    def __init__(self, base, size):
        self.base, self.data = base, bytearray(size)

    def _span(self, addr, n):
        off = addr - self.base
        return off if 0 <= off and off + n <= len(self.data) else None

    def read(self, addr, n):
        off = self._span(addr, n)
        return None if off is None else bytes(self.data[off:off + n])

    def write(self, addr, data):
        off = self._span(addr, len(data))
        if off is None:
            return False
        self.data[off:off + len(data)] = data
        return True
_lib = None


class GicError(Exception):
    """A gicsim call returned an error status (gic_strerror's text); .status is the code."""

    def __init__(self, what, status):
        self.status = status
        super().__init__("%s: %s" % (what, _lib.gic_strerror(status).decode() if _lib else status))


class TraceEvent:
    """One event of the kernel's trace (struct gic_trace_event); kind is its name ("access", "pending", ...)."""

    __slots__ = ("cycle", "kind", "cpu", "intid", "value", "aux", "text")

    def __init__(self, ev):
        self.cycle, self.cpu, self.intid, self.value, self.aux = ev.cycle, ev.cpu, ev.intid, ev.value, ev.aux
        self.kind = _lib.gic_trace_kind_name(ev.kind).decode()
        buf = ctypes.create_string_buffer(256)
        _lib.gic_trace_format(ctypes.byref(ev), buf, len(buf))
        self.text = buf.value.decode()

    def __repr__(self):
        return "TraceEvent(%s)" % self.text


def _candidates():
    env = os.environ.get("GICSIM_LIB")
    if env:
        return [env]
    here = os.path.dirname(os.path.abspath(__file__))
    found = ctypes.util.find_library("gicsim")
    return [os.path.join(here, "..", "..", "build", "model", "libgicsim.so")] + ([found] if found else [])


def load_library(path=None):
    """Loads libgicsim.so (once); path overrides the search. Returns the ctypes library."""
    global _lib
    if _lib is not None and path is None:
        return _lib
    tried = [path] if path else _candidates()
    for p in tried:
        if p and (os.path.exists(p) or not os.path.dirname(p)):
            try:
                lib = ctypes.CDLL(p)
                break
            except OSError:
                continue
    else:
        raise OSError("libgicsim.so not found (tried %s); build it (scripts/build.sh) or set GICSIM_LIB" % tried)
    u32, u64, i, p_ = ctypes.c_uint32, ctypes.c_uint64, ctypes.c_int, ctypes.c_void_p
    sig = {
        "gic_strerror": (ctypes.c_char_p, [i]),
        "gic_config_default": (None, [ctypes.POINTER(_Config), i]),
        "gic_create": (i, [ctypes.POINTER(_Config), ctypes.POINTER(p_)]),
        "gic_destroy": (None, [p_]),
        "gic_reset": (None, [p_]),
        "gic_read": (i, [p_, i, ctypes.c_uint, u32, ctypes.c_uint, ctypes.POINTER(u64)]),
        "gic_write": (i, [p_, i, ctypes.c_uint, u32, ctypes.c_uint, u64]),
        "gic_peek": (i, [p_, i, ctypes.c_uint, u32, ctypes.c_uint, ctypes.POINTER(u64)]),
        "gic_set_spi": (i, [p_, u32, ctypes.c_bool]),
        "gic_set_ppi": (i, [p_, u32, u32, ctypes.c_bool]),
        "gic_outputs": (u32, [p_, u32]),
        "gic_now": (u64, [p_]),
        "gic_next_event": (u64, [p_]),
        "gic_step": (i, [p_, u64]),
        "gic_run_until": (i, [p_, u64]),
        "gic_quiescent": (ctypes.c_bool, [p_]),
        "gic_set_trace": (None, [p_, _TRACE_FN, p_]),
        "gic_set_memory": (i, [p_, ctypes.POINTER(_MemOps), p_]),
        "gic_trace_kind_name": (ctypes.c_char_p, [ctypes.c_uint]),
        "gic_trace_format": (i, [ctypes.POINTER(_TraceEvent), ctypes.c_char_p, ctypes.c_size_t]),
        "gic_reg_name": (ctypes.c_char_p, [p_, i, u32, ctypes.POINTER(ctypes.c_uint)]),
        "gic_reg_lookup": (i, [p_, ctypes.c_char_p, ctypes.POINTER(i), ctypes.POINTER(u32), ctypes.POINTER(ctypes.c_uint)]),
    }
    for name, (res, args) in sig.items():
        f = getattr(lib, name)
        f.restype, f.argtypes = res, args
    _lib = lib
    return lib


class Gic:
    """One GIC (gic_create). Keyword arguments set struct gic_config fields; timing={...} sets latencies.

    version 2 or 3; cpus, spis, lrs are short for num_cpus, num_spis, num_lrs. Defaults: gic_config_default
    (QEMU virt's choices, docs/architecture.md)."""

    _ALIASES = {"cpus": "num_cpus", "spis": "num_spis", "lrs": "num_lrs"}

    def __init__(self, version=3, timing=None, **cfg):
        lib = load_library()
        if version not in (2, 3):
            raise ValueError("version must be 2 or 3")
        c = _Config()
        lib.gic_config_default(ctypes.byref(c), version)
        for k, v in cfg.items():
            k = self._ALIASES.get(k, k)
            if k not in dict(_Config._fields_) or k in ("version", "timing"):
                raise TypeError("unknown configuration field '%s'" % k)
            if k == "affinity":  # a list of the CPUs' affinities (Aff2.Aff1.Aff0)
                c.affinity_set = True
                for n, a in enumerate(v):
                    c.affinity[n] = a
            else:
                setattr(c, k, v)
        for k, v in (timing or {}).items():
            if k not in _TIMING_KEYS:
                raise TypeError("unknown latency '%s' (%s)" % (k, ", ".join(_TIMING_KEYS)))
            setattr(c.timing, k, v)
        h = ctypes.c_void_p()
        rc = lib.gic_create(ctypes.byref(c), ctypes.byref(h))
        if rc:
            raise GicError("gic_create", rc)
        self._h, self._cfg, self._trace_cb, self._events, self._mem = h, c, None, None, None

    # ---- life
    def close(self):
        if self._h:
            _lib.gic_destroy(self._h)
            self._h = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        try:
            self.close()
        except Exception:
            pass

    @property
    def config(self):
        """The configuration as a dict (timing as a nested dict)."""
        d = {k: getattr(self._cfg, k) for k, _ in _Config._fields_ if k not in ("timing", "affinity")}
        d["affinity"] = list(self._cfg.affinity[: self._cfg.num_cpus]) if self._cfg.affinity_set else None
        d["timing"] = {k: getattr(self._cfg.timing, k) for k in _TIMING_KEYS}
        return d

    def reset(self):
        _lib.gic_reset(self._h)

    # ---- registers
    def _where(self, reg, cpu, offset_or_none):
        """(frame, offset, size) of a register given by name, or by frame and offset."""
        if isinstance(reg, str):
            frame, off, width = ctypes.c_int(), ctypes.c_uint32(), ctypes.c_uint()
            rc = _lib.gic_reg_lookup(self._h, reg.encode(), ctypes.byref(frame), ctypes.byref(off), ctypes.byref(width))
            if rc:
                raise GicError("no register %s in this GIC" % reg, rc)
            size = 8 if frame.value in (SYSREG, VSYSREG) else width.value // 8
            return frame.value, off.value, size
        return reg, offset_or_none, None

    def read(self, reg, offset=None, cpu=0, size=None):
        """Blocking read (gic_read): read("GICD_TYPER") or read(GICD, 0x004). Time advances to the response."""
        frame, off, s = self._where(reg, cpu, offset)
        v = ctypes.c_uint64()
        rc = _lib.gic_read(self._h, frame, cpu, off, size or s or 4, ctypes.byref(v))
        if rc:
            raise GicError("read of %s" % (reg if isinstance(reg, str) else "frame %d offset %#x" % (frame, off)), rc)
        return v.value

    def write(self, reg, *args, cpu=0, size=None):
        """Blocking write (gic_write): write("ICC_PMR_EL1", 0xff) or write(GICD, 0x100, 1 << 8)."""
        if isinstance(reg, str):
            (value,) = args
            frame, off, s = self._where(reg, cpu, None)
        else:
            off, value = args
            frame, s = reg, None
        rc = _lib.gic_write(self._h, frame, cpu, off, size or s or 4, value)
        if rc:
            raise GicError("write of %s" % (reg if isinstance(reg, str) else "frame %d offset %#x" % (frame, off)), rc)

    def peek(self, reg, offset=None, cpu=0, size=None):
        """Debug read (gic_peek): no side effect, no time."""
        frame, off, s = self._where(reg, cpu, offset)
        v = ctypes.c_uint64()
        rc = _lib.gic_peek(self._h, frame, cpu, off, size or s or 4, ctypes.byref(v))
        if rc:
            raise GicError("peek", rc)
        return v.value

    def reg_name(self, frame, offset):
        """The register an access decodes to ("" if reserved), with its array index: ("GICD_ISENABLER", 1)."""
        idx = ctypes.c_uint()
        name = _lib.gic_reg_name(self._h, frame, offset, ctypes.byref(idx)).decode()
        return name, idx.value

    # ---- lines and outputs
    def set_spi(self, intid, level):
        rc = _lib.gic_set_spi(self._h, intid, bool(level))
        if rc:
            raise GicError("set_spi(%d)" % intid, rc)

    def set_ppi(self, cpu, intid, level):
        rc = _lib.gic_set_ppi(self._h, cpu, intid, bool(level))
        if rc:
            raise GicError("set_ppi(%d, %d)" % (cpu, intid), rc)

    def outputs(self, cpu=0):
        """Bitmask of OUT_IRQ, OUT_FIQ, OUT_VIRQ, OUT_VFIQ, OUT_MAINT."""
        return _lib.gic_outputs(self._h, cpu)

    # ---- time
    @property
    def now(self):
        return _lib.gic_now(self._h)

    @property
    def next_event(self):
        """The earliest cycle with work, CYCLE_NEVER when idle."""
        return _lib.gic_next_event(self._h)

    def quiescent(self):
        return bool(_lib.gic_quiescent(self._h))

    def step(self, cycles=1):
        rc = _lib.gic_step(self._h, cycles)
        if rc:
            raise GicError("step", rc)

    def run_until(self, cycle):
        rc = _lib.gic_run_until(self._h, cycle)
        if rc:
            raise GicError("run_until", rc)

    def run_to_next_event(self):
        """Processes the next cycle with work; False when there is none."""
        n = self.next_event
        if n == CYCLE_NEVER:
            return False
        self.run_until(n + 1)
        return True

    def settle(self):
        """Runs until nothing is scheduled."""
        while self.run_to_next_event():
            pass

    def run_until_output(self, cpu, mask, level=True, max_events=100000):
        """Runs event by event until (outputs(cpu) & mask) != 0 equals level; returns the cycle, or None."""
        for _ in range(max_events):
            if bool(self.outputs(cpu) & mask) == bool(level):
                return self.now
            if not self.run_to_next_event():
                break
        return self.now if bool(self.outputs(cpu) & mask) == bool(level) else None

    # ---- memory port
    def set_memory(self, mem):
        """Gives the GIC its memory (a Memory, or any object with read/write as Memory has; None removes it). An
        exception in read/write counts as a bus error."""
        if mem is None:
            _lib.gic_set_memory(self._h, None, None)
            self._mem = None
            return
        def rd(_ctx, addr, buf, n):
            try:
                data = mem.read(addr, n)
            except Exception:
                return -1
            if data is None or len(data) != n:
                return -1
            ctypes.memmove(buf, data, n)
            return 0

        def wr(_ctx, addr, buf, n):
            try:
                return 0 if mem.write(addr, ctypes.string_at(buf, n)) else -1
            except Exception:
                return -1

        ops = _MemOps(_MEM_RD(rd), _MEM_WR(wr), _MEM_RD(rd))
        rc = _lib.gic_set_memory(self._h, ctypes.byref(ops), None)
        if rc:
            raise GicError("gic_set_memory", rc)
        self._mem = (mem, ops)  # the callbacks live as long as the GIC uses them

    # ---- trace
    def trace(self, callback=None):
        """Receives every trace event as a TraceEvent: callback(ev), or, without one, collected in a list that
        trace() returns (and keeps appending to). trace(False) stops tracing."""
        if callback is False:
            _lib.gic_set_trace(self._h, _TRACE_FN(), None)
            self._trace_cb = None
            return None
        if callback is None:
            self._events = []
            callback = self._events.append

        def hook(_ctx, ev):
            callback(TraceEvent(ev.contents))

        self._trace_cb = _TRACE_FN(hook)  # kept alive as long as the hook is installed
        _lib.gic_set_trace(self._h, self._trace_cb, None)
        return self._events


def load_bench_json(path):
    """Rows of `gicsim bench --json` output (docs/benchmark.md, "Outputs"): one dict per (GIC, trigger, EOImode,
    policy, sequence, segment) with the segment's statistics in GIC cycles, ready for a table or a plot."""
    with open(path) as f:
        doc = json.load(f)
    rows = []
    for r in doc["results"]:
        base = {k: v for k, v in r.items() if not isinstance(v, (dict, list))}
        for seg, st in r.get("segments", {}).items():
            row = dict(base)
            row["segment"] = seg
            row.update(st)
            rows.append(row)
    return rows
