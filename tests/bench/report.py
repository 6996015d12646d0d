#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""report.py DIR "KERNELS" "MODULES": read DIR/K-M-PART/r.txt written by
tests/bench/run, print one table (absolute figures and ours/stock ratios),
write DIR/results.json, DIR/table.md and the gnuplot data files."""
import json
import os
import platform
import re
import statistics
import sys
import time

out, kernels, modules = sys.argv[1], sys.argv[2].split(), sys.argv[3].split()
PARTS = ["pair", "lat", "tcp", "udp", "loaded", "frozen", "credits", "scale", "limit"]


def num(s):
    try:
        return float(s)
    except (TypeError, ValueError):
        return None


def kv(s):
    return dict(re.findall(r"(\w+)=([^\s]+)", s))


def load(k, m):
    raw = {}
    notes = []
    for p in PARTS:
        f = os.path.join(out, f"{k}-{m}-{p}", "r.txt")
        if not os.path.exists(f):
            continue
        for line in open(f, errors="replace"):
            line = line.rstrip("\n")
            key, _, val = line.partition(" ")
            if key in ("guest", "kernel_log", "error"):
                notes.append(f"{p}: {line}")
                continue
            raw.setdefault(key, []).append(val)
    return raw, notes


def spread(vals):
    ok = [v for v in vals if v is not None]
    if not ok:
        return None
    return {
        "median": statistics.median(ok),
        "min": min(ok),
        "max": max(ok),
        "runs": len(vals),
        "ok": len(ok),
    }


def summarize(raw):
    s = {}
    if "tcp_kibps" in raw:
        s["tcp_kibps"] = spread([num(v) for v in raw["tcp_kibps"]]) or {
            "fails": len(raw["tcp_kibps"])}
    if "udp" in raw:
        vals, loss = [], []
        for v in raw["udp"]:
            d = kv(v)
            vals.append(num(d.get("kibps")))
            if d.get("recv") and d.get("sent") and num(d["sent"]):
                loss.append(100.0 * (1 - num(d["recv"]) / num(d["sent"])))
        s["udp_kibps"] = spread(vals) or {"fails": len(vals)}
        got = sum(num(kv(v).get("bytes")) or 0 for v in raw["udp"])
        ok = sum(1 for v in vals if v is not None)
        cpu = num((raw.get("udp_cpu_s_per_mib") or [None])[0])
        if got and cpu is not None:
            # per MiB delivered (the guest reports per MiB sent)
            s["udp_cpu_s_per_mib_delivered"] = cpu * ok * 1048576 / got
        if loss:
            s["udp_loss_pct"] = statistics.median(loss)
    for size in ("56", "1200"):
        for v in raw.get("ping_" + size, []):
            d = kv(v)
            s["ping_" + size] = {x: num(d.get(x)) for x in
                                 ("sent", "recv", "p50", "p99", "min", "max", "mean")}
    p50s = [num(kv(v).get("p50")) for v in raw.get("scale_ping", [])]
    p50s = [v for v in p50s if v is not None]
    if p50s:
        s["scale_ping_p50"] = statistics.median(p50s)
    p99s = [num(kv(v).get("p99")) for v in raw.get("scale_ping", [])]
    p99s = [v for v in p99s if v is not None]
    if p99s:
        s["scale_ping_p99"] = max(p99s)
    for proto in ("udp", "tcp"):
        per = [num(kv(v).get("kibps")) for v in raw.get(f"scale_{proto}", [])]
        if per:
            ok = [v for v in per if v is not None]
            d = {"nodes": len(per), "ok": len(ok)}
            if ok:
                d.update(min=min(ok), max=max(ok))
                # a node that got nothing makes the round unfair: 0
                d["fairness"] = (min(ok) / max(ok) if len(ok) == len(per) and max(ok) else 0.0)
            d["total"] = num((raw.get(f"scale_{proto}_total") or [None])[0])
            s[f"scale_{proto}"] = d
    for key in ("limit_kibps", "l2user_kibps"):
        if key in raw:
            s[key] = spread([num(v) for v in raw[key]]) or {"fails": len(raw[key])}
    for v in raw.get("loaded_ping", []):
        d = kv(v)
        s["loaded_ping"] = {x: num(d.get(x)) for x in ("sent", "recv", "p50", "p99")}
    if "loaded_bulk" in raw:
        s["loaded_bulk"] = raw["loaded_bulk"][0]
    if "loaded_bulk_kibps" in raw:
        s["loaded_bulk_kibps"] = num(raw["loaded_bulk_kibps"][0])
    cs = [num(v) for v in raw.get("connect_s", [])]
    if cs:
        ok = [v for v in cs if v is not None]
        s["connect_s"] = statistics.median(ok) if ok else "timeout"
        s["connect_samples"] = len(cs)
    for key in ("frozen_s", "credits_s", "tcp_cpu_s_per_mib",
                "udp_cpu_s_per_mib", "scale_nodes", "scale_reached",
                "scale_slab_per_peer", "scale_peers"):
        if key in raw:
            v = raw[key][0]
            s[key] = num(v) if num(v) is not None else v
    return s


res = {}
for k in kernels:
    for m in modules + ["limit"]:
        raw, notes = load(k, m)
        res.setdefault(k, {})[m] = {"summary": summarize(raw), "raw": raw, "notes": notes}
# the ceiling (tests/bench/limit) is a column of its own where it was measured
has_limit = any(res[k]["limit"]["raw"] for k in kernels)


# ---- table ---------------------------------------------------------------
def get(s, path):
    for p in path.split("."):
        if not isinstance(s, dict) or p not in s:
            return None
        s = s[p]
    return s


def fmt(v, nd=1):
    if v is None:
        return "n/a"
    if isinstance(v, str):
        return v
    return f"{v:.{nd}f}"


ROWS = [
    # label, key path, digits, higher is better
    ("TCP 1 MiB, KiB/s (median)", "tcp_kibps.median", 1, True),
    ("TCP spread min-max", "tcp_kibps", 1, None),
    ("UDP 1 MiB, KiB/s (median)", "udp_kibps.median", 1, True),
    ("UDP spread min-max", "udp_kibps", 1, None),
    ("UDP loss %", "udp_loss_pct", 1, False),
    ("ping 56 B p50, ms", "ping_56.p50", 1, False),
    ("ping 56 B p99, ms", "ping_56.p99", 1, False),
    ("ping 1200 B p50, ms", "ping_1200.p50", 1, False),
    ("ping 1200 B p99, ms", "ping_1200.p99", 1, False),
    ("pings answered (56/1200)", "pings", 0, None),
    ("connect to first reply, s (median)", "connect_s", 2, False),
    ("frozen controller: recovery, s", "frozen_s", 1, False),
    ("withheld credits: recovery, s", "credits_s", 1, False),
    ("scale: nodes answering pings", "scale", 0, None),
    ("scale: ping p50, ms (median of nodes)", "scale_ping_p50", 1, False),
    ("scale: ping p99, ms (worst node)", "scale_ping_p99", 1, False),
    ("scale: slab KiB per peer", "slab_kib", 1, False),
    ("scale: UDP all nodes at once, KiB/s", "scale_udp.total", 1, True),
    ("scale: UDP per node min-max, KiB/s", "scale_udp", 1, None),
    ("scale: UDP fairness (min/max)", "scale_udp.fairness", 2, True),
    ("scale: TCP all nodes at once, KiB/s", "scale_tcp.total", 1, True),
    ("scale: TCP per node min-max, KiB/s", "scale_tcp", 1, None),
    ("scale: TCP fairness (min/max)", "scale_tcp.fairness", 2, True),
    ("loaded: ping 56 B p50 during TCP, ms", "loaded_ping.p50", 1, False),
    ("loaded: ping 56 B p99 during TCP, ms", "loaded_ping.p99", 1, False),
    ("loaded: pings answered", "loaded", 0, None),
    ("loaded: the bulk TCP meanwhile, KiB/s", "loaded_bulk_kibps", 1, True),
    ("CPU s per MiB, TCP", "tcp_cpu_s_per_mib", 2, False),
    ("CPU s per MiB delivered, UDP", "udp_cpu_s_per_mib_delivered", 2, False),
    ("limit: L2CAP in-kernel sender, KiB/s", "limit_kibps.median", 1, True),
    ("limit: L2CAP sockets, KiB/s", "l2user_kibps.median", 1, True),
]
# rows whose figure the limit column gives (the ceiling), and ours/limit
LIMIT_ROWS = {"tcp_kibps.median", "udp_kibps.median", "scale_udp.total",
              "scale_tcp.total", "limit_kibps.median", "l2user_kibps.median"}


def cell(s, key, nd):
    if key in ("tcp_kibps", "udp_kibps"):
        d = s.get(key)
        if d is None:
            return "n/a"
        if "fails" in d:
            return f"fails {d['fails']}/{d['fails']}"
        t = f"{d['min']:.0f}-{d['max']:.0f}"
        if d["ok"] < d["runs"]:
            t += f" ({d['ok']}/{d['runs']} ok)"
        return t
    if key == "pings":
        a, b = s.get("ping_56"), s.get("ping_1200")
        if not a and not b:
            return "n/a"
        f = lambda d: f"{d['recv']:.0f}/{d['sent']:.0f}" if d else "n/a"
        return f"{f(a)}, {f(b)}"
    if key in ("scale_udp", "scale_tcp"):
        d = s.get(key)
        if not d:
            return "n/a"
        if not d["ok"]:
            return f"fails {d['nodes']}/{d['nodes']}"
        t = f"{d['min']:.0f}-{d['max']:.0f}"
        return t + (f" ({d['ok']}/{d['nodes']} nodes)" if d["ok"] < d["nodes"] else "")
    if key == "loaded":
        d = s.get("loaded_ping")
        if not d:
            return "n/a"
        t = f"{d['recv']:.0f}/{d['sent']:.0f}"
        return t if s.get("loaded_bulk", "running") == "running" else t + " (bulk ended early)"
    if key == "scale":
        if "scale_reached" not in s:
            return "n/a"
        return f"{fmt(s['scale_reached'], 0)}/{fmt(s.get('scale_nodes'), 0)}"
    if key == "slab_kib":
        v = s.get("scale_slab_per_peer")
        return fmt(v / 1024 if isinstance(v, float) else v, nd)
    v = get(s, key)
    if key.endswith("kibps.median") and v is None:
        d = s.get(key.split(".")[0])
        return "fails" if d else "n/a"
    if key.startswith("ping_") and v is None and s.get(key.split(".")[0]):
        return "fails"
    if v == "timeout":
        return "fails"
    return fmt(v, nd)


def value(s, key):
    if key == "slab_kib":
        v = s.get("scale_slab_per_peer")
        return v / 1024 if isinstance(v, float) else None
    v = get(s, key)
    return v if isinstance(v, float) else None


header = ["metric"]
for k in kernels:
    for m in modules:
        header.append(f"{k} {m}")
    if "stock" in modules and "ours" in modules:
        header.append(f"{k} ours/stock")
    if has_limit:
        header += [f"{k} limit", f"{k} ours/limit"]


def limit_cells(k, key):
    if key not in LIMIT_ROWS:
        return ["", ""]
    lim = res[k]["limit"]["summary"]
    lkey = key if key.startswith(("limit_", "l2user_")) else "limit_kibps.median"
    c = cell(lim, lkey, 1)
    if key.startswith(("limit_", "l2user_")) or "ours" not in res[k]:
        return [c, ""]
    o, lv = value(res[k]["ours"]["summary"], key), value(lim, "limit_kibps.median")
    return [c, f"{o / lv:.2f}" if o is not None and lv else ""]


table = []
for label, key, nd, better in ROWS:
    row = [label]
    for k in kernels:
        for m in modules:
            only_limit = key.startswith(("limit_", "l2user_"))
            row.append("" if only_limit else cell(res[k][m]["summary"], key, nd))
        if "stock" in modules and "ours" in modules:
            o = value(res[k]["ours"]["summary"], key)
            st = value(res[k]["stock"]["summary"], key)
            if better is None or o is None:
                row.append("")
            elif st is None or st == 0:
                row.append("stock n/a")
            else:
                r = o / st
                worse = (r < 0.95) if better else (r > 1.05)
                row.append(f"{r:.2f}" + (" (worse)" if worse else ""))
        if has_limit:
            row += limit_cells(k, key)
    table.append(row)

widths = [max(len(r[i]) for r in table + [header]) for i in range(len(header))]
lines = []
lines.append("| " + " | ".join(h.ljust(w) for h, w in zip(header, widths)) + " |")
lines.append("|" + "|".join("-" * (w + 2) for w in widths) + "|")
for r in table:
    lines.append("| " + " | ".join(c.ljust(w) for c, w in zip(r, widths)) + " |")
notes = []
for k in kernels:
    for m in modules + ["limit"]:
        for n in res[k][m]["notes"]:
            notes.append(f"- {k} {m}: {n}")
text = "\n".join(lines)
print(text)
if notes:
    print("\nnotes:\n" + "\n".join(notes))
with open(os.path.join(out, "table.md"), "w") as f:
    f.write(text + "\n")
    if notes:
        f.write("\nNotes:\n\n" + "\n".join(notes) + "\n")

machine = {
    "host": platform.node(),
    "cpus": os.cpu_count(),
    "cpu": next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo")
                 if l.startswith("model name")), "?"),
    "guest": "QEMU TCG, -cpu max -smp 1 -m 1024, btvirt emulated LE link",
}
with open(os.path.join(out, "results.json"), "w") as f:
    json.dump({"date": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "machine": machine,
               "kernels": kernels, "modules": modules, "results": res}, f, indent=1)


# ---- chart data ------------------------------------------------------------
def g(k, m, key):
    s = res.get(k, {}).get(m, {}).get("summary", {})
    v = value(s, key)
    return "0" if v is None else f"{v:.3f}"


with open(os.path.join(out, "tput.dat"), "w") as f:
    f.write("# label stock ours stock_min stock_max ours_min ours_max\n")
    for k in kernels:
        for proto in ("tcp", "udp"):
            row = [f'"{k} {proto.upper()}"']
            for m in ("stock", "ours"):
                row.append(g(k, m, f"{proto}_kibps.median"))
            for m in ("stock", "ours"):
                row += [g(k, m, f"{proto}_kibps.min"), g(k, m, f"{proto}_kibps.max")]
            f.write(" ".join(row) + "\n")
with open(os.path.join(out, "lat.dat"), "w") as f:
    f.write("# label stock_p50 ours_p50 stock_p99 ours_p99\n")
    for k in kernels:
        for size in ("56", "1200"):
            row = [f'"{k} {size} B"']
            for p in ("p50", "p99"):
                for m in ("stock", "ours"):
                    row.append(g(k, m, f"ping_{size}.{p}"))
            f.write(" ".join(row) + "\n")

# nothing to draw (e.g. only recovery parts ran): no chart data at all
if all(g(k, m, key) == "0" for k in kernels for m in ("stock", "ours")
       for key in ("tcp_kibps.median", "udp_kibps.median", "ping_56.p50", "ping_1200.p50")):
    os.remove(os.path.join(out, "tput.dat"))
    os.remove(os.path.join(out, "lat.dat"))
