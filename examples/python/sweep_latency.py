#!/usr/bin/env python3
"""Sweeps one latency of the GIC (the prioritiser's, `prio` in docs/timing.md) and plots the SPI round trip's
cycles against it: line to IRQ, and acknowledge to the IRQ's fall. Run from the repository after a build:

    PYTHONPATH=python python3 examples/python/sweep_latency.py --png sweep.png
"""
import argparse

import gicsim


def round_trip(prio):
    """Cycles from the SPI line to the IRQ pin, and from the acknowledge's effect to the pin's fall."""
    g = gicsim.Gic(version=3, cpus=1, spis=32, timing={"prio": prio})
    intid = 63
    g.write(gicsim.GICR_RD, 0x14, 0)
    g.write("ICC_PMR_EL1", 0xFF)
    g.write("ICC_IGRPEN1_EL1", 1)
    g.write("GICD_CTLR", 0x2)
    g.write(gicsim.GICD, 0x084, 1 << 31)
    g.write(gicsim.GICD, 0x104, 1 << 31)
    g.settle()
    events = g.trace()
    t0 = g.now
    g.set_spi(intid, True)
    g.run_until_output(0, gicsim.OUT_IRQ)
    rise = next(e.cycle for e in events if e.kind == "output" and e.value == 1)
    g.read("ICC_IAR1_EL1")
    ack = next(e.cycle for e in events if e.kind == "ack")
    g.settle()
    fall = next(e.cycle for e in events if e.kind == "output" and e.value == 0)
    g.close()
    return rise - t0, fall - ack


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--png", help="write the plot here (needs matplotlib)")
    ap.add_argument("--max", type=int, default=12, help="largest prio latency (cycles)")
    a = ap.parse_args()
    xs = list(range(0, a.max + 1, 2))
    rows = [(p,) + round_trip(p) for p in xs]
    print("prio  line_to_irq  ack_to_irq_fall")
    for p, up, down in rows:
        print("%4d %12d %16d" % (p, up, down))
    if a.png:
        import matplotlib.pyplot as plt

        fig, ax = plt.subplots(figsize=(6, 4))
        ax.plot(xs, [r[1] for r in rows], marker="o", label="line -> IRQ")
        ax.plot(xs, [r[2] for r in rows], marker="s", label="acknowledge -> IRQ falls")
        ax.set_xlabel("prio latency (GIC cycles)")
        ax.set_ylabel("GIC cycles")
        ax.set_title("gicsim: SPI round trip against the prioritiser's latency")
        ax.grid(True, alpha=0.3)
        ax.legend()
        fig.tight_layout()
        fig.savefig(a.png)


if __name__ == "__main__":
    main()
