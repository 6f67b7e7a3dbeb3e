#!/usr/bin/env python3
"""Writes go-g-vectors.tsv: hex bits of a double, TAB, how Go's strconv.FormatFloat(v, 'g', -1, 64)
prints it. The digits come from Python's repr (David Gay's shortest round-trip digits, closest to
the value among the shortest: the digits Go's shortest formatting picks); the layout is Go's 'g'
rule for shortest output: exponent form when the decimal exponent is < -4 or >= 6 (Go's eprec).
Seeded, so the file is reproducible: python3 generate-vectors.py"""
import random, struct, sys

def go_g(x):
    if x != x: return "NaN"
    if x == float("inf"): return "+Inf"
    if x == float("-inf"): return "-Inf"
    sign = "-" if (struct.unpack(">q", struct.pack(">d", x))[0] < 0) else ""
    x = abs(x)
    if x == 0: return sign + "0"
    r = repr(x)
    mant, _, exp = r.partition("e")
    exp = int(exp) if exp else 0
    ip, _, fp = mant.partition(".")
    digits = ip + fp
    dp = len(ip) + exp
    stripped = digits.lstrip("0")
    dp -= len(digits) - len(stripped)
    digits = stripped.rstrip("0") or "0"
    e = dp - 1
    if e < -4 or e >= 6:
        m = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
        return "%s%se%s%02d" % (sign, m, "-" if e < 0 else "+", abs(e))
    if dp <= 0:
        return sign + "0." + "0" * (-dp) + digits
    if dp >= len(digits):
        return sign + digits + "0" * (dp - len(digits))
    return sign + digits[:dp] + "." + digits[dp:]

rnd = random.Random(20261121)
values = [0.0, -0.0, 1.0, -1.0, 0.1, 0.001, 0.0001, 0.00001, 1e6, 999999.0, 1e21, 1e22, 1e23, 123456.0,
          1234567.0, 5e-324, 1e-323, 2.5e-323, 2.2250738585072014e-308, 2.225073858507201e-308,
          1.7976931348623157e308, 9007199254740992.0, 9007199254740993.0, 0.3, 2.0/3, 1e-5, 1.5e-7]
for _ in range(3000):
    values.append(struct.unpack(">d", struct.pack(">Q", rnd.getrandbits(64)))[0])
for _ in range(2000):
    values.append(round(rnd.uniform(-1e4, 1e4), rnd.randint(0, 8)) * 10 ** rnd.randint(-12, 12))
for _ in range(1000):
    values.append(float(rnd.randint(0, 10**rnd.randint(1, 17))))
for _ in range(500):
    values.append(struct.unpack(">d", struct.pack(">Q", rnd.getrandbits(52)))[0])  # subnormals
with open("go-g-vectors.tsv", "w") as f:
    for v in values:
        if v != v:
            continue
        f.write("%016x\t%s\n" % (struct.unpack(">Q", struct.pack(">d", v))[0], go_g(v)))
