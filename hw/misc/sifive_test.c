/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * SiFive test finisher ("sifive,test0"/"sifive,test1").
 *
 * Bare-metal tests exit through it and Linux powers off and reboots through
 * it (the device tree's syscon-poweroff/syscon-reboot nodes point here).
 * Reads return 0.
 */
#include "qemu/osdep.h"
#include "qemu/log.h"
#include "hw/misc/sifive_test.h"
#include "sysemu/runstate.h"
#include "migration/vmstate.h"

static uint64_t sifive_test_read(void *opaque, hwaddr addr, unsigned size)
{
    return 0;
}

static void sifive_test_write(void *opaque, hwaddr addr, uint64_t value, unsigned size)
{
    uint32_t command = value & 0xffff;
    int exit_code = (value >> 16) & 0xffff;

    if (addr != 0) {
        qemu_log_mask(LOG_GUEST_ERROR, "sifive_test: write to unknown offset 0x%"
                      HWADDR_PRIx "\n", addr);
        return;
    }

    switch (command) {
    case FINISHER_PASS:
        qemu_system_shutdown_request(SHUTDOWN_CAUSE_GUEST_SHUTDOWN, 0);
        break;
    case FINISHER_FAIL:
        qemu_system_shutdown_request(SHUTDOWN_CAUSE_GUEST_PANIC, exit_code);
        break;
    case FINISHER_RESET:
        qemu_system_reset_request(SHUTDOWN_CAUSE_GUEST_RESET);
        break;
    default:
        qemu_log_mask(LOG_GUEST_ERROR, "sifive_test: unknown command 0x%04x\n", command);
        break;
    }
}

static const MemoryRegionOps sifive_test_ops = {
    .read = sifive_test_read,
    .write = sifive_test_write,
    .impl = {
        .min_access_size = 2,
        .max_access_size = 4,
    },
};

/*
 * The finisher keeps no state; its empty section makes a destination
 * without one (or with two) a clear error instead of a silent difference.
 */
static const VMStateDescription vmstate_sifive_test = {
    .name = "riscv.sifive.test",
    .version_id = 1,
    .minimum_version_id = 1,
    .fields = (const VMStateField[]){
        VMSTATE_END_OF_LIST(),
    },
};

SiFiveTestState *sifive_test_create(hwaddr base)
{
    SiFiveTestState *s = g_new0(SiFiveTestState, 1);

    memory_region_init_io(&s->mmio, &sifive_test_ops, s, "riscv.sifive.test",
                          SIFIVE_TEST_SIZE);
    memory_region_add_subregion(base, &s->mmio);
    vmstate_register(&vmstate_sifive_test, VMSTATE_INSTANCE_ID_ANY, s);
    return s;
}
