#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""A migration that fails is survivable: the destination killed mid-way,
nobody listening, migrate_cancel.  Each time the source reports failed or
cancelled (with error-desc when failed), its guest keeps running with every
page intact, and a second migration afterwards succeeds."""

import signal

from hintvm_test import MiB, QMPError, main
from hintvm import migration
from migration_test import SLOW_BANDWIDTH, MigrationTestCase

FULL_SPEED = {"max-bandwidth": 100 << 30}


class FailureTest(MigrationTestCase):
    def start_slow(self, src, name):
        """Start a migration slow enough to act in the middle of it."""
        dst, uri = self.destination(src, name=name)
        migration.set_parameters(src, {"max-bandwidth": SLOW_BANDWIDTH})
        src.qmp.command("migrate", uri=uri)
        info = migration.wait_transferred(src, 4 * MiB)
        self.assertEqual(info["status"], "active", info)
        return dst

    def second_migration_succeeds(self, src):
        dst, _ = self.migrate_to_new(src, params=FULL_SPEED, name="retry-dst")
        self.assert_running(dst)
        self.assert_alive(dst)

    def test_destination_killed(self):
        src = self.boot("killed-src")
        src.agent("dirty 4 0")
        dst = self.start_slow(src, "killed-dst")
        dst.proc.send_signal(signal.SIGKILL)
        dst.kill()
        info = migration.wait_migration(src, 60)
        self.assert_failed_cleanly(src, migration.Migration(info, 0, 0))
        self.second_migration_succeeds(src)

    def test_connection_refused(self):
        src = self.boot("refused-src")
        # Nobody listens there.  QEMU accepts the command and fails the
        # migration; an immediate QMP error is acceptable too.
        try:
            result = self.migrate(src, migration.tcp_uri(), timeout=60)
        except QMPError as e:
            self.assertTrue(e.desc)
        else:
            self.assert_failed_cleanly(src, result)
            self.assertIn("refused", result["error-desc"].lower())
        self.second_migration_succeeds(src)

    def test_cancel(self):
        src = self.boot("cancel-src")
        src.agent("dirty 4 0")
        dst = self.start_slow(src, "cancel-dst")
        src.qmp.command("migrate_cancel")
        info = migration.wait_migration(src, 60)
        self.assert_failed_cleanly(src, migration.Migration(info, 0, 0), ("cancelled",))
        # The destination saw its stream end early: it gives up, never runs.
        self.assertNotEqual(self.wait_exit(dst), 0)
        self.assertNotIn("tick", dst.console_text())
        self.second_migration_succeeds(src)

    def test_cancel_idle(self):
        """migrate_cancel with no migration running is a no-op."""
        src = self.boot("cancel2-src", hold=None)
        src.qmp.command("migrate_cancel")
        self.assertEqual(src.qmp.command("query-status")["status"], "running")
        self.assertEqual(src.agent("echo alive"), "echo alive")


if __name__ == "__main__":
    main()
