"""pytest tests of the Python package (python/gicsim) against the C kernels it binds (CTest: python_binding)."""
import json
import os
import subprocess
import sys

import pytest

import gicsim


def v3_ready(spis=32, **kw):
    """A GICv3 with CPU 0 awake, Group 1 enabled everywhere and SPI 32+spis-1 enabled in Group 1."""
    g = gicsim.Gic(version=3, cpus=1, spis=spis, **kw)
    intid = 32 + spis - 1
    g.write(gicsim.GICR_RD, 0x14, 0)  # GICR_WAKER: awake
    g.write("ICC_PMR_EL1", 0xFF)
    g.write("ICC_IGRPEN1_EL1", 1)
    g.write("GICD_CTLR", 0x2)
    g.write(gicsim.GICD, 0x080 + intid // 32 * 4, 1 << intid % 32)  # IGROUPR: Group 1
    g.write(gicsim.GICD, 0x100 + intid // 32 * 4, 1 << intid % 32)  # ISENABLER
    g.settle()
    return g, intid


def test_config_defaults_and_overrides():
    g = gicsim.Gic(version=2, cpus=4, spis=64, timing={"prio": 7})
    c = g.config
    assert (c["version"], c["num_cpus"], c["num_spis"], c["timing"]["prio"]) == (2, 4, 64, 7)
    # GICD_TYPER: ITLinesNumber = (32 + 64) / 32 - 1 = 2, CPUNumber = 3 (IHI0048B 4.3.2)
    assert g.read("GICD_TYPER") & 0xFF == (3 << 5) | 2


def test_bad_configuration_raises():
    with pytest.raises(gicsim.GicError) as e:
        gicsim.Gic(version=3, cpus=0)
    assert e.value.status == -1  # GIC_E_INVAL
    with pytest.raises(TypeError):
        gicsim.Gic(version=3, no_such_field=1)
    with pytest.raises(TypeError):
        gicsim.Gic(version=3, timing={"nope": 1})


def test_registers_by_name_and_offset_agree():
    g = gicsim.Gic(version=3, cpus=2, spis=64)
    assert g.read("GICD_TYPER") == g.read(gicsim.GICD, 0x004) == g.peek("GICD_TYPER")
    g.write("ICC_PMR_EL1", 0xA0, cpu=1)
    assert g.read("ICC_PMR_EL1", cpu=1) == 0xA0 & ~7  # 5 priority bits (QEMU virt's PRIbits)
    assert g.read("ICC_PMR_EL1", cpu=0) == 0
    assert g.reg_name(gicsim.GICD, 0x104) == ("GICD_ISENABLER", 1)
    with pytest.raises(gicsim.GicError):
        g.read("GICC_IAR")  # a GICv2 register: not in this GIC
    with pytest.raises(gicsim.GicError) as e:
        g.read(gicsim.GICD, 0x001, size=4)  # misaligned
    assert e.value.status == -3  # GIC_E_SIZE


def test_spi_round_trip_timing_and_trace():
    g, intid = v3_ready()
    t = g.config["timing"]
    events = g.trace()
    t0 = g.now
    g.set_spi(intid, True)
    assert g.run_until_output(0, gicsim.OUT_IRQ) is not None
    irq = [e for e in events if e.kind == "output" and e.intid == gicsim.OUT_IRQ and e.value == 1]
    # docs/timing.md: sampled after `line`, offered after `prio` + `deliver`, on the pin after `out`.
    assert irq[0].cycle - t0 == t["line"] + t["prio"] + t["deliver"] + t["out"]
    assert g.read("ICC_IAR1_EL1") == intid
    g.set_spi(intid, False)
    g.write("ICC_EOIR1_EL1", intid)
    g.settle()
    assert g.outputs(0) & gicsim.OUT_IRQ == 0
    assert g.quiescent() and g.next_event == gicsim.CYCLE_NEVER
    kinds = {e.kind for e in events}
    assert {"line", "pending", "hppi", "output", "access", "ack", "active", "deactivate"} <= kinds
    assert all(isinstance(e.text, str) and e.text for e in events)
    g.trace(False)
    n = len(events)
    g.set_spi(intid, True)
    g.settle()
    assert len(events) == n  # tracing stopped


def test_step_and_run_until():
    g = gicsim.Gic(version=3)
    g.step(100)
    assert g.now == 100
    g.run_until(1000)
    assert g.now == 1000
    with pytest.raises(gicsim.GicError):
        g.run_until(10)  # the past


def test_callback_trace_and_context_manager():
    seen = []
    with gicsim.Gic(version=2, cpus=1, spis=32) as g:
        g.trace(seen.append)
        g.write(gicsim.GICD, 0x000, 1)
    assert [e.kind for e in seen] == ["access"]


def test_load_bench_json(tmp_path):
    exe = os.environ.get("GICSIM_BIN")
    if not exe:
        pytest.fail("GICSIM_BIN (the gicsim program) is not set: run this test through CTest")
    out = tmp_path / "b.json"
    subprocess.run([exe, "bench", "--gic", "v3", "--policy", "lazy,eager", "--trigger", "edge", "--eoimode", "0",
                    "--sequence", "spend_ack_eoi", "--runs", "5", "--json", str(out)], check=True,
                   stdout=subprocess.DEVNULL)
    rows = gicsim.load_bench_json(str(out))
    doc = json.loads(out.read_text())
    assert len(rows) == sum(len(r["segments"]) for r in doc["results"])
    r = next(r for r in rows if r["policy"] == "lazy" and r["segment"] == "deact_to_phys")
    assert r["gic"] == "v3" and r["sequence"] == "spend_ack_eoi" and r["samples"] == 5
    assert r["min"] <= r["median"] <= r["p99"] <= r["max"]


def test_example_sweeps_a_latency(tmp_path):
    here = os.path.dirname(os.path.abspath(__file__))
    script = os.path.join(here, "..", "..", "examples", "python", "sweep_latency.py")
    png = tmp_path / "sweep.png"
    res = subprocess.run([sys.executable, script, "--png", str(png)], check=True, capture_output=True, text=True,
                         env=dict(os.environ, MPLBACKEND="Agg"))
    lines = [l.split() for l in res.stdout.splitlines() if l.strip()[:1].isdigit()]
    # line-to-IRQ grows by exactly one cycle per cycle of `prio` (docs/timing.md)
    assert len(lines) >= 3
    d = [int(b[1]) - int(a[1]) for a, b in zip(lines, lines[1:])]
    assert d == [int(b[0]) - int(a[0]) for a, b in zip(lines, lines[1:])]
    assert png.stat().st_size > 1000


def test_lpi_through_memory_port_docs_lpi():
    """docs/lpi.md: a Python memory behind the memory port holds the LPI tables; GICR_SETLPIR makes LPI 8192
    pending, ICC_IAR1_EL1 returns it and its pending-table bit clears; a bus error leaves it disabled."""
    g = gicsim.Gic(version=3, direct_lpi=True)
    mem = gicsim.Memory(0x40000000, 0x20000)
    g.set_memory(mem)
    prop, pend = 0x40000000, 0x40010000
    mem.data[0] = 0xA1  # LPI 8192: priority 0xa0, enabled
    g.write("GICR_PROPBASER", prop | 15, size=8)
    g.write("GICR_PENDBASER", pend, size=8)
    g.write("GICR_CTLR", 1)
    g.write("GICR_WAKER", 0)
    g.write("ICC_PMR_EL1", 0xFF)
    g.write("ICC_IGRPEN1_EL1", 1)
    g.write("GICD_CTLR", 0x2)
    g.write("GICR_SETLPIR", 8192, size=8)
    g.settle()
    assert mem.data[0x10000 + 8192 // 8] & 1
    assert g.read("ICC_IAR1_EL1") == 8192
    assert not mem.data[0x10000 + 8192 // 8] & 1
    g.write("ICC_EOIR1_EL1", 8192)
    g.write("GICR_PROPBASER", 0x50000000 | 15, size=8)  # outside the memory: bus errors
    g.write("GICR_SETLPIR", 8193, size=8)
    g.settle()
    assert g.read("ICC_HPPIR1_EL1") == 1023
    assert gicsim.GITS == 8 and gicsim.GITS_TR == 9
