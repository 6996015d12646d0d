#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The YNL spec against the kernel's own YNL tools (Debian's linux-source):
licence line, validation with the kernel's schema and, with no schema
given, with the one the tools find beside the spec (netlink/genetlink.yaml),
object-verb command names, and the uapi header the kernel's generator makes
of the spec: the same names with the same values as module/uapi/bt6lowpan.h.
Prints "PASS name" or "FAIL name: why" per check.

    ynl_check.py TOP KSRC TMP
KSRC holds tools/net/ynl and Documentation/netlink of a kernel tree.
"""
import os
import re
import shutil
import subprocess
import sys

top, ksrc, tmp = sys.argv[1:4]
spec = os.path.join(top, "netlink/specs/bt6lowpan.yaml")
uapi = os.path.join(top, "module/uapi/bt6lowpan.h")
sys.path.insert(0, os.path.join(ksrc, "tools/net/ynl"))
from lib import SpecFamily  # noqa: E402  (the kernel's YNL library)

LICENCE = "((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause)"


def check(name, ok, why=""):
    print(f"PASS {name}" if ok else f"FAIL {name}: {why}")


def attempt(name, fn):
    try:
        fn()
        check(name, True)
    except Exception as e:  # the tools raise anything
        check(name, False, f"{type(e).__name__}: {str(e).splitlines()[0][:200]}")


with open(spec) as f:
    first = f.readline().rstrip("\n")
check("ynl-licence", first == f"# SPDX-License-Identifier: {LICENCE}",
      f"first line is '{first}'")

kschema = os.path.join(ksrc, "Documentation/netlink/genetlink.yaml")
attempt("ynl-kernel-schema", lambda: SpecFamily(spec, kschema))
# no schema given: the tools take ../genetlink.yaml of the spec's directory
attempt("ynl-no-schema-option", lambda: SpecFamily(spec))

# that schema is not a blank cheque: an unknown key is refused
bad = os.path.join(tmp, "netlink/specs/bt6lowpan.yaml")
os.makedirs(os.path.dirname(bad), exist_ok=True)
shutil.copy(os.path.join(top, "netlink/genetlink.yaml"),
            os.path.join(tmp, "netlink/genetlink.yaml"))
with open(spec) as f, open(bad, "w") as g:
    g.write(f.read().replace("\noperations:\n", "\nfrobnicate: 1\noperations:\n"))
try:
    SpecFamily(bad)
    check("ynl-schema-strict", False, "a spec with an unknown key validated")
except Exception as e:
    check("ynl-schema-strict", "frobnicate" in str(e), str(e)[:200])

fam = SpecFamily(spec)
names = list(fam.msgs)
wrong = [n for n in names if not re.match(r"^(config|peer)-[a-z]+$", n)]
check("ynl-object-verb", not wrong, f"not object-verb: {wrong}")

# the kernel's generator wants a kernel tree (it looks for MAINTAINERS)
tree = os.path.join(tmp, "tree")
os.makedirs(os.path.join(tree, "Documentation/netlink/specs"), exist_ok=True)
open(os.path.join(tree, "MAINTAINERS"), "w").close()
shutil.copy(kschema, os.path.join(tree, "Documentation/netlink/genetlink.yaml"))
tspec = os.path.join(tree, "Documentation/netlink/specs/bt6lowpan.yaml")
shutil.copy(spec, tspec)
gen = os.path.join(tmp, "gen.h")
r = subprocess.run([sys.executable, os.path.join(ksrc, "tools/net/ynl/ynl-gen-c.py"),
                    "--mode", "uapi", "--header", "--spec", tspec, "-o", gen],
                   capture_output=True, text=True, timeout=120)
check("ynl-gen-uapi", r.returncode == 0 and os.path.exists(gen),
      (r.stdout + r.stderr).strip()[:300])
if r.returncode != 0:
    sys.exit(0)

text = open(gen).read()
idents = sorted(set(re.findall(r"^\s*(_*BT6LOWPAN_[A-Z0-9_]+)", text, re.M) +
                    re.findall(r"^#define\s+(BT6LOWPAN_[A-Z0-9_]+)", text, re.M)))
strings = set(re.findall(r'^#define\s+(BT6LOWPAN_[A-Z0-9_]+)\s+"', text, re.M))
prog = ["#include <stdio.h>", "int main(void) {"]
for n in idents:
    fmt = '"%s %s\\n", "{0}", {0}' if n in strings else '"%s %lld\\n", "{0}", (long long){0}'
    prog.append("\tprintf(" + fmt.format(n) + ");")
prog.append("\treturn 0;\n}")
src = os.path.join(tmp, "names.c")
with open(src, "w") as f:
    f.write("\n".join(prog) + "\n")


def values(header):
    exe = os.path.join(tmp, "names")
    c = subprocess.run(["gcc", "-include", header, "-o", exe, src],
                       capture_output=True, text=True)
    if c.returncode:
        return None, c.stderr.strip().splitlines()[:3]
    return subprocess.run([exe], capture_output=True, text=True).stdout, None


want, err1 = values(gen)
got, err2 = values(uapi)
if err2:
    check("ynl-uapi-matches-spec", False, f"module/uapi/bt6lowpan.h lacks: {err2}")
else:
    diff = sorted(set(want.splitlines()) ^ set(got.splitlines()))
    check("ynl-uapi-matches-spec", not err1 and not diff,
          f"generated vs module/uapi/bt6lowpan.h differ: {diff[:6]} {err1 or ''}")

# ynl's own command line, no --schema: past the spec, to the kernel
r = subprocess.run([sys.executable, os.path.join(ksrc, "tools/net/ynl/cli.py"),
                    "--spec", os.path.relpath(spec, top), "--dump", "peer-get"],
                   capture_output=True, text=True, timeout=60, cwd=top)
out = (r.stdout + r.stderr).strip()
loaded = os.path.isdir("/sys/module/bluetooth_6lowpan")
check("ynl-cli-no-schema",
      (r.returncode == 0) if loaded else "not supported by the kernel" in out,
      out.splitlines()[-1][:200] if out else f"exit {r.returncode}")
