# SPDX-License-Identifier: GPL-2.0-or-later
"""The test guest (scripts/build-guest) as tests, benchmarks and the demo use
it: where it is, its command line, and the figures they read from a running
guest and its host process."""

import os
import re
import subprocess
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))

MiB = 1 << 20
GiB = 1 << 30


def guest_dir():
    """Directory holding Image and rootfs.cpio ($HINTVM_GUEST_DIR overrides)."""
    if "HINTVM_GUEST_DIR" in os.environ:
        return os.environ["HINTVM_GUEST_DIR"]
    out = subprocess.run([os.path.join(ROOT, "scripts", "build-guest"), "--print-dir"],
                         capture_output=True, text=True, check=True)
    return out.stdout.strip()


def guest_files(directory=None):
    d = directory or guest_dir()
    return os.path.join(d, "Image"), os.path.join(d, "rootfs.cpio")


def guest_command_line(mem="1G", smp=1, quiet=True, extra_append="", extra=(),
                       directory=None):
    """Arguments that boot the guest to its agent, for hintvm and QEMU alike."""
    image, initrd = guest_files(directory)
    append = "console=ttyS0 rdinit=/init" + (" quiet" if quiet else "")
    if extra_append:
        append += " " + extra_append
    return ["-M", "virt", "-m", mem, "-smp", str(smp), "-nographic",
            "-kernel", image, "-initrd", initrd, "-append", append, *extra]


def meminfo(vm):
    """The guest's /proc/meminfo figures (agent `meminfo`), in bytes."""
    fields = dict(kv.split("=") for kv in vm.agent("meminfo").split()[1:])
    return {k: int(v) * 1024 for k, v in fields.items()}


def host_rss(pid):
    """Resident memory of host process @pid, in bytes."""
    with open(f"/proc/{pid}/status") as f:
        return int(re.search(r"VmRSS:\s+(\d+)", f.read()).group(1)) * 1024


def wait_balloon_actual(vm, target, timeout=120, poll=0.05):
    """Wait until query-balloon reports @target bytes; returns the seconds it took."""
    start = time.monotonic()
    while True:
        actual = vm.qmp.command("query-balloon")["actual"]
        if actual == target:
            return time.monotonic() - start
        if time.monotonic() - start > timeout:
            raise TimeoutError(f"{vm.name}: balloon stuck at {actual} (target {target}) "
                               f"after {timeout} s")
        time.sleep(poll)
