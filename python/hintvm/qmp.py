# SPDX-License-Identifier: GPL-2.0-or-later
"""A small synchronous QMP client (standard library only).

Works with hintvm and with QEMU: connect to a unix or tcp socket, read the
greeting, negotiate capabilities, run commands and collect events.
"""

import json
import socket
import time


class QMPError(Exception):
    """A command answered with {"error": ...}."""

    def __init__(self, reply):
        self.reply = reply
        err = reply.get("error", {})
        self.error_class = err.get("class")
        self.desc = err.get("desc")
        super().__init__(f"{self.error_class}: {self.desc}")


class QMPClient:
    def __init__(self, address, timeout=30.0):
        """address: a unix socket path (str) or a (host, port) tuple."""
        self.address = address
        self.timeout = timeout
        self.sock = None
        self.buf = b""
        self.events = []
        self.greeting = None

    def connect(self, negotiate=True, retry_for=10.0):
        deadline = time.monotonic() + retry_for
        while True:
            try:
                if isinstance(self.address, tuple):
                    self.sock = socket.create_connection(self.address, timeout=self.timeout)
                else:
                    self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                    self.sock.settimeout(self.timeout)
                    self.sock.connect(self.address)
                break
            except OSError:
                if self.sock:
                    self.sock.close()
                    self.sock = None
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.02)
        self.greeting = self._read_message()
        if negotiate:
            self.command("qmp_capabilities")
        return self.greeting

    def close(self):
        if self.sock:
            self.sock.close()
            self.sock = None

    def _read_message(self):
        while b"\n" not in self.buf:
            data = self.sock.recv(65536)
            if not data:
                raise ConnectionError("QMP connection closed")
            self.buf += data
        line, self.buf = self.buf.split(b"\n", 1)
        return json.loads(line)

    def send_raw(self, text):
        self.sock.sendall(text.encode() if isinstance(text, str) else text)

    def read_reply(self):
        """Next non-event message; events are queued."""
        while True:
            msg = self._read_message()
            if "event" in msg:
                self.events.append(msg)
                continue
            return msg

    def cmd_raw(self, name, **args):
        msg = {"execute": name}
        if args:
            msg["arguments"] = {k.replace("_", "-") if "_" in k and name != "qmp_capabilities"
                                else k: v for k, v in args.items()}
        self.send_raw(json.dumps(msg))
        return self.read_reply()

    def command(self, name, args=None, **kwargs):
        """Run a command; returns its "return" value or raises QMPError.
        Pass arguments with dashes in a dict: command("migrate", {"uri": ...})."""
        msg = {"execute": name}
        merged = dict(args or {})
        merged.update(kwargs)
        if merged:
            msg["arguments"] = merged
        self.send_raw(json.dumps(msg))
        reply = self.read_reply()
        if "error" in reply:
            raise QMPError(reply)
        return reply["return"]

    def event_wait(self, name, timeout=60.0):
        deadline = time.monotonic() + timeout
        while True:
            for i, ev in enumerate(self.events):
                if ev["event"] == name:
                    return self.events.pop(i)
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"no {name} event within {timeout} s")
            self.sock.settimeout(remaining)
            try:
                self.events.append(self._read_message())
            finally:
                self.sock.settimeout(self.timeout)
