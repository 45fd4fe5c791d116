// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * hintvm guest agent: /init of the test guest's initramfs.
 *
 * Reads commands line by line from the console and answers each with
 * exactly one line starting with "OK " or "ERR ", so that tests can drive
 * the guest over a serial port.  Commands from the kernel command line
 * (agent.cmds="cmd1;cmd2") run first.  See tests/guest/README.rst.
 *
 * Memory commands are designed for migration and balloon tests: "hold"
 * fills memory with a pattern derived from (seed, page, version), "dirty"
 * rewrites pages with a new version at a given rate, and "verify" checks
 * every held page against its recorded version, so a page that a
 * migration failed to resend is detected.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#define MAX_REGIONS    64
#define LINE_MAX_LEN   4096
#define DIRTY_TICK_NS  10000000L  /* 10 ms */
#define MEM_RESERVE_KB (8 * 1024) /* keep this much available after allocs */

struct region {
    uint8_t *mem;
    size_t pages;
    uint64_t seed;
    uint32_t *versions; /* per page, bumped by "dirty" */
};

static struct region regions[MAX_REGIONS];
static int region_count;
static uint64_t next_seed = 1;
static size_t page_size;
static bool is_init;

/* Background dirtier state. */
static pthread_t dirty_thread;
static bool dirty_running;
static atomic_bool dirty_stop_flag;
static double dirty_rate_mb;
static uint64_t dirty_pages_done;
static double dirty_started;
static int dirty_wake_pipe[2] = { -1, -1 }; /* wakes a sleeping dirtier */
static int dirty_region_cursor;
static size_t dirty_page_cursor;

/* Background ticker state ("tick MS"): a line per period shows that the
 * guest's timer interrupts arrive, e.g. on the destination of a migration. */
static pthread_t tick_thread;
static bool tick_running;
static atomic_bool tick_stop_flag;
static long tick_period_ms;
static uint64_t tick_count;
static int tick_wake_pipe[2] = { -1, -1 };

/* ---- output ---- */

static void reply(bool ok, const char *fmt, ...)
{
    va_list ap;

    /* One locked write per line: the ticker thread prints too. */
    flockfile(stdout);
    fputs(ok ? "OK " : "ERR ", stdout);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    fputc('\n', stdout);
    fflush(stdout);
    funlockfile(stdout);
}

