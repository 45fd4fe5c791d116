#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""virtio-balloon with the real Linux guest: inflate to half of RAM over QMP,
check the guest's MemFree, query-balloon and the host's RSS, then deflate;
over virtio-mmio, virtio-pci, and with an IOThread and free page hints."""

import time
import unittest

from hintvm_test import (GiB, MiB, QMPError, boot_guest, guest_files, host_rss, main,
                         meminfo, wait_balloon_actual as wait_actual)

RAM = 1 * GiB


class BalloonTest(unittest.TestCase):
    def inflate_deflate(self, name, device, extra=()):
        vm = boot_guest(name, mem="1G", extra=(*extra, "-device", device + ",id=balloon0"))
        try:
            self.assertIn("virtio:5", vm.agent("devices"))
            self.assertEqual(vm.qmp.command("query-balloon"), {"actual": RAM})
            # Make the host back most of guest RAM, then give it back to the guest.
            vm.agent("touch 800M")
            rss_before = host_rss(vm.proc.pid)
            free_before = meminfo(vm)["MemFree"]
            self.assertGreater(rss_before, 700 * MiB)

            vm.qmp.command("balloon", value=RAM // 2)
            wait_actual(vm, RAM // 2)
            ev = vm.qmp.event_wait("BALLOON_CHANGE", timeout=10)
            self.assertIn("actual", ev["data"])
            free_inflated = meminfo(vm)["MemFree"]
            self.assertAlmostEqual(free_before - free_inflated, RAM // 2, delta=48 * MiB)
            rss_inflated = host_rss(vm.proc.pid)
            # Most ballooned pages were touched ones: the host gets them back.
            self.assertGreater(rss_before - rss_inflated, 300 * MiB)

            stats = vm.qmp.command("qom-get", path="balloon0", property="guest-stats")
            self.assertGreater(stats["last-update"], 0)
            self.assertGreater(stats["stats"]["stat-total-memory"], 0)

            vm.qmp.command("balloon", value=RAM)
            wait_actual(vm, RAM)
            free_after = meminfo(vm)["MemFree"]
            self.assertAlmostEqual(free_after, free_before, delta=32 * MiB)
            # The guest can use all its memory again.
            vm.agent("touch 800M")
            return vm
        except BaseException:
            vm.kill()
            raise

    def test_mmio(self):
        self.inflate_deflate("balloon-mmio", "virtio-balloon-device").kill()

    def test_pci(self):
        self.inflate_deflate("balloon-pci", "virtio-balloon-pci").kill()

    def test_pci_iothread_free_page_hint(self):
        vm = self.inflate_deflate("balloon-hint", "virtio-balloon-pci,iothread=io0,"
                                  "free-page-hint=on", ("-object", "iothread,id=io0"))
        try:
            # Ask for hints as migration would: the guest hints its free memory.
            vm.qmp.command("x-balloon-free-page-hint", action="start")
            deadline = time.monotonic() + 30
            while True:
                info = vm.qmp.command("x-query-balloon-free-page-hint")
                if info["hinted-bytes"] > RAM // 2 or time.monotonic() > deadline:
                    break
                time.sleep(0.2)
            self.assertGreaterEqual(info["cmd-id"], 2)
            self.assertGreater(info["hinted-bytes"], RAM // 2)
            self.assertEqual(info["stale-hints"], 0)
            vm.qmp.command("x-balloon-free-page-hint", action="stop")
            vm.qmp.command("x-balloon-free-page-hint", action="done")
            # After DONE the guest frees the hinted blocks again.
            time.sleep(1)
            self.assertGreater(meminfo(vm)["MemFree"], RAM // 2)
        finally:
            vm.kill()

    def test_errors(self):
        vm = boot_guest("balloon-none", mem="256M")
        try:
            with self.assertRaises(QMPError) as cm:
                vm.qmp.command("balloon", value=128 * MiB)
            self.assertEqual(cm.exception.error_class, "DeviceNotActive")
            self.assertEqual(cm.exception.desc, "No balloon device has been activated")
        finally:
            vm.kill()


if __name__ == "__main__":
    guest_files()
    main()
