#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Save a running guest to a file with migrate file:PATH and restore it with
-incoming file:PATH; a full disk (/dev/full) fails the save cleanly."""

import os

from hintvm_test import main
from hintvm import migration
from migration_test import MigrationTestCase


class FileMigrationTest(MigrationTestCase):
    def test_save_restore(self):
        src = self.boot("save-src", smp=2)
        src.agent("dirty 8 0")
        path = self.temp_path("guest.mig")
        out_uri, in_uri = migration.file_uris(self.binary, path)
        result = self.migrate(src, out_uri)
        self.assert_completed(src, result)
        self.assertGreater(os.path.getsize(path), 0)
        src.kill()
        dst = migration.start_destination(src, in_uri, self.binary, name="restore")
        self.addCleanup(dst.kill)
        self.assert_running(dst, timeout=60)
        self.wait_tick(dst)
        self.assertTrue(dst.agent("dirty stop").startswith("dirty stop pages="))
        self.assert_alive(dst)
        # A second restore of the same file gives the same guest again.
        dst.kill()
        again = migration.start_destination(src, in_uri, self.binary, name="restore2")
        self.addCleanup(again.kill)
        self.assert_running(again, timeout=60)
        self.assert_alive(again)

    def test_full_disk(self):
        """Writing to /dev/full fails with ENOSPC: the save fails, the guest
        runs on, and a save to a real file afterwards succeeds."""
        src = self.boot("full-src")
        out_uri, _ = migration.file_uris(self.binary, "/dev/full")
        result = self.migrate(src, out_uri)
        self.assert_failed_cleanly(src, result)
        if out_uri.startswith("file:"):
            self.assertIn("No space left on device", result["error-desc"])
        path = self.temp_path("guest.mig")
        out_uri, _ = migration.file_uris(self.binary, path)
        self.assert_completed(src, self.migrate(src, out_uri))


if __name__ == "__main__":
    main()
