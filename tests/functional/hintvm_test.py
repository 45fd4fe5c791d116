# SPDX-License-Identifier: GPL-2.0-or-later
"""Shared set-up for functional tests: paths to hintvm and the guest, and a
Machine factory that boots the guest to its agent prompt."""

import os
import subprocess
import sys
import unittest

SRC_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(SRC_ROOT, "python"))

from hintvm.machine import Machine  # noqa: E402
from hintvm.qmp import QMPError  # noqa: E402

SKIP = 77  # meson's exit code for a skipped test


def hintvm_binary():
    return os.environ.get("HINTVM_BINARY",
                          os.path.join(SRC_ROOT, "build", "hintvm-system-riscv64"))


def guest_dir():
    if "HINTVM_GUEST_DIR" in os.environ:
        return os.environ["HINTVM_GUEST_DIR"]
    out = subprocess.run([os.path.join(SRC_ROOT, "scripts", "build-guest"), "--print-dir"],
                         capture_output=True, text=True, check=True)
    return out.stdout.strip()


def guest_files():
    """(Image, rootfs.cpio), or exit with SKIP when the guest is not built."""
    d = guest_dir()
    image, initrd = os.path.join(d, "Image"), os.path.join(d, "rootfs.cpio")
    if not (os.path.exists(image) and os.path.exists(initrd)):
        print(f"# SKIP: guest not built in {d}; run scripts/build-guest")
        sys.exit(SKIP)
    return image, initrd


def guest_args(mem="1G", smp=1, extra_append="", extra=()):
    image, initrd = guest_files()
    append = "console=ttyS0 rdinit=/init quiet " + extra_append
    return ["-M", "virt", "-m", mem, "-smp", str(smp), "-nographic",
            "-kernel", image, "-initrd", initrd, "-append", append.strip(), *extra]


def boot_guest(name="vm", mem="1G", smp=1, extra=(), binary=None, timeout=120):
    vm = Machine(binary or hintvm_binary(), guest_args(mem, smp, extra=extra), name=name)
    vm.launch()
    vm.wait_console("hintvm-agent ready", timeout)
    vm.wait_console("agent> ", timeout)
    return vm


def main():
    unittest.main(verbosity=2)
