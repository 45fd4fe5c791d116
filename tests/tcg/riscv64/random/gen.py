#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Generate a bare-metal program of random RV64GC instructions (assembly).

The output is one .S file with several independent random programs, linked with
main.c, crt.S and runtime.c (see docs/devel/cpu.rst, "Random differential test").
Each program starts from random register values (integer edge values, FP NaNs,
infinities, subnormals, boxed and unboxed singles), a random fcsr and a scratch
area filled from its seed, runs a list of random *items* in M, S or U-mode (S and
U under Sv39, sometimes with a read-only, invalid, execute-only or U scratch page)
and ends with a signature: every x and f register, fcsr, sscratch, checksums of
the scratch area and the traps it took, printed by main.c.  Some items trap on purpose: random
function fields in OP, OP-IMM, OP-FP and the FMA opcodes, reserved compressed
and other illegal encodings, a reserved frm under dynamic rounding, ecall.

An item is one instruction or a small self-contained construct (a forward
branch over a few items, a bounded loop, a jump back and forth, an LR/SC pair),
so any prefix of a program's items is itself a valid program: the runner
minimises a mismatch by cutting programs short (--only, --prefix).

Registers with a fixed role, never written by random items:
  sp  = scratch + 0 (base of the sp-relative compressed loads and stores)
  s0  = scratch + 3072 (base of the CL/CS compressed loads and stores)
  s11 = scratch + 2048 (base of I/S-type accesses, offsets -2048..2047)
  s1  = loop counter, t6 = address temporary (AMOs, LR/SC, indirect jumps)

