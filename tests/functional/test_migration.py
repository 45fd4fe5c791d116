#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Live migration of the real Linux guest over TCP to a second hintvm: the
guest's held memory arrives intact, every 2 MiB range of RAM matches the
source's (x-query-ram-digest against a destination paused with -S), the
guest runs on at once; and a failed migration leaves the source running."""

import socket
import time
import unittest

from hintvm_test import Machine, boot_guest, guest_args, hintvm_binary, main

MEM = "512M"
DONE = ("completed", "failed", "cancelled")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_migration(vm, timeout=120):
    deadline = time.monotonic() + timeout
    while True:
        info = vm.qmp.command("query-migrate")
        if info.get("status") in DONE:
            return info
        if time.monotonic() > deadline:
            raise TimeoutError(f"{vm.name}: migration still {info.get('status')}")
        time.sleep(0.05)


class MigrationTest(unittest.TestCase):
    def setUp(self):
        self.vms = []

    def tearDown(self):
        for vm in self.vms:
            vm.kill()

    def source(self):
        vm = boot_guest("src", mem=MEM)
        self.vms.append(vm)
        vm.qmp.command("migrate-set-parameters", {"max-bandwidth": 10 << 30})
        return vm

    def destination(self, *extra):
        port = free_port()
        vm = Machine(hintvm_binary(), guest_args(MEM, extra=("-incoming",
                                                             f"tcp:127.0.0.1:{port}",
                                                             *extra)), name="dst")
        self.vms.append(vm.launch())
        self.assertEqual(vm.qmp.command("query-status")["status"], "inmigrate")
        return vm, f"tcp:127.0.0.1:{port}"

    def test_busy_guest_page_by_page(self):
        """A guest rewriting held memory migrates into a paused destination:
        every RAM range matches, then it runs with its memory intact."""
        src = self.source()
        src.agent("hold 64M")
        src.agent("dirty 32 0")
        dst, uri = self.destination("-S")
        src.qmp.command("migrate-set-capabilities",
                        capabilities=[{"capability": "events", "state": True}])
        src.qmp.command("migrate", uri=uri)
        info = wait_migration(src)
        self.assertEqual(info["status"], "completed", info.get("error-desc"))
        self.assertEqual(src.qmp.command("query-status")["status"], "postmigrate")
        self.assertGreater(info["ram"]["normal"], 64 << 20 >> 12)
        self.assertGreaterEqual(info["ram"]["dirty-sync-count"], 2)
        self.assertEqual(src.qmp.event_wait("MIGRATION", 5)["data"]["status"], "setup")
        self.assertEqual(wait_migration(dst)["status"], "completed")
        self.assertEqual(dst.qmp.command("query-status")["status"], "paused")

        want = src.qmp.command("x-query-ram-digest")["blocks"]
        got = dst.qmp.command("x-query-ram-digest")["blocks"]
        self.assertEqual([b["id"] for b in got], [b["id"] for b in want])
        for a, b in zip(want, got):
            differ = [i for i, (x, y) in enumerate(zip(a["ranges"], b["ranges"])) if x != y]
            self.assertEqual(differ, [], f"block {a['id']}: ranges differ")
            self.assertEqual(a["digest"], b["digest"])

        dst.qmp.command("cont")
        self.assertTrue(dst.agent("dirty stop").startswith("dirty stop pages="))
        self.assertEqual(dst.agent("verify"), "verify 64M pages=16384")
        # The clock ticks at once: a timed sleep returns.
        self.assertEqual(dst.agent("sleep 0.2", timeout=10), "sleep 0.2")

    def test_failure_then_success(self):
        """Connection refused: failed with a reason, the guest runs on; the
        next migration to a real destination succeeds."""
        src = self.source()
        src.agent("hold 32M")
        src.qmp.command("migrate", uri=f"tcp:127.0.0.1:{free_port()}")
        info = wait_migration(src)
        self.assertEqual(info["status"], "failed")
        self.assertIn("Connection refused", info["error-desc"])
        self.assertEqual(src.qmp.command("query-status")["status"], "running")
        self.assertEqual(src.agent("verify"), "verify 32M pages=8192")

        dst, uri = self.destination()
        src.qmp.command("migrate", uri=uri)
        self.assertEqual(wait_migration(src)["status"], "completed")
        self.assertEqual(wait_migration(dst)["status"], "completed")
        self.assertEqual(dst.qmp.command("query-status")["status"], "running")
        self.assertEqual(dst.agent("verify"), "verify 32M pages=8192")


if __name__ == "__main__":
    main()
