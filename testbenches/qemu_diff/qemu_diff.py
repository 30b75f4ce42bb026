#!/usr/bin/env python3
"""qemu_diff.py: run the same qtest commands on QEMU's GIC and on `gicsim qtest`, compare the responses line by line.

Directed scripts (testbenches/qemu_diff/directed/v2|v3/*.qtest; `#smp N` sets the CPU count) are
sent as they are. Random sessions are seeded: the generator drives gicsim interactively (so an EOIR
names the INTID the IAR just returned), then the whole session is sent to QEMU in one go and every
response is compared. The generator issues only accesses whose answer the architecture defines
and where QEMU 7.2 follows the architecture: the departures D1-D10 of docs/qemu-differences.md and the
questions the architecture leaves open are avoided as docs/qemu-differences.md describes.

QEMU does not exit at the end of its qtest input, so it is killed as soon as the last response is
in. Sessions run in parallel (--jobs, default: the number of CPUs).

Exit status: 0 all responses equal, 1 a mismatch, 2 bad usage or a tool missing.
"""
import argparse
import concurrent.futures
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading

from gen_its import gen_its

QEMU_ARGS = {
    "virt-gicv2": ["-M", "virt,gic-version=2,virtualization=on"],
    "virt-gicv3": ["-M", "virt,gic-version=3"],
}


def qemu_argv(qemu, machine, smp):
    return [qemu, *QEMU_ARGS[machine], "-cpu", "cortex-a57", "-smp", str(smp), "-display", "none", "-nodefaults",
            "-qtest", "stdio", "-qtest-log", "/dev/null", "-S"]


def gicsim_argv(gicsim, machine, smp):
    return [gicsim, "qtest", "--machine", machine, "--smp", str(smp)]


def run_batch(argv, lines, kill_when_done):
    """Send every line, read one response per line. Returns (responses, error text or None)."""
    with tempfile.TemporaryFile() as err:
        p = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=err)
        data = "".join(line + "\n" for line in lines).encode()

        def feed():
            try:
                p.stdin.write(data)
                p.stdin.flush()
                if not kill_when_done:
                    p.stdin.close()
            except OSError:
                pass

        t = threading.Thread(target=feed, daemon=True)
        t.start()
        out = []
        for _ in lines:
            r = p.stdout.readline()
            if not r:
                break
            out.append(r.decode(errors="replace").rstrip("\n"))
        if kill_when_done:
            p.kill()
        try:
            p.wait(timeout=10)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
        t.join(timeout=1)
        error = None
        if len(out) < len(lines):
            err.seek(0)
            tail = err.read().decode(errors="replace").strip().splitlines()[-2:]
            error = f"{os.path.basename(argv[0])} ended after {len(out)} of {len(lines)} commands: {' | '.join(tail)}"
        return out, error


class Gicsim:
    """gicsim qtest driven line by line (the random generator needs each answer)."""

    def __init__(self, argv):
        self.p = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                  text=True, bufsize=1)
        self.lines, self.responses = [], []

    def cmd(self, line):
        self.p.stdin.write(line + "\n")
        self.p.stdin.flush()
        r = self.p.stdout.readline()
        if not r:
            raise RuntimeError(f"gicsim ended at '{line}'")
        r = r.rstrip("\n")
        self.lines.append(line)
        self.responses.append(r)
        return r

    def value(self, line):
        r = self.cmd(line)
        return int(r.split()[1], 16) if r.startswith("OK 0x") else 0

    def close(self):
        self.p.stdin.close()
        self.p.wait(timeout=10)


# ---------------- random sessions ----------------
GICD, GICC, GICH, GICV = 0x08000000, 0x08010000, 0x08030000, 0x08040000
GICR = 0x080A0000


