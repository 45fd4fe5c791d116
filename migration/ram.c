/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * RAM migration: the migration bitmaps, the precopy passes over them and the
 * destination's page loader.  The record layout and the rules the passes
 * keep are in docs/devel/migration-stream.rst.
 *
 * Scale: a pass visits the bitmap a word at a time and takes a batch of
 * words per lock; the first pass asks the host which pages it ever backed
 * and treats the others as zero without reading them; zero tests are
 * word-wise.  So an idle 128 GiB guest costs a bitmap walk and a page-table
 * walk, not 128 GiB of reads.
 */
#include "qemu/osdep.h"
#include "migration/ram.h"
#include "migration/misc.h"
#include "migration/qemu-file.h"
#include "migration/stream.h"
#include "migration/migration.h"
#include "exec/ramblock.h"
#include "hw/virtio/virtio-balloon.h"
#include "qapi/error.h"
#include "qemu/host-pages.h"
#include "qemu/main-loop.h"
#include "qemu/timer.h"
#include <sys/mman.h>

/* Bitmap words a sender takes per lock: at most 4096 pages, 16 MiB. */
#define RAM_BATCH_WORDS 64
/* Clear words the sender may skip under one lock before letting others in. */
#define RAM_SCAN_WORDS_PER_LOCK 16384
/* Batches per ram_save_iterate call, so the caller checks rate and cancel. */
#define RAM_BATCHES_PER_ITERATE 256

typedef struct RAMMigBlock {
    RAMBlock *rb;
    unsigned long *bmap; /* pages still to send; bitmap_mutex */
    uint64_t npages;
} RAMMigBlock;

typedef struct RAMState {
    GMutex bitmap_mutex;
    RAMMigBlock *blocks;
    int nblocks;
    uint64_t dirty_pages; /* set bits over all bmaps; bitmap_mutex */

    /* Sender only. */
    int cur_block;
    uint64_t cur_word;
    bool first_pass;

    /* Statistics: written by the sender, read by query-migrate. */
    uint64_t zero_pages, normal_pages, ballooned_pages, unbacked_pages;
    uint64_t hinted_bytes;            /* bitmap_mutex */
    uint64_t first_pass_hinted_bytes; /* of those, cleared during the first pass */
    int64_t first_pass_wait_us;       /* how long the first pass waited for hints */
    uint64_t dirty_sync_count, dirty_pages_rate;
    int64_t last_sync_ns;
} RAMState;

static RAMState ram_state = {
    .bitmap_mutex = { 0 },
};

#define STAT_ADD(field, n) __atomic_fetch_add(&ram_state.field, (n), __ATOMIC_RELAXED)
#define STAT_GET(field)    __atomic_load_n(&ram_state.field, __ATOMIC_RELAXED)

GMutex *ram_bitmap_mutex(void)
{
    return &ram_state.bitmap_mutex;
}

static void ram_blocks_free(void)
{
    for (int i = 0; i < ram_state.nblocks; i++) {
        g_free(ram_state.blocks[i].bmap);
    }
    g_free(ram_state.blocks);
    ram_state.blocks = NULL;
    ram_state.nblocks = 0;
}

static void ram_blocks_init(bool with_bitmaps)
{
    int n = 0;

    /* A table left by an earlier migration or load that did not clean up. */
    ram_blocks_free();
    for (RAMBlock *rb = ram_list; rb; rb = rb->next) {
        n++;
    }
    ram_state.blocks = g_new0(RAMMigBlock, n);
    ram_state.nblocks = n;
    n = 0;
    for (RAMBlock *rb = ram_list; rb; rb = rb->next, n++) {
        RAMMigBlock *b = &ram_state.blocks[n];

        b->rb = rb;
        b->npages = rb->used_length / TARGET_PAGE_SIZE;
        if (with_bitmaps) {
            b->bmap = bitmap_new(b->npages);
        }
    }
}

/* ---- ballooned pages ---- */