static double now_seconds(clockid_t clock)
{
    struct timespec ts;

    clock_gettime(clock, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* ---- parsing helpers ---- */

/* "512M", "4k", "1G", "65536" -> bytes; returns false on bad input. */
static bool parse_size(const char *s, size_t *out)
{
    char *end;
    unsigned long long v;

    if (!s || !isdigit((unsigned char)*s)) {
        return false;
    }
    errno = 0;
    v = strtoull(s, &end, 10);
    if (errno) {
        return false;
    }
    switch (toupper((unsigned char)*end)) {
    case 'K':
        v <<= 10;
        end++;
        break;
    case 'M':
        v <<= 20;
        end++;
        break;
    case 'G':
        v <<= 30;
        end++;
        break;
    }
    if (toupper((unsigned char)*end) == 'I') {
        end++;
    }
    if (toupper((unsigned char)*end) == 'B') {
        end++;
    }
    if (*end != '\0' || v == 0) {
        return false;
    }
    *out = v;
    return true;
}

static bool parse_seconds(const char *s, double *out)
{
    char *end;

    if (!s) {
        return false;
    }
    *out = strtod(s, &end);
    return end != s && *end == '\0' && *out >= 0;
}

static const char *format_size(size_t bytes, char *buf, size_t len)
{
    if (bytes && bytes % (1UL << 30) == 0) {
        snprintf(buf, len, "%zuG", bytes >> 30);
    } else if (bytes && bytes % (1UL << 20) == 0) {
        snprintf(buf, len, "%zuM", bytes >> 20);
    } else if (bytes && bytes % (1UL << 10) == 0) {
        snprintf(buf, len, "%zuK", bytes >> 10);
    } else {
        snprintf(buf, len, "%zu", bytes);
    }
    return buf;
}

/* Value of a /proc/meminfo field in kB, or -1. */
static long meminfo_kb(const char *field)
{
    char line[256];
    size_t flen = strlen(field);
    long value = -1;
    FILE *f = fopen("/proc/meminfo", "r");

    if (!f) {
        return -1;
    }
    while (fgets(line, sizeof(line), f)) {
        if (strncmp(line, field, flen) == 0 && line[flen] == ':') {
            value = strtol(line + flen + 1, NULL, 10);
            break;
        }
    }
    fclose(f);
    return value;
}

/* Refuse allocations that would run the guest out of memory: an OOM kill
 * of pid 1 panics the kernel. */
static bool enough_memory(const char *cmd, size_t bytes)
{
    long avail = meminfo_kb("MemAvailable");
    char buf[32];

    if (avail >= 0 && (long)(bytes >> 10) > avail - MEM_RESERVE_KB) {
        reply(false, "%s %s: not enough memory (MemAvailable=%ldkB)", cmd,
              format_size(bytes, buf, sizeof(buf)), avail);
        return false;
    }
    return true;
}

/* ---- memory pattern ---- */

static uint64_t mix64(uint64_t x)
{
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    x ^= x >> 31;
    return x;
}

static uint64_t page_base(uint64_t seed, size_t page, uint32_t version)
{
    return mix64(seed * 0x9e3779b97f4a7c15ULL ^ mix64(page) ^ ((uint64_t)version << 40));
}

static inline uint64_t pattern_word(uint64_t base, size_t word)
{
    return base ^ (word * 0xd6e8feb86659fd93ULL);
}

static void fill_page(struct region *r, size_t page)
{
    uint64_t *p = (uint64_t *)(r->mem + page * page_size);
    uint64_t base = page_base(r->seed, page, r->versions[page]);
    size_t words = page_size / sizeof(uint64_t);

    for (size_t w = 0; w < words; w++) {
        p[w] = pattern_word(base, w);
    }
}

static uint64_t hash_words(uint64_t h, const uint64_t *p, size_t words)
{
    for (size_t w = 0; w < words; w++) {
        h = (h ^ p[w]) * 0x100000001b3ULL;
        h = (h << 29) | (h >> 35);
    }
    return h;
}

#define HASH_INIT 0xcbf29ce484222325ULL

static size_t held_bytes(void)
{
    size_t total = 0;

    for (int i = 0; i < region_count; i++) {
        total += regions[i].pages * page_size;
    }
    return total;
}

static uint64_t held_checksum(void)
{
    uint64_t h = HASH_INIT;

    for (int i = 0; i < region_count; i++) {
        h = hash_words(h, (uint64_t *)regions[i].mem,
                       regions[i].pages * page_size / sizeof(uint64_t));
    }
    return h;
}

/* ---- dirtying ---- */

static void dirty_one_page(void)
{
    struct region *r = &regions[dirty_region_cursor];

    r->versions[dirty_page_cursor]++;
    fill_page(r, dirty_page_cursor);
    if (++dirty_page_cursor == r->pages) {
        dirty_page_cursor = 0;
        dirty_region_cursor = (dirty_region_cursor + 1) % region_count;
    }
}

/* Rewrite held pages at rate_mb MB/s (0 = as fast as possible) until
 * deadline (monotonic seconds; 0 = until dirty_stop_flag). */
static uint64_t dirty_loop(double rate_mb, double deadline)
{
    double pages_per_tick = rate_mb * (1 << 20) / page_size * (DIRTY_TICK_NS / 1e9);
    double budget = 0;
    uint64_t done = 0;
    struct timespec next, now;

    clock_gettime(CLOCK_MONOTONIC, &next);
    while (!atomic_load(&dirty_stop_flag)) {
        if (deadline > 0 && now_seconds(CLOCK_MONOTONIC) >= deadline) {
            break;
        }
        if (rate_mb == 0) {
            for (int i = 0; i < 64; i++, done++) {
                dirty_one_page();
            }
            continue;
        }
        budget += pages_per_tick;
        while (budget >= 1 && !atomic_load(&dirty_stop_flag)) {
            dirty_one_page();
            budget -= 1;
            done++;
        }
        next.tv_nsec += DIRTY_TICK_NS;
        if (next.tv_nsec >= 1000000000L) {
            next.tv_nsec -= 1000000000L;
            next.tv_sec++;
        }
        /* After falling behind by more than 100 ms (slow vCPU, a clock
         * jump across a migration) restart the schedule instead of
         * catching up in one burst. */
        clock_gettime(CLOCK_MONOTONIC, &now);
        long behind_ns =
            (now.tv_sec - next.tv_sec) * 1000000000L + (now.tv_nsec - next.tv_nsec);
        if (behind_ns > 100000000L) {
            next = now;
        } else if (behind_ns < 0) {
            /* Sleep until the next tick, or until "dirty stop" writes to
             * the pipe: stopping must not depend on timer interrupts. */
            struct timespec wait = { 0, -behind_ns };
            struct pollfd pfd = { .fd = dirty_wake_pipe[0], .events = POLLIN };

            ppoll(&pfd, 1, &wait, NULL);
        }
    }
    return done;
}

static void *dirty_thread_main(void *arg)
{
    (void)arg;
    dirty_pages_done = dirty_loop(dirty_rate_mb, 0);
    return NULL;
}

/* Stop a background thread that sleeps in ppoll on @wake_pipe: it must not
 * depend on a timer interrupt to notice. */
static void stop_background(pthread_t thread, atomic_bool *stop_flag, int wake_pipe[2])
{
    atomic_store(stop_flag, true);
    if (write(wake_pipe[1], "x", 1) < 0) {
        /* the pipe is only full if already signalled */
    }
    pthread_join(thread, NULL);
    while (read(wake_pipe[0], (char[16]){ 0 }, 16) > 0) {
    }
}

/* Stop the background dirtier; returns its page count (0 if none). */
static uint64_t dirty_stop(double *seconds)
{
    if (!dirty_running) {
        *seconds = 0;
        return 0;
    }
    stop_background(dirty_thread, &dirty_stop_flag, dirty_wake_pipe);
    dirty_running = false;
    *seconds = now_seconds(CLOCK_MONOTONIC) - dirty_started;
    return dirty_pages_done;
}

static void dirty_stop_quiet(void)
{
    double seconds;

    dirty_stop(&seconds);
}

/* ---- commands ---- */

static void cmd_touch(char *arg)
{
    size_t bytes;
    char buf[32];
    double t0 = now_seconds(CLOCK_MONOTONIC);

    if (!parse_size(arg, &bytes)) {
        reply(false, "touch: usage: touch SIZE");
        return;
    }
    if (!enough_memory("touch", bytes)) {
        return;
    }
    uint8_t *mem =
        mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (mem == MAP_FAILED) {
        reply(false, "touch %s: mmap: %s", format_size(bytes, buf, sizeof(buf)),
              strerror(errno));
        return;
    }
    for (size_t off = 0; off < bytes; off += page_size) {
        *(volatile uint64_t *)(mem + off) = off | 1;
    }
    munmap(mem, bytes);
    reply(true, "touch %s ms=%.0f", format_size(bytes, buf, sizeof(buf)),
          (now_seconds(CLOCK_MONOTONIC) - t0) * 1000);
}

static void cmd_hold(char *arg)
{
    size_t bytes;
    char buf[32];
    struct region *r;
    double t0 = now_seconds(CLOCK_MONOTONIC);

    if (!parse_size(arg, &bytes)) {
        reply(false, "hold: usage: hold SIZE");
        return;
    }
    bytes = (bytes + page_size - 1) / page_size * page_size;
    if (region_count == MAX_REGIONS) {
        reply(false, "hold: too many regions (release first)");
        return;
    }
    if (!enough_memory("hold", bytes)) {
        return;
    }
    dirty_stop_quiet();
    r = &regions[region_count];
    r->pages = bytes / page_size;
    r->seed = next_seed++;
    r->versions = calloc(r->pages, sizeof(*r->versions));
    r->mem =
        mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (!r->versions || r->mem == MAP_FAILED) {
        free(r->versions);
        reply(false, "hold %s: out of memory", format_size(bytes, buf, sizeof(buf)));
        return;
    }
    for (size_t p = 0; p < r->pages; p++) {
        fill_page(r, p);
    }
    region_count++;
    uint64_t sum = hash_words(HASH_INIT, (uint64_t *)r->mem, bytes / sizeof(uint64_t));
    reply(true, "hold %s sum=%016" PRIx64 " seed=%" PRIu64 " held=%s ms=%.0f",
          format_size(bytes, buf, sizeof(buf)), sum, r->seed,
          format_size(held_bytes(), (char[32]){ 0 }, 32),
          (now_seconds(CLOCK_MONOTONIC) - t0) * 1000);
}

static void cmd_release(char *arg)
{
    char buf[32];
    size_t bytes;

    (void)arg;
    dirty_stop_quiet();
    bytes = held_bytes();
    for (int i = 0; i < region_count; i++) {
        munmap(regions[i].mem, regions[i].pages * page_size);
        free(regions[i].versions);
    }
    region_count = 0;
    dirty_region_cursor = 0;
    dirty_page_cursor = 0;
    reply(true, "release %s", format_size(bytes, buf, sizeof(buf)));
}

static void cmd_verify(char *arg)
{
    char buf[32];
    size_t global_page = 0;
    size_t words = page_size / sizeof(uint64_t);

    (void)arg;
    dirty_stop_quiet();
    for (int i = 0; i < region_count; i++) {
        struct region *r = &regions[i];

        for (size_t p = 0; p < r->pages; p++, global_page++) {
            const uint64_t *mem = (uint64_t *)(r->mem + p * page_size);
            uint64_t base = page_base(r->seed, p, r->versions[p]);

            for (size_t w = 0; w < words; w++) {
                if (mem[w] != pattern_word(base, w)) {
                    reply(false,
                          "verify mismatch at page %zu region=%d "
                          "word=%zu version=%" PRIu32 " got=%016" PRIx64
                          " want=%016" PRIx64,
                          global_page, i, w, r->versions[p], mem[w],
                          pattern_word(base, w));
                    return;
                }
            }
        }
    }
    reply(true, "verify %s pages=%zu", format_size(held_bytes(), buf, sizeof(buf)),
          global_page);
}

static void cmd_checksum(char *arg)
{
    char buf[32];

    (void)arg;
    dirty_stop_quiet();
    reply(true, "checksum %s sum=%016" PRIx64,
          format_size(held_bytes(), buf, sizeof(buf)), held_checksum());
}

/* Overwrite one word of held page N (global index) without bumping its
 * version, so tests can check that verify catches corruption. */
static void cmd_corrupt(char *arg)
{
    char *end;
    size_t page;

    if (!arg || !isdigit((unsigned char)*arg)) {
        reply(false, "corrupt: usage: corrupt PAGE");
        return;
    }
    page = strtoull(arg, &end, 10);
    dirty_stop_quiet();
    for (int i = 0; i < region_count; i++) {
        if (page < regions[i].pages) {
            uint64_t *p = (uint64_t *)(regions[i].mem + page * page_size);

            p[1] = ~p[1];
            reply(true, "corrupt %s", arg);
            return;
        }
        page -= regions[i].pages;
    }
    reply(false, "corrupt %s: no such held page", arg);
}

static void cmd_dirty(char *arg)
{
    char *rate_s = strtok(arg, " \t");
    char *secs_s = strtok(NULL, " \t");
    double rate, secs, elapsed;
    uint64_t pages;

    if (rate_s && strcmp(rate_s, "stop") == 0) {
        bool was_running = dirty_running;

        pages = dirty_stop(&elapsed);
        if (!was_running) {
            reply(false, "dirty stop: not running");
            return;
        }
        reply(true, "dirty stop pages=%" PRIu64 " seconds=%.3f rate=%.1fMB/s", pages,
              elapsed, elapsed > 0 ? pages * page_size / elapsed / (1 << 20) : 0.0);
        return;
    }
    if (!parse_seconds(rate_s, &rate) || !parse_seconds(secs_s, &secs)) {
        reply(false, "dirty: usage: dirty RATE_MB_PER_S SECONDS | dirty stop");
        return;
    }
    if (region_count == 0) {
        reply(false, "dirty: no held memory (use hold first)");
        return;
    }
    dirty_stop_quiet();
    atomic_store(&dirty_stop_flag, false);
    if (secs == 0) {
        if (dirty_wake_pipe[0] < 0 &&
            pipe2(dirty_wake_pipe, O_CLOEXEC | O_NONBLOCK) != 0) {
            reply(false, "dirty: pipe: %s", strerror(errno));
            return;
        }
        dirty_rate_mb = rate;
        dirty_pages_done = 0;
        dirty_started = now_seconds(CLOCK_MONOTONIC);
        if (pthread_create(&dirty_thread, NULL, dirty_thread_main, NULL)) {
            reply(false, "dirty: cannot start thread");
            return;
        }
        dirty_running = true;
        reply(true, "dirty %gMB/s background", rate);
        return;
    }
    double t0 = now_seconds(CLOCK_MONOTONIC);
    pages = dirty_loop(rate, t0 + secs);
    elapsed = now_seconds(CLOCK_MONOTONIC) - t0;
    reply(true, "dirty %gMB/s %gs pages=%" PRIu64 " rate=%.1fMB/s", rate, secs, pages,
          pages * page_size / elapsed / (1 << 20));
}

static void cmd_meminfo(char *arg)
{
    (void)arg;
    reply(true, "meminfo MemTotal=%ld MemFree=%ld MemAvailable=%ld",
          meminfo_kb("MemTotal"), meminfo_kb("MemFree"), meminfo_kb("MemAvailable"));
}

/* Harts the kernel brought online: checks that -smp N really gives N. */
static void cmd_cpus(char *arg)
{
    (void)arg;
    reply(true, "cpus %ld", sysconf(_SC_NPROCESSORS_ONLN));
}

static void cmd_echo(char *arg)
{
    reply(true, "echo %s", arg ? arg : "");
}

static void cmd_uptime(char *arg)
{
    struct timespec rt;
    struct tm tm;
    char date[32];

    (void)arg;
    clock_gettime(CLOCK_REALTIME, &rt);
    gmtime_r(&rt.tv_sec, &tm);
    strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%SZ", &tm);
    reply(true, "uptime %.3f monotonic=%.6f realtime=%lld.%03ld date=%s",
          now_seconds(CLOCK_BOOTTIME), now_seconds(CLOCK_MONOTONIC), (long long)rt.tv_sec,
          rt.tv_nsec / 1000000, date);
}

static void cmd_sleep(char *arg)
{
    double secs;
    struct timespec ts;

    if (!parse_seconds(arg, &secs)) {
        reply(false, "sleep: usage: sleep SECONDS");
        return;
    }
    ts.tv_sec = (time_t)secs;
    ts.tv_nsec = (long)((secs - ts.tv_sec) * 1e9);
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
    reply(true, "sleep %g", secs);
}

/* Sleep one period in ppoll on a pipe, so "tick stop" does not depend on
 * the timer interrupt that the ticker is there to observe. */
static void *tick_thread_main(void *arg)
{
    struct pollfd pfd = { .fd = tick_wake_pipe[0], .events = POLLIN };
    struct timespec period = { tick_period_ms / 1000, tick_period_ms % 1000 * 1000000L };

    (void)arg;
    while (!atomic_load(&tick_stop_flag)) {
        ppoll(&pfd, 1, &period, NULL);
        if (atomic_load(&tick_stop_flag)) {
            break;
        }
        tick_count++;
        printf("tick %" PRIu64 " monotonic=%.3f\n", tick_count,
               now_seconds(CLOCK_MONOTONIC));
        fflush(stdout);
    }
    return NULL;
}

static bool tick_stop(void)
{
    if (!tick_running) {
        return false;
    }
    stop_background(tick_thread, &tick_stop_flag, tick_wake_pipe);
    tick_running = false;
    return true;
}

static void cmd_tick(char *arg)
{
    char *end;
    long ms;

    if (arg && strcmp(arg, "stop") == 0) {
        if (!tick_stop()) {
            reply(false, "tick stop: not running");
            return;
        }
        reply(true, "tick stop ticks=%" PRIu64, tick_count);
        return;
    }
    ms = arg ? strtol(arg, &end, 10) : 0;
    if (!arg || *end != '\0' || ms <= 0) {
        reply(false, "tick: usage: tick MILLISECONDS | tick stop");
        return;
    }
    tick_stop();
    if (tick_wake_pipe[0] < 0 && pipe2(tick_wake_pipe, O_CLOEXEC | O_NONBLOCK) != 0) {
        reply(false, "tick: pipe: %s", strerror(errno));
        return;
    }
    atomic_store(&tick_stop_flag, false);
    tick_period_ms = ms;
    tick_count = 0;
    if (pthread_create(&tick_thread, NULL, tick_thread_main, NULL)) {
        reply(false, "tick: cannot start thread");
        return;
    }
    tick_running = true;
    reply(true, "tick %ldms background", ms);
}

static int name_compare(const struct dirent **a, const struct dirent **b)
{
    return strverscmp((*a)->d_name, (*b)->d_name);
}

static void cmd_devices(char *arg)
{
    const char *dir = "/sys/bus/virtio/devices";
    struct dirent **names;
    char list[LINE_MAX_LEN] = "";
    size_t used = 0;
    int n;

    (void)arg;
    n = scandir(dir, &names, NULL, name_compare);
    if (n < 0) {
        reply(true, "devices");
        return;
    }
    for (int i = 0; i < n; i++) {
        char path[512], id[32];
        FILE *f;

        if (names[i]->d_name[0] != '.') {
            snprintf(path, sizeof(path), "%s/%s/device", dir, names[i]->d_name);
            f = fopen(path, "r");
            if (f && fgets(id, sizeof(id), f) && used < sizeof(list) - 32) {
                used += snprintf(list + used, sizeof(list) - used, " virtio:%ld",
                                 strtol(id, NULL, 0));
            }
            if (f) {
                fclose(f);
            }
        }
        free(names[i]);
    }
    free(names);
    reply(true, "devices%s", list);
}

static void cmd_poweroff(char *arg)
{
    (void)arg;
    dirty_stop_quiet();
    sync();
    reply(true, "poweroff");
    if (!is_init) {
        exit(0);
    }
    reboot(RB_POWER_OFF);
    reply(false, "poweroff: %s", strerror(errno));
}

static void cmd_reboot(char *arg)
{
    (void)arg;
    dirty_stop_quiet();
    sync();
    reply(true, "reboot");
    if (!is_init) {
        exit(0);
    }
    reboot(RB_AUTOBOOT);
    reply(false, "reboot: %s", strerror(errno));
}

static void cmd_help(char *arg);

static const struct command {
    const char *name;
    void (*fn)(char *arg);
    const char *usage;
} commands[] = {
    { "touch", cmd_touch, "touch SIZE" },
    { "hold", cmd_hold, "hold SIZE" },
    { "release", cmd_release, "release" },
    { "free", cmd_release, "free" },
    { "verify", cmd_verify, "verify" },
    { "checksum", cmd_checksum, "checksum" },
    { "corrupt", cmd_corrupt, "corrupt PAGE" },
    { "dirty", cmd_dirty, "dirty MB_PER_S SECONDS|dirty stop" },
    { "meminfo", cmd_meminfo, "meminfo" },
    { "devices", cmd_devices, "devices" },
    { "cpus", cmd_cpus, "cpus" },
    { "echo", cmd_echo, "echo TEXT" },
    { "uptime", cmd_uptime, "uptime" },
    { "sleep", cmd_sleep, "sleep SECONDS" },
    { "tick", cmd_tick, "tick MILLISECONDS|tick stop" },
    { "poweroff", cmd_poweroff, "poweroff" },
    { "reboot", cmd_reboot, "reboot" },
    { "help", cmd_help, "help" },
};

static void cmd_help(char *arg)
{
    char text[LINE_MAX_LEN];
    size_t used = 0;

    (void)arg;
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
        used += snprintf(text + used, sizeof(text) - used, "%s%s", i ? "; " : "",
                         commands[i].usage);
    }
    reply(true, "help %s", text);
}

/* Run one command line; blank lines are ignored. */
static void run_command(char *line)
{
    char *end = line + strlen(line);
    char *name, *arg;

    while (end > line && isspace((unsigned char)end[-1])) {
        *--end = '\0';
    }
    while (isspace((unsigned char)*line)) {
        line++;
    }
    if (*line == '\0') {
        return;
    }
    name = line;
    arg = line + strcspn(line, " \t");
    if (*arg) {
        *arg++ = '\0';
        arg += strspn(arg, " \t");
    } else {
        arg = NULL;
    }
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
        if (strcmp(name, commands[i].name) == 0) {
            commands[i].fn(arg);
            return;
        }
    }
    reply(false, "unknown command: %s (try help)", name);
}