def gen_v2(s, rng, n):
    """GICv2 + virtualization, one CPU (D8), Group 0 only (Group 1 paths are left open)."""
    spis = list(range(32, 32 + 24))
    # Configuration fixed before anything is pending (changing trigger mode or priority of a
    # pending/active interrupt, or the binary point with interrupts active, is left open).
    for irq in spis:
        # distinct priorities: ties are IMPLEMENTATION DEFINED
        s.cmd(f"writeb {GICD + 0x400 + irq:#x} {(irq - 32) * 8 + 8:#x}")
    for w in (2, 3):
        s.cmd(f"writel {GICD + 0xc00 + 4 * w:#x} {rng.choice([0, 0xaaaaaaaa, 0x22222222, 0x88888888]):#x}")
    eoimode = rng.randrange(2)
    s.cmd(f"writel {GICC + 8:#x} {rng.randrange(8):#x}")
    s.cmd(f"writel {GICD:#x} 0x1")
    s.cmd(f"writel {GICC:#x} {0x201 if eoimode else 0x1:#x}")
    pmr = 0xff
    s.cmd(f"writel {GICC + 4:#x} {pmr:#x}")
    s.cmd(f"writel {GICH:#x} 0x1")
    s.cmd(f"writel {GICV:#x} 0x1")
    s.cmd(f"writel {GICV + 4:#x} 0xf8")
    s.cmd(f"writel {GICD + 0x100:#x} 0x0f000000")   # PPIs 24..27 enabled (25: maintenance)
    for ppi in (24, 26, 27):
        s.cmd(f"writeb {GICD + 0x400 + ppi:#x} {0xc8 + ppi - 24:#x}")
    active = []      # acknowledged, not yet EOIed physical INTIDs, most recent last
    dropped = []     # EOImode=1: priority dropped, still active (DIR deactivates them)
    vactive = []     # acknowledged vINTIDs, most recent last
    hw = set()       # physical INTIDs handed to the guest in HW=1 list registers
    def take(base, into):
        # an acknowledge (IAR at `base`); a real INTID joins `into`
        v = s.value(f"readl {base + 0xc:#x}")
        if (v & 0x3ff) < 1020:
            into.append(v)

    for _ in range(n):
        k = rng.randrange(28)
        irq = rng.choice(spis)
        word, bit = (irq // 32) * 4, 1 << (irq % 32)
        # the operations of one command and no state of their own; each draws its random numbers
        # only when chosen
        simple = {
            0: lambda: f"writel {GICD + 0x100 + word:#x} {bit:#x}",
            1: lambda: f"writel {GICD + 0x180 + word:#x} {bit:#x}",
            2: lambda: f"writel {GICD + 0x200 + word:#x} {bit:#x}",
            4: lambda: f"writel {GICD + 0x280 + word:#x} {bit:#x}",
            6: lambda: f"readl {GICD + rng.choice([0x100, 0x104, 0x200, 0x204, 0x300, 0x304, 0x400 + 4 * rng.randrange(72), 0xc08, 0xc0c, 0x0]):#x}",
            7: lambda: f"readl {GICD + 0xc00 + (irq // 16) * 4:#x}",
            8: lambda: f"set_irq_in /machine/unattached/device[1] unnamed-gpio-in {irq - 32} {rng.randrange(2)}",
            # HPPIR only when nothing is active and nothing is masked: otherwise the answer is open
            12: lambda: f"readl {GICC + rng.choice([0x14, 0x8, 0x4] + ([0x18] if not active and pmr == 0xff else [])):#x}",
            18: lambda: f"readl {GICH + rng.choice([0x0, 0x8, 0x10, 0x20, 0x30, 0xf0, 0x100, 0x104, 0x108, 0x10c]):#x}",
            19: lambda: f"writel {GICH:#x} {rng.choice([0x1, 0x3, 0x9, 0x5, 0x1 | (rng.randrange(32) << 27)]):#x}",
            20: lambda: f"readl {GICV + rng.choice([0x14, 0x4, 0x8] + ([0x18] if not vactive else [])):#x}",
            # an SGI to this CPU through GICD_SGIR (its IAR value carries the source CPU 0)
            24: lambda: f"writel {GICD + 0xf00:#x} {0x02000000 | rng.randrange(16):#x}",
            25: lambda: f"set_irq_in /machine/unattached/device[1] unnamed-gpio-in {256 + rng.choice([24, 26, 27])} "
                        f"{rng.randrange(2)}",
            26: lambda: f"readl {GICD + rng.choice([0x200, 0x300, 0xf10, 0xf14, 0xf18, 0xf1c]):#x}",
        }
        simple[3], simple[22] = simple[2], simple[8]
        if k in simple:
            s.cmd(simple[k]())
        elif k == 5:
            # rewrite the priority it already has, as a byte or a word
            if rng.randrange(2):
                s.cmd(f"writeb {GICD + 0x400 + irq:#x} {(irq - 32) * 8 + 8:#x}")
            else:
                b = irq & ~3
                v = sum(((i - 32) * 8 + 8) << (8 * (i - b)) for i in range(b, b + 4))
                s.cmd(f"writel {GICD + 0x400 + b:#x} {v:#x}")
        elif k in (9, 10):
            take(GICC, active)
        elif k == 11 and active:
            v = active.pop()
            s.cmd(f"writel {GICC + 0x10:#x} {v:#x}")
            if eoimode:
                dropped.append(v)
        elif k == 13:
            pmr = rng.choice([0xff, 0x80, 0x40])
            s.cmd(f"writel {GICC + 4:#x} {pmr:#x}")
        elif k == 14 and dropped:
            s.cmd(f"writel {GICC + 0x1000:#x} {dropped.pop(rng.randrange(len(dropped))):#x}")
        elif k == 15:
            # a HW=0 list register, only into an empty LR; each LR has its own priority and its
            # own vINTIDs (two LRs with one vINTID are left open), vINTID >= 32 (D4: no SGIs)
            lr = rng.randrange(4)
            if s.value(f"readl {GICH + 0x30:#x}") & (1 << lr):
                vid = 64 + lr + 4 * rng.randrange(4)
                s.cmd(f"writel {GICH + 0x100 + 4 * lr:#x} {(1 << 28) | ((lr * 4 + 2) << 23) | vid:#x}")
        elif k == 23 and [v for v in dropped if v >= 16]:
            # a HW=1 list register for a PPI or SPI the host acknowledged with EOImode=1 and
            # dropped the priority of: vINTID = pINTID, not shared with any other LR (SGIs as
            # HW interrupts are left open)
            lr = rng.randrange(4)
            if s.value(f"readl {GICH + 0x30:#x}") & (1 << lr):
                p = rng.choice([v for v in dropped if v >= 16])
                dropped.remove(p)
                hw.add(p)
                s.cmd(f"writel {GICH + 0x100 + 4 * lr:#x} {(1 << 31) | (1 << 28) | ((lr * 4 + 2) << 23) | (p << 10) | p:#x}")
        elif k == 16:
            take(GICV, vactive)
        elif k == 17 and vactive:
            v = vactive.pop()
            s.cmd(f"writel {GICV + 0x10:#x} {v:#x}")
            if v in hw:
                hw.discard(v)
                # D2: QEMU re-evaluates the physical interface only at the next distributor write
                s.cmd(f"writel {GICD:#x} 0x1")
        elif k == 21:
            # ICACTIVER of an interrupt that is not waiting for its EOIR (that EOIR would be open)
            if irq not in [v & 0x3ff for v in active] and irq not in hw:
                s.cmd(f"writel {GICD + 0x380 + word:#x} {bit:#x}")
                dropped[:] = [v for v in dropped if v & 0x3ff != irq]
        else:
            s.cmd(f"readl {GICD + 0x0:#x}")


def gen_v3(s, rng, n, smp):
    """GICv3 distributor and redistributors (qtest reaches no system registers)."""
    dev = f"/machine/unattached/device[{smp}]"
    # trigger modes fixed before anything is pending (changes while pending/active are left open)
    for w in range(2, 16):   # SPIs 32..255 only (D9)
        s.cmd(f"writel {GICD + 0xc00 + 4 * w:#x} {rng.getrandbits(32) & 0xaaaaaaaa:#x}")
    for c in range(smp):
        s.cmd(f"writel {GICR + 0x20000 * c + 0x10000 + 0xc04:#x} {rng.getrandbits(32) & 0xaaaaaaaa:#x}")
    s.cmd(f"writel {GICD:#x} {rng.choice([0x0, 0x1, 0x2, 0x3]):#x}")
    for _ in range(n):
        k = rng.randrange(17)
        irq = 32 + rng.randrange(224)   # D9: INTIDs 256..287 exist only on QEMU
        cpu = rng.randrange(smp)
        rd = GICR + 0x20000 * cpu
        sgi = rd + 0x10000
        word, bit = (irq // 32) * 4, 1 << (irq % 32)
        reg = rng.choice([0x080, 0x100, 0x180, 0x200, 0x280, 0x300, 0x380])
        # operation k: its commands; each draws its random numbers only when chosen, left to right
        ops = [
            lambda: [f"writel {GICD + reg + word:#x} {bit if rng.randrange(2) else rng.getrandbits(32):#x}"],
            lambda: [f"readl {GICD + reg + word:#x}"],
            lambda: [f"writeb {GICD + 0x400 + irq:#x} {rng.randrange(256):#x}"],
            lambda: [f"read{rng.choice('bl')} {GICD + 0x400 + (irq & ~3):#x}"],
            lambda: [f"writel {GICD + 0x400 + (irq & ~3):#x} {rng.getrandbits(32):#x}"],
            lambda: [f"readl {GICD + 0xc00 + (irq // 16) * 4:#x}"],
            # IROUTER: Aff0 of an existing CPU; RES0 bits and IRM clear (D10); 64- or 32-bit
            lambda: [f"write{'q' if rng.randrange(2) else 'l'} {GICD + 0x6000 + 8 * irq:#x} {rng.randrange(smp):#x}"],
            lambda: [f"read{rng.choice('ql')} {GICD + 0x6000 + 8 * irq:#x}"],
            lambda: [f"writel {sgi + reg:#x} {rng.getrandbits(32):#x}"],
            lambda: [f"readl {sgi + reg:#x}"],
            lambda: [f"writeb {sgi + 0x400 + rng.randrange(32):#x} {rng.randrange(256):#x}"],
            lambda: [f"readl {sgi + 0x400 + 4 * rng.randrange(8):#x}"],
            lambda: [f"readl {sgi + 0xc00 + 4 * rng.randrange(2):#x}"],
            lambda: [f"set_irq_in {dev} unnamed-gpio-in "
                     f"{rng.randrange(224) if rng.randrange(2) else 256 + 32 * cpu + 16 + rng.randrange(16)} "
                     f"{rng.randrange(2)}"],
            lambda: [f"writel {rd + 0x14:#x} {rng.choice([0, 2]):#x}", f"readl {rd + 0x14:#x}"],
            # GICD_TYPER (D9) and GICR_TYPER/GICR_CTLR are left to id_and_reset.qtest (one stream for every seed)
            lambda: [f"readl {rng.choice([GICD, rd + 4, GICD + 8]):#x}"],
        ]
        ops.append(ops[13])   # 16: a line, as 13
        for line in ops[k]():
            s.cmd(line)


# ---------------- jobs (run in worker processes) ----------------
def same(a, b, mask):
    if a == b:
        return True
    if mask is None or a is None or b is None or not (a.startswith("OK 0x") and b.startswith("OK 0x")):
        return False
    return int(a[3:], 16) & mask == int(b[3:], 16) & mask


def compare(name, lines, ref, got, error, masks=None):
    """First difference as a report (None if all equal). masks: {index: mask} compares those reads under a mask."""
    masks = masks or {}
    for i, line in enumerate(lines):
        a = ref[i] if i < len(ref) else None
        b = got[i] if i < len(got) else None
        if not same(a, b, masks.get(i)):
            if i in masks:
                line += f"  (compared under mask {masks[i]:#x})"
            ctx = "".join(f"\n      before: {lines[j]} -> {ref[j]}" for j in range(max(0, i - 5), i))
            why = f"\n      ({error})" if error and a is None else ""
            return f"DIFF  {name}: command {i + 1}: {line}\n      qemu:   {a}\n      gicsim: {b}{why}{ctx}"
    return None


def job_random(args, machine, smp, seed):
    rng = random.Random(f"{machine}/{smp}/lpi/{seed}" if args.lpi else f"{machine}/{smp}/{seed}")
    s = Gicsim(gicsim_argv(args.gicsim, machine, smp))
    try:
        if args.lpi:
            gen_its(s, rng, args.length, smp)
        elif machine == "virt-gicv2":
            gen_v2(s, rng, args.length)
        else:
            gen_v3(s, rng, args.length, smp)
    finally:
        s.close()
    ref, err = run_batch(qemu_argv(args.qemu, machine, smp), s.lines, True)
    return compare(f"{machine} smp {smp} seed {seed}", s.lines, ref, s.responses, err), len(s.lines)


def read_script(path):
    """A directed script: `#smp N` sets the CPU count; `#mask M` after a read compares it under M."""
    smp, lines, masks = 1, [], {}
    with open(path) as f:
        for raw in f:
            t, _, comment = raw.strip().partition("#")
            t, comment = t.strip(), comment.strip()
            if not t and comment.startswith("smp "):
                smp = int(comment.split()[1])
            if not t:
                continue
            if comment.startswith("mask "):
                masks[len(lines)] = int(comment.split()[1], 0)
            lines.append(t)
    return smp, lines, masks


def job_script(args, machine, path):
    smp, lines, masks = read_script(path)
    ref, err = run_batch(qemu_argv(args.qemu, machine, smp), lines, True)
    got, err2 = run_batch(gicsim_argv(args.gicsim, machine, smp), lines, False)
    return compare(os.path.basename(path), lines, ref, got, err or err2, masks), len(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gicsim", required=True)
    ap.add_argument("--qemu", default="qemu-system-aarch64")
    ap.add_argument("--machine", choices=sorted(QEMU_ARGS), required=True)
    ap.add_argument("--seeds", default="", help="random sessions: A-B (inclusive), e.g. 1-200")
    ap.add_argument("--length", type=int, default=150, help="commands per random session")
    ap.add_argument("--smp", type=int, default=1)
    ap.add_argument("--lpi", action="store_true", help="random sessions of LPIs and the ITS (virt-gicv3, gen_its.py)")
    ap.add_argument("--directed", help="folder of .qtest scripts for this machine")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()
    qemu = shutil.which(args.qemu)
    if not qemu:
        print(f"qemu_diff: {args.qemu} not found (scripts/setup.sh installs qemu-system-arm)", file=sys.stderr)
        return 2
    args.qemu = qemu
    if args.lpi and args.machine != "virt-gicv3":
        print("qemu_diff: --lpi needs --machine virt-gicv3", file=sys.stderr)
        return 2
    if not os.access(args.gicsim, os.X_OK):
        print(f"qemu_diff: {args.gicsim} is not an executable", file=sys.stderr)
        return 2
    jobs = []
    with concurrent.futures.ProcessPoolExecutor(max_workers=max(1, args.jobs)) as ex:
        if args.directed:
            names = sorted(f for f in os.listdir(args.directed) if f.endswith(".qtest"))
            if not names:
                print(f"qemu_diff: no .qtest scripts in {args.directed}", file=sys.stderr)
                return 2
            for f in names:
                jobs.append((f, ex.submit(job_script, args, args.machine, os.path.join(args.directed, f))))
        if args.seeds:
            a, b = (int(x) for x in args.seeds.split("-"))
            for seed in range(a, b + 1):
                jobs.append((f"seed {seed}", ex.submit(job_random, args, args.machine, args.smp, seed)))
        ok, commands = True, 0
        for name, fut in jobs:
            diff, n = fut.result()
            commands += n
            if diff:
                ok = False
                print(diff)
            elif args.verbose:
                print(f"same  {name}: {n} commands")
    print(f"qemu_diff {args.machine} smp {args.smp}: {len(jobs)} sessions, {commands} commands, "
          f"{'all responses equal' if ok else 'MISMATCHES'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
