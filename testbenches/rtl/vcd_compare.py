#!/usr/bin/python3
"""vcd_compare.py: compare two VCD waveforms signal by signal, value change by value change (docs/waveforms.md).

usage: vcd_compare.py FIRST.vcd SECOND.vcd [--ignore-bits NAME:BIT[,BIT...]]... [--max-report N]

Every signal declared in FIRST (the C kernels' waveform: the signals it shares with the RTL) must be declared in
SECOND under the same full name (scopes joined with '.'), width and declared range, and both must take the same values at the same
times over the cycles both files cover: the values at the first common time, then every change up to the last common
time. Files may write a value with or without leading zeros, in $dumpvars or as plain changes, and repeat a value
(a repetition is no change). --ignore-bits leaves bits out of one signal's comparison (NAME is the full name).
Exit status: 0 the same, 1 a difference (one line per differing signal, its first difference), 2 bad usage or a file
that is not a readable VCD (one line).
"""
import sys


class VcdError(Exception):
    pass


def parse(path):
    """Returns (signals, changes, times): signals maps full name -> (id, width, range); changes maps id -> [(time, value)]
    with value an int, or None for x/z; times is (first, last) timestamp."""
    try:
        with open(path, encoding="ascii", errors="replace") as f:
            tokens = f.read().split()
    except OSError as e:
        raise VcdError(f"{path}: {e.strerror}")
    signals, changes, scope = {}, {}, []
    i, n = 0, len(tokens)

    def skip_to_end(k):
        while k < n and tokens[k] != "$end":
            k += 1
        if k >= n:
            raise VcdError(f"{path}: a section without $end")
        return k + 1

    while i < n and tokens[i] != "$enddefinitions":
        t = tokens[i]
        if t == "$scope":
            scope.append(tokens[i + 2])
            i = skip_to_end(i)
        elif t == "$upscope":
            scope.pop()
            i = skip_to_end(i)
        elif t == "$var":
            if i + 4 >= n:
                raise VcdError(f"{path}: a cut $var")
            width, ident, ref = int(tokens[i + 2]), tokens[i + 3], tokens[i + 4]
            rng = tokens[i + 5] if i + 5 < n and tokens[i + 5] != "$end" else ""
            signals[".".join(scope + [ref])] = (ident, width, rng)
            changes.setdefault(ident, [])
            i = skip_to_end(i)
        elif t.startswith("$"):
            i = skip_to_end(i)
        else:
            raise VcdError(f"{path}: unexpected '{t}' in the header")
    if i >= n:
        raise VcdError(f"{path}: no $enddefinitions")
    i = skip_to_end(i)
    now, first, last = None, None, None

    def value(text):
        if any(c in "xXzZ" for c in text):
            return None
        return int(text, 2) if text else 0

    while i < n:
        t = tokens[i]
        if t[0] == "#":
            now = int(t[1:])
            first = now if first is None else first
            last = now
        elif t in ("$dumpvars", "$dumpall", "$dumpon", "$dumpoff", "$end"):
            pass
        elif t == "$comment":
            i = skip_to_end(i) - 1
        elif t[0] in "bB":
            if i + 1 >= n or now is None:
                raise VcdError(f"{path}: a vector change '{t}' without a time or an identifier")
            ident = tokens[i + 1]
            if ident in changes:
                changes[ident].append((now, value(t[1:])))
            i += 1
        elif t[0] in "rR":
            i += 1
        elif t[0] in "01xXzZ":
            if now is None:
                raise VcdError(f"{path}: a value change before the first time")
            if t[1:] in changes:
                changes[t[1:]].append((now, value(t[0])))
        else:
            raise VcdError(f"{path}: cannot read '{t}'")
        i += 1
    if first is None:
        raise VcdError(f"{path}: no time")
    return signals, changes, (first, last)


