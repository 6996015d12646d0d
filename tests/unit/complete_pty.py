#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Completion of bt6ctl in a real interactive bash, on a pseudo-terminal:
readline splits the words (COMP_WORDBREAKS and all), TAB (with
show-all-if-ambiguous) completes or lists what the completion offers. Prints "PASS name" or "FAIL name: why" per case.

    complete_pty.py COMPLETION-FILE SYSDIR
SYSDIR stands for /sys/class/bluetooth (hci0, hci1 and hci0:3585 in it).
"""
import os
import pty
import re
import select
import sys
import time

COMPLETION, SYSDIR = sys.argv[1], sys.argv[2]


def read_until(fd, pattern, timeout=5.0):
    """What the terminal showed until @pattern (a regex) or the timeout."""
    out = b""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        r, _, _ = select.select([fd], [], [], 0.1)
        if r:
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                break
            if not chunk:
                break
            out += chunk
            if re.search(pattern, out):
                break
    return out


def shell():
    pid, fd = pty.fork()
    if pid == 0:
        env = {"PATH": "/usr/bin:/bin", "TERM": "dumb", "HOME": "/nonexistent",
               "PS1": "READY> ", "INPUTRC": "/dev/null"}
        os.execve("/bin/bash", ["bash", "--norc", "--noprofile", "-i"], env)
    read_until(fd, rb"READY> $")
    setup = ("bind 'set show-all-if-ambiguous on'; "
             "bind 'set completion-query-items 1000'; "
             "bind 'set page-completions off'; "
             "bind 'set bell-style none'; "
             f"_bt6ctl_sysdir={SYSDIR}; . {COMPLETION}; "
             "bt6ctl() { [ \"$1\" = peers ] && "
             "echo '00:AA:01:00:00:00 public hci1 bt0 connected'; }; "
             "echo SET''UP\n")
    os.write(fd, setup.encode())
    read_until(fd, rb"SETUP\r?\n.*READY> $")
    return pid, fd


def case(name, typed, want, unwanted=(), line=None):
    pid, fd = shell()
    os.write(fd, typed.encode())
    out = read_until(fd, re.escape(typed[-8:].encode()), 3.0)
    os.write(fd, b"\t")
    out += read_until(fd, rb"\r?\nREADY> [^\r\n]*$|" +
                      re.escape(want[-1].encode()), 3.0)
    out += read_until(fd, rb"READY> [^\r\n]*$", 1.0)
    got_line = None
    if line is not None:
        # the line as completed: ^A, "echo LINE=" in front, run it
        os.write(fd, b"\x01echo LINE=\n")
        echoed = read_until(fd, rb"\nLINE=[^\r\n]*\r?\n", 3.0)
        m = re.search(rb"\nLINE=([^\r\n]*)\r?\n", echoed)
        got_line = m.group(1).decode(errors="replace") if m else "?"
    os.write(fd, b"\x03")      # ^C: drop the line
    os.write(fd, b"exit\n")
    os.close(fd)
    os.waitpid(pid, 0)
    text = out.decode(errors="replace")
    missing = [w for w in want if w not in text]
    extra = [u for u in unwanted if u in text]
    if line is not None and got_line != line:
        print(f"FAIL {name}: the line became '{got_line}', want '{line}'")
    elif missing or extra:
        shown = text.replace("\r", "").replace("\n", "\\n")[-300:]
        print(f"FAIL {name}: missing {missing}, unwanted {extra}, "
              f"terminal: {shown}")
    else:
        print(f"PASS {name}")


# after an address: its type, not the options alone
case("pty-connect-type", "bt6ctl connect 00:AA:01:00:00:00 ",
     ["public", "random"])
# adapters: hciN only, never a connection object of /sys/class/bluetooth
case("pty-adapters", "bt6ctl scan -i ", ["hci0", "hci1"], ["hci0:3585"])
# a known peer's address completes across its colons
case("pty-peer-address", "bt6ctl disconnect 00:AA:01:00:0",
     ["00:00"], line="bt6ctl disconnect 00:AA:01:00:00:00")
