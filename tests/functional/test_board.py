#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The virt board's reset paths with the real Linux guest: a guest reboot and
QMP system_reset bring Linux back to its agent with every device working
again (console input through the UART and PLIC, the timer, a virtio-balloon),
with one and two harts; -no-reboot turns a reboot into exit status 0.
Also the loader's answers to crafted bad images (no guest needed)."""

import os
import struct
import subprocess
import tempfile
import unittest

from hintvm_test import (GiB, MiB, boot_guest, guest_dir, hintvm_binary, main,
                         meminfo, wait_balloon_actual as wait_actual)

RAM = 1 * GiB


class BoardResetTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        d = guest_dir()
        if not all(os.path.exists(os.path.join(d, f)) for f in ("Image", "rootfs.cpio")):
            raise unittest.SkipTest(f"guest not built in {d}; run scripts/build-guest")

    def wait_reboot(self, vm, start):
        """Wait for the agent of the next boot, after console offset @start."""
        pos = vm.wait_console("hintvm-agent ready", 120, start)
        vm.wait_console("agent> ", 60, pos)

    def check_alive(self, vm, smp):
        """Console input (UART rx interrupt via the PLIC), timers and harts work."""
        self.assertEqual(vm.agent("echo after reset"), "echo after reset")
        self.assertEqual(vm.agent("cpus"), f"cpus {smp}")
        # sleep needs the timer interrupt (CLINT/SBI) to come back.
        self.assertRegex(vm.agent("hold 8M"), r"hold 8M sum=[0-9a-f]+")
        self.assertTrue(vm.agent("verify").startswith("verify 8M"))

    def reboot_twice(self, name, smp, trigger):
        """Reboot twice with @trigger(vm), checking the board after each."""
        vm = boot_guest(f"{name}-smp{smp}", smp=smp)
        try:
            for _ in range(2):
                start = len(vm.console)
                trigger(vm)
                self.wait_reboot(vm, start)
                self.check_alive(vm, smp)
            vm.send_console("poweroff\n")
            self.assertEqual(vm.proc.wait(60), 0)
        finally:
            vm.kill()

    def guest_reboot(self, smp):
        self.reboot_twice("reboot", smp, lambda vm: vm.send_console("reboot\n"))

    def qmp_reset(self, smp):
        self.reboot_twice("reset", smp, lambda vm: vm.qmp.command("system_reset"))

    def test_guest_reboot_smp1(self):
        self.guest_reboot(1)

    def test_guest_reboot_smp2(self):
        self.guest_reboot(2)

    def test_qmp_system_reset_smp1(self):
        self.qmp_reset(1)

    def test_qmp_system_reset_smp2(self):
        self.qmp_reset(2)

    def test_reset_while_reading_console(self):
        """A reset while console input is pending must not leave the UART's
        interrupt claimed in the PLIC: typing still works after the reset."""
        vm = boot_guest("reset-typing")
        try:
            start = len(vm.console)
            # The agent is busy, so these bytes sit in the UART FIFO.
            vm.send_console("touch 64M\n" + "x" * 40)
            vm.qmp.command("system_reset")
            self.wait_reboot(vm, start)
            vm.send_console("\n")
            self.check_alive(vm, 1)
        finally:
            vm.kill()

    def test_balloon_after_reboot(self):
        """virtio-balloon-pci is reset with the board and works after reboot.
        The target survives the reset, as in QEMU: the new driver inflates
        to it again, and QMP balloon still moves the guest's memory."""
        vm = boot_guest("reboot-balloon",
                        extra=("-device", "virtio-balloon-pci,id=balloon0"))
        try:
            full = meminfo(vm)
            vm.qmp.command("balloon", value=RAM // 2)
            wait_actual(vm, RAM // 2)
            for reset in ("reboot", "system_reset"):
                start = len(vm.console)
                if reset == "reboot":
                    vm.send_console("reboot\n")
                else:
                    vm.qmp.command("system_reset")
                self.wait_reboot(vm, start)
                wait_actual(vm, RAM // 2)
                half = meminfo(vm)
                self.assertAlmostEqual(full["MemTotal"] - half["MemTotal"], RAM // 2,
                                       delta=48 * MiB)
                vm.qmp.command("balloon", value=RAM)
                wait_actual(vm, RAM)
                self.assertAlmostEqual(meminfo(vm)["MemTotal"], full["MemTotal"],
                                       delta=16 * MiB)
                vm.qmp.command("balloon", value=RAM // 2)
                wait_actual(vm, RAM // 2)
                self.assertAlmostEqual(full["MemFree"] - meminfo(vm)["MemFree"], RAM // 2,
                                       delta=64 * MiB)
        finally:
            vm.kill()

    def test_no_reboot(self):
        """-no-reboot: a guest reboot ends hintvm with status 0."""
        for smp in (1, 2):
            vm = boot_guest(f"noreboot-smp{smp}", smp=smp, extra=("-no-reboot",))
            try:
                vm.send_console("reboot\n")
                self.assertEqual(vm.proc.wait(60), 0)
            finally:
                vm.kill()

    def test_no_reboot_qmp_reset(self):
        """-no-reboot: QMP system_reset also ends hintvm with status 0, as in QEMU."""
        vm = boot_guest("noreboot-qmp", extra=("-no-reboot",))
        try:
            vm.qmp.command("system_reset")
            self.assertEqual(vm.proc.wait(60), 0)
        finally:
            vm.kill()


def elf(segments, entry):
    """A riscv64 ELF executable; @segments are (paddr, filesz, memsz, data)."""
    phoff, count = 64, len(segments)
    offset = phoff + 56 * count
    headers, body = b"", b""
    for paddr, filesz, memsz, data in segments:
        headers += struct.pack("<IIQQQQQQ", 1, 7, offset + len(body), paddr, paddr,
                               filesz, memsz, 8)
        body += data
    ident = b"\x7fELF" + bytes([2, 1, 1]) + b"\0" * 9
    ehdr = ident + struct.pack("<HHIQQQIHHHHHH", 2, 243, 1, entry, phoff, 0, 0, 64, 56,
                               count, 64, 0, 0)
    return ehdr + headers + body


LOOP = struct.pack("<I", 0x0000006f) * 4     # j . (four times)
RAM_BASE = 0x80000000


class LoaderErrorTest(unittest.TestCase):
    """Each bad image ends hintvm at once with status 1 and a clear message."""

    def run_hintvm(self, files, args, timeout=10):
        with tempfile.TemporaryDirectory(prefix="hintvm-loader-") as d:
            for name, data in files.items():
                with open(os.path.join(d, name), "wb") as f:
                    if isinstance(data, int):
                        f.truncate(data)
                    else:
                        f.write(data)
            cmd = [hintvm_binary(), "-M", "virt", "-nographic", "-m", "64M", *args]
            return subprocess.run(cmd, cwd=d, capture_output=True, text=True,
                                  timeout=timeout, stdin=subprocess.DEVNULL)

    def expect_error(self, files, args, message):
        proc = self.run_hintvm(files, args)
        self.assertEqual(proc.returncode, 1, proc.stderr)
        self.assertIn(message, proc.stderr)
        self.assertNotIn("Aborted", proc.stderr)

    def kernel(self, data, extra=()):
        return ({"k.elf": data}, ["-bios", "none", "-kernel", "k.elf", *extra])

    def test_truncated_elf(self):
        self.expect_error(*self.kernel(elf([(RAM_BASE, 16, 16, LOOP)], RAM_BASE)[:100]),
                          "is truncated or has a corrupt program header table")

    def test_filesz_above_memsz(self):
        self.expect_error(*self.kernel(elf([(RAM_BASE, 32, 16, LOOP * 2)], RAM_BASE)),
                          "program header 0 is corrupt")

    def test_overlapping_segments(self):
        image = elf([(RAM_BASE, 16, 16, LOOP), (RAM_BASE + 8, 16, 16, LOOP)], RAM_BASE)
        self.expect_error(*self.kernel(image), "segments 0 and 1 overlap at 0x80000008")

    def test_entry_outside_ram(self):
        self.expect_error(*self.kernel(elf([(RAM_BASE, 16, 16, LOOP)], 0x10000)),
                          "entry point 0x10000 is outside guest RAM")

    def test_segment_on_device_registers(self):
        # Loading this into the test finisher would "exit 0" before the guest ran.
        image = elf([(0x100000, 4, 4, struct.pack("<I", 0x5555))], RAM_BASE)
        self.expect_error(*self.kernel(image), "lands on device registers")

    def test_image_with_bad_size(self):
        # A Linux Image header (magic2 "RSC\x05") claiming an absurd image_size.
        header = struct.pack("<IIQQQIIQQII", 0x6f, 0, 0x200000, 1 << 62, 0, 2, 0, 0,
                             0x5643534952, 0x05435352, 0)
        self.expect_error({"Image": header}, ["-kernel", "Image"], "bytes at 0x80200000 "
                          "but RAM ends at 0x84000000")

    def test_initrd_too_large(self):
        files = {"Image": LOOP, "initrd": 100 << 20}
        self.expect_error(files, ["-kernel", "Image", "-initrd", "initrd"],
                          "initrd 'initrd' (104857600 bytes) does not fit")

    def test_bad_dtb(self):
        files = {"Image": LOOP, "bad.dtb": b"\xd0\x0d\xfe\xed" + b"\xff" * 60,
                 "empty.dtb": b""}
        for blob in ("bad.dtb", "empty.dtb"):
            self.expect_error(files, ["-kernel", "Image", "-dtb", blob],
                              f"-dtb '{blob}' is not a valid flattened device tree")
        self.expect_error(files, ["-kernel", "Image", "-dtb", "missing.dtb"],
                          "could not load 'missing.dtb'")


if __name__ == "__main__":
    main()
