"""gen_its.py: random qtest sessions for LPIs and the ITS on virt-gicv3 (qemu_diff.py --lpi).

A session lays out the LPI and ITS tables in RAM (virt's RAM starts at 0x40000000), enables LPIs and the ITS, and then
issues random operations: ITS commands through the command queue (MAPD, MAPC, MAPTI, MAPI, INT, CLEAR, DISCARD, INV,
INVALL, MOVI, MOVALL, SYNC, and commands with bad parameters), MSIs through GITS_TRANSLATER (DeviceID 0, as qtest
writes), LPI configuration changes, EnableLPIs off and on, and reads of the ITS and redistributor registers, the
pending tables and the tables the ITS writes. qtest reaches no system register, so the observable results are the
registers and memory: the pending-table bits, GITS_CREADR and the table entries (gicsim stores them in QEMU's
IMPLEMENTATION DEFINED layout).

The software is correct, as the architecture asks (docs/lpi.md): a configuration change is followed by INV of a
mapping of that LPI and INVALL of every mapped collection, then SYNC; each (DeviceID, EventID) maps its own pINTID, so
no LPI is mapped twice.
"""

RAM = 0x40000000
PROP = RAM + 0x100000        # LPI configuration table (GICR_PROPBASER, shared)
PEND = RAM + 0x200000        # pending table of CPU c at PEND + 0x10000 * c
DT = RAM + 0x300000          # device table (GITS_BASER0): flat, or level 1 of a two-level table
DT_L2 = RAM + 0x380000       # level-2 page of the two-level device table
CT = RAM + 0x310000          # collection table (GITS_BASER1)
CQ = RAM + 0x320000          # command queue (GITS_CBASER), 4 KiB: 128 commands
ITT = RAM + 0x330000         # interrupt translation table of device d at ITT + 0x1000 * d
GICD, GICR, ITS = 0x08000000, 0x080A0000, 0x08080000
TRANSLATER = ITS + 0x10040
DEVICES, EVENTS, COLLECTIONS = 2, 8, 3
CMDS = 128


def intid(dev, ev):
    return 8192 + dev * EVENTS + ev


def cfg_byte(rng):
    return (rng.randrange(64) << 2) | 2 | rng.randrange(2)   # priority, RES1 bit 1, enable


