# SPDX-License-Identifier: GPL-2.0-or-later
"""Shared set-up for the migration tests: a TestCase that boots sources,
starts destinations, migrates and checks that a guest is whole and alive.

Every check uses QEMU's QMP names and behaviour, so the tests also run
against Debian's qemu-system-riscv64 (HINTVM_BINARY=...), except where
QEMU 7.2 is known to fall short (its migrated riscv timer)."""

import os
import tempfile
import time
import unittest

from hintvm_test import (MiB, QMPError, guest_files, hintvm_binary,  # noqa: F401
                         wait_balloon_actual)
from hintvm import migration
from hintvm.migration import digest_differences, ram_digest  # noqa: F401

MEM = "512M"
MEM_BYTES = 512 * MiB
HELD = "64M"
TICK_MS = 100
# A bandwidth low enough that a guest holding HELD of data is still being
# sent when a test acts "in the middle" (kill, cancel, deflate).
SLOW_BANDWIDTH = 16 * MiB


class MigrationTestCase(unittest.TestCase):
    binary = None

    @classmethod
    def setUpClass(cls):
        guest_files()
        cls.binary = hintvm_binary()
        # Debian's QEMU 7.2 does not re-arm the riscv timer on a migration's
        # destination (tests/guest/README.rst): there the tick checks are
        # left out, so the tests still check everything else against it.
        cls.timer_flaw = migration.is_qemu(cls.binary)

    def wait_tick(self, vm, start=0):
        """The guest prints a tick on its own (timer interrupts).  Generous
        here - the 1 s target is scripts/bench-migration's."""
        if not self.timer_flaw:
            migration.wait_tick(vm, start, timeout=10)

    def boot(self, name="src", mem=MEM, smp=1, extra=(), hold=HELD):
        """A source guest at its agent prompt, holding @hold of self-checking
        memory, its ticker running; killed at the end of the test."""
        vm = migration.start_source(self.binary, mem, smp, extra, name=name)
        self.addCleanup(vm.kill)
        if hold:
            vm.agent(f"hold {hold}")
        vm.agent(f"tick {TICK_MS}")
        return vm

    def destination(self, source, uri=None, paused=False, name="dst", incoming=None):
        """A destination for @source listening on @uri (a fresh tcp port by
        default); returns (machine, uri)."""
        uri = uri or migration.tcp_uri()
        vm = migration.start_destination(source, incoming or uri, self.binary, paused, name)
        self.addCleanup(vm.kill)
        return vm, uri

    def migrate(self, source, uri, params=None, timeout=120):
        return migration.migrate(source, uri, timeout=timeout, params=params)

    def assert_completed(self, source, result):
        self.assertEqual(result.status, "completed", result.info)
        self.assertNotIn("error-desc", result.info)
        for key in ("total-time", "downtime", "setup-time"):
            self.assertIn(key, result.info)
        for key in ("transferred", "remaining", "total", "duplicate", "normal",
                    "normal-bytes", "mbps", "dirty-sync-count"):
            self.assertIn(key, result.ram)
        self.assertEqual(result.ram["remaining"], 0)
        # QEMU counts its flash too; the guest's RAM is the least of it.
        self.assertGreaterEqual(result.ram["total"], migration.ram_size(source))
        self.assertGreater(result.ram["transferred"], 0)
        self.assertEqual(source.qmp.command("query-status")["status"], "postmigrate")

    def migrate_to_new(self, source, paused=False, params=None, name="dst"):
        """Migrate @source over tcp to a new destination; returns it and the
        result, the migration checked complete."""
        dst, uri = self.destination(source, paused=paused, name=name)
        result = self.migrate(source, uri, params)
        self.assert_completed(source, result)
        return dst, result

    def wait_incoming(self, vm, timeout=60):
        """The source completes before its destination has loaded the last
        of the stream: wait until @vm has left inmigrate; returns its
        run state."""
        deadline = time.monotonic() + timeout
        while True:
            status = vm.qmp.command("query-status")["status"]
            if status != "inmigrate" or time.monotonic() > deadline:
                return status
            time.sleep(0.05)

    def migrate_churning(self, source, uri, size="16M"):
        """Start migrating @source to @uri and, until the migration ends, keep
        its guest allocating and freeing @size (fire and forget: at
        switchover the answer appears on the destination's console).
        Returns the last query-migrate answer and how many rounds ran."""
        base = source.console_text().count("OK touch")
        source.qmp.command("migrate", uri=uri)
        churned = 0
        while True:
            info = source.qmp.command("query-migrate")
            if info["status"] in migration.FINAL_STATES:
                return info, churned
            if source.console_text().count("OK touch") == base + churned:
                source.send_console(f"touch {size}\n")
                churned += 1
            time.sleep(0.05)

    def assert_running(self, vm, timeout=30):
        deadline = time.monotonic() + timeout
        while True:
            status = vm.qmp.command("query-status")
            if status["status"] == "running" or time.monotonic() > deadline:
                break
            time.sleep(0.05)
        self.assertEqual(status["status"], "running")
        self.assertTrue(status["running"])

    def assert_alive(self, vm, held=HELD, tick_start=0):
        """@vm's guest runs: its timer ticks, its console answers and every
        held page is intact."""
        self.wait_tick(vm, tick_start)
        self.assertEqual(vm.agent("echo alive", timeout=60), "echo alive")
        if not self.timer_flaw:
            # A timed sleep started now returns too.
            self.assertEqual(vm.agent("sleep 0.2", timeout=10), "sleep 0.2")
        if held:
            self.assertTrue(vm.agent("verify").startswith(f"verify {held} "))

    def sync_agent(self, vm, timeout=60):
        """Wait until the agent has answered everything typed so far (e.g. a
        command sent to the source that completes on the destination)."""
        marker = f"sync-{time.monotonic_ns()}"
        vm.send_console(f"echo {marker}\n")
        vm.wait_console(f"OK echo {marker}", timeout)

    def assert_clock_continues(self, vm, before_uptime, before_host):
        """The guest's clock neither stood still nor jumped over the
        migration: it advanced by about the host's time."""
        now = float(vm.agent("uptime").split()[1])
        host = time.monotonic() - before_host
        self.assertGreater(now, before_uptime)
        self.assertLess(abs((now - before_uptime) - host), 5.0,
                        f"guest advanced {now - before_uptime:.3f} s, host {host:.3f} s")

    def assert_balloon_works(self, vm, mem_bytes=MEM_BYTES, target=128 * MiB):
        """Inflate by @target and deflate again through QMP."""
        vm.qmp.command("balloon", value=mem_bytes - target)
        wait_balloon_actual(vm, mem_bytes - target, timeout=60)
        vm.qmp.command("balloon", value=mem_bytes)
        wait_balloon_actual(vm, mem_bytes, timeout=60)

    def assert_failed_cleanly(self, source, result, statuses=("failed",), held=HELD):
        """After a failed or cancelled migration: the source says why, its
        guest still runs with every page intact."""
        self.assertIn(result.status, statuses, result.info)
        if result.status == "failed":
            self.assertTrue(result.get("error-desc"), result.info)
        self.assert_running(source)
        with source.console_lock:
            start = len(source.console)
        self.assert_alive(source, held, start)

    def temp_path(self, name):
        d = tempfile.mkdtemp(prefix="hintvm-mig-")
        self.addCleanup(lambda: (os.path.exists(os.path.join(d, name)) and
                                 os.unlink(os.path.join(d, name)), os.rmdir(d)))
        return os.path.join(d, name)

    def wait_exit(self, vm, timeout=60):
        """Wait for @vm's process to end; returns its exit code."""
        rc = vm.proc.wait(timeout)
        vm.kill()
        return rc