/*
 * Clear the bits of pages the balloon holds; returns how many were set.
 * BQL and bitmap mutex held.  Why skipping them is safe even when the guest
 * deflates meanwhile: docs/devel/migration-stream.rst, "Ballooned pages".
 */
static uint64_t ram_mask_ballooned(RAMMigBlock *b)
{
    hwaddr base, lo, hi, start = b->rb->guest_addr;
    hwaddr end = start + b->npages * TARGET_PAGE_SIZE;
    uint64_t nbits, src, dst, n, cleared = 0;
    const unsigned long *balloon = virtio_balloon_get_ballooned_bitmap(&base, &nbits);

    if (!balloon) {
        return 0;
    }
    lo = MAX(start, base);
    hi = MIN(end, base + nbits * TARGET_PAGE_SIZE);
    if (lo >= hi) {
        return 0;
    }
    src = (lo - base) / TARGET_PAGE_SIZE;
    dst = (lo - start) / TARGET_PAGE_SIZE;
    n = (hi - lo) / TARGET_PAGE_SIZE;
    if (src % BITS_PER_LONG == 0 && dst % BITS_PER_LONG == 0) {
        /* The usual case (the balloon covers the block from its start): word-wise. */
        for (uint64_t w = 0; w < BITS_TO_LONGS(n); w++) {
            unsigned long mask = balloon[src / BITS_PER_LONG + w];
            unsigned long *word = &b->bmap[dst / BITS_PER_LONG + w];

            if (w == BITS_TO_LONGS(n) - 1 && n % BITS_PER_LONG) {
                mask &= (1UL << (n % BITS_PER_LONG)) - 1;
            }
            cleared += __builtin_popcountl(*word & mask);
            *word &= ~mask;
        }
        return cleared;
    }
    for (uint64_t i = find_next_bit(balloon, src + n, src); i < src + n;
         i = find_next_bit(balloon, src + n, i + 1)) {
        uint64_t page = dst + (i - src);

        if (test_bit(page, b->bmap)) {
            clear_bit(page, b->bmap);
            cleared++;
        }
    }
    return cleared;
}

/* ---- setup, sync, cleanup ---- */

bool ram_save_setup(Error **errp)
{
    uint64_t total = 0, ballooned = 0;

    g_assert(bql_locked());
    /* No hold left from an earlier migration; the SETUP notifiers may set one. */
    ram_first_pass_release();
    /* Log first: a page the balloon gives back after we look is then caught. */
    ram_dirty_log_start();
    g_mutex_lock(&ram_state.bitmap_mutex);
    ram_blocks_init(true);
    for (int i = 0; i < ram_state.nblocks; i++) {
        RAMMigBlock *b = &ram_state.blocks[i];

        bitmap_set(b->bmap, 0, b->npages);
        total += b->npages;
        ballooned += ram_mask_ballooned(b);
    }
    ram_state.dirty_pages = total - ballooned;
    ram_state.cur_block = 0;
    ram_state.cur_word = 0;
    ram_state.first_pass = true;
    ram_state.zero_pages = ram_state.normal_pages = 0;
    ram_state.unbacked_pages = ram_state.hinted_bytes = 0;
    ram_state.first_pass_hinted_bytes = 0;
    ram_state.first_pass_wait_us = 0;
    ram_state.ballooned_pages = ballooned;
    /* Marking every page counts as the first sync, as QEMU reports it. */
    ram_state.dirty_sync_count = 1;
    ram_state.dirty_pages_rate = 0;
    ram_state.last_sync_ns = qemu_clock_get_ns(QEMU_CLOCK_REALTIME);
    g_mutex_unlock(&ram_state.bitmap_mutex);
    return true;
}

