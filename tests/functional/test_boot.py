#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Boot the Linux guest on the virt board and talk to its agent."""

import time
import unittest

from hintvm_test import GiB, MiB, boot_guest, guest_files, host_rss, main, meminfo


class BootTest(unittest.TestCase):
    def test_boot_agent_poweroff(self):
        """Boot to the agent, run commands, and power off with exit code 0."""
        vm = boot_guest("boot")
        try:
            self.assertEqual(vm.agent("echo hello console"), "echo hello console")
            self.assertGreater(meminfo(vm)["MemTotal"], 900 * MiB)
            self.assertRegex(vm.agent("hold 16M"), r"hold 16M sum=[0-9a-f]+")
            self.assertTrue(vm.agent("verify").startswith("verify 16M"))
            vm.send_console("poweroff\n")
            self.assertEqual(vm.proc.wait(60), 0)
        finally:
            vm.kill()

    def test_boot_8g(self):
        """-m 8G: the guest sees it all; the host does not pay for untouched RAM."""
        vm = boot_guest("boot8g", mem="8G")
        try:
            self.assertGreater(meminfo(vm)["MemTotal"], 7 * GiB)
            self.assertLess(host_rss(vm.proc.pid), 1 * GiB)
        finally:
            vm.kill()

    def test_smp2(self):
        """Two harts come up and both are usable."""
        vm = boot_guest("smp2", smp=2)
        try:
            self.assertEqual(vm.agent("cpus"), "cpus 2")
        finally:
            vm.kill()

    def test_console_typing(self):
        """Characters typed one at a time reach the guest through the UART."""
        vm = boot_guest("typing")
        try:
            for c in "echo typed\n":
                vm.send_console(c)
                time.sleep(0.01)
            vm.wait_console("OK echo typed", 30)
        finally:
            vm.kill()


if __name__ == "__main__":
    guest_files()
    main()
