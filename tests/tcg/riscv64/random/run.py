#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Run seeded random RV64GC programs (gen.py) on hintvm and QEMU and compare them.

For each seed, gen.py writes a file of several random programs; it is linked with
main.c and the tcg runtime and run on both emulators the way run-diff.py runs the
hand-written programs.  Every program prints a signature (all registers, fcsr,
scratch CSRs, memory checksums); any difference is a mismatch.  A mismatch is
minimised: the first differing program is re-run cut to its first N items, N
bisected, until the first item after which the signatures differ is found; that
item and the signature lines that differ are printed.

Without --qemu only hintvm runs, and each program must finish (exit 0, every
signature printed): no reference, but a crash, hang or unexpected trap fails.
"""

import argparse
import difflib
import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
TCG_DIR = os.path.dirname(HERE)
CFLAGS = ['-march=rv64gc', '-mabi=lp64d', '-mcmodel=medany', '-O2', '-Wall', '-nostdlib',
          '-nostartfiles', '-static', '-ffreestanding', '-fno-pie', '-no-pie',
          '-fno-tree-loop-distribute-patterns', '-I' + TCG_DIR, '-I' + HERE]
LDFLAGS = ['-T', os.path.join(TCG_DIR, 'link.ld'), '-Wl,--build-id=none',
           '-Wl,--no-warn-rwx-segments']
# hintvm's hart is RV64GC; QEMU 7.2's default rv64 CPU also has the bit-manipulation
# extensions and H, whose encodings an RV64GC hart treats as illegal.
QEMU_CPU = ['-cpu', 'rv64,zba=false,zbb=false,zbc=false,zbs=false,h=false']


def load_module(name, path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


run_diff = load_module('run_diff', os.path.join(TCG_DIR, 'run-diff.py'))
gen = load_module('gen', os.path.join(HERE, 'gen.py'))


class Builder:
    """Compiles the fixed objects once, then links one ELF per generated file."""

    def __init__(self, cc, workdir):
        self.cc = cc
        self.workdir = workdir
        self.objects = []
        for src in [os.path.join(TCG_DIR, 'crt.S'), os.path.join(TCG_DIR, 'runtime.c'),
                    os.path.join(HERE, 'main.c')]:
            obj = os.path.join(workdir, os.path.basename(src) + '.o')
            self.compile(['-c', src, '-o', obj])
            self.objects.append(obj)

    def compile(self, args):
        proc = subprocess.run([self.cc] + CFLAGS + args, capture_output=True, text=True)
        if proc.returncode:
            sys.exit(f'run.py: {self.cc} failed:\n{proc.stderr}')

    def build(self, seed, programs, items, only=None, prefix=None):
        name = f'seed{seed}' + ('' if only is None else f'-p{only}-n{prefix}')
        source = os.path.join(self.workdir, name + '.S')
        elf = os.path.join(self.workdir, name + '.elf')
        with open(source, 'w') as out:
            gen.write_file(out, seed, programs, items, only, prefix)
        self.compile(LDFLAGS + ['-o', elf, source] + self.objects + ['-lgcc'])
        return elf


def split_programs(text):
    """Signature lines of each program, by its index."""
    programs, current = {}, None
    for line in text.splitlines():
        if line.startswith('== program '):
            current = int(line.split()[2])
            programs[current] = []
        elif current is not None:
            programs[current].append(line)
    return programs


class Runner:
    def __init__(self, args, builder):
        self.args = args
        self.builder = builder

    def outputs(self, elf):
        """(hintvm result, qemu result or None), each (code, stdout, stderr)."""
        timeout = self.args.timeout
        mine = run_diff.run(self.args.hintvm, elf, timeout, 1)
        ref = None
        if self.args.qemu:
            ref = run_diff.run(self.args.qemu, elf, timeout, 1, QEMU_CPU)
        return mine, ref

    @staticmethod
    def agree(mine, ref):
        if ref is None:
            return mine[0] == 0 and mine[1].rstrip().endswith('END')
        return mine[0] == ref[0] and mine[1] == ref[1] and ref[0] == 0

    def minimise(self, seed, index, mine, ref):
        """Print the first item of program @index after which hintvm and QEMU differ."""
        items = self.args.items
        good, bad = 0, items            # prefix lengths: good agrees, bad differs
        bad_out = (mine, ref)
        empty = self.outputs(self.builder.build(seed, None, items, index, 0))
        if not self.agree(*empty):
            print(f'  program {index} differs with no items at all: the entry or exit '
                  'code (random.h) runs into the difference')
            self.print_diff(index, *empty, 'with no items')
            return
        while bad - good > 1:
            mid = (good + bad) // 2
            elf = self.builder.build(seed, None, items, index, mid)
            result = self.outputs(elf)
            if self.agree(*result):
                good = mid
            else:
                bad, bad_out = mid, result
        print(f'  first diverging item: program {index}, item {bad - 1} '
              f'(gen.py --seed {seed} --items {items} --only {index} --list-item {bad - 1}):')
        for line in gen.item_text(seed, index, items, bad - 1):
            print(f'    {line}')
        mine, ref = bad_out
        self.print_diff(index, mine, ref, f'after {bad} items')

    @staticmethod
    def print_diff(index, mine, ref, when):
        if ref is None:
            print(f'  hintvm {run_diff.describe("hintvm", mine[0], mine[2]).strip()}')
            print('  ' + '\n  '.join(mine[1].splitlines()[-5:]))
            return
        if mine[0] != ref[0]:
            print(f'  exit codes: hintvm {mine[0]}, qemu {ref[0]}')
        for name, result in (('qemu', ref), ('hintvm', mine)):
            if not result[1].rstrip().endswith('END'):
                last = (result[1].splitlines() or ['(no output)'])[-1]
                print(f'  {name} did not finish; its last line: {last}')
                return
        a = split_programs(ref[1]).get(index, ref[1].splitlines())
        b = split_programs(mine[1]).get(index, mine[1].splitlines())
        print(f'  signature of program {index} {when} (- qemu, + hintvm):')
        for line in difflib.unified_diff(a, b, 'qemu', 'hintvm', n=0, lineterm=''):
            if not line.startswith(('---', '+++', '@@')):
                print(f'    {line}')

    def check_seed(self, seed):
        """Returns (programs that agreed, their instructions, mismatching programs)."""
        args = self.args
        elf = self.builder.build(seed, args.programs, args.items)
        mine, ref = self.outputs(elf)
        counts = gen.instruction_counts(seed, args.programs, args.items)
        if self.agree(mine, ref):
            return args.programs, sum(counts), 0
        if ref is not None and ref[0] != 0:
            print(f'seed {seed}: QEMU itself fails the program (exit {ref[0]}): '
                  'a generator bug\n' + ref[1][-2000:] + ref[2])
            return 0, 0, args.programs
        mine_programs = split_programs(mine[1])
        ref_programs = split_programs(ref[1]) if ref else {}
        bad = [i for i in range(args.programs)
               if ref is None and i not in mine_programs or
               ref is not None and mine_programs.get(i) != ref_programs.get(i)]
        if ref is None and not bad:
            bad = [max(mine_programs, default=0)]
        print(f'seed {seed}: MISMATCH in program(s) {", ".join(map(str, bad))}')
        if args.minimise:
            self.minimise(seed, bad[0], mine, ref)
        else:
            self.print_diff(bad[0], mine, ref, 'at the end')
        agreed = [i for i in range(args.programs) if i not in bad]
        return len(agreed), sum(counts[i] for i in agreed), len(bad)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--hintvm', required=True, help='hintvm-system-riscv64 binary')
    parser.add_argument('--qemu', help='reference qemu-system-riscv64 (omit: self-check)')
    parser.add_argument('--cc', default=shutil.which('riscv64-linux-gnu-gcc'),
                        help='RISC-V cross compiler')
    parser.add_argument('--seeds', type=int, default=10, help='number of seeds to run')
    parser.add_argument('--start', type=int, default=1, help='first seed')
    parser.add_argument('--programs', type=int, default=8, help='programs per seed')
    parser.add_argument('--items', type=int, default=200, help='items per program')
    parser.add_argument('--timeout', type=float, default=20.0, help='seconds per run')
    parser.add_argument('--no-minimise', dest='minimise', action='store_false',
                        help='report mismatches without bisecting them')
    parser.add_argument('--max-failures', type=int, default=5,
                        help='stop after this many mismatching seeds')
    parser.add_argument('--workdir', help='keep the generated files here')
    return parser.parse_args()


def main():
    sys.stdout.reconfigure(line_buffering=True)
    args = parse_args()
    if not args.cc:
        sys.exit('run.py: no RISC-V cross compiler (riscv64-linux-gnu-gcc); use --cc')
    with tempfile.TemporaryDirectory(prefix='hintvm-random-') as tmp:
        workdir = args.workdir or tmp
        os.makedirs(workdir, exist_ok=True)
        runner = Runner(args, Builder(args.cc, workdir))
        programs = instructions = failed_programs = failed_seeds = 0
        for seed in range(args.start, args.start + args.seeds):
            ok, insns, bad = runner.check_seed(seed)
            programs += ok
            instructions += insns
            failed_programs += bad
            failed_seeds += bad > 0
            if failed_seeds >= args.max_failures:
                print(f'stopping after {failed_seeds} mismatching seeds')
                break
    what = 'agreed with qemu' if args.qemu else 'ran to completion (no reference QEMU)'
    print(f'{programs} random programs ({instructions} instructions) {what}; '
          f'{failed_programs} mismatched')
    return 1 if failed_programs else 0


if __name__ == '__main__':
    sys.exit(main())
