# SPDX-License-Identifier: GPL-2.0-or-later
"""Shared set-up for functional tests: paths to hintvm and the guest, and a
Machine factory that boots the guest to its agent prompt."""

import os
import sys
import unittest

SRC_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(SRC_ROOT, "python"))

from hintvm import guest  # noqa: E402
from hintvm.guest import (GiB, MiB, guest_dir, host_rss, meminfo,  # noqa: E402,F401
                          wait_balloon_actual)
from hintvm.machine import Machine  # noqa: E402
from hintvm.qmp import QMPError  # noqa: E402,F401

SKIP = 77  # meson's exit code for a skipped test


def hintvm_binary():
    return os.environ.get("HINTVM_BINARY",
                          os.path.join(SRC_ROOT, "build", "hintvm-system-riscv64"))


def guest_files():
    """(Image, rootfs.cpio), or exit with SKIP when the guest is not built."""
    image, initrd = guest.guest_files()
    if not (os.path.exists(image) and os.path.exists(initrd)):
        print(f"# SKIP: guest not built in {guest.guest_dir()}; run scripts/build-guest")
        sys.exit(SKIP)
    return image, initrd


def guest_args(mem="1G", smp=1, extra_append="", extra=()):
    guest_files()
    return guest.guest_command_line(mem, smp, extra_append=extra_append, extra=extra)


def boot_guest(name="vm", mem="1G", smp=1, extra=(), binary=None, timeout=120):
    vm = Machine(binary or hintvm_binary(), guest_args(mem, smp, extra=extra), name=name)
    vm.launch()
    vm.wait_console("hintvm-agent ready", timeout)
    vm.wait_console("agent> ", timeout)
    return vm


def main():
    unittest.main(verbosity=2)
