/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The entry point both migration stream fuzzers drive (docs/devel/fuzzing.rst):
 * a virt machine set up as a `-incoming defer` destination, a valid stream
 * its own save path wrote, and one call that loads an input into the machine
 * and checks what must hold afterwards.
 */
#ifndef TESTS_FUZZ_MIGRATION_FUZZ_H
#define TESTS_FUZZ_MIGRATION_FUZZ_H

#include "qemu/osdep.h"

/*
 * Build the machine with @device (a -device string: the balloon on
 * virtio-mmio or virtio-pci), put its devices in a used state, save the
 * stream, and load it once.  Once per process.
 */
void migration_fuzz_setup(const char *device);

/* The stream the machine saved: the seed of every mutation. */
const GByteArray *migration_fuzz_seed(void);

/*
 * Load @data as an incoming stream, then check (aborting otherwise): a
 * rejected stream has an error message, the machine is still waiting for
 * its migration, its device state is untouched unless the load got as far
 * as applying it, and the seed loads again afterwards; an accepted one
 * leaves a machine that can be saved again.  Returns whether it was accepted.
 */
bool migration_fuzz_run_one(const uint8_t *data, size_t len);

/* Rejected and accepted inputs so far. */
void migration_fuzz_counts(uint64_t *rejected, uint64_t *accepted);

#endif