uint64_t ram_bitmap_sync(bool final)
{
    uint64_t added = 0, ballooned = 0;
    int64_t now;

    precopy_notify(PRECOPY_NOTIFY_BEFORE_BITMAP_SYNC, NULL);
    if (!final) {
        bql_lock();
    }
    g_mutex_lock(&ram_state.bitmap_mutex);
    for (int i = 0; i < ram_state.nblocks; i++) {
        RAMMigBlock *b = &ram_state.blocks[i];

        added += ram_block_dirty_log_sync(b->rb, b->bmap);
        ballooned += ram_mask_ballooned(b);
    }
    ram_state.dirty_pages = ram_state.dirty_pages + added - ballooned;
    ram_state.cur_block = 0;
    ram_state.cur_word = 0;
    ram_state.first_pass = false;
    now = qemu_clock_get_ns(QEMU_CLOCK_REALTIME);
    /* The last sync comes moments after the previous one: keep that rate. */
    if (!final && now > ram_state.last_sync_ns) {
        __atomic_store_n(&ram_state.dirty_pages_rate,
                         added * NANOSECONDS_PER_SECOND / (now - ram_state.last_sync_ns),
                         __ATOMIC_RELAXED);
    }
    ram_state.last_sync_ns = now;
    STAT_ADD(dirty_sync_count, 1);
    g_mutex_unlock(&ram_state.bitmap_mutex);
    if (!final) {
        bql_unlock();
        /* Fold first, re-arm second: see include/exec/ramblock.h. */
        ram_dirty_log_rearm();
        precopy_notify(PRECOPY_NOTIFY_AFTER_BITMAP_SYNC, NULL);
    }
    return added;
}

uint64_t ram_bytes_remaining(void)
{
    return __atomic_load_n(&ram_state.dirty_pages, __ATOMIC_RELAXED) * TARGET_PAGE_SIZE;
}

void ram_save_cleanup(void)
{
    g_assert(bql_locked());
    if (ram_dirty_log_is_enabled()) {
        ram_dirty_log_stop();
    }
    g_mutex_lock(&ram_state.bitmap_mutex);
    ram_blocks_free();
    ram_state.dirty_pages = 0;
    g_mutex_unlock(&ram_state.bitmap_mutex);
}

uint64_t ram_guest_free_page_hint(hwaddr gpa, uint64_t len)
{
    uint64_t cleared = 0;

    for (int i = 0; i < ram_state.nblocks; i++) {
        RAMMigBlock *b = &ram_state.blocks[i];
        hwaddr start = b->rb->guest_addr, end = start + b->npages * TARGET_PAGE_SIZE;
        hwaddr lo = QEMU_ALIGN_UP(MAX(gpa, start), TARGET_PAGE_SIZE);
        hwaddr hi = QEMU_ALIGN_DOWN(MIN(gpa + len, end), TARGET_PAGE_SIZE);

        if (gpa + len < gpa || lo >= hi) {
            continue;
        }
        cleared += bitmap_clear_count(b->bmap, (lo - start) / TARGET_PAGE_SIZE,
                                      (hi - lo) / TARGET_PAGE_SIZE);
    }
    ram_state.dirty_pages -= cleared;
    STAT_ADD(hinted_bytes, cleared * TARGET_PAGE_SIZE);
    if (ram_state.first_pass) {
        STAT_ADD(first_pass_hinted_bytes, cleared * TARGET_PAGE_SIZE);
    }
    return cleared * TARGET_PAGE_SIZE;
}

/*
 * The first pass may wait for the guest's first round of free page hints
 * (docs/devel/migration/free-page-hint.rst, "Getting the hints early").  The
 * hint device asks the guest at setup, right after every page was marked;
 * without waiting, the first pass would race those hints and send much of
 * what the guest is about to report free.  The wait ends when the device
 * says the round is over or at the deadline, whichever comes first: the
 * sender never waits on the guest alone.  Deadline in g_get_monotonic_time()
 * microseconds, 0 when nothing is held.
 */
static GMutex first_pass_hold_lock;
static GCond first_pass_hold_cond;
static int64_t first_pass_hold_until;

void ram_first_pass_hold(uint32_t timeout_ms)
{
    g_mutex_lock(&first_pass_hold_lock);
    __atomic_store_n(&first_pass_hold_until, g_get_monotonic_time() + timeout_ms * 1000ll,
                     __ATOMIC_RELEASE);
    g_mutex_unlock(&first_pass_hold_lock);
}

