#!/usr/bin/env python3
"""qtest_speed.py: register accesses per second through `gicsim qtest` and through QEMU's qtest, same script.

A benchmark that prints figures, not a test. The script (--lines, default 200,000) is a seeded mix
of GICv2 distributor and CPU-interface accesses (enables, pending bits, priorities, IAR/EOIR) and
set_irq_in line changes. Two ways of driving each peer:

  streamed  the whole script is piped in and every response read back (throughput);
  lockstep  one command, wait for its response, the next (a test bench that needs each answer);
  file      gicsim only: the script from a file, responses to /dev/null (no reader in the loop).

QEMU is started with -S (no guest runs) and killed at the last response. Start-up is measured
separately (a one-command session) and subtracted from the streamed rate's time.
"""
import argparse
import os
import random
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import qemu_diff  # noqa: E402

GICD, GICC = 0x08000000, 0x08010000


def make_script(n, seed):
    rng = random.Random(seed)
    lines = [f"writel {GICD:#x} 0x1", f"writel {GICC:#x} 0x1", f"writel {GICC + 4:#x} 0xff"]
    while len(lines) < n:
        irq = 32 + rng.randrange(64)
        word, bit = (irq // 32) * 4, 1 << (irq % 32)
        k = rng.randrange(8)
        if k == 0:
            lines.append(f"writel {GICD + 0x100 + word:#x} {bit:#x}")
        elif k == 1:
            lines.append(f"writel {GICD + 0x200 + word:#x} {bit:#x}")
        elif k == 2:
            lines.append(f"readl {GICD + 0x200 + word:#x}")
        elif k == 3:
            lines.append(f"writeb {GICD + 0x400 + irq:#x} {rng.randrange(256):#x}")
        elif k == 4:
            lines.append(f"readl {GICC + 0xc:#x}")
            lines.append(f"writel {GICC + 0x10:#x} 0x3ff")
        elif k == 5:
            lines.append(f"set_irq_in /machine/unattached/device[1] unnamed-gpio-in {irq - 32} {rng.randrange(2)}")
        elif k == 6:
            lines.append(f"writel {GICD + 0x380 + word:#x} {bit:#x}")
        else:
            lines.append(f"readl {GICD + 0x100 + word:#x}")
    return lines[:n]


def streamed(argv, lines, kill):
    t = time.perf_counter()
    out, err = qemu_diff.run_batch(argv, lines, kill)
    dt = time.perf_counter() - t
    if err:
        raise SystemExit(f"qtest_speed: {err}")
    return dt, out


def lockstep(argv, lines):
    p = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                         text=True, bufsize=1)
    p.stdin.write(lines[0] + "\n")
    p.stdin.flush()
    p.stdout.readline()  # start-up done
    t = time.perf_counter()
    for line in lines[1:]:
        p.stdin.write(line + "\n")
        p.stdin.flush()
        if not p.stdout.readline():
            raise SystemExit(f"qtest_speed: {argv[0]} ended")
    dt = time.perf_counter() - t
    p.kill()
    p.wait()
    return dt


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gicsim", required=True)
    ap.add_argument("--qemu", default="qemu-system-aarch64")
    ap.add_argument("--lines", type=int, default=200000)
    ap.add_argument("--lockstep-lines", type=int, default=20000)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    qemu = shutil.which(args.qemu)
    if not qemu:
        print(f"qtest_speed: {args.qemu} not found", file=sys.stderr)
        return 2
    lines = make_script(args.lines, args.seed)
    peers = [("gicsim", qemu_diff.gicsim_argv(args.gicsim, "virt-gicv2", 1), False),
             ("QEMU", qemu_diff.qemu_argv(qemu, "virt-gicv2", 1), True)]
    print(f"qtest_speed: {len(lines)} commands on virt-gicv2 (seed {args.seed}); {os.cpu_count()} CPUs")
    results = {}
    for name, argv, kill in peers:
        start, _ = streamed(argv, lines[:1], kill)
        dt, out = streamed(argv, lines, kill)
        results[name] = out
        net = max(dt - start, 1e-9)
        ls = lockstep(argv, lines[:args.lockstep_lines])
        print(f"  {name:7s} streamed: {dt:7.3f} s ({start * 1000:6.1f} ms start-up), "
              f"{len(lines) / net:12,.0f} accesses/s;  lockstep: {(args.lockstep_lines - 1) / ls:10,.0f} accesses/s")
    # gicsim alone, from a file to /dev/null (no Python reader in the loop)
    import tempfile
    with tempfile.TemporaryFile("w+") as f:
        f.write("".join(x + "\n" for x in lines))
        f.seek(0)
        t = time.perf_counter()
        subprocess.run(peers[0][1], stdin=f, stdout=subprocess.DEVNULL, check=True)
        dt = time.perf_counter() - t
    print(f"  gicsim  file to /dev/null: {dt:7.3f} s, {len(lines) / dt:12,.0f} accesses/s")
    same = sum(a == b for a, b in zip(results["gicsim"], results["QEMU"]))
    print(f"  responses equal: {same} of {len(lines)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