class ItsSession:
    def __init__(self, s, rng, smp):
        self.s, self.rng, self.smp = s, rng, smp
        self.wr = 0           # next command slot
        self.mapped = {}      # (dev, ev) -> icid of mappings the generator made
        self.colls = set()    # collections mapped to a redistributor

    def cmd(self, *dw):
        """Queue one command (four doublewords) and advance GITS_CWRITER."""
        base = CQ + 32 * self.wr
        for i in range(4):
            self.s.cmd(f"writeq {base + 8 * i:#x} {dw[i] if i < len(dw) else 0:#x}")
        self.wr = (self.wr + 1) % CMDS
        self.s.cmd(f"writeq {ITS + 0x88:#x} {32 * self.wr:#x}")
        self.s.cmd(f"readq {ITS + 0x90:#x}")

    def setup(self):
        s, rng = self.s, self.rng
        idbits = rng.choice([13, 14, 15])
        for c in range(self.smp):
            rd = GICR + 0x20000 * c
            s.cmd(f"writeq {rd + 0x70:#x} {PROP | idbits:#x}")
            s.cmd(f"writeq {rd + 0x78:#x} {PEND + 0x10000 * c:#x}")
        for k in range(DEVICES * EVENTS):
            s.cmd(f"writeb {PROP + 32 + k:#x} {cfg_byte(rng):#x}")   # LPIs 8192 + 32 + k (PROP covers from 8192)
        for c in range(self.smp):
            if rng.randrange(4):
                s.cmd(f"writel {GICR + 0x20000 * c:#x} 0x1")
        s.cmd(f"writel {GICD:#x} 0x2")
        two_level = rng.randrange(2)
        if two_level:
            s.cmd(f"writeq {DT:#x} {(1 << 63) | DT_L2:#x}")
        s.cmd(f"writeq {ITS + 0x100:#x} {(1 << 63) | (two_level << 62) | DT | 0x200:#x}")
        s.cmd(f"writeq {ITS + 0x108:#x} {(1 << 63) | CT | 0x200:#x}")
        s.cmd(f"writeq {ITS + 0x80:#x} {(1 << 63) | CQ:#x}")
        s.cmd(f"writel {ITS:#x} 0x1")
        for r in (ITS, ITS + 0x8, ITS + 0x80, ITS + 0x100, ITS + 0x108, ITS + 0x110):
            s.cmd(f"readq {r:#x}")
        # Bring-up as a driver does it: every device and collection mapped, some events mapped.
        for dev in range(DEVICES):
            self.cmd(0x08 | dev << 32, 4, (1 << 63) | (ITT + 0x1000 * dev))
        for icid in range(COLLECTIONS):
            self.cmd(0x09, 0, (1 << 63) | (rng.randrange(self.smp) << 16) | icid)
            self.colls.add(icid)
        for dev in range(DEVICES):
            for ev in range(EVENTS):
                self.cmd(0x0a | dev << 32, ev | (intid(dev, ev) + 32) << 32, rng.randrange(COLLECTIONS))
                self.mapped[(dev, ev)] = 0
    # ---------------- commands ----------------
    def dev_ev(self):
        # LPIs 8192 + 32 .. (intid() keeps 8192 .. 8223 unmapped: an LPI no translation reaches)
        return self.rng.randrange(DEVICES), self.rng.randrange(EVENTS)

    def mapd(self):
        dev = self.rng.randrange(DEVICES)
        valid = self.rng.randrange(6) != 0
        size = self.rng.choice([4, 4, 4, 2, 16])   # EventID bits - 1; 16 is more than GITS_TYPER.IDbits: ignored
        self.cmd(0x08 | dev << 32, size, (valid << 63) | (ITT + 0x1000 * dev))

    def mapc(self):
        icid = self.rng.randrange(COLLECTIONS)
        valid = self.rng.randrange(6) != 0
        rd = self.rng.randrange(self.smp + (1 if self.rng.randrange(8) == 0 else 0))   # sometimes no such CPU
        self.cmd(0x09, 0, (valid << 63) | (rd << 16) | icid)
        if valid and rd < self.smp:
            self.colls.add(icid)
        elif not valid:
            self.colls.discard(icid)

    def mapti(self, mapi=False):
        dev, ev = self.dev_ev()
        icid = self.rng.randrange(COLLECTIONS)
        lpi = ev if mapi else intid(dev, ev) + 32
        if self.rng.randrange(10) == 0:
            lpi = self.rng.choice([100, 8191, 1 << 16])   # not an LPI: ignored
        self.cmd((0x0b if mapi else 0x0a) | dev << 32, ev | lpi << 32 if not mapi else ev, icid)
        self.mapped[(dev, ev)] = icid

    def event_cmd(self, code):
        dev, ev = self.dev_ev()
        self.cmd(code | dev << 32, ev)
        self.read_pending()
        if code == 0x0f:
            self.mapped.pop((dev, ev), None)

    def movi(self):
        dev, ev = self.dev_ev()
        icid = self.rng.randrange(COLLECTIONS)
        self.cmd(0x01 | dev << 32, ev, icid)
        if (dev, ev) in self.mapped:
            self.mapped[(dev, ev)] = icid
        self.read_pending()

    def movall(self):
        a, b = self.rng.randrange(self.smp), self.rng.randrange(self.smp)
        self.cmd(0x0e, 0, a << 16, b << 16)

    def config_change(self):
        """Correct software: change a configuration byte, INV a mapping of it, INVALL every collection, SYNC."""
        dev, ev = self.dev_ev()
        self.s.cmd(f"writeb {PROP + intid(dev, ev) + 32 - 8192:#x} {cfg_byte(self.rng):#x}")
        self.cmd(0x0c | dev << 32, ev)
        for icid in sorted(self.colls):
            self.cmd(0x0d, 0, icid)
        self.cmd(0x05)

    def msi(self):
        ev = self.rng.randrange(EVENTS + 2)   # qtest's DeviceID is 0; EventIDs past the mappings: ignored
        self.s.cmd(f"write{self.rng.choice('lw')} {TRANSLATER:#x} {ev:#x}")
        self.read_pending()

    def read_pending(self):
        """The pending bits of the generator's LPIs (8224 ..) on every CPU."""
        for c in range(self.smp):
            self.s.cmd(f"readq {PEND + 0x10000 * c + 0x400:#x}")

    def enable_lpis(self):
        c = self.rng.randrange(self.smp)
        self.s.cmd(f"writel {GICR + 0x20000 * c:#x} {self.rng.randrange(2):#x}")
        self.s.cmd(f"readl {GICR + 0x20000 * c:#x}")

    def read_memory(self):
        rng = self.rng
        where = rng.choice([
            PEND + 0x10000 * rng.randrange(self.smp) + 0x404 + 4 * rng.randrange(3),   # pending bits of our LPIs
            ITT + 0x1000 * rng.randrange(DEVICES) + 12 * rng.randrange(EVENTS),
            DT + 8 * rng.randrange(DEVICES), DT_L2 + 8 * rng.randrange(DEVICES), CT + 8 * rng.randrange(COLLECTIONS),
        ])
        self.s.cmd(f"read{rng.choice('lq')} {where & ~3:#x}")

    def read_regs(self):
        rng = self.rng
        rd = GICR + 0x20000 * rng.randrange(self.smp)
        r = rng.choice([ITS, ITS + 0x4, ITS + 0x8, ITS + 0x80, ITS + 0x88, ITS + 0x90, ITS + 0x100, ITS + 0x108,
                        ITS + 0x118, ITS + 0xffe8, rd, rd + 0x8, rd + 0x70, rd + 0x78])   # not GICD_TYPER (D9)
        self.s.cmd(f"read{'q' if r in (ITS + 0x8, rd + 0x8, rd + 0x70, rd + 0x78) else 'l'} {r:#x}")

    def step(self):
        ops = [self.mapd, self.mapc, self.mapti, lambda: self.mapti(True), lambda: self.event_cmd(0x03),
               lambda: self.event_cmd(0x04), lambda: self.event_cmd(0x0f), self.movi, self.movall,
               lambda: self.cmd(0x05), lambda: self.cmd(0x0d, 0, self.rng.randrange(COLLECTIONS)), self.config_change,
               self.msi, self.msi, self.msi, self.enable_lpis, self.read_memory, self.read_memory, self.read_regs,
               lambda: self.cmd(0x3f)]   # an unknown command: ignored
        self.rng.choice(ops)()


def gen_its(s, rng, n, smp):
    g = ItsSession(s, rng, smp)
    g.setup()
    while len(s.lines) < n:
        g.step()