void ram_first_pass_release(void)
{
    g_mutex_lock(&first_pass_hold_lock);
    __atomic_store_n(&first_pass_hold_until, 0, __ATOMIC_RELEASE);
    g_cond_broadcast(&first_pass_hold_cond);
    g_mutex_unlock(&first_pass_hold_lock);
}

/* Sender: wait out a hold, if any. */
static void ram_first_pass_wait(void)
{
    int64_t start = g_get_monotonic_time(), until;

    if (!__atomic_load_n(&first_pass_hold_until, __ATOMIC_ACQUIRE)) {
        return;
    }
    g_mutex_lock(&first_pass_hold_lock);
    while ((until = first_pass_hold_until) && g_get_monotonic_time() < until) {
        g_cond_wait_until(&first_pass_hold_cond, &first_pass_hold_lock, until);
    }
    first_pass_hold_until = 0;
    g_mutex_unlock(&first_pass_hold_lock);
    STAT_ADD(first_pass_wait_us, g_get_monotonic_time() - start);
}

void ram_get_stats(RAMStats *stats)
{
    uint64_t total = 0;

    for (RAMBlock *rb = ram_list; rb; rb = rb->next) {
        total += rb->used_length;
    }
    stats->total_bytes = total;
    stats->remaining_bytes = ram_bytes_remaining();
    stats->zero_pages = STAT_GET(zero_pages);
    stats->normal_pages = STAT_GET(normal_pages);
    stats->ballooned_pages = STAT_GET(ballooned_pages);
    stats->unbacked_pages = STAT_GET(unbacked_pages);
    stats->hinted_bytes = STAT_GET(hinted_bytes);
    stats->first_pass_hinted_bytes = STAT_GET(first_pass_hinted_bytes);
    stats->first_pass_wait_ms = STAT_GET(first_pass_wait_us) / 1000;
    stats->dirty_sync_count = STAT_GET(dirty_sync_count);
    stats->dirty_pages_rate = STAT_GET(dirty_pages_rate);
}

/* ---- the sender ---- */

/*
 * Take (read and clear) up to @max_words bitmap words at or after *@word,
 * skipping clear words.  Returns the number of words taken, 0 when the
 * search found nothing before its limit (*@word tells how far it got).
 */
static uint64_t ram_take_batch(RAMMigBlock *b, uint64_t *word, uint64_t max_words,
                               unsigned long *taken)
{
    uint64_t nwords = BITS_TO_LONGS(b->npages);
    uint64_t w = *word, limit = MIN(nwords, w + RAM_SCAN_WORDS_PER_LOCK);
    uint64_t n = 0, pages = 0;

    g_mutex_lock(&ram_state.bitmap_mutex);
    while (w < limit && !b->bmap[w]) {
        w++;
    }
    if (w < limit) {
        n = MIN(max_words, nwords - w);
        for (uint64_t i = 0; i < n; i++) {
            taken[i] = b->bmap[w + i];
            b->bmap[w + i] = 0;
            pages += __builtin_popcountl(taken[i]);
        }
        ram_state.dirty_pages -= pages;
    }
    g_mutex_unlock(&ram_state.bitmap_mutex);
    *word = w;
    return n;
}

static void ram_put_zero_run(QEMUFile *f, uint64_t page, uint64_t count)
{
    while (count) {
        uint32_t n = MIN(count, UINT32_MAX);

        qemu_put_byte(f, RAM_ENTRY_ZERO);
        qemu_put_be64(f, page);
        qemu_put_be32(f, n);
        page += n;
        count -= n;
    }
}

