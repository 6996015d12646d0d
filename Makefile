# SPDX-License-Identifier: GPL-2.0
# bt6lowpan: IPv6 over Bluetooth LE, out-of-tree bluetooth_6lowpan.
#
#   make            build the module for the running kernel (KVER=...) and bt6ctl
#   make check      install test dependencies, static checks, VM scenarios
#   make demo       the whole story in a QEMU guest with virtual controllers
#   make baseline   the in-tree module, 5 runs per kernel, as a table
#   make bench      performance, ours against the in-tree module (tests/bench/run)
#   sudo make install / uninstall   through DKMS, bt6ctl, the boot files
#   make deb        Debian packages bt6lowpan-dkms and bt6ctl in build/deb (DEB_OUT=...)

KVER ?= $(shell uname -r)
KDIR ?= /lib/modules/$(KVER)/build
VERSION := $(shell sed -n 's/^PACKAGE_VERSION="*\([^"]*\)"*/\1/p' dkms.conf)
RUNS ?= 5
DEB_OUT ?= $(CURDIR)/build/deb

.PHONY: all module tools clean check demo baseline bench deps install uninstall deb

all: module tools

tools:
	$(MAKE) -C tools/bt6ctl

module:
	$(MAKE) -C $(KDIR) M=$(CURDIR)/module modules

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR)/module clean
	$(MAKE) -C tools/bt6ctl clean

deps:
	tests/deps.sh

check: deps
	tests/check

demo: deps
	tests/vm/demo

baseline: deps
	tests/vm/baseline $(RUNS)

bench: deps
	tests/bench/deps.sh
	tests/bench/run -n $(RUNS) -c docs/bench.png

install:
	tools/install.sh install

uninstall:
	tools/install.sh uninstall

deb:
	packaging/build.sh $(DEB_OUT)
