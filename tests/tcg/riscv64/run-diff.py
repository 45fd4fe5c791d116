#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Run one bare-metal RISC-V test program on hintvm and compare it with QEMU.

Both emulators run the ELF with `-M virt -bios none -smp N -kernel ELF -nographic`
(N from --smp, 1 by default; with -bios none every hart starts at the entry).  The
program checks itself (its exit code, through the SiFive test finisher, says pass or
fail) and prints a signature of its results on the UART.  QEMU is the reference: the
exit codes and the UART outputs must be identical.  Without --qemu, only hintvm runs
and its own exit code decides (self-check mode); --self-check forces that mode for
programs whose output QEMU cannot match for a documented reason (the program says
which).
"""

import argparse
import difflib
import subprocess
import sys

MACHINE_ARGS = ['-M', 'virt', '-bios', 'none', '-nographic', '-m', '128M']


def run(emulator, elf, timeout, smp, extra_args=()):
    """Run elf; return (exit code or None on timeout, stdout text, stderr text)."""
    cmd = [emulator] + MACHINE_ARGS + ['-smp', str(smp), '-kernel', elf] + list(extra_args)
    try:
        proc = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True,
                              timeout=timeout)
    except subprocess.TimeoutExpired as exc:
        out = (exc.stdout or b'').decode('utf-8', 'replace')
        err = (exc.stderr or b'').decode('utf-8', 'replace')
        return None, out, err
    except OSError as exc:
        return -1, '', f'cannot run {emulator}: {exc}\n'
    return (proc.returncode, proc.stdout.decode('utf-8', 'replace'),
            proc.stderr.decode('utf-8', 'replace'))


def describe(name, code, err):
    status = 'timed out' if code is None else f'exit code {code}'
    text = f'{name}: {status}\n'
    if err.strip():
        text += f'{name} stderr:\n{err}'
    return text


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--hintvm', required=True, help='hintvm-system-riscv64 binary')
    parser.add_argument('--qemu', help='reference qemu-system-riscv64 (omit: self-check)')
    parser.add_argument('--timeout', type=float, default=25.0,
                        help='seconds per run (two runs fit meson\'s 60 s)')
    parser.add_argument('--smp', type=int, default=1,
                        help='harts (every one starts at the entry, a0 = hartid)')
    parser.add_argument('--self-check', action='store_true',
                        help='ignore --qemu: the program checks what QEMU gets wrong')
    parser.add_argument('--verbose', '-v', action='store_true', help='print the output')
    parser.add_argument('elf')
    args = parser.parse_args()

    code, out, err = run(args.hintvm, args.elf, args.timeout, args.smp)
    if args.verbose:
        sys.stdout.write(out)
    if not args.qemu or args.self_check:
        if code != 0:
            sys.stdout.write(out)
            sys.stdout.write(describe('hintvm', code, err))
            print('FAIL: self-check failed')
            return 1
        print('ok: self-check passed (no reference QEMU)')
        return 0

    ref_code, ref_out, ref_err = run(args.qemu, args.elf, args.timeout, args.smp)
    failed = False
    if ref_code != 0:
        # The programs check themselves, so the reference must pass them.
        sys.stdout.write(describe('qemu', ref_code, ref_err))
        print('FAIL: the program fails on the reference QEMU')
        failed = True
    if code != ref_code:
        sys.stdout.write(describe('hintvm', code, err))
        print(f'FAIL: exit codes differ: hintvm {code}, qemu {ref_code}')
        failed = True
    if out != ref_out:
        diff = difflib.unified_diff(ref_out.splitlines(True), out.splitlines(True),
                                    'qemu', 'hintvm')
        sys.stdout.writelines(diff)
        print('FAIL: UART output differs from qemu')
        failed = True
    if failed:
        return 1
    print(f'ok: hintvm matches qemu ({len(out.splitlines())} lines, exit {code})')
    return 0


if __name__ == '__main__':
    sys.exit(main())