Left out on purpose, because the result is implementation-defined or differs for
a documented reason: counters and timers (cycle, time, instret), misa and the ID
CSRs, mtval/stval/mepc/sepc (WARL, implementations may limit them; QEMU 7.2
keeps mepc[0]), mscratch (the trap handler's stack), misaligned AMOs and LR/SC
and AMOs on an invalid page (QEMU 7.2 reports the wrong cause), an SC without
its LR, and ebreak (mtval is the pc or 0 at the implementation's choice).
"""

import argparse
import random
import sys

SCRATCH_SIZE = 4096
# random.h: the scratch area starts RANDOM_SIG_SIZE bytes into a page, so its
# second page (read-only or invalid in some modes) starts this far into it
SIG_SIZE = 768
SCRATCH_PAGE_1 = 4096 - SIG_SIZE
# random.h's RandomMode: where AMOs must stay off page 1 (not writable and readable)
MODES_PAGE_1_NO_AMO = (5, 6, 8, 9)
CODE_AREA = 64          # bytes of code written at run time, after each program
BASE_SP = 0
BASE_S0 = 3072
BASE_S11 = 2048

XNAMES = ['zero', 'ra', 'sp', 'gp', 'tp', 't0', 't1', 't2', 's0', 's1', 'a0', 'a1', 'a2',
          'a3', 'a4', 'a5', 'a6', 'a7', 's2', 's3', 's4', 's5', 's6', 's7', 's8', 's9',
          's10', 's11', 't3', 't4', 't5', 't6']
RESERVED = {0, 2, 8, 9, 27, 31}
WRITABLE = [r for r in range(32) if r not in RESERVED]
# Compressed 3-bit register fields name x8..x15; s0 and s1 are reserved.
C_WRITABLE = [10, 11, 12, 13, 14, 15]
C_SOURCES = list(range(8, 16))
ROUNDING = ['rne', 'rtz', 'rdn', 'rup', 'rmm', 'dyn']

INT_EDGES = [0, 1, 2, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff, 0x7fffffff, 0x80000000,
             0xffffffff, 0x100000000, 0x7fffffffffffffff, 0x8000000000000000,
             0xffffffffffffffff, 0xfffffffffffffffe, 0xffffffff80000000,
             0xffffffff7fffffff]
BOX = 0xffffffff00000000
S_SPECIALS = [0x00000000, 0x80000000, 0x7f800000, 0xff800000, 0x7fc00000, 0xffc00000,
              0x7f800001, 0x7fa00000, 0x00000001, 0x007fffff, 0x00800000, 0x7f7fffff,
              0x3f800000, 0xbf800000, 0x4f000000, 0xcf000000, 0x5f000000, 0xdf000000,
              0x3effffff, 0x3f000000, 0x3f800001, 0xbf800001, 0x3f7fffff, 0x00000003]
D_SPECIALS = [0x0000000000000000, 0x8000000000000000, 0x7ff0000000000000,
              0xfff0000000000000, 0x7ff8000000000000, 0xfff8000000000000,
              0x7ff0000000000001, 0x7ff4000000000000, 0x0000000000000001,
              0x000fffffffffffff, 0x0010000000000000, 0x7fefffffffffffff,
              0x3ff0000000000000, 0xbff0000000000000, 0x41e0000000000000,
              0xc1e0000000000000, 0x43e0000000000000, 0xc3e0000000000000,
              0x3fdfffffffffffff, 0x3fe0000000000000, 0x41efffffffe00000,
              0x3ff0000000000001, 0x4330000000000000, 0x3fefffffffffffff,
              0xbff0000000000001, 0x0000000000000003]


class Gen:
    """Random items for program @index; the same (seed, index) always gives the same."""

    def __init__(self, seed, index, items, traps=True):
        self.r = random.Random(seed * 1000003 + index)
        self.traps = traps
        self.index = index
        self.count = items
        self.labels = 0
        self.last_x = self.last_f = 0

    # ---- operands ----

    def label(self):
        self.labels += 1
        return f'.Lp{self.index}_{self.labels}'

    def xw(self):
        """A destination: now and then x0, whose writes must vanish (but not the
        instruction's other effects: loads, AMOs, FP flags, CSR writes)."""
        reg = 0 if self.r.random() < 0.05 else self.r.choice(WRITABLE)
        self.last_x = reg
        return XNAMES[reg]

    def xw_nz(self):
        """A destination other than x0 (compressed forms reserve rd = 0 or make it a HINT)."""
        reg = self.r.choice(WRITABLE)
        self.last_x = reg
        return XNAMES[reg]

    def xs(self):
        """A source, often the last destination (dependent pairs, fused or not)."""
        if self.r.random() < 0.25:
            return XNAMES[self.last_x]
        return XNAMES[self.r.randrange(32)]

    def f(self):
        """An FP register; the first of an instruction is its destination."""
        if self.r.random() < 0.25:
            return f'f{self.last_f}'
        reg = self.r.randrange(32)
        self.last_f = reg
        return f'f{reg}'

    def rm(self):
        return self.r.choice(ROUNDING)

    def imm(self, bits):
        lo, hi = -(1 << (bits - 1)), (1 << (bits - 1)) - 1
        return self.r.choice([lo, lo + 1, -1, 0, 1, hi - 1, hi, self.r.randint(lo, hi),
                              self.r.randint(lo, hi), self.r.randint(-16, 16)])

    def int_value(self):
        r = self.r
        kind = r.randrange(6)
        if kind < 2:
            return r.choice(INT_EDGES)
        if kind == 2:
            return r.randint(-64, 64) & (2**64 - 1)
        if kind == 3:
            return (r.getrandbits(32) | (BOX if r.random() < 0.5 else 0)) & (2**64 - 1)
        return r.getrandbits(64)

    def fp_value(self):
        r = self.r
        kind = r.randrange(8)
        if kind < 2:
            return r.choice(D_SPECIALS)
        if kind < 4:
            return BOX | r.choice(S_SPECIALS)
        if kind == 4:                                   # subnormal or tiny
            return r.getrandbits(52) if r.random() < 0.5 else BOX | r.getrandbits(23)
        if kind == 5:                                   # an unboxed single
            return r.getrandbits(32)
        if kind == 6:                                   # a random single
            return BOX | r.getrandbits(32)
        return r.getrandbits(64)

    def offset(self, size, lo=-2048, hi=2047):
        """An offset from s11 for a @size access within the scratch area."""
        lo = max(lo, -BASE_S11)
        hi = min(hi, SCRATCH_SIZE - BASE_S11 - size)
        r = self.r
        if r.random() < 0.3:
            off = r.choice([lo, hi, min(max(0, lo), hi), min(max(-size, lo), hi)])
        else:
            off = r.randint(lo, hi)
        if r.random() < 0.85:                           # mostly aligned
            off -= (off + BASE_S11) % size
            if off < lo:
                off += size
        return off

    # ---- items: each returns a list of assembly lines ----

    def alu_reg(self):
        op = self.r.choice(['add', 'sub', 'sll', 'slt', 'sltu', 'xor', 'srl', 'sra', 'or',
                            'and', 'addw', 'subw', 'sllw', 'srlw', 'sraw', 'mul', 'mulh',
                            'mulhsu', 'mulhu', 'div', 'divu', 'rem', 'remu', 'mulw',
                            'divw', 'divuw', 'remw', 'remuw'])
        return [f'{op} {self.xw()}, {self.xs()}, {self.xs()}']

    def alu_imm(self):
        r = self.r
        op = r.choice(['addi', 'slti', 'sltiu', 'xori', 'ori', 'andi', 'addiw', 'slli',
                       'srli', 'srai', 'slliw', 'srliw', 'sraiw'])
        if op in ('slli', 'srli', 'srai'):
            imm = r.choice([0, 1, 31, 32, 63, r.randrange(64)])
        elif op.endswith('iw') and op != 'addiw':
            imm = r.choice([0, 1, 31, r.randrange(32)])
        else:
            imm = self.imm(12)
        return [f'{op} {self.xw()}, {self.xs()}, {imm}']

    def upper(self):
        imm = self.r.choice([0, 1, 0x7ffff, 0x80000, 0xfffff, self.r.getrandbits(20)])
        return [f'{self.r.choice(["lui", "auipc"])} {self.xw()}, {imm}']

    def load_int(self):
        return [f'li {self.xw()}, {self.int_value():#x}']

    def load(self):
        op, size = self.r.choice([('lb', 1), ('lbu', 1), ('lh', 2), ('lhu', 2), ('lw', 4),
                                  ('lwu', 4), ('ld', 8)])
        return self.access(f'{op} {self.xw()}', size)

    def store(self):
        op, size = self.r.choice([('sb', 1), ('sh', 2), ('sw', 4), ('sd', 8)])
        return self.access(f'{op} {self.xs()}', size)

    def fp_load_store(self):
        op, size = self.r.choice([('flw', 4), ('fld', 8), ('fsw', 4), ('fsd', 8)])
        return self.access(f'{op} {self.f()}', size)

    def access(self, head, size):
        """@head with an address in the scratch area: from s11, or from t6 = s11 + a."""
        if self.r.random() < 0.7:
            return [f'{head}, {self.offset(size)}(s11)']
        a = self.r.randint(-2048, 2047)
        off = self.offset(size, -2048 + a, 2047 + a)
        return [f'addi t6, s11, {a}', f'{head}, {off - a}(t6)']

    def atomic_offset(self, size):
        """An aligned offset from s11 for an AMO or LR/SC.  Not in an invalid or
        execute-only page: QEMU 7.2 reports a load page fault for an AMO there,
        where the spec has a store/AMO page fault (docs/devel/cpu.rst), and an SC
        whose LR faulted has no reservation, so whether it faults is up to the
        implementation."""
        hi = 2047
        if self.mode in MODES_PAGE_1_NO_AMO:
            hi = SCRATCH_PAGE_1 - BASE_S11 - size
        return self.offset(size, hi=hi) // size * size

    def amo(self):
        r = self.r
        width, size = r.choice([('w', 4), ('d', 8)])
        op = r.choice(['amoswap', 'amoadd', 'amoxor', 'amoand', 'amoor', 'amomin', 'amomax',
                       'amominu', 'amomaxu'])
        order = r.choice(['', '.aq', '.rl', '.aqrl'])
        off = self.atomic_offset(size)
        return [f'addi t6, s11, {off}', f'{op}.{width}{order} {self.xw()}, {self.xs()}, (t6)']

    def lr_sc(self):
        r = self.r
        width, size = r.choice([('w', 4), ('d', 8)])
        off = self.atomic_offset(size)
        lines = [f'addi t6, s11, {off}', f'lr.{width}{r.choice(["", ".aq"])} {self.xw()}, (t6)']
        for _ in range(r.randrange(3)):
            lines += self.alu_reg()
        lines.append(f'sc.{width}{r.choice(["", ".rl"])} {self.xw()}, {self.xs()}, (t6)')
        return lines

    def fp_arith(self):
        r = self.r
        t = r.choice(['s', 'd'])
        kind = r.randrange(5)
        if kind == 0:
            op = r.choice(['fadd', 'fsub', 'fmul', 'fdiv'])
            return [f'{op}.{t} {self.f()}, {self.f()}, {self.f()}, {self.rm()}']
        if kind == 1:
            op = r.choice(['fmadd', 'fmsub', 'fnmsub', 'fnmadd'])
            return [f'{op}.{t} {self.f()}, {self.f()}, {self.f()}, {self.f()}, {self.rm()}']
        if kind == 2:
            return [f'fsqrt.{t} {self.f()}, {self.f()}, {self.rm()}']
        if kind == 3:
            op = r.choice(['fmin', 'fmax', 'fsgnj', 'fsgnjn', 'fsgnjx'])
            return [f'{op}.{t} {self.f()}, {self.f()}, {self.f()}']
        op = r.choice(['feq', 'flt', 'fle'])
        return [f'{op}.{t} {self.xw()}, {self.f()}, {self.f()}']

    def fp_convert(self):
        r = self.r
        t = r.choice(['s', 'd'])
        i = r.choice(['w', 'wu', 'l', 'lu'])
        kind = r.randrange(6)
        if kind == 0:
            return [f'fcvt.{i}.{t} {self.xw()}, {self.f()}, {self.rm()}']
        if kind == 1:
            rm = '' if (t == 'd' and i in ('w', 'wu')) else f', {self.rm()}'
            return [f'fcvt.{t}.{i} {self.f()}, {self.xs()}{rm}']
        if kind == 2:
            return [f'fcvt.s.d {self.f()}, {self.f()}, {self.rm()}']
        if kind == 3:
            return [f'fcvt.d.s {self.f()}, {self.f()}']
        if kind == 4:
            return [f'fclass.{t} {self.xw()}, {self.f()}']
        op = r.choice(['fmv.x.w', 'fmv.x.d', 'fmv.w.x', 'fmv.d.x'])
        if op.startswith('fmv.x'):
            return [f'{op} {self.xw()}, {self.f()}']
        return [f'{op} {self.f()}, {self.xs()}']

    def fp_special(self):
        """An FP register set to a special or random bit pattern."""
        x = self.xw_nz()
        return [f'li {x}, {self.fp_value():#x}', f'fmv.d.x {self.f()}, {x}']

    def fp_edge(self):
        """An FP operation on operands just set to special values (NaNs, infinities,
        zeros, subnormals, values next to 1 and to the smallest normal, boxed or not)."""
        r = self.r
        t = r.choice(['s', 'd'])
        regs = [f'f{r.randrange(32)}' for _ in range(3)]
        lines = []
        for reg in regs:
            x = self.xw_nz()
            if t == 's' and r.random() < 0.9:
                value = BOX | r.choice(S_SPECIALS) | r.choice([0, 0, 0, 0x80000000])
            else:
                value = r.choice(D_SPECIALS) | r.choice([0, 0, 0, 1 << 63])
            lines += [f'li {x}, {value:#x}', f'fmv.d.x {reg}, {x}']
        a, b, c = regs
        rd = self.f()
        kind = r.randrange(6)
        if kind == 0:
            op = r.choice(['fadd', 'fsub', 'fmul', 'fdiv'])
            lines.append(f'{op}.{t} {rd}, {a}, {b}, {self.rm()}')
        elif kind == 1:
            op = r.choice(['fmadd', 'fmsub', 'fnmsub', 'fnmadd'])
            lines.append(f'{op}.{t} {rd}, {a}, {b}, {c}, {self.rm()}')
        elif kind == 2:
            op = r.choice(['fmin', 'fmax', 'fsgnj', 'fsgnjn', 'fsgnjx'])
            lines.append(f'{op}.{t} {rd}, {a}, {b}')
        elif kind == 3:
            op = r.choice(['feq', 'flt', 'fle'])
            lines.append(f'{op}.{t} {self.xw()}, {a}, {b}')
        elif kind == 4:
            i = r.choice(['w', 'wu', 'l', 'lu'])
            lines.append(f'fcvt.{i}.{t} {self.xw()}, {a}, {self.rm()}')
        else:
            other = 'd' if t == 's' else 's'
            lines.append(r.choice([f'fsqrt.{t} {rd}, {a}, {self.rm()}',
                                   f'fclass.{t} {self.xw()}, {a}',
                                   f'fcvt.{other}.{t} {rd}, {a}' + (
                                       f', {self.rm()}' if t == 'd' else '')]))
        return lines

    def fp_csr(self):
        r = self.r
        kind = r.randrange(9)
        if kind == 0:
            return [f'fsrmi {self.xw()}, {r.randrange(5)}']
        if kind == 1:
            return [f'fsflagsi {self.xw()}, {r.randrange(32)}']
        if kind == 2:
            return [f'{r.choice(["frflags", "frrm", "frcsr"])} {self.xw()}']
        if kind == 3:
            return [f'fsflags {self.xw()}, {self.xs()}']
        if kind == 4:                       # fcsr with reserved high bits set
            x = self.xw_nz()
            value = (r.getrandbits(56) << 8) | (r.randrange(5) << 5) | r.randrange(32)
            return [f'li {x}, {value:#x}', f'fscsr {self.xw()}, {x}']
        if kind == 5:                       # clearing frm bits keeps it valid
            return [f'csrrc {self.xw()}, {r.choice(["frm", "fcsr", "fflags"])}, {self.xs()}']
        if kind == 6:
            return [f'csrrs {self.xw()}, fflags, {self.xs()}']
        if kind == 7:
            csr = r.choice(['fflags', 'fcsr'])
            op = r.choice(['csrrsi', 'csrrci', 'csrrwi'])
            return [f'{op} {self.xw()}, {csr}, {r.randrange(32)}']
        return [f'csrrwi {self.xw()}, frm, {r.randrange(5)}']

    def other_csr(self):
        r = self.r
        csr = 'sscratch'           # mscratch holds the trap stack (runtime.c)
        op = r.choice(['csrrw', 'csrrs', 'csrrc'])
        if r.random() < 0.3:
            return [f'{op}i {self.xw()}, {csr}, {r.randrange(32)}']
        return [f'{op} {self.xw()}, {csr}, {self.xs()}']

    def fence(self):
        return [self.r.choice(['fence', 'fence rw, rw', 'fence r, w', 'fence iorw, iorw',
                               'fence.i'])]

    def compressed(self):
        r = self.r
        cw = lambda: XNAMES[r.choice(C_WRITABLE)]       # noqa: E731
        cs = lambda: XNAMES[r.choice(C_SOURCES)]        # noqa: E731
        cf = lambda: f'f{r.randrange(8, 16)}'           # noqa: E731
        kind = r.randrange(24)
        nz6 = r.choice([-32, -1, 1, 31, r.choice([i for i in range(-32, 32) if i])])
        if kind == 0:
            return [f'c.addi4spn {cw()}, sp, {r.randrange(1, 256) * 4}']
        if kind == 1:
            return [f'c.lw {cw()}, {r.randrange(32) * 4}(s0)']
        if kind == 2:
            return [f'c.ld {cw()}, {r.randrange(32) * 8}(s0)']
        if kind == 3:
            return [f'c.fld {cf()}, {r.randrange(32) * 8}(s0)']
        if kind == 4:
            return [f'c.sw {cs()}, {r.randrange(32) * 4}(s0)']
        if kind == 5:
            return [f'c.sd {cs()}, {r.randrange(32) * 8}(s0)']
        if kind == 6:
            return [f'c.fsd {cf()}, {r.randrange(32) * 8}(s0)']
        if kind == 7:
            return [f'c.addi {self.xw_nz()}, {nz6}']
        if kind == 8:
            return [f'c.addiw {self.xw_nz()}, {self.imm(6)}']
        if kind == 9:
            return [f'c.li {self.xw_nz()}, {self.imm(6)}']
        if kind == 10:
            lui = r.choice([1, 31, 0xfffe0, 0xfffff, r.randrange(1, 32),
                            r.randrange(0xfffe0, 0x100000)])
            return [f'c.lui {self.xw_nz()}, {lui:#x}']
        if kind == 11:
            imm = r.choice([i for i in range(-512, 512, 16) if i])
            undo = [-imm] if -imm < 512 else [256, 256]
            return [f'c.addi16sp sp, {imm}'] + [f'c.addi16sp sp, {u}' for u in undo]
        if kind == 12:
            op = r.choice(['c.srli', 'c.srai', 'c.andi'])
            imm = self.imm(6) if op == 'c.andi' else r.randrange(1, 64)
            return [f'{op} {cw()}, {imm}']
        if kind == 13:
            op = r.choice(['c.sub', 'c.xor', 'c.or', 'c.and', 'c.subw', 'c.addw'])
            return [f'{op} {cw()}, {cs()}']
        if kind == 14:
            return [f'c.slli {self.xw_nz()}, {r.randrange(1, 64)}']
        if kind == 15:
            return [f'c.lwsp {self.xw_nz()}, {r.randrange(64) * 4}(sp)']
        if kind == 16:
            return [f'c.ldsp {self.xw_nz()}, {r.randrange(64) * 8}(sp)']
        if kind == 17:
            return [f'c.fldsp {self.f()}, {r.randrange(64) * 8}(sp)']
        if kind == 18:
            return [f'c.swsp {self.xs()}, {r.randrange(64) * 4}(sp)']
        if kind == 19:
            return [f'c.sdsp {self.xs()}, {r.randrange(64) * 8}(sp)']
        if kind == 20:
            return [f'c.fsdsp {self.f()}, {r.randrange(64) * 8}(sp)']
        if kind == 21:
            src = XNAMES[r.randrange(1, 32)]
            return [f'{r.choice(["c.mv", "c.add"])} {self.xw_nz()}, {src}']
        if kind == 22:
            return ['c.nop']
        return [f'c.addi {cw()}, {nz6}']


    # ---- items that may trap (main.c records every trap and skips the instruction) ----

    def random_op(self):
        """OP, OP-32, OP-IMM, OP-IMM-32 with random function fields: ALU ops or illegal."""
        r = self.r
        opcode = r.choice([0x33, 0x3b, 0x13, 0x1b])
        funct7 = r.choice([0x00, 0x01, 0x20, 0x21, 0x40, r.getrandbits(7)])
        rd = 0 if r.random() < 0.05 else r.choice(WRITABLE)
        self.last_x = rd
        word = (funct7 << 25 | r.getrandbits(5) << 20 | r.getrandbits(5) << 15 |
                r.getrandbits(3) << 12 | rd << 7 | opcode)
        return [f'.4byte {word:#010x}']

    def random_fp(self):
        """OP-FP and fused multiply-add with random fmt, rs2 and rm fields."""
        r = self.r
        rd = r.choice(WRITABLE)                 # an integer or an FP destination
        self.last_x = self.last_f = rd
        fmt = r.choice([0, 1, 0, 1, 2, 3])
        rm = r.randrange(8)
        rs1, rs2 = r.getrandbits(5), r.choice([0, 1, 2, 3, r.getrandbits(5)])
        if r.random() < 0.25:
            opcode = r.choice([0x43, 0x47, 0x4b, 0x4f])
            word = r.getrandbits(5) << 27 | fmt << 25 | r.getrandbits(5) << 20
        else:
            opcode = 0x53
            funct5 = r.choice([0x00, 0x01, 0x02, 0x03, 0x0b, 0x04, 0x05, 0x08, 0x14, 0x18,
                               0x1a, 0x1c, 0x1e, r.getrandbits(5)])
            word = funct5 << 27 | fmt << 25 | rs2 << 20
        return [f'.4byte {word | rs1 << 15 | rm << 12 | rd << 7 | opcode:#010x}']

    def random_rvc(self):
        """Quadrant 1 arithmetic on x10..x15 with random fields, and reserved encodings."""
        r = self.r
        if r.random() < 0.7:
            rdp = r.choice(C_WRITABLE) - 8
            word = 0x8001 | r.getrandbits(1) << 12 | r.getrandbits(2) << 10 | rdp << 7
            word |= r.getrandbits(5) << 2
        elif r.random() < 0.5:
            word = r.choice([0x0000, 0x0004, 0x8000, 0x2001, 0x6081, 0x6101, 0x9c41, 0x9c61,
                             0x4002, 0x6002, 0x8002, 0x9c45, 0x9c65])
        else:
            # HINTs, which must run as no-ops: C.NOP, C.ADDI, C.LI, C.LUI, C.SLLI
            # with rd = x0 or a zero immediate, C.MV and C.ADD with rd = x0
            imm = r.getrandbits(1) << 12 | r.getrandbits(5) << 2
            rs2 = r.randrange(1, 32) << 2
            word = r.choice([0x0001 | imm, 0x4001 | imm, 0x6001 | imm | 1 << 12,
                             0x0002 | imm, 0x8002 | rs2, 0x9002 | rs2,
                             0x0001 | r.choice(C_WRITABLE) << 7,
                             0x0002 | r.choice(C_WRITABLE) << 7])
        return [f'.2byte {word:#06x}']

    def illegal_word(self):
        """Encodings no RV64GC hart implements, or that use fields it reserves."""
        r = self.r
        rd = r.choice(WRITABLE)
        word = r.choice([
            0x00000000, 0xffffffff, 0x0000000b | rd << 7, 0x0000002b, 0x0000005b,
            0x0000007b, 0x00007003 | rd << 7 | 27 << 15,            # load funct3 7
            0x00004023 | 27 << 15,                                  # store funct3 4
            0x00001007 | rd << 7 | 27 << 15,                        # LOAD-FP half
            0x00004007 | rd << 7 | 27 << 15,                        # LOAD-FP quad
            0x00001027 | 27 << 15,                                  # STORE-FP half
            0x0000202f | rd << 7 | 0x05 << 27 | 31 << 15,           # AMO funct5 5
            0x0000102f | rd << 7 | 31 << 15,                        # AMO width 1
            0x0000300f, 0x0000200f,                                 # MISC-MEM funct3
            0x00001067 | rd << 7 | 1 << 15,                         # JALR funct3 1
            0x00002063, 0x00003063,                                 # BRANCH funct3 2, 3
            0x00004073 | rd << 7,                                   # SYSTEM funct3 4
            0x00200073, 0x7b200073,                                 # uret, dret
        ])
        return [f'.4byte {word:#010x}']

    def bad_frm(self):
        """frm set to a reserved value: dynamic-rounding FP instructions are illegal."""
        r = self.r
        lines = [f'fsrmi {self.xw()}, {r.randrange(5, 8)}']
        for _ in range(r.randint(1, 3)):
            lines += r.choice([self.fp_arith, self.fp_convert])()
        return lines + [f'fsrmi {self.xw()}, {r.randrange(5)}']

    def patch_insn(self):
        """(bytes, assembly) of a random instruction for code_patch(): it writes
        only a0..a5, so the ret it precedes still finds ra."""
        r = self.r
        rd, rs1, rs2 = r.randrange(10, 16), r.randrange(32), r.randrange(32)
        kind = r.randrange(6)
        if kind == 0:
            imm = self.imm(12) & 0xfff
            return imm << 20 | rs1 << 15 | rd << 7 | 0x13, 4, f'addi x{rd}, x{rs1}, ...'
        if kind == 1:
            funct3 = r.randrange(8)
            funct7 = 0x20 if funct3 in (0, 5) and r.random() < 0.5 else 0
            funct7 = 0x01 if r.random() < 0.2 else funct7
            word = funct7 << 25 | rs2 << 20 | rs1 << 15 | funct3 << 12 | rd << 7 | 0x33
            return word, 4, f'OP x{rd}, x{rs1}, x{rs2}'
        if kind == 2:
            return r.getrandbits(20) << 12 | rd << 7 | 0x37, 4, f'lui x{rd}'
        if kind == 3:                                   # c.addi rd, nzimm
            imm = r.choice([i for i in range(-32, 32) if i]) & 0x3f
            return (0x0001 | (imm >> 5) << 12 | rd << 7 | (imm & 0x1f) << 2, 2,
                    f'c.addi x{rd}')
        if kind == 4:                                   # c.mv rd, rs2 (rs2 != 0)
            return 0x8002 | rd << 7 | max(rs2, 1) << 2, 2, f'c.mv x{rd}'
        return 0x00000013, 4, 'nop'

    def code_patch(self):
        """Write random instructions and a ret into random_code_N, fence.i, call
        them; sometimes patch one and call again (the decoded copy must go)."""
        r = self.r
        area = f'random_code_{self.index}'
        start = r.randrange(0, CODE_AREA // 2, 2)
        insns = [self.patch_insn() for _ in range(r.randint(1, 4))]
        insns.append((0x00008067, 4, 'ret'))
        lines = [f'lla t6, {area} + {start}']

        def write(at, word, size):
            for half in range(size // 2):
                lines.extend([f'li t5, {(word >> (16 * half)) & 0xffff:#x}',
                              f'sh t5, {at + 2 * half}(t6)'])

        at = 0
        offsets = []
        for word, size, _ in insns:
            offsets.append(at)
            write(at, word, size)
            at += size
        lines += ['fence.i', 'jalr ra, 0(t6)']
        if r.random() < 0.5:
            n = r.randrange(len(insns) - 1)
            word, size, _ = self.patch_insn()
            if size == insns[n][1]:
                write(offsets[n], word, size)
                lines += ['fence.i', 'jalr ra, 0(t6)']
        return lines

    def pick(self, table):
        """Call one of the functions of @table, [(cumulative probability, fn)]."""
        choice = self.r.random()
        for bound, fn in table:
            if choice < bound:
                return fn()
        return table[-1][1]()

    def trapping(self):
        return self.pick([(0.3, self.random_op), (0.65, self.random_fp),
                          (0.8, self.random_rvc), (0.9, self.illegal_word),
                          (0.97, self.bad_frm), (1.0, lambda: ['ecall'])])

    def simple(self):
        """An item without control flow."""
        return self.mark_compressed(self.pick([
            (0.13, self.alu_reg), (0.22, self.alu_imm), (0.25, self.upper),
            (0.28, self.load_int), (0.35, self.load), (0.41, self.store),
            (0.47, self.fp_load_store), (0.51, self.amo), (0.53, self.lr_sc),
            (0.62, self.fp_arith), (0.69, self.fp_convert), (0.73, self.fp_special),
            (0.79, self.fp_edge), (0.84, self.fp_csr), (0.86, self.other_csr),
            (0.87, self.fence), (0.88, self.code_patch), (1.0, self.compressed)]))

    @staticmethod
    def mark_compressed(lines):
        """Wrap c.* mnemonics in .option rvc (the file is norvc otherwise)."""
        out = []
        for line in lines:
            if line.startswith('c.'):
                out += ['.option rvc', line, '.option norvc']
            else:
                out.append(line)
        return out

    def body(self, n):
        lines = []
        for _ in range(n):
            lines += self.simple()
        return lines

    def forward_branch(self):
        r = self.r
        end = self.label()
        if r.random() < 0.2:
            head = [f'{r.choice(["c.beqz", "c.bnez"])} {XNAMES[r.choice(C_SOURCES)]}, {end}']
        else:
            op = r.choice(['beq', 'bne', 'blt', 'bge', 'bltu', 'bgeu'])
            a = self.xs()
            b = a if r.random() < 0.15 else self.xs()
            head = [f'{op} {a}, {b}, {end}']
        return self.mark_compressed(head) + self.body(r.randint(0, 3)) + [f'{end}:']

    def loop(self):
        """A loop run 1..4 times on s1, closed by a backward branch."""
        r = self.r
        top = self.label()
        lines = [f'li s1, {r.randint(1, 4)}', f'{top}:'] + self.body(r.randint(1, 4))
        lines += self.mark_compressed([r.choice(['addi s1, s1, -1', 'c.addi s1, -1'])])
        close = r.choice(['bnez s1', 'blt zero, s1', 'bltu zero, s1', 'c.bnez s1',
                          'bne s1, zero', 'bge zero, s1'])
        if close == 'bge zero, s1':
            # bge leaves the loop (s1 <= 0), a j goes back
            skip = self.label()
            lines += [f'bge zero, s1, {skip}', f'j {top}', f'{skip}:']
        else:
            lines += self.mark_compressed([f'{close}, {top}'])
        return lines

    def jumps(self):
        """jal/j/c.j forward and back, or jalr/c.jr/c.jalr through t6."""
        r = self.r
        if r.random() < 0.5:
            back, mid, end = self.label(), self.label(), self.label()
            first = r.choice(['j', 'jal', 'c.j'])
            jal = lambda op, target: (                  # noqa: E731
                [f'jal {self.xw()}, {target}'] if op == 'jal' else [f'{op} {target}'])
            lines = self.mark_compressed(jal(first, mid))
            lines += [f'{back}:'] + self.body(r.randint(0, 2))
            lines += self.mark_compressed(jal(r.choice(['j', 'jal', 'c.j']), end))
            lines += [f'{mid}:'] + self.body(r.randint(0, 1))
            lines += self.mark_compressed(jal(r.choice(['j', 'jal', 'c.j']), back))
            return lines + [f'{end}:']
        end = self.label()
        kind = r.randrange(3)
        if kind == 0:
            # the link register may be the base too: the target uses its old value
            off = self.imm(12)
            base = r.choice(['t6', 'ra', XNAMES[r.choice(WRITABLE[1:])]])
            link = base if r.random() < 0.4 else self.xw()
            jump = [f'lla {base}, {end} - ({off})', f'jalr {link}, {off}({base})']
        else:
            base = r.choice(['t6', 'ra', 'a0'])
            jump = [f'lla {base}, {end}'] + self.mark_compressed(
                [f'c.jr {base}' if kind == 1 else f'c.jalr {base}'])
        return jump + self.body(r.randint(0, 2)) + [f'{end}:']

    def item(self):
        table = [(0.06, self.forward_branch), (0.09, self.loop), (0.12, self.jumps)]
        if self.traps:
            table.append((0.18, self.trapping))
        return self.pick(table + [(1.0, self.simple)])

    def program(self):
        """Initial register table, fcsr and the items."""
        init_x = [self.int_value() for _ in range(32)]
        init_f = [self.fp_value() for _ in range(32)]
        fcsr = (self.r.randrange(5) << 5) | self.r.randrange(32)
        mem_seed = self.r.getrandbits(64) | 1
        # random.h's RandomMode: M or one of the S and U-mode variants
        self.mode = self.r.choice([0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
        items = [self.item() for _ in range(self.count)]
        return init_x, init_f, fcsr, (mem_seed, self.mode), items


def emit_program(out, index, init_x, init_f, fcsr, items):
    w = out.write
    w(f'\n    .section .rodata\n    .balign 8\nrandom_init_{index}:\n')
    for i, v in enumerate(init_x):
        if i == 2:
            w(f'    .dword random_area + RANDOM_SIG_SIZE + {BASE_SP}\n')
        elif i == 8:
            w(f'    .dword random_area + RANDOM_SIG_SIZE + {BASE_S0}\n')
        elif i == 27:
            w(f'    .dword random_area + RANDOM_SIG_SIZE + {BASE_S11}\n')
        else:
            w(f'    .dword {v:#x}\n')
    for v in init_f:
        w(f'    .dword {v:#x}\n')
    w(f'\n    .text\n    .balign 4\nrandom_program_{index}:\n    ENTER\n')
    w(f'    li t0, {fcsr:#x}\n    fscsr t0\n    la t6, random_init_{index}\n    LOAD_STATE\n')
    for n, item in enumerate(items):
        w(f'    # item {n}\n')
        for line in item:
            w(line + '\n' if line.endswith(':') else f'    {line}\n')
    w('    LEAVE\n')
    # Code written at run time (Gen.code_patch), in the program's own pages
    w(f'    .balign 4\nrandom_code_{index}:\n    .space {CODE_AREA}\n')


HEADER = """/* Generated by tests/tcg/riscv64/random/gen.py --seed {seed}: do not edit. */
#include "random.h"
    .option norvc
"""


def write_file(out, seed, programs, items, only=None, prefix=None):
    """Write the file for @seed: @programs programs (or just program @only, cut to
    its first @prefix items when given) of @items items each."""
    indexes = [only] if only is not None else range(programs)
    chosen = []
    for index in indexes:
        init_x, init_f, fcsr, mem_seed, body = Gen(seed, index, items).program()
        if prefix is not None:
            body = body[:prefix]
        chosen.append((index, init_x, init_f, fcsr, mem_seed, body))

    out.write(HEADER.format(seed=seed))
    for index, init_x, init_f, fcsr, _, body in chosen:
        emit_program(out, index, init_x, init_f, fcsr, body)
    out.write('\n    .section .rodata\n    .balign 8\n    .globl random_programs\n'
              'random_programs:\n')
    for index, *_ in chosen:
        out.write(f'    .dword random_program_{index}\n')
    out.write('    .globl random_program_info\nrandom_program_info:\n')
    for index, _, _, _, (mem_seed, mode), _ in chosen:
        out.write(f'    .dword {index}, {mem_seed:#x}, {mode}\n')
    out.write(f'    .globl random_program_count\nrandom_program_count:\n'
              f'    .dword {len(chosen)}\n')


def item_text(seed, index, items, n):
    """The assembly of item @n of program @index, without assembler directives."""
    body = Gen(seed, index, items).program()[4]
    return [line for line in body[n] if not line.startswith('.option')]


def instruction_counts(seed, programs, items):
    """Instructions (assembly statements, labels and directives left out) per program."""
    return [sum(1 for item in Gen(seed, index, items).program()[4] for line in item
                if not line.endswith(':') and not line.startswith('.option'))
            for index in range(programs)]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--seed', type=int, required=True)
    parser.add_argument('--programs', type=int, default=8, help='programs in the file')
    parser.add_argument('--items', type=int, default=200, help='items per program')
    parser.add_argument('--only', type=int, help='emit only this program (minimising)')
    parser.add_argument('--prefix', type=int, help='and only its first PREFIX items')
    parser.add_argument('--list-item', type=int, metavar='N',
                        help='print item N of program --only and exit')
    parser.add_argument('-o', '--output', default='-')
    args = parser.parse_args()

    if args.list_item is not None:
        if args.only is None:
            parser.error('--list-item needs --only')
        print('\n'.join(item_text(args.seed, args.only, args.items, args.list_item)))
        return 0
    if args.output == '-':
        write_file(sys.stdout, args.seed, args.programs, args.items, args.only, args.prefix)
    else:
        with open(args.output, 'w') as out:
            write_file(out, args.seed, args.programs, args.items, args.only, args.prefix)
    return 0


if __name__ == '__main__':
    sys.exit(main())