/* Commands from agent.cmds="a;b" (or agent.cmds=a) on the kernel command
 * line. */
static void run_cmdline_commands(void)
{
    const char *path = getenv("AGENT_CMDLINE_FILE");
    char cmdline[LINE_MAX_LEN];
    char *p, *cmds, *save = NULL;
    FILE *f = fopen(path ? path : "/proc/cmdline", "r");

    if (!f) {
        return;
    }
    if (!fgets(cmdline, sizeof(cmdline), f)) {
        cmdline[0] = '\0';
    }
    fclose(f);
    for (p = cmdline; (p = strstr(p, "agent.cmds=")); p++) {
        if (p == cmdline || isspace((unsigned char)p[-1])) {
            break;
        }
    }
    if (!p) {
        return;
    }
    cmds = p + strlen("agent.cmds=");
    if (*cmds == '"') {
        cmds++;
        cmds[strcspn(cmds, "\"")] = '\0';
    } else {
        cmds[strcspn(cmds, " \t\n")] = '\0';
    }
    for (char *cmd = strtok_r(cmds, ";", &save); cmd; cmd = strtok_r(NULL, ";", &save)) {
        printf("agent> %s\n", cmd);
        fflush(stdout);
        run_command(cmd);
    }
}

static void mount_fs(const char *source, const char *target, const char *type)
{
    mkdir(target, 0755);
    if (mount(source, target, type, 0, NULL) != 0 && errno != EBUSY) {
        printf("agent: mount %s on %s: %s\n", type, target, strerror(errno));
    }
}

