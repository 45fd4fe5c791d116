#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Live migration with free page hints (docs/devel/migration/free-page-hint.rst)
on the real Linux guest: hints cut the bytes sent against the same guest
migrated without them; a busy guest (rewriting held pages, allocating and
freeing memory) arrives with every held page intact; hints work again on
the next hop (migrate twice, ping-pong); virtio-balloon-device and
virtio-balloon-pci, -smp 1 and 2; the guest's free memory comes back once
the device says DONE; a migration cancelled while the guest hints leaves it
whole, with its memory returned."""

import time

from hintvm_test import MiB, main
from hintvm import migration
from hintvm.guest import meminfo
from migration_test import HELD, MigrationTestCase

# What the guest touched and freed: free, but not zero, so without hints it
# is sent page by page.
FREED = "256M"
FREED_BYTES = 256 * MiB

HINTS_MMIO = ("-object", "iothread,id=io0",
              "-device", "virtio-balloon-device,id=balloon0,free-page-hint=on,iothread=io0")
HINTS_PCI = migration.FREE_PAGE_HINT_ARGS
LEGACY_MMIO = ("-device", "virtio-balloon-device,id=balloon0")


class HintMigrationTest(MigrationTestCase):
    def boot_freed(self, name, extra, smp=1, hold=HELD):
        """A guest holding @hold that touched and freed FREED, its free
        memory measured once the kernel settled."""
        vm = self.boot(name, smp=smp, extra=extra, hold=hold)
        vm.agent(f"touch {FREED}")
        return vm

    def hint_status(self, vm):
        return vm.qmp.command("qom-get", path="balloon0", property="free-page-hint-status")

    def wait_mem_free(self, vm, at_least, timeout=20):
        """The guest's MemFree reaches @at_least (its hinted blocks came back)."""
        deadline = time.monotonic() + timeout
        while True:
            free = meminfo(vm)["MemFree"]
            if free >= at_least or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        self.assertGreaterEqual(free, at_least)

    def assert_hinted(self, result, at_least):
        hint = result.get("free-page-hint")
        self.assertIsNotNone(hint, result.info)
        self.assertGreaterEqual(hint["hint-rounds"], 1)
        self.assertGreaterEqual(hint["hinted-bytes"], at_least, hint)
        self.assertEqual(hint["dropped-invalid"], 0)
        return hint

    def test_hints_cut_bytes_mmio_smp1(self):
        """Same guest state, with and without hints: the hinted migration
        sends far less, and most of it was skipped by the first pass."""
        legacy_src = self.boot_freed("legacy-src", LEGACY_MMIO)
        legacy_dst, legacy = self.migrate_to_new(legacy_src, name="legacy-dst")
        self.assertNotIn("free-page-hint", legacy.info)
        legacy_dst.kill()
        legacy_src.kill()

        src = self.boot_freed("hint-src", HINTS_MMIO)
        free_before = meminfo(src)["MemFree"]
        dst, result = self.migrate_to_new(src, name="hint-dst")
        hint = self.assert_hinted(result, FREED_BYTES // 2)
        self.assertGreater(hint["first-pass-skipped-bytes"], FREED_BYTES // 2, hint)
        sent, sent_legacy = result.ram["transferred"], legacy.ram["transferred"]
        self.assertLess(sent, sent_legacy - FREED_BYTES // 2,
                        f"hints: {sent} bytes, legacy: {sent_legacy} bytes")
        self.assert_running(dst)
        self.assert_alive(dst)
        # The destination's driver got DONE: its free memory is back.
        self.assertEqual(self.hint_status(dst), "done")
        self.wait_mem_free(dst, free_before - 32 * MiB)

    def test_busy_pci_smp2(self):
        """Two harts rewrite held pages and allocate and free memory while
        the guest migrates with hints: every held page arrives intact."""
        src = self.boot_freed("busy-src", HINTS_PCI, smp=2, hold="128M")
        src.agent("dirty 16 0")
        dst, uri = self.destination(src, name="busy-dst")
        migration.set_parameters(src, {"max-bandwidth": 64 * MiB})
        # Allocating and freeing memory, freshly hinted memory among it.
        info, churned = self.migrate_churning(src, uri, "32M")
        self.assertEqual(info["status"], "completed", info)
        self.assertGreater(churned, 0)
        self.assertGreaterEqual(info["free-page-hint"]["hint-rounds"], 1, info)
        self.assert_running(dst)
        self.wait_tick(dst)
        self.sync_agent(dst)
        self.assertTrue(dst.agent("dirty stop").startswith("dirty stop pages="))
        self.assertEqual(dst.agent("cpus"), "cpus 2")
        self.assert_alive(dst, "128M")
        dst.agent("touch 64M")

    def test_twice_and_ping_pong(self):
        """Three hops with hints: the device state each destination got lets
        it hint again on the next migration."""
        vm = self.boot_freed("pp0", HINTS_PCI)
        for hop in range(1, 4):
            vm.agent(f"touch {FREED}")
            dst, result = self.migrate_to_new(vm, name=f"pp{hop}")
            self.assert_hinted(result, FREED_BYTES // 4)
            vm.kill()
            vm = dst
            self.assert_running(vm)
            self.assertEqual(self.hint_status(vm), "done")
        self.assert_alive(vm)

    def test_cancel_mid_hinting(self):
        """Cancelled while the guest hints: it runs on, whole, and gets its
        hinted memory back."""
        src = self.boot_freed("cancel-src", HINTS_MMIO)
        free_before = meminfo(src)["MemFree"]
        _, uri = self.destination(src, name="cancel-dst")
        migration.set_parameters(src, {"max-bandwidth": 8 * MiB})
        src.qmp.command("migrate", uri=uri)
        deadline = time.monotonic() + 60
        while True:
            info = src.qmp.command("query-migrate")
            if info.get("free-page-hint", {}).get("hinted-bytes", 0) > 0:
                break
            self.assertNotIn(info["status"], migration.FINAL_STATES, info)
            self.assertLess(time.monotonic(), deadline, info)
            time.sleep(0.02)
        src.qmp.command("migrate_cancel")
        info = migration.wait_migration(src, 60)
        self.assertEqual(info["status"], "cancelled", info)
        self.assert_failed_cleanly(src, migration.Migration(info, 0, 0), ("cancelled",))
        self.assertEqual(self.hint_status(src), "done")
        self.wait_mem_free(src, free_before - 32 * MiB)


if __name__ == "__main__":
    main()