/* One RAM record: the pages of @taken (bit i = page @first + i) of block @bi. */
static void ram_send_batch(QEMUFile *f, int bi, uint64_t first, uint64_t span,
                           const unsigned long *taken)
{
    RAMMigBlock *b = &ram_state.blocks[bi];
    unsigned long backed[RAM_BATCH_WORDS];
    uint64_t zero_start = 0, zero_len = 0, zeros = 0, normals = 0, unbacked = 0;

    if (ram_state.first_pass) {
        /* Pages the host never backed read as zero: do not fault them in. */
        host_pages_backed(b->rb->host + first * TARGET_PAGE_SIZE, span, backed);
    } else {
        /* Later passes send written pages: backed by definition. */
        bitmap_fill(backed, span);
    }
    qemu_file_crc_reset(f);
    qemu_put_byte(f, MIG_RECORD_RAM);
    qemu_put_be16(f, bi);
    for (uint64_t i = find_next_bit(taken, span, 0); i < span;
         i = find_next_bit(taken, span, i + 1)) {
        uint64_t page = first + i;
        const uint8_t *host = b->rb->host + page * TARGET_PAGE_SIZE;
        bool is_backed = test_bit(i, backed);

        if (!is_backed || buffer_is_zero(host, TARGET_PAGE_SIZE)) {
            unbacked += !is_backed;
            zeros++;
            if (zero_len && zero_start + zero_len == page) {
                zero_len++;
            } else {
                ram_put_zero_run(f, zero_start, zero_len);
                zero_start = page;
                zero_len = 1;
            }
            continue;
        }
        ram_put_zero_run(f, zero_start, zero_len);
        zero_len = 0;
        /*
         * The guest may write the page meanwhile, and the bytes sent must be
         * the bytes the CRC covers: a put below QEMU_FILE_DIRECT_MIN copies
         * into the file's buffer, which the CRC reads, so that copy is the
         * snapshot.  The write is in the dirty log: the page goes again.
         */
        G_STATIC_ASSERT(TARGET_PAGE_SIZE < QEMU_FILE_DIRECT_MIN);
        qemu_put_byte(f, RAM_ENTRY_NORMAL);
        qemu_put_be64(f, page);
        qemu_put_buffer(f, host, TARGET_PAGE_SIZE);
        normals++;
    }
    ram_put_zero_run(f, zero_start, zero_len);
    qemu_put_byte(f, RAM_ENTRY_END);
    qemu_put_be32(f, qemu_file_crc(f));
    STAT_ADD(zero_pages, zeros);
    STAT_ADD(normal_pages, normals);
    STAT_ADD(unbacked_pages, unbacked);
}

bool ram_save_iterate(QEMUFile *f, uint64_t max_bytes, bool *pass_done)
{
    uint64_t start = qemu_file_transferred(f);
    unsigned long taken[RAM_BATCH_WORDS];

    *pass_done = false;
    if (ram_state.first_pass) {
        ram_first_pass_wait();
    }
    for (int batches = 0; batches < RAM_BATCHES_PER_ITERATE;) {
        uint64_t sent = qemu_file_transferred(f) - start;
        RAMMigBlock *b;
        uint64_t n, first, words;

        if (sent >= max_bytes) {
            break;
        }
        /* No more words than the budget could take if every page were data. */
        words = MIN((max_bytes - sent) / (BITS_PER_LONG * TARGET_PAGE_SIZE) + 1,
                    RAM_BATCH_WORDS);
        if (ram_state.cur_block >= ram_state.nblocks) {
            *pass_done = true;
            break;
        }
        b = &ram_state.blocks[ram_state.cur_block];
        n = ram_take_batch(b, &ram_state.cur_word, words, taken);
        if (!n) {
            if (ram_state.cur_word >= BITS_TO_LONGS(b->npages)) {
                ram_state.cur_block++;
                ram_state.cur_word = 0;
            }
            continue;
        }
        first = ram_state.cur_word * BITS_PER_LONG;
        ram_send_batch(f, ram_state.cur_block, first,
                       MIN(n * BITS_PER_LONG, b->npages - first), taken);
        ram_state.cur_word += n;
        batches++;
        if (qemu_file_get_error(f)) {
            return false;
        }
    }
    return !qemu_file_get_error(f);
}