/* The console does not echo keystrokes: the agent repeats each command
 * line after its prompt itself, so output stays line-structured even when
 * a test types ahead of the prompt. */
static void console_echo_off(void)
{
    struct termios t;

    if (tcgetattr(0, &t) == 0) {
        t.c_lflag &= ~(ECHO | ECHOE | ECHOK | ECHONL);
        tcsetattr(0, TCSANOW, &t);
    }
}

static void setup_init(void)
{
    mount_fs("devtmpfs", "/dev", "devtmpfs");
    mount_fs("proc", "/proc", "proc");
    mount_fs("sysfs", "/sys", "sysfs");
    mount_fs("tmpfs", "/tmp", "tmpfs");
    /* The kernel opens /dev/console for init if the initramfs has it;
     * otherwise do it now that devtmpfs is mounted. */
    if (fcntl(0, F_GETFD) < 0) {
        int fd = open("/dev/console", O_RDWR | O_NOCTTY);

        if (fd >= 0) {
            dup2(fd, 0);
            dup2(fd, 1);
            dup2(fd, 2);
            if (fd > 2) {
                close(fd);
            }
        }
    }
}

int main(void)
{
    char line[LINE_MAX_LEN];

    is_init = getpid() == 1;
    page_size = sysconf(_SC_PAGESIZE);
    if (is_init) {
        setup_init();
    }
    console_echo_off();
    setvbuf(stdout, NULL, _IOLBF, 0);
    printf("hintvm-agent ready\n");
    fflush(stdout);
    run_cmdline_commands();
    for (;;) {
        fputs("agent> ", stdout);
        fflush(stdout);
        if (!fgets(line, sizeof(line), stdin)) {
            if (!is_init) {
                return 0;
            }
            /* pid 1 must not exit: wait for more input. */
            clearerr(stdin);
            sleep(1);
            continue;
        }
        line[strcspn(line, "\r\n")] = '\0';
        printf("%s\n", line);
        run_command(line);
    }
}