def timeline(changes, mask, t0, t1):
    """The value at t0 and every change in (t0, t1], as a list [(time, value)] without repetitions."""
    out, cur = [], None
    for t, v in changes:
        v = None if v is None else v & mask
        if t <= t0:
            cur = v
            continue
        if t > t1:
            break
        if not out:
            out.append((t0, cur))
        if v != out[-1][1]:
            out.append((t, v))
    if not out:
        out.append((t0, cur))
    return out


def show(v):
    return "x" if v is None else hex(v)


def compare(a, b, ignore, max_report):
    sa, ca, (fa, la) = a
    sb, cb, (fb, lb) = b
    t0, t1 = max(fa, fb), min(la, lb)
    if t0 > t1:
        return [f"the files cover no common time ({fa}..{la} and {fb}..{lb})"], 0, 0
    diffs, nchanges = [], 0
    for name in sorted(sa):
        ida, wa, ra = sa[name]
        if name not in sb:
            diffs.append(f"{name}: not in the second file")
            continue
        idb, wb, rb = sb[name]
        if wa != wb or ra != rb:
            diffs.append(f"{name}: {wa} bits {ra or '(scalar)'} in the first file, {wb} bits {rb or '(scalar)'} in the "
                         "second (a waveform viewer names them differently)")
            continue
        mask = ((1 << wa) - 1) & ~ignore.get(name, 0)
        xa, xb = timeline(ca[ida], mask, t0, t1), timeline(cb[idb], mask, t0, t1)
        nchanges += len(xa)
        if xa == xb:
            continue
        for k in range(max(len(xa), len(xb))):
            pa = xa[k] if k < len(xa) else None
            pb = xb[k] if k < len(xb) else None
            if pa != pb:
                ta = f"{show(pa[1])} at {pa[0]}" if pa else "no further change"
                tb = f"{show(pb[1])} at {pb[0]}" if pb else "no further change"
                diffs.append(f"{name}: change {k}: first file {ta}, second file {tb}")
                break
    return diffs[:max_report] + ([f"... and {len(diffs) - max_report} more"] if len(diffs) > max_report else []), \
        len(sa), nchanges if not diffs else -len(diffs)


def main(argv):
    files, ignore, max_report = [], {}, 20
    k = 0
    while k < len(argv):
        a = argv[k]
        if a == "--ignore-bits" and k + 1 < len(argv):
            name, _, bits = argv[k + 1].rpartition(":")
            try:
                for b in bits.split(","):
                    ignore[name] = ignore.get(name, 0) | (1 << int(b))
            except ValueError:
                print(f"vcd_compare.py: --ignore-bits takes NAME:BIT[,BIT...], not '{argv[k + 1]}'", file=sys.stderr)
                return 2
            k += 2
        elif a == "--max-report" and k + 1 < len(argv) and argv[k + 1].isdigit():
            max_report = int(argv[k + 1])
            k += 2
        elif a.startswith("-"):
            print(f"vcd_compare.py: unknown option '{a}' (usage: FIRST.vcd SECOND.vcd [--ignore-bits NAME:BITS])",
                  file=sys.stderr)
            return 2
        else:
            files.append(a)
            k += 1
    if len(files) != 2:
        print("vcd_compare.py: usage: vcd_compare.py FIRST.vcd SECOND.vcd [--ignore-bits NAME:BIT[,BIT...]]",
              file=sys.stderr)
        return 2
    try:
        a, b = parse(files[0]), parse(files[1])
    except (VcdError, ValueError, IndexError) as e:
        print(f"vcd_compare.py: {e}", file=sys.stderr)
        return 2
    diffs, nsig, nchg = compare(a, b, ignore, max_report)
    if diffs:
        for d in diffs:
            print(d)
        print(f"DIFFERENT: {files[0]} and {files[1]}")
        return 1
    t0, t1 = max(a[2][0], b[2][0]), min(a[2][1], b[2][1])
    print(f"same: {nsig} signals of {files[0]} in {files[1]}, {nchg} values and changes, times {t0}..{t1}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
