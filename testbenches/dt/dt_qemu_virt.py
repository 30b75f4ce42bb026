#!/usr/bin/env python3
"""gicsim qtest --dtb with the device trees QEMU writes for its own virt machine (-M virt,...,dumpdtb=FILE) must
answer every command exactly as gicsim qtest --machine virt-gicvN --smp N (docs/dt.md): random sessions of the
QEMU differential tests' generator (testbenches/qemu_diff), made against the --dtb GIC, replayed on the preset, plus
the ID and GICR_TYPER registers of every CPU.

A replay of a stored Linux boot (gicsim replay) on QEMU's device tree must give the same report as on the preset, and
gicsim bench and sweep --dtb the same results as --gic.

usage: dt_qemu_virt.py GICSIM QEMU_DIFF_DIR SEEDS [TRACE ALLOW]"""
import json
import os
import random
import subprocess
import sys
import tempfile

gicsim, qd_dir = sys.argv[1], sys.argv[2]
seeds = int(sys.argv[3]) if len(sys.argv) > 3 else 10
sys.path.insert(0, qd_dir)
import qemu_diff as qd  # noqa: E402


def dump_dtb(version, smp, path):
    """QEMU virt's own device tree: the GIC the presets model (virtualization on, cortex-a57)."""
    r = subprocess.run(["qemu-system-aarch64", "-M", f"virt,gic-version={version},virtualization=on,dumpdtb={path}",
                        "-cpu", "cortex-a57", "-smp", str(smp), "-display", "none", "-nodefaults", "-net", "none"],
                       capture_output=True, text=True)
    if not os.path.exists(path):
        sys.exit(f"dt_qemu_virt: QEMU wrote no device tree: {r.stderr.strip()}")


def id_lines(version, smp):
    lines = ["readl 0x08000004", "readl 0x08000008", "readl 0x0800fe8"]
    if version == 3:
        for c in range(smp):
            base = qd.GICR + 0x20000 * c
            lines += [f"readq {base + 0x8:#x}", f"readl {base + 0x14:#x}", f"readl {base + 0x10000 + 0x100:#x}"]
        lines.append(f"readl {qd.GICR + 0x20000 * smp + 0x8:#x}")  # past the last redistributor: unmapped
    else:
        lines += ["readl 0x08010000", "readl 0x08030004", "readl 0x08040000", "readl 0x08050000"]
    return lines


failed = 0
sessions = 0
with tempfile.TemporaryDirectory() as tmp:
    for version, smp in ((2, 1), (2, 4), (2, 8), (3, 1), (3, 4), (3, 8)):
        dtb = os.path.join(tmp, f"virt-gicv{version}-smp{smp}.dtb")
        dump_dtb(version, smp, dtb)
        machine = f"virt-gicv{version}"
        for seed in range(seeds + 1):
            s = qd.Gicsim([gicsim, "qtest", "--dtb", dtb])
            try:
                if seed == 0:
                    for line in id_lines(version, smp):
                        s.cmd(line)
                elif version == 2:
                    qd.gen_v2(s, random.Random(f"dt/{version}/{smp}/{seed}"), 200)
                else:
                    qd.gen_v3(s, random.Random(f"dt/{version}/{smp}/{seed}"), 200, smp)
            finally:
                s.close()
            ref, err = qd.run_batch(qd.gicsim_argv(gicsim, machine, smp), s.lines, False)
            diff = qd.compare(f"--dtb {os.path.basename(dtb)} seed {seed} (left: --machine {machine} --smp {smp})",
                              s.lines, ref, s.responses, err)
            sessions += 1
            if diff:
                failed += 1
                print(diff)
    # gicsim bench --dtb on QEMU's device tree: every result equal to --gic (the same GIC at the same addresses).
    for version in (2, 3):
        dtb = os.path.join(tmp, f"bench-v{version}.dtb")
        dump_dtb(version, 1, dtb)
        res = []
        for how in (["--gic", f"v{version}"], ["--dtb", dtb]):
            out = os.path.join(tmp, "bench.json")
            subprocess.run([gicsim, "bench", "--runs", "10", "--json", out, "--quiet"] + how, check=True,
                           stdout=subprocess.DEVNULL)
            with open(out) as f:
                res.append(json.load(f)["results"])
        same = res[0] == res[1] and len(res[0]) > 0
        print(f"dt_qemu_virt: gicsim bench --dtb (GICv{version}): "
              f"{'every result equal to --gic' if same else 'RESULTS DIFFER from --gic'}")
        failed += not same
        csv = []
        for n, how in enumerate((["--gic", f"v{version}"], ["--dtb", dtb])):
            out = os.path.join(tmp, f"sweep{n}")
            subprocess.run([gicsim, "sweep", "--lrs", "1,4", "--runs", "3", "--out", out, "--quiet"] + how,
                           check=True, stdout=subprocess.DEVNULL)
            with open(os.path.join(out, "sweep.csv")) as f:
                csv.append(f.read())
        same = csv[0] == csv[1] and csv[0].count("\n") > 1
        print(f"dt_qemu_virt: gicsim sweep --dtb (GICv{version}): "
              f"{'the same CSV as --gic' if same else 'A DIFFERENT CSV from --gic'}")
        failed += not same
    if len(sys.argv) > 5:
        trace, allow = sys.argv[4], sys.argv[5]
        first = subprocess.run([gicsim, "replay", trace, "--allow", allow, "--quiet"], capture_output=True, text=True)
        cpus = int(first.stdout.split(" CPU")[0].rsplit(" ", 1)[1])
        version = 3 if "virt-gicv3" in first.stdout.splitlines()[0] else 2
        dtb = os.path.join(tmp, f"replay-v{version}-{cpus}.dtb")
        dump_dtb(version, cpus, dtb)
        second = subprocess.run([gicsim, "replay", trace, "--allow", allow, "--quiet", "--dtb", dtb],
                                capture_output=True, text=True)
        same = (first.returncode, first.stdout.splitlines()[1:]) == (second.returncode, second.stdout.splitlines()[1:])
        print(f"dt_qemu_virt: replay of {os.path.basename(trace)} on QEMU's device tree ({cpus} CPUs): "
              f"{'the same report as the preset' if same else 'A DIFFERENT REPORT'}")
        if not same:
            failed += 1
            print(first.stdout[-2000:], second.stdout[-2000:], second.stderr, sep="\n----\n")
print(f"dt_qemu_virt: {sessions} sessions on QEMU virt's device trees (GICv2 and GICv3, 1, 4, 8 CPUs): "
      f"{'all answers equal to --machine' if not failed else f'{failed} DIFFER'}")
sys.exit(1 if failed else 0)
