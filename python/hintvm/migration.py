# SPDX-License-Identifier: GPL-2.0-or-later
"""Live migration of the test guest between two hintvm (or QEMU) processes,
for tests, benchmarks and the demo.

Everything here speaks QEMU's QMP (migrate, query-migrate,
migrate-set-parameters, migrate_cancel, -incoming), so the same code drives
hintvm and Debian's qemu-system-riscv64 on the same guest.
"""

import hashlib
import os
import re
import socket
import subprocess
import sys
import tempfile
import time

from .guest import MiB, guest_command_line
from .machine import Machine
from .qmp import QMPError

FINAL_STATES = ("completed", "failed", "cancelled")

# Free page hints, as QEMU takes them: the balloon needs an IOThread, and no
# migration capability is involved (the device asks the guest when a
# migration starts).
FREE_PAGE_HINT_ARGS = ("-object", "iothread,id=io0",
                       "-device", "virtio-balloon-pci,id=balloon0,free-page-hint=on,"
                       "iothread=io0")

# The settings of DESIGN's reference measurement: loopback at "unlimited"
# bandwidth, and QEMU's usual 300 ms downtime limit.
BENCH_PARAMETERS = {"max-bandwidth": 100 << 30, "downtime-limit": 300}

TICK_RE = re.compile(rb"tick \d+ monotonic=")


def is_qemu(binary):
    return "qemu" in os.path.basename(binary)


def qemu_version(binary):
    """(major, minor) of a QEMU binary, or None for hintvm."""
    if not is_qemu(binary):
        return None
    out = subprocess.run([binary, "--version"], capture_output=True, text=True).stdout
    m = re.search(r"version (\d+)\.(\d+)", out)
    return (int(m.group(1)), int(m.group(2))) if m else None


def parse_size(text):
    """'512M', '4G' -> bytes (powers of 1024; no suffix means MiB, as -m)."""
    units = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40}
    text = text.strip().upper()
    if text and text[-1] in units:
        return int(float(text[:-1]) * units[text[-1]])
    return int(text) * MiB


def ram_size(vm):
    """Guest RAM of @vm in bytes, from its -m option."""
    return parse_size(vm.args[vm.args.index("-m") + 1])


def free_port():
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def tcp_uri(port=None):
    return f"tcp:127.0.0.1:{port or free_port()}"


def file_uris(binary, path):
    """(outgoing, incoming) URIs that save the stream to @path and read it
    back.  QEMU before 8.2 has no file: transport; exec: with cat stands in."""
    version = qemu_version(binary)
    if version and version < (8, 2):
        return f"exec:cat > {path}", f"exec:cat {path}"
    return f"file:{path}", f"file:{path}"


def start_source(binary, mem="1G", smp=1, extra=(), name="src", timeout=120,
                 extra_append="", log=None):
    """Boot the guest and wait for its agent prompt."""
    args = guest_command_line(mem, smp, extra_append=extra_append, extra=extra)
    vm = Machine(binary, args, name=name)
    if log:
        log(f"$ {binary} {' '.join(args)}")
    _launch(vm)
    try:
        vm.wait_console("hintvm-agent ready", timeout)
        vm.wait_console("agent> ", timeout)
    except BaseException:
        vm.kill()
        raise
    return vm


def start_destination(source, incoming, binary=None, paused=False, name="dst", qmp=True):
    """A process with @source's command line waiting for a stream on
    @incoming (a URI or "defer"); @paused adds -S, so it stays paused after
    the migration (both sides can then be compared page by page).  Without
    @qmp it has no monitor (for streams it is expected to reject at once)."""
    args = list(source.args) + ["-incoming", incoming] + (["-S"] if paused else [])
    vm = Machine(binary or source.binary, args, name=name, qmp=qmp)
    _launch(vm)
    return vm


def _launch(vm):
    """Start @vm; if it dies before its monitor answers, say why."""
    try:
        vm.launch()
    except OSError as e:
        if vm.proc:
            try:
                vm.proc.wait(2)
            except subprocess.TimeoutExpired:
                pass
        vm.kill()
        err = vm.stderr.decode(errors="replace").strip()
        raise RuntimeError(f"{vm.name}: {vm.binary} did not start: {err or e}") from e


def set_parameters(vm, params):
    """migrate-set-parameters with QEMU's names, e.g. {"max-bandwidth": N}."""
    if params:
        vm.qmp.command("migrate-set-parameters", params)


def set_capabilities(vm, caps):
    """migrate-set-capabilities from a {name: bool} dict."""
    if caps:
        vm.qmp.command("migrate-set-capabilities",
                       {"capabilities": [{"capability": k, "state": v}
                                         for k, v in caps.items()]})


