/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Sv39 (PAGING_LEVELS=3) or Sv48 (PAGING_LEVELS=4) translation with page tables
 * built here (privileged spec 4.3-4.5): 4 KiB, 2 MiB and 1 GiB leaves, A/D bits
 * set by the hardware walker (as QEMU 7.2 does), page faults with their cause and
 * tval (unmapped, read-only, no-execute, reserved W-only, misaligned superpage,
 * misaligned accesses across a page boundary),
 * U/SUM/MXR permission checks from S and U, sfence.vma after a PTE change, satp
 * WARL, and instructions that straddle a page boundary (executed, and faulting on
 * the second page with tval pointing at that page).
 *
 * Layout, one 1 GiB slot each: 0 = devices (identity), 1 = test pages at
 * 0x40000000, 2 = RAM (identity, code and data), 3 = RAM again at 0xc0000000.
 */
#include "insn.h"
#include "paging.h"

#if PAGING_LEVELS == 4
#define SATP_MODE SATP_MODE_SV48
#define MODE_NAME "sv48"
#else
#define SATP_MODE SATP_MODE_SV39
#define MODE_NAME "sv39"
#endif

#define TEST_VA         0x40000000UL
#define VA_2M           (TEST_VA + 0x200000)
#define VA_2M_BAD       (TEST_VA + 0x400000)
#define VA_1G_ALIAS     0xc0000000UL
#define PA_2M           0x80600000UL  /* 2 MiB aligned, above this program's image */
#define TEST_PAGES      8

enum {
    SLOT_AD = 0,        /* RW, A/D clear: the walker sets them */
    SLOT_READ_ONLY,
    SLOT_UNMAPPED,
    SLOT_NO_EXEC,
    SLOT_EXEC_ONLY,     /* for MXR */
    SLOT_USER,
    SLOT_WRITE_ONLY,    /* reserved combination */
    SLOT_STRADDLE_LO,   /* two code pages, physically out of order */
    SLOT_STRADDLE_HI,
    SLOT_FAULT_LO,      /* code page followed by an unmapped page */
    SLOT_FAULT_HI,
    SLOT_REMAP,
};

static uint64_t root_table[512] __attribute__((aligned(4096)));
static uint64_t giga_table[512] __attribute__((aligned(4096)));
static uint64_t mega_table[512] __attribute__((aligned(4096)));
static uint64_t kilo_table[512] __attribute__((aligned(4096)));
static uint8_t pages[TEST_PAGES][PAGE_SIZE] __attribute__((aligned(4096)));
static volatile uint64_t alias_probe = 0x1122334455667788UL;
extern char _end[];

static uint64_t slot_va(int slot)
{
    return TEST_VA + slot * PAGE_SIZE;
}

static void build_tables(void)
{
    uint64_t *top = giga_table;

    if (PAGING_LEVELS == 4) {
        root_table[0] = pte_for((uint64_t)giga_table, PTE_V);
        top = root_table;
    }
    (void)top;
    giga_table[0] = pte_for(0, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D);
    giga_table[1] = pte_for((uint64_t)mega_table, PTE_V);
    giga_table[2] = pte_for(0x80000000UL, PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D);
    giga_table[3] = pte_for(0x80000000UL, PTE_V | PTE_R);

    mega_table[0] = pte_for((uint64_t)kilo_table, PTE_V);
    mega_table[1] = pte_for(PA_2M, PTE_V | PTE_R | PTE_W);
    mega_table[2] = pte_for(PA_2M + PAGE_SIZE, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D);

    kilo_table[SLOT_AD] = pte_for((uint64_t)pages[0], PTE_V | PTE_R | PTE_W);
    kilo_table[SLOT_READ_ONLY] = pte_for((uint64_t)pages[1], PTE_V | PTE_R | PTE_A);
    kilo_table[SLOT_UNMAPPED] = 0;
    kilo_table[SLOT_NO_EXEC] = pte_for((uint64_t)pages[2],
                                       PTE_V | PTE_R | PTE_W | PTE_A | PTE_D);
    kilo_table[SLOT_EXEC_ONLY] = pte_for((uint64_t)pages[3], PTE_V | PTE_X | PTE_A);
    kilo_table[SLOT_USER] = pte_for((uint64_t)pages[4], PTE_V | PTE_R | PTE_W | PTE_X |
                                    PTE_U | PTE_A | PTE_D);
    kilo_table[SLOT_WRITE_ONLY] = pte_for((uint64_t)pages[5], PTE_V | PTE_W | PTE_A | PTE_D);
    kilo_table[SLOT_STRADDLE_LO] = pte_for((uint64_t)pages[7], PTE_V | PTE_R | PTE_X | PTE_A);
    kilo_table[SLOT_STRADDLE_HI] = pte_for((uint64_t)pages[6], PTE_V | PTE_R | PTE_X | PTE_A);
    kilo_table[SLOT_FAULT_LO] = pte_for((uint64_t)pages[7], PTE_V | PTE_R | PTE_X | PTE_A);
    kilo_table[SLOT_FAULT_HI] = 0;
    kilo_table[SLOT_REMAP] = pte_for((uint64_t)pages[0], PTE_V | PTE_R | PTE_A);
}

