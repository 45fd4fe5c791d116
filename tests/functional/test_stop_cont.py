#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Run-state changes against a busy Linux guest: QMP stop/cont in a tight
loop, quit and SIGTERM while the guest writes memory.  The vCPU threads and
the BQL must hand over cleanly every time (no lost wakeup, no hang)."""

import signal
import unittest

from hintvm_test import boot_guest, guest_files, main


def busy_guest(name, smp=1):
    vm = boot_guest(name, mem="256M", smp=smp)
    vm.agent("hold 32M")
    # A background thread dirties memory; the agent still answers on the console.
    vm.agent("dirty 200 0")
    return vm


class StopContTest(unittest.TestCase):
    def stop_cont_cycles(self, smp):
        vm = busy_guest(f"stopcont{smp}", smp)
        try:
            for _ in range(200):
                vm.qmp.command("stop")
                self.assertFalse(vm.qmp.command("query-status")["running"])
                vm.qmp.command("cont")
            self.assertEqual(vm.qmp.command("query-status")["status"], "running")
            self.assertEqual(vm.agent("echo alive", timeout=60), "echo alive")
            self.assertTrue(vm.agent("dirty stop").startswith("dirty stop pages="))
            self.assertTrue(vm.agent("verify").startswith("verify 32M"))
        finally:
            vm.kill()

    def test_stop_cont_loop(self):
        """200 stop/cont cycles from QMP, then the agent still answers."""
        self.stop_cont_cycles(1)

    def test_stop_cont_loop_smp2(self):
        self.stop_cont_cycles(2)

    def test_quit_while_busy(self):
        vm = busy_guest("quitbusy")
        try:
            vm.qmp.command("quit")
            self.assertEqual(vm.proc.wait(20), 0)
        finally:
            vm.kill()

    def test_quit_while_stopped(self):
        vm = busy_guest("quitstopped")
        try:
            vm.qmp.command("stop")
            vm.qmp.command("quit")
            self.assertEqual(vm.proc.wait(20), 0)
        finally:
            vm.kill()

    def test_sigterm_while_busy(self):
        vm = busy_guest("sigterm")
        try:
            vm.proc.send_signal(signal.SIGTERM)
            # As QEMU: "terminating on signal 15" and a clean exit.
            self.assertEqual(vm.proc.wait(20), 0)
        finally:
            vm.kill()


if __name__ == "__main__":
    guest_files()
    main()