def wait_migration(vm, timeout=300, poll=0.02, until=FINAL_STATES, progress=None):
    """Poll query-migrate until its status is in @until (or a final one);
    returns the last answer.  @progress(info) sees every answer.  @vm is a
    Machine or a QMPClient; @timeout None waits for ever."""
    qmp = getattr(vm, "qmp", vm)
    deadline = None if timeout is None else time.monotonic() + timeout
    while True:
        info = qmp.command("query-migrate")
        if progress:
            progress(info)
        status = info.get("status")
        if status in until or status in FINAL_STATES:
            return info
        if deadline is not None and time.monotonic() > deadline:
            raise TimeoutError(f"migration still '{status}' after {timeout} s")
        time.sleep(poll)


def wait_transferred(vm, nbytes, timeout=120, poll=0.02):
    """Wait until an active migration has sent at least @nbytes (to act in the
    middle of one); returns query-migrate's answer."""
    def enough(info):
        return info.get("ram", {}).get("transferred", 0) >= nbytes

    deadline = time.monotonic() + timeout
    while True:
        info = vm.qmp.command("query-migrate")
        if enough(info) or info.get("status") in FINAL_STATES:
            return info
        if time.monotonic() > deadline:
            raise TimeoutError(f"{vm.name}: {nbytes} bytes not sent within {timeout} s: "
                               f"{info}")
        time.sleep(poll)


class Migration:
    """The figures of one migration: the final query-migrate answer and
    host-side times (time.time())."""

    def __init__(self, info, started, ended, timed_out=False):
        self.info = info
        self.started = started
        self.ended = ended
        self.timed_out = timed_out

    @property
    def status(self):
        return "timeout" if self.timed_out else self.info.get("status")

    @property
    def ram(self):
        return self.info.get("ram", {})

    def __getitem__(self, key):
        return self.info[key]

    def get(self, key, default=None):
        return self.info.get(key, default)


def migrate(source, uri, timeout=300, poll=0.02, progress=None, params=None):
    """Migrate @source to @uri and wait for the end.  On @timeout the
    migration is cancelled and the result says status "timeout"."""
    set_parameters(source, params)
    started = time.time()
    source.qmp.command("migrate", uri=uri)
    try:
        info = wait_migration(source, timeout, poll, progress=progress)
        return Migration(info, started, time.time())
    except TimeoutError:
        try:
            source.qmp.command("migrate_cancel")
            info = wait_migration(source, 30, poll)
        except (QMPError, TimeoutError, OSError):
            info = {"status": "timeout"}
        return Migration(info, started, time.time(), timed_out=True)


def resumed_at(vm, timeout=30):
    """Host time at which @vm (a destination) started running: its RESUME
    event's timestamp."""
    ev = vm.qmp.event_wait("RESUME", timeout)
    ts = ev.get("timestamp", {})
    return ts.get("seconds", 0) + ts.get("microseconds", 0) / 1e6


def wait_tick(vm, start=0, timeout=10.0):
    """Host time at which the first agent tick line at or after console
    offset @start arrived (see the agent's 'tick' command)."""
    deadline = time.monotonic() + timeout
    with vm.console_lock:
        while True:
            m = TICK_RE.search(vm.console, start)
            if m:
                return vm.console_time(m.end() - 1)
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"{vm.name}: no tick within {timeout} s")
            vm.console_lock.wait(min(remaining, 0.2))


# ---- the page-by-page proof -------------------------------------------------

DRAM_BASE = 0x80000000
RANGE_SIZE = 2 * MiB


def ram_digest(vm, mem_bytes=None):
    """x-query-ram-digest (a digest per RAM block and per 2 MiB range).
    The reference emulator lacks it: there the guest RAM is dumped with
    pmemsave and hashed the same way (needs @mem_bytes)."""
    try:
        return vm.qmp.command("x-query-ram-digest")
    except QMPError as e:
        if e.error_class != "CommandNotFound" or not mem_bytes:
            raise
    with tempfile.NamedTemporaryFile(prefix="hintvm-ram-") as dump:
        vm.qmp.command("pmemsave", val=DRAM_BASE, size=mem_bytes, filename=dump.name)
        ranges = []
        whole = hashlib.sha256()
        while True:
            chunk = dump.read(RANGE_SIZE)
            if not chunk:
                break
            whole.update(chunk)
            ranges.append(hashlib.sha256(chunk).hexdigest())
    return {"blocks": [{"id": "ram", "size": mem_bytes, "digest": whole.hexdigest(),
                        "range-size": RANGE_SIZE, "ranges": ranges}]}


