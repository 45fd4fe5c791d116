#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Live migration of a running Linux guest over TCP: idle and busy, over
virtio-mmio and virtio-pci, at -smp 1 and 2, ping-pong, and with an
inflated balloon.  Each time the destination's guest must run at once: its
timer ticks, its console answers, every held page verifies, its clock goes
on and its balloon works."""

import time

from hintvm_test import MiB, main, wait_balloon_actual
from hintvm import migration
from migration_test import HELD, MEM_BYTES, SLOW_BANDWIDTH, MigrationTestCase


class LiveMigrationTest(MigrationTestCase):
    def test_idle_mmio_smp1(self):
        """An idle guest, virtio-balloon-device, one hart; MIGRATION events."""
        src = self.boot("idle-src", extra=("-device", "virtio-balloon-device,id=balloon0"))
        migration.set_capabilities(src, {"events": True})
        uptime = float(src.agent("uptime").split()[1])
        host = time.monotonic()
        dst, result = self.migrate_to_new(src, name="idle-dst")
        self.assert_running(dst)
        self.assert_alive(dst)
        self.assert_clock_continues(dst, uptime, host)
        self.assertIn("virtio:5", dst.agent("devices"))
        self.assert_balloon_works(dst)
        statuses = []
        while "completed" not in statuses:
            statuses.append(src.qmp.event_wait("MIGRATION", 10)["data"]["status"])
        self.assertEqual(statuses[0], "setup")
        self.assertIn("active", statuses)

    def test_busy_pci_smp2(self):
        """Two harts rewrite held pages and allocate and free memory while
        the guest migrates, over virtio-balloon-pci."""
        src = self.boot("busy-src", smp=2, hold="128M",
                        extra=("-device", "virtio-balloon-pci,id=balloon0"))
        src.agent("dirty 16 0")
        dst, uri = self.destination(src, name="busy-dst")
        # A slower link so that the guest runs, dirties and churns for a while.
        migration.set_parameters(src, {"max-bandwidth": 64 * MiB})
        src.qmp.command("migrate", uri=uri)
        churned = 0
        while True:
            info = src.qmp.command("query-migrate")
            if info["status"] in migration.FINAL_STATES:
                break
            # Allocate and free memory (fire and forget: at switchover the
            # answer appears on the destination's console).
            if src.console_text().count("OK touch") == churned:
                src.send_console("touch 16M\n")
                churned += 1
            time.sleep(0.05)
        self.assertEqual(info["status"], "completed", info)
        self.assertEqual(src.qmp.command("query-status")["status"], "postmigrate")
        self.assertGreater(churned, 0)
        self.assert_running(dst)
        self.wait_tick(dst)
        self.sync_agent(dst)
        self.assertTrue(dst.agent("dirty stop").startswith("dirty stop pages="))
        self.assertEqual(dst.agent("cpus"), "cpus 2")
        self.assert_alive(dst, "128M")
        dst.agent("touch 64M")
        self.assert_balloon_works(dst)

    def test_defer_smp2(self):
        """-incoming defer, then migrate-incoming on the destination."""
        src = self.boot("defer-src", smp=2)
        uri = migration.tcp_uri()
        dst, _ = self.destination(src, incoming="defer", name="defer-dst")
        self.assertEqual(dst.qmp.command("query-status")["status"], "inmigrate")
        dst.qmp.command("migrate-incoming", uri=uri)
        result = self.migrate(src, uri)
        self.assert_completed(src, result)
        self.assert_running(dst)
        self.assert_alive(dst)

    def test_ping_pong(self):
        """Back and forth three times (six migrations), dirtying in between;
        the last guest still holds every page."""
        vm = self.boot("pp0")
        for hop in range(1, 7):
            vm.agent("dirty 8 0")
            dst, result = self.migrate_to_new(vm, name=f"pp{hop}")
            vm.kill()
            vm = dst
            self.assert_running(vm)
            self.wait_tick(vm)
            self.assertTrue(vm.agent("dirty stop").startswith("dirty stop pages="))
        self.assert_alive(vm)

    def test_inflated_balloon(self):
        """Pages the balloon holds are not sent, and the balloon arrives."""
        src = self.boot("balloon-src", mem="1G",
                        extra=("-device", "virtio-balloon-pci,id=balloon0"))
        mem = 1024 * MiB
        ballooned = 512 * MiB
        # Dirty (nearly) every free page, so the balloon can only take
        # pages that a migration would otherwise send as normal pages.
        avail = int(src.agent("meminfo").split("MemAvailable=")[1].split()[0]) * 1024
        touched = (avail - 48 * MiB) // MiB * MiB
        src.agent(f"touch {touched // MiB}M")
        src.qmp.command("balloon", value=mem - ballooned)
        wait_balloon_actual(src, mem - ballooned, timeout=60)
        dst, result = self.migrate_to_new(src, name="balloon-dst")
        # Without skipping ballooned pages at least `touched` would be sent.
        self.assertLess(result.ram["normal-bytes"], touched - ballooned // 2, result.info)
        self.assert_running(dst)
        self.assertEqual(dst.qmp.command("query-balloon")["actual"], mem - ballooned)
        self.assert_alive(dst)
        total_inflated = int(dst.agent("meminfo").split("MemTotal=")[1].split()[0])
        dst.qmp.command("balloon", value=mem)
        wait_balloon_actual(dst, mem, timeout=60)
        total = int(dst.agent("meminfo").split("MemTotal=")[1].split()[0])
        self.assertGreater(total - total_inflated, ballooned // 1024 // 2)
        # The pages come back usable.
        dst.agent(f"touch {touched // MiB}M")
        self.assert_alive(dst, tick_start=len(dst.console))

    def test_deflate_during_migration(self):
        """The guest deflates its balloon in the middle of a migration and
        writes the returned pages: they arrive (the deflate dirties them)."""
        mem = MEM_BYTES
        src = self.boot("deflate-src", hold=None,
                        extra=("-device", "virtio-balloon-device,id=balloon0"))
        src.qmp.command("balloon", value=mem - 256 * MiB)
        wait_balloon_actual(src, mem - 256 * MiB, timeout=60)
        src.agent(f"hold {HELD}")
        dst, uri = self.destination(src, name="deflate-dst")
        # Slow enough that deflating and refilling happen mid-way.
        migration.set_parameters(src, {"max-bandwidth": SLOW_BANDWIDTH // 4})
        src.qmp.command("migrate", uri=uri)
        migration.wait_transferred(src, 4 * MiB)
        src.qmp.command("balloon", value=mem)
        wait_balloon_actual(src, mem, timeout=60)
        # Fill the pages the balloon just gave back with checked data.
        src.agent("hold 200M")
        self.assertEqual(src.qmp.command("query-migrate")["status"], "active")
        migration.set_parameters(src, {"max-bandwidth": 100 << 30})
        info = migration.wait_migration(src, 120)
        self.assertEqual(info["status"], "completed", info)
        self.assert_running(dst)
        self.assertEqual(dst.qmp.command("query-balloon")["actual"], mem)
        self.assert_alive(dst, "264M")


if __name__ == "__main__":
    main()
