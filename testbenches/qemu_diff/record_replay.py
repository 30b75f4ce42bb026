#!/usr/bin/env python3
"""record_replay.py: `--record FILE` must give a file whose replay answers exactly as the recorded run did.

1. qtest: each directed script runs through `gicsim qtest --record`; the record is replayed on
   `gicsim qtest` and on QEMU (with --qemu), and all three response lists must be equal.
2. run: each gicsim run script (testbenches/qemu_diff/run/*.gsim, first comment line names its
   machine and --smp) runs with --record; the record is replayed with `gicsim run`, and its
   responses must equal the recorded run's responses to the commands that were recorded
   (expect, step and outputs are not register accesses and are not recorded).

Exit status: 0 all equal, 1 a difference, 2 bad usage or a tool missing.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import qemu_diff  # noqa: E402

NOT_RECORDED = {"expect", "step", "outputs"}


def script_lines(path):
    smp, lines = 1, []
    with open(path) as f:
        for raw in f:
            t, _, comment = raw.strip().partition("#")
            if not t.strip() and comment.strip().startswith("smp "):
                smp = int(comment.split()[1])
            if t.strip():
                lines.append(t.strip())
    return smp, lines


def run(argv, stdin=None):
    p = subprocess.run(argv, input=stdin, capture_output=True, text=True, timeout=60)
    return p.returncode, p.stdout.splitlines(), p.stderr


def check_qtest(args, machine, path, tmp):
    smp, lines, masks = qemu_diff.read_script(path)
    rec = os.path.join(tmp, "rec.qtest")
    g = qemu_diff.gicsim_argv(args.gicsim, machine, smp)
    _, first, _ = run(g + ["--record", rec], "".join(x + "\n" for x in lines))
    with open(rec) as f:
        recorded = f.read().splitlines()
    if len(recorded) != len(lines):
        return f"{path}: {len(lines)} commands but {len(recorded)} recorded"
    _, again, _ = run(g, "".join(x + "\n" for x in recorded))
    diff = qemu_diff.compare(f"{os.path.basename(path)} (gicsim replay)", recorded, first, again, None)
    if diff:
        return diff
    if args.qemu:
        ref, err = qemu_diff.run_batch(qemu_diff.qemu_argv(args.qemu, machine, smp), recorded, True)
        return qemu_diff.compare(f"{os.path.basename(path)} (QEMU replay)", recorded, ref, first, err, masks)
    return None


def check_run(args, path, tmp):
    with open(path) as f:
        head = f.readline()
    m = re.search(r"--machine (\S+)(?: --smp (\d+))?", head)
    if not m:
        return f"{path}: the first line must name --machine (and --smp)"
    argv = [args.gicsim, "run", path, "--machine", m.group(1), "--smp", m.group(2) or "1"]
    rec = os.path.join(tmp, "rec.gsim")
    rc, out, err = run(argv + ["--record", rec])
    if rc != 0:
        return f"{path}: gicsim run exited with {rc}: {err.strip()}"
    _, lines = script_lines(path)
    kept = [r for line, r in zip(lines, out) if line.split()[0] not in NOT_RECORDED]
    with open(rec) as f:
        recorded = f.read().splitlines()
    if len(recorded) != len(kept):
        return f"{path}: {len(kept)} recordable commands but {len(recorded)} recorded"
    rc, again, err = run([args.gicsim, "run", rec, "--machine", m.group(1), "--smp", m.group(2) or "1"])
    if rc != 0:
        return f"{path}: replay exited with {rc}: {err.strip()}"
    return qemu_diff.compare(f"{os.path.basename(path)} (gicsim run replay)", recorded, kept, again, None)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gicsim", required=True)
    ap.add_argument("--qemu", help="also replay the qtest records on this QEMU")
    ap.add_argument("--directed", nargs="*", default=[], help="MACHINE:FOLDER of .qtest scripts")
    ap.add_argument("--run", nargs="*", default=[], help="gicsim run scripts")
    args = ap.parse_args()
    if args.qemu:
        q = shutil.which(args.qemu)
        if not q:
            print(f"record_replay: {args.qemu} not found (scripts/setup.sh installs qemu-system-arm)", file=sys.stderr)
            return 2
        args.qemu = q
    problems, count = [], 0
    with tempfile.TemporaryDirectory() as tmp:
        for spec in args.directed:
            machine, folder = spec.split(":", 1)
            for f in sorted(os.listdir(folder)):
                if f.endswith(".qtest"):
                    count += 1
                    d = check_qtest(args, machine, os.path.join(folder, f), tmp)
                    if d:
                        problems.append(d)
        for path in args.run:
            count += 1
            d = check_run(args, path, tmp)
            if d:
                problems.append(d)
    for d in problems:
        print(d)
    print(f"record_replay: {count} scripts, {'all replays equal' if not problems else 'DIFFERENCES'}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