static uint64_t root_satp(void)
{
    uint64_t root = PAGING_LEVELS == 4 ? (uint64_t)root_table : (uint64_t)giga_table;

    return SATP_MODE << SATP_MODE_SHIFT | root >> 12;
}

/*
 * Instruction-fetch faults leave xEPC at an address the handler cannot read, so
 * code that jumps there does it with jalr ra and the handler resumes at ra.
 */
static volatile int resume_at_ra;

static int fetch_fault_hook(TrapFrame *frame, TrapRecord *rec)
{
    if (!resume_at_ra || (rec->cause & CAUSE_INTERRUPT)) {
        return 0;
    }
    resume_at_ra = 0;
    m_trap_expected = 0;
    write_csr(mepc, frame->regs[1]);
    return 1;
}

static uint64_t call_va(uint64_t va, uint64_t arg)
{
    register uint64_t a0 asm("a0") = arg;

    asm volatile("jalr ra, 0(%1)" : "+r"(a0) : "r"(va)
                 : "ra", "t0", "t1", "t2", "a1", "a2", "a3", "a4", "a5", "a6", "a7",
                   "t3", "t4", "t5", "t6", "memory");
    return a0;
}

#define LOAD64(va) ({ uint64_t v_; \
    asm volatile("ld %0, 0(%1)" : "=r"(v_) : "r"(va) : "memory"); v_; })
#define STORE64(va, v) asm volatile("sd %1, 0(%0)" :: "r"(va), "r"((uint64_t)(v)) : "memory")

static void test_translation_and_ad(void)
{
    uint64_t value;

    section("translation, A/D");
    *(volatile uint64_t *)pages[0] = 0xabcdef0123456789UL;
    enter_mode(PRIV_S);
    value = LOAD64(slot_va(SLOT_AD));
    return_to_m();
    check("4K read", value, 0xabcdef0123456789UL);
    check("4K PTE after read: A", !!(kilo_table[SLOT_AD] & PTE_A), 1);
    check("4K PTE after read: D", !!(kilo_table[SLOT_AD] & PTE_D), 0);
    enter_mode(PRIV_S);
    STORE64(slot_va(SLOT_AD) + 8, 0x5a5a);
    return_to_m();
    check("4K write reached memory", *(volatile uint64_t *)(pages[0] + 8), 0x5a5a);
    check("4K PTE after write: D", !!(kilo_table[SLOT_AD] & PTE_D), 1);

    *(volatile uint64_t *)(PA_2M + 0x12340) = 0x2222;
    enter_mode(PRIV_S);
    value = LOAD64(VA_2M + 0x12340);
    STORE64(VA_2M + 0x1fff8, 0x3333);
    return_to_m();
    check("2M read", value, 0x2222);
    check("2M write", *(volatile uint64_t *)(PA_2M + 0x1fff8), 0x3333);
    check("2M PTE A|D", mega_table[1] & (PTE_A | PTE_D), PTE_A | PTE_D);

    enter_mode(PRIV_S);
    value = LOAD64(VA_1G_ALIAS + ((uint64_t)&alias_probe - 0x80000000UL));
    return_to_m();
    check("1G alias read", value, 0x1122334455667788UL);
    check("1G PTE A set, D clear", giga_table[3] & (PTE_A | PTE_D), PTE_A);
}

