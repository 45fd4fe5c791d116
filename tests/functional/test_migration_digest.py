#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The proof that a migration loses nothing: migrate into a destination
started with -S, so that both sides stay paused (the source in
postmigrate), and compare every 2 MiB range of guest RAM with
x-query-ram-digest.  Zero differing ranges after an idle, a busy and a
ping-pong migration."""

import time

from hintvm_test import main
from hintvm import migration
from migration_test import MEM_BYTES, MigrationTestCase


class DigestTest(MigrationTestCase):
    def migrate_and_compare(self, src, name):
        """Migrate @src into a paused destination, compare both sides page
        by page, then let the destination run; returns it and the result."""
        dst, result = self.migrate_to_new(src, paused=True, name=name)
        self.assertEqual(self.wait_incoming(dst), "paused")
        self.assertEqual(dst.qmp.command("query-migrate")["status"], "completed")
        before = migration.ram_digest(src, MEM_BYTES)
        after = migration.ram_digest(dst, MEM_BYTES)
        self.assertEqual(migration.digest_differences(before, after), [])
        self.assertTrue(before["blocks"])
        for block in after["blocks"]:
            self.assertEqual(len(block["ranges"]) * block["range-size"], block["size"])
        # Paused means paused: nothing changes until cont.
        time.sleep(0.3)
        self.assertEqual(migration.ram_digest(dst, MEM_BYTES), after)
        dst.qmp.command("cont")
        self.assert_running(dst)
        return dst, result

    def test_idle(self):
        src = self.boot("digest-idle")
        dst, _ = self.migrate_and_compare(src, "digest-idle-dst")
        self.assert_alive(dst)

    def test_busy_smp2(self):
        """Two harts, one of them rewriting held pages at 32 MB/s."""
        src = self.boot("digest-busy", smp=2, hold="96M")
        src.agent("touch 128M")
        src.agent("dirty 32 0")
        dst, result = self.migrate_and_compare(src, "digest-busy-dst")
        # Every held page went at least once, and dirtied ones in more passes.
        self.assertGreater(result.ram["normal"], 96 * 256)
        self.assertGreaterEqual(result.ram["dirty-sync-count"], 2)
        self.assertTrue(dst.agent("dirty stop").startswith("dirty stop pages="))
        self.assert_alive(dst, "96M")

    def test_ping_pong(self):
        vm = self.boot("digest-pp0")
        for hop in range(1, 4):
            vm.agent("dirty 16 0")
            dst, _ = self.migrate_and_compare(vm, f"digest-pp{hop}")
            vm.kill()
            vm = dst
        self.assertTrue(vm.agent("dirty stop").startswith("dirty stop pages="))
        self.assert_alive(vm)


if __name__ == "__main__":
    main()
