#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""A bad stream fed to -incoming: corrupted, truncated, or not a migration
stream at all.  The destination must exit non-zero with a message saying
what was wrong, and never run a guest from it."""

import os
import re
import shutil
import subprocess
import tempfile
import unittest

from hintvm_test import main
from hintvm import migration
from migration_test import MigrationTestCase


class BadStreamTest(MigrationTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dir = tempfile.mkdtemp(prefix="hintvm-stream-")
        cls.good = os.path.join(cls.dir, "good.mig")
        src = migration.start_source(cls.binary, "256M", name="stream-src")
        try:
            src.agent("hold 16M")
            src.agent("tick 100")
            out_uri, _ = migration.file_uris(src.binary, cls.good)
            result = migration.migrate(src, out_uri, timeout=120)
            if result.status != "completed":
                raise unittest.SkipTest(f"cannot save a stream: {result.info}")
            cls.source = src
        finally:
            src.kill()
        with open(cls.good, "rb") as f:
            cls.stream = f.read()

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.dir, ignore_errors=True)

    def load(self, name, data):
        """Feed @data to a new destination; returns its stderr once it has
        exited, after checking that it failed without running the guest."""
        path = os.path.join(self.dir, name)
        with open(path, "wb") as f:
            f.write(data)
        _, in_uri = migration.file_uris(self.binary, path)
        dst = migration.start_destination(self.source, in_uri, self.binary, name=name,
                                          qmp=False)
        self.addCleanup(dst.kill)
        try:
            rc = self.wait_exit(dst, timeout=30)
        except subprocess.TimeoutExpired:
            self.fail(f"{name}: the destination accepted the stream and runs; console: "
                      f"{dst.console_text()[-500:]!r}")
        stderr = dst.stderr.decode(errors="replace")
        self.assertNotEqual(rc, 0, f"{name}: destination accepted it\n{stderr}")
        self.assertTrue(stderr.strip(), f"{name}: exited {rc} without a message")
        # Not a single line of guest output: the guest never ran.
        self.assertEqual(dst.console_text(), "", f"{name}: the guest ran")
        return stderr

    def test_good_stream_loads(self):
        """The unchanged stream restores (so the failures below are the
        damage's doing)."""
        _, in_uri = migration.file_uris(self.binary, self.good)
        dst = migration.start_destination(self.source, in_uri, self.binary, name="good")
        self.addCleanup(dst.kill)
        self.assert_running(dst, timeout=60)
        self.assert_alive(dst, "16M")

    def test_foreign(self):
        err = self.load("foreign", b"this is not a migration stream\n" * 512)
        self.assertRegex(err, re.compile(r"magic|not a migration stream", re.I))

    def test_empty(self):
        self.load("empty", b"")

    def test_truncated_header(self):
        self.load("trunc-header", self.stream[:6])

    def test_truncated_in_ram(self):
        err = self.load("trunc-ram", self.stream[:len(self.stream) // 2])
        self.assertRegex(err, re.compile(r"truncat|end of (the )?(file|stream)|"
                                         r"unexpected end|short read", re.I))

    def test_truncated_before_end(self):
        """Only the last bytes (the end marker) missing."""
        err = self.load("trunc-end", self.stream[:-4])
        self.assertRegex(err, re.compile(r"truncat|end of (the )?(file|stream)|"
                                         r"unexpected end|short read|end marker", re.I))

    def test_corrupted_device_state(self):
        """A flipped byte among the device sections at the end."""
        data = bytearray(self.stream)
        data[len(data) - 256] ^= 0x40
        err = self.load("corrupt-devices", bytes(data))
        self.assertRegex(err, re.compile(r"crc|checksum|corrupt|mismatch|invalid|"
                                         r"unknown|bad", re.I))

    def test_corrupted_everywhere(self):
        """Bytes flipped across the whole stream."""
        data = bytearray(self.stream)
        for i in range(1, 64):
            data[len(data) * i // 64] ^= 0xff
        self.load("corrupt-many", bytes(data))


if __name__ == "__main__":
    main()