static void test_faults(void)
{
    uint64_t value = 0;

    section("page faults");
    enter_mode(PRIV_S);
    expect_m_trap();
    value = LOAD64(slot_va(SLOT_UNMAPPED) + 0x10);
    return_to_m();
    check_m_trap("load unmapped", CAUSE_LOAD_PAGE_FAULT, slot_va(SLOT_UNMAPPED) + 0x10);

    enter_mode(PRIV_S);
    expect_m_trap();
    STORE64(slot_va(SLOT_READ_ONLY) + 0x18, 1);
    return_to_m();
    check_m_trap("store read-only", CAUSE_STORE_PAGE_FAULT, slot_va(SLOT_READ_ONLY) + 0x18);

    enter_mode(PRIV_S);
    expect_m_trap();
    asm volatile("amoadd.d zero, %1, (%0)" :: "r"(slot_va(SLOT_READ_ONLY)), "r"(1L)
                 : "memory");
    return_to_m();
    check_m_trap("amo read-only", CAUSE_STORE_PAGE_FAULT, slot_va(SLOT_READ_ONLY));

    enter_mode(PRIV_S);
    expect_m_trap();
    value = LOAD64(slot_va(SLOT_WRITE_ONLY));
    return_to_m();
    check_m_trap("load W-only (reserved)", CAUSE_LOAD_PAGE_FAULT, slot_va(SLOT_WRITE_ONLY));

    enter_mode(PRIV_S);
    expect_m_trap();
    value = LOAD64(VA_2M_BAD + 0x40);
    return_to_m();
    check_m_trap("misaligned 2M leaf", CAUSE_LOAD_PAGE_FAULT, VA_2M_BAD + 0x40);

    /*
     * Misaligned accesses across a page boundary: a fault reports the address
     * of the part that faulted (privileged spec, "Machine Trap Value
     * Register"), and a store that faults writes nothing.
     */
    enter_mode(PRIV_S);
    expect_m_trap();
    value = LOAD64(slot_va(SLOT_UNMAPPED) - 3);
    return_to_m();
    check_m_trap("load into unmapped", CAUSE_LOAD_PAGE_FAULT, slot_va(SLOT_UNMAPPED));
    memset(pages[0] + PAGE_SIZE - 8, 0x5c, 8);
    enter_mode(PRIV_S);
    expect_m_trap();
    STORE64(slot_va(SLOT_READ_ONLY) - 5, 0x0123456789abcdefUL);
    return_to_m();
    check_m_trap("store into read-only", CAUSE_STORE_PAGE_FAULT, slot_va(SLOT_READ_ONLY));
    check("store into read-only wrote nothing",
          *(volatile uint64_t *)(pages[0] + PAGE_SIZE - 8), 0x5c5c5c5c5c5c5c5cUL);
    enter_mode(PRIV_S);
    expect_m_trap();
    STORE64(slot_va(SLOT_UNMAPPED) - 2, 1);
    return_to_m();
    check_m_trap("store from read-only", CAUSE_STORE_PAGE_FAULT,
                 slot_va(SLOT_UNMAPPED) - 2);
    enter_mode(PRIV_S);
    expect_m_trap();
    asm volatile("fsw %1, 0(%0)" :: "r"(slot_va(SLOT_READ_ONLY) - 1), "f"(1.0f) : "memory");
    return_to_m();
    check_m_trap("fsw into read-only", CAUSE_STORE_PAGE_FAULT, slot_va(SLOT_READ_ONLY));
    enter_mode(PRIV_S);
    expect_m_trap();
    asm volatile("fld ft0, 0(%0)" :: "r"(slot_va(SLOT_UNMAPPED) - 4) : "ft0", "memory");
    return_to_m();
    check_m_trap("fld into unmapped", CAUSE_LOAD_PAGE_FAULT, slot_va(SLOT_UNMAPPED));

    /* c.jr ra in the no-exec page: fetching it must fault. */
    *(volatile uint16_t *)pages[2] = 0x8082;
    asm volatile("fence.i");
    enter_mode(PRIV_S);
    expect_m_trap();
    resume_at_ra = 1;
    call_va(slot_va(SLOT_NO_EXEC), 0);
    return_to_m();
    check_m_trap("fetch no-exec", CAUSE_FETCH_PAGE_FAULT, slot_va(SLOT_NO_EXEC));
    check("fetch no-exec epc", m_trap.epc, slot_va(SLOT_NO_EXEC));

    /* Non-canonical address: bits above the VA width must copy its top bit. */
    enter_mode(PRIV_S);
    expect_m_trap();
    value = LOAD64(1UL << (PAGING_LEVELS == 4 ? 48 : 39));
    return_to_m();
    check("non-canonical load cause", m_trap.cause, CAUSE_LOAD_PAGE_FAULT);
    (void)value;
}