def digest_differences(a, b):
    """Where two x-query-ram-digest answers differ: a list of
    (block id, offset or None for a block-level mismatch, why)."""
    diffs = []
    blocks_b = {blk["id"]: blk for blk in b["blocks"]}
    ids_a = [blk["id"] for blk in a["blocks"]]
    for blk in b["blocks"]:
        if blk["id"] not in ids_a:
            diffs.append((blk["id"], None, "only on the second side"))
    for blk in a["blocks"]:
        other = blocks_b.get(blk["id"])
        if other is None:
            diffs.append((blk["id"], None, "only on the first side"))
            continue
        if blk["size"] != other["size"] or len(blk["ranges"]) != len(other["ranges"]):
            diffs.append((blk["id"], None, f"size {blk['size']} != {other['size']}"))
            continue
        step = blk.get("range-size", RANGE_SIZE)
        for i, (x, y) in enumerate(zip(blk["ranges"], other["ranges"])):
            if x != y:
                diffs.append((blk["id"], i * step, "contents differ"))
        if not diffs and blk["digest"] != other["digest"]:
            diffs.append((blk["id"], None, "block digest differs"))
    return diffs


# ---- progress and figures ---------------------------------------------------

def _mib(n):
    return n / MiB


def progress_line(info, width=30):
    """One line for a live progress display: percent of RAM sent, MiB/s,
    pass, dirty rate, and the throttle and hinted share when there are."""
    ram = info.get("ram", {})
    status = info.get("status", "?")
    total = ram.get("total") or 0
    remaining = ram.get("remaining", total)
    done = 1.0 if status == "completed" else (
        (total - remaining) / total if total and status != "setup" else 0.0)
    done = min(max(done, 0.0), 1.0)
    bar = "#" * int(done * width) + "-" * (width - int(done * width))
    page_size = ram.get("page-size", 4096)
    dirty = ram.get("dirty-pages-rate", 0) * page_size
    line = (f"[{bar}] {done * 100:5.1f}%  {_mib(ram.get('mbps', 0) * 1e6 / 8):8.1f} MiB/s  "
            f"pass {ram.get('dirty-sync-count', 0):3d}  dirty {_mib(dirty):7.1f} MiB/s  "
            f"sent {_mib(ram.get('transferred', 0)):8.1f} MiB  {status:<10}")
    if "cpu-throttle-percentage" in info:
        line += f" throttle {info['cpu-throttle-percentage']}%"
    hint = info.get("free-page-hint")
    if hint and total:
        line += f" hinted {100 * hint.get('hinted-bytes', 0) / total:4.1f}%"
    return line


class ProgressBar:
    """Rewrites one terminal line per query-migrate answer (or prints a line
    every @every seconds when the output is not a terminal)."""

    def __init__(self, out=None, every=1.0):
        self.out = out or sys.stdout
        self.tty = self.out.isatty()
        self.every = every
        self.last = 0.0

    def __call__(self, info):
        now = time.monotonic()
        final = info.get("status") in FINAL_STATES
        if self.tty:
            # \x1b[K clears what a longer previous line left.
            self.out.write("\r" + progress_line(info) + "\x1b[K" + ("\n" if final else ""))
        elif final or now - self.last >= self.every:
            self.out.write(progress_line(info) + "\n")
            self.last = now
        self.out.flush()


def figures(info):
    """The headline figures of a finished migration, as (label, text) pairs."""
    ram = info.get("ram", {})
    rows = [("status", info.get("status", "?"))]
    if info.get("error-desc"):
        rows.append(("error", info["error-desc"]))
    for key, label in (("total-time", "total time"), ("downtime", "downtime"),
                       ("setup-time", "setup time")):
        if key in info:
            rows.append((label, f"{info[key]} ms"))
    if ram:
        rows += [("sent", f"{_mib(ram.get('transferred', 0)):.1f} MiB"),
                 ("RAM", f"{_mib(ram.get('total', 0)):.0f} MiB"),
                 ("normal pages", f"{ram.get('normal', 0)} "
                                  f"({_mib(ram.get('normal-bytes', 0)):.1f} MiB)"),
                 ("zero pages", str(ram.get("duplicate", 0))),
                 ("passes", str(ram.get("dirty-sync-count", 0))),
                 ("bandwidth", f"{ram.get('mbps', 0):.0f} Mbit/s"),
                 ("downtime bytes", f"{_mib(ram.get('downtime-bytes', 0)):.1f} MiB")]
    if "cpu-throttle-percentage" in info:
        rows.append(("throttle", f"{info['cpu-throttle-percentage']}%"))
    hint = info.get("free-page-hint")
    if hint:
        rows += [("hinted", f"{_mib(hint.get('hinted-bytes', 0)):.1f} MiB in "
                            f"{hint.get('hint-rounds', 0)} rounds"),
                 ("first pass", f"skipped {_mib(hint.get('first-pass-skipped-bytes', 0)):.1f} "
                                f"MiB, waited {hint.get('first-pass-wait', 0)} ms"),
                 ("hints dropped", f"{hint.get('dropped-stale', 0)} stale, "
                                   f"{hint.get('dropped-invalid', 0)} invalid")]
    return rows
