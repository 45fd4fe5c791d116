# SPDX-License-Identifier: GPL-2.0-or-later
"""Launch hintvm (or QEMU) with a console on pipes and a QMP socket.

The console is the first serial port on stdio; a reader thread collects it
so tests can wait for lines and send commands to the guest agent.
"""

import bisect
import os
import shutil
import subprocess
import tempfile
import threading
import time

from .qmp import QMPClient


class Machine:
    def __init__(self, binary, args, name="vm", qmp=True, log_dir=None):
        self.binary = binary
        self.args = list(args)
        self.name = name
        self.use_qmp = qmp
        self.tmpdir = tempfile.mkdtemp(prefix=f"hintvm-{name}-")
        self.qmp_path = os.path.join(self.tmpdir, "qmp.sock")
        self.proc = None
        self.qmp = None
        self.console = b""
        # (offset just past a chunk, time.time() it arrived), to tell when
        # a line appeared, e.g. a guest's first tick after a migration.
        self.console_ends = []
        self.console_times = []
        self.console_lock = threading.Condition()
        self.log_dir = log_dir
        self.reader = None
        self.stderr = b""

    def launch(self):
        cmd = [self.binary] + self.args
        if self.use_qmp:
            cmd += ["-qmp", f"unix:{self.qmp_path},server=on,wait=off"]
        self.cmdline = cmd
        self.launch_time = time.monotonic()
        self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE)
        self.reader = threading.Thread(target=self._read_console, daemon=True)
        self.reader.start()
        self.stderr_reader = threading.Thread(target=self._read_stderr, daemon=True)
        self.stderr_reader.start()
        if self.use_qmp:
            self.qmp = QMPClient(self.qmp_path)
            self.qmp.connect(retry_for=20.0)
        return self

    def _read_console(self):
        while True:
            data = self.proc.stdout.read1(65536)
            if not data:
                break
            with self.console_lock:
                self.console += data
                self.console_ends.append(len(self.console))
                self.console_times.append(time.time())
                self.console_lock.notify_all()
        with self.console_lock:
            self.console_lock.notify_all()

    def _read_stderr(self):
        for line in self.proc.stderr:
            self.stderr += line

    def console_text(self):
        with self.console_lock:
            return self.console.decode(errors="replace")

    def console_time(self, offset):
        """Host wall-clock time (time.time()) at which console byte @offset
        arrived."""
        with self.console_lock:
            i = bisect.bisect_right(self.console_ends, offset)
            return self.console_times[min(i, len(self.console_times) - 1)]

    def wait_console(self, pattern, timeout=60.0, start=0):
        """Wait until @pattern (bytes or str) appears in the console at or after
        offset @start; returns the offset just past it."""
        if isinstance(pattern, str):
            pattern = pattern.encode()
        deadline = time.monotonic() + timeout
        with self.console_lock:
            while True:
                pos = self.console.find(pattern, start)
                if pos >= 0:
                    return pos + len(pattern)
                if self.proc.poll() is not None and not self.reader.is_alive():
                    raise RuntimeError(f"{self.name} exited ({self.proc.returncode}) "
                                       f"before '{pattern.decode()}'\n"
                                       f"console tail: {self.console[-2000:]!r}\n"
                                       f"stderr: {self.stderr.decode(errors='replace')}")
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(f"{self.name}: no '{pattern.decode()}' within "
                                       f"{timeout} s; console tail: "
                                       f"{self.console[-2000:]!r}")
                self.console_lock.wait(min(remaining, 0.5))

    def send_console(self, text):
        self.proc.stdin.write(text.encode())
        self.proc.stdin.flush()

    def agent(self, command, timeout=120.0):
        """Run one guest-agent command; returns the text after 'OK ' or raises.
        The agent answers every command with exactly one OK/ERR line."""
        with self.console_lock:
            start = len(self.console)
        self.send_console(command + "\n")
        deadline = time.monotonic() + timeout
        pos = start
        while True:
            end = self.wait_console("\n", max(0.1, deadline - time.monotonic()), pos)
            line = self.console[pos:end].decode(errors="replace").strip()
            pos = end
            if line.startswith("OK "):
                return line[3:]
            if line.startswith("ERR "):
                raise RuntimeError(f"{self.name}: agent '{command}': {line}")

    def shutdown(self, timeout=30.0):
        if self.proc and self.proc.poll() is None:
            try:
                if self.qmp:
                    self.qmp.command("quit")
            except Exception:
                pass
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.cleanup()
        return self.proc.returncode if self.proc else None

    def kill(self):
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self.cleanup()

    def cleanup(self):
        if self.qmp:
            self.qmp.close()
            self.qmp = None
        self._close_pipes()
        shutil.rmtree(self.tmpdir, ignore_errors=True)

    def _close_pipes(self):
        """Once the process is gone its pipes reach EOF: let the readers finish
        with them, then close them (no ResourceWarning, no leaked fds)."""
        if not self.proc or self.proc.poll() is None:
            return
        for thread in (self.reader, getattr(self, "stderr_reader", None)):
            if thread:
                thread.join(5)
        for pipe in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
            if pipe and not pipe.closed:
                try:
                    pipe.close()
                except OSError:
                    pass

    def __enter__(self):
        return self.launch()

    def __exit__(self, *exc):
        self.kill()