static void test_permissions(void)
{
    uint64_t value = 0;

    section("U/SUM/MXR");
    *(volatile uint64_t *)pages[3] = 0x7777;
    *(volatile uint64_t *)pages[4] = 0x8082;    /* c.jr ra, for the fetch test */
    asm volatile("fence.i");

    enter_mode(PRIV_S);
    expect_m_trap();
    value = LOAD64(slot_va(SLOT_EXEC_ONLY));
    return_to_m();
    check_m_trap("S load X-only, MXR=0", CAUSE_LOAD_PAGE_FAULT, slot_va(SLOT_EXEC_ONLY));
    set_csr(mstatus, MSTATUS_MXR);
    enter_mode(PRIV_S);
    value = LOAD64(slot_va(SLOT_EXEC_ONLY));
    return_to_m();
    clear_csr(mstatus, MSTATUS_MXR);
    check("S load X-only, MXR=1", value, 0x7777);

    enter_mode(PRIV_S);
    expect_m_trap();
    value = LOAD64(slot_va(SLOT_USER));
    return_to_m();
    check_m_trap("S load U page, SUM=0", CAUSE_LOAD_PAGE_FAULT, slot_va(SLOT_USER));
    /*
     * The fetch comes first, on a fresh walk: QEMU 7.2 caches a U page's execute
     * permission from an S load made with SUM=1 and then lets S execute it.
     */
    set_csr(mstatus, MSTATUS_SUM);
    sfence_vma_all();
    enter_mode(PRIV_S);
    expect_m_trap();
    resume_at_ra = 1;
    call_va(slot_va(SLOT_USER), 0);
    value = LOAD64(slot_va(SLOT_USER));
    return_to_m();
    clear_csr(mstatus, MSTATUS_SUM);
    check("S load U page, SUM=1", value, 0x8082);
    check_m_trap("S fetch U page, SUM=1", CAUSE_FETCH_PAGE_FAULT, slot_va(SLOT_USER));

    /* U code needs U mappings: mark the RAM and device slots U for a moment. */
    giga_table[0] |= PTE_U;
    giga_table[2] |= PTE_U;
    sfence_vma_all();
    enter_mode(PRIV_U);
    value = LOAD64(slot_va(SLOT_USER));
    expect_m_trap();
    STORE64(slot_va(SLOT_AD), 1);
    return_to_m();
    giga_table[0] &= ~PTE_U;
    giga_table[2] &= ~PTE_U;
    sfence_vma_all();
    check("U load U page", value, 0x8082);
    check_m_trap("U store non-U page", CAUSE_STORE_PAGE_FAULT, slot_va(SLOT_AD));
}

static void test_sfence_and_satp(void)
{
    uint64_t before, after;

    section("sfence.vma, satp");
    *(volatile uint64_t *)pages[0] = 0x1010;
    *(volatile uint64_t *)pages[1] = 0x2020;
    enter_mode(PRIV_S);
    before = LOAD64(slot_va(SLOT_REMAP));
    /*
     * Whether a stale translation is still used before sfence.vma depends on the
     * TLB, so only the value after the fence is checked.
     */
    kilo_table[SLOT_REMAP] = pte_for((uint64_t)pages[1], PTE_V | PTE_R | PTE_A);
    asm volatile("sfence.vma %0, zero" :: "r"(slot_va(SLOT_REMAP)) : "memory");
    after = LOAD64(slot_va(SLOT_REMAP));
    return_to_m();
    check("before remap", before, 0x1010);
    check("after remap + sfence.vma", after, 0x2020);

    uint64_t satp = read_csr(satp);
    write_csr(satp, 1UL << SATP_MODE_SHIFT | 0x12345);   /* mode 1 is reserved */
    check("satp reserved mode ignored", read_csr(satp), satp);
}

/* addi a0, a0, 1 split over two pages, then c.jr ra on the second page. */
static void test_straddle(void)
{
    uint64_t result;

    section("page-straddling instruction");
    *(volatile uint16_t *)(pages[7] + 0xffe) = 0x0513;
    *(volatile uint16_t *)(pages[6] + 0) = 0x0015;
    *(volatile uint16_t *)(pages[6] + 2) = 0x8082;
    asm volatile("fence.i" ::: "memory");
    enter_mode(PRIV_S);
    result = call_va(slot_va(SLOT_STRADDLE_LO) + 0xffe, 41);
    return_to_m();
    check("straddling addi", result, 42);

    /* Second half unmapped: epc is the instruction, tval the faulting page (4.3.2). */
    enter_mode(PRIV_S);
    expect_m_trap();
    resume_at_ra = 1;
    call_va(slot_va(SLOT_FAULT_LO) + 0xffe, 0);
    return_to_m();
    check_m_trap("straddle fault", CAUSE_FETCH_PAGE_FAULT, slot_va(SLOT_FAULT_HI));
    check("straddle fault epc", m_trap.epc, slot_va(SLOT_FAULT_LO) + 0xffe);
}

int main(void)
{
    section(MODE_NAME);
    check("image below the 2M test page", (uint64_t)_end < PA_2M, 1);
    build_tables();
    m_trap_hook = fetch_fault_hook;
    write_csr(satp, root_satp());
    sfence_vma_all();
    check("satp mode", read_csr(satp) >> SATP_MODE_SHIFT, SATP_MODE);
    test_translation_and_ad();
    test_faults();
    test_permissions();
    test_straddle();
    test_sfence_and_satp();
    write_csr(satp, 0);
    sfence_vma_all();
    return report();
}