bool ram_save_complete(QEMUFile *f)
{
    bool done = false;

    while (!done) {
        if (!ram_save_iterate(f, UINT64_MAX, &done)) {
            return false;
        }
    }
    return true;
}

/* ---- the destination ---- */

void ram_load_setup(void)
{
    ram_blocks_init(false);
    for (int i = 0; i < ram_state.nblocks; i++) {
        RAMBlock *rb = ram_state.blocks[i].rb;

        /*
         * The stream defines all of RAM: drop what the loader put there, so
         * every page the stream does not fill is fresh and never touched,
         * and the host backs only what the guest used.  Without huge pages,
         * one 4 KiB page written costs 4 KiB of host memory, not 2 MiB.
         */
        madvise(rb->host, rb->used_length, MADV_DONTNEED);
        madvise(rb->host, rb->used_length, MADV_NOHUGEPAGE);
    }
}

void ram_load_cleanup(void)
{
    ram_blocks_free();
}

/* Make pages [page, page + count) zero, writing only the backed ones that are not. */
static void ram_load_zero(RAMMigBlock *b, uint64_t page, uint64_t count)
{
    unsigned long backed[BITS_TO_LONGS(4096)];

    while (count) {
        uint64_t n = MIN(count, 4096);

        host_pages_backed(b->rb->host + page * TARGET_PAGE_SIZE, n, backed);
        for (uint64_t i = find_next_bit(backed, n, 0); i < n;
             i = find_next_bit(backed, n, i + 1)) {
            uint8_t *host = b->rb->host + (page + i) * TARGET_PAGE_SIZE;

            if (!buffer_is_zero(host, TARGET_PAGE_SIZE)) {
                memset(host, 0, TARGET_PAGE_SIZE);
            }
        }
        page += n;
        count -= n;
    }
}

bool ram_load_batch(QEMUFile *f, Error **errp)
{
    uint16_t bi = qemu_get_be16(f);
    RAMMigBlock *b;
    uint32_t crc, want;

    if (qemu_file_get_error(f)) {
        return migration_stream_error(f, "RAM record", errp);
    }
    if (bi >= ram_state.nblocks) {
        error_setg(errp, "RAM record for block %u, but the machine has %d RAM blocks", bi,
                   ram_state.nblocks);
        return false;
    }
    b = &ram_state.blocks[bi];
    for (;;) {
        uint8_t kind = qemu_get_byte(f);
        uint64_t page, count = 1;

        if (kind == RAM_ENTRY_END || qemu_file_get_error(f)) {
            break;
        }
        page = qemu_get_be64(f);
        if (kind == RAM_ENTRY_ZERO) {
            count = qemu_get_be32(f);
        } else if (kind != RAM_ENTRY_NORMAL) {
            error_setg(errp, "unknown RAM entry type 0x%02x in block '%s'", kind,
                       b->rb->idstr);
            return false;
        }
        if (qemu_file_get_error(f)) {
            break;
        }
        if (page >= b->npages || count > b->npages - page) {
            error_setg(errp,
                       "RAM entry for pages %" PRIu64 "..%" PRIu64 " is outside "
                       "block '%s' of %" PRIu64 " pages",
                       page, page + count - 1, b->rb->idstr, b->npages);
            return false;
        }
        if (kind == RAM_ENTRY_ZERO) {
            ram_load_zero(b, page, count);
        } else {
            /* Straight into guest RAM: a stream that fails later never runs. */
            qemu_get_buffer(f, b->rb->host + page * TARGET_PAGE_SIZE, TARGET_PAGE_SIZE);
        }
    }
    crc = qemu_file_crc(f);
    want = qemu_get_be32(f);
    if (qemu_file_get_error(f)) {
        return migration_stream_error(f, "RAM record", errp);
    }
    if (crc != want) {
        error_setg(errp,
                   "RAM record for block '%s' is corrupt (CRC32 0x%08x, the "
                   "stream says 0x%08x)",
                   b->rb->idstr, crc, want);
        return false;
    }
    return true;
}
