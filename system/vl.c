/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Command line and start-up, with QEMU's option names and error style.
 */
#include "qemu/osdep.h"
#include "sysemu/sysemu.h"
#include "sysemu/runstate.h"
#include "sysemu/cpus.h"
#include "sysemu/cpu-timers.h"
#include "hw/boards.h"
#include "chardev/char.h"
#include "qapi/error.h"
#include "qemu/cutils.h"
#include "qemu/log.h"
#include "qemu/main-loop.h"
#include "qemu/timer.h"
#include "monitor/monitor.h"
#include "sysemu/qtest.h"
#include "sysemu/iothread.h"
#include "hw/qdev.h"
#include "migration/misc.h"
#include "qom/object.h"
#include <glib-unix.h>
#include <signal.h>

#define HINTVM_VERSION "0.1.0"

MachineState *current_machine;
const char *qemu_name;

typedef enum OptionArg { OPT_NONE, OPT_ARG } OptionArg;

typedef struct CmdlineOption {
    const char *name;
    OptionArg arg;
    const char *help;
} CmdlineOption;

static const CmdlineOption cmdline_options[] = {
    { "M", OPT_ARG, "-M virt[,dumpdtb=FILE][,accel=tcg|qtest]  select the machine" },
    { "machine", OPT_ARG, NULL },
    { "m", OPT_ARG, "-m [size=]SIZE   guest RAM size (default unit MiB; 4G, 512M)" },
    { "smp", OPT_ARG, "-smp [cpus=]N    number of harts" },
    { "cpu", OPT_ARG, "-cpu rv64        CPU model (rv64 only)" },
    { "bios", OPT_ARG, "-bios none|FILE  firmware (default: built-in SBI)" },
    { "kernel", OPT_ARG, "-kernel FILE     Linux Image or ELF to boot" },
    { "initrd", OPT_ARG, "-initrd FILE     initial ram disk" },
    { "append", OPT_ARG, "-append CMDLINE  kernel command line" },
    { "dtb", OPT_ARG, "-dtb FILE        use FILE as the device tree" },
    { "serial", OPT_ARG, "-serial DEV      serial port backend (stdio, null, file:, unix:, tcp:)" },
    { "nographic", OPT_NONE, "-nographic       serial on stdio, Ctrl-A x to quit" },
    { "display", OPT_ARG, "-display none    no display (the only kind)" },
    { "S", OPT_NONE, "-S               do not start the CPUs at start-up" },
    { "incoming", OPT_ARG, "-incoming tcp:[HOST]:PORT|unix:PATH|exec:CMD|file:PATH|defer\n"
      "                 wait for an incoming migration" },
    { "name", OPT_ARG, "-name NAME       guest name" },
    { "no-reboot", OPT_NONE, "-no-reboot       exit instead of rebooting" },
    { "nodefaults", OPT_NONE, "-nodefaults      no default serial port" },
    { "device", OPT_ARG, "-device DRIVER[,PROP=VALUE...]  add a device (-device help)" },
    { "object", OPT_ARG, "-object iothread,id=ID  create an IOThread" },
    { "chardev", OPT_ARG, "-chardev socket|stdio|null|file,id=ID,...  a named backend" },
    { "mon", OPT_ARG, "-mon chardev=ID,mode=control  QMP monitor on chardev ID" },
    { "qmp", OPT_ARG, "-qmp DEV         QMP monitor on unix:PATH,server=on,wait=off or tcp:..." },
    { "qtest", OPT_ARG, "-qtest unix:PATH  serve the qtest protocol (with -accel qtest)" },
    { "accel", OPT_ARG, "-accel tcg|qtest accelerator" },
    { "d", OPT_ARG, "-d ITEM,...      log items (-d help lists them)" },
    { "D", OPT_ARG, "-D LOGFILE       log to LOGFILE instead of stderr" },
    { "version", OPT_NONE, "-version         print the version and exit" },
    { "h", OPT_NONE, "-h, -help        print this help and exit" },
    { "help", OPT_NONE, NULL },
};

static const CmdlineOption *lookup_option(const char *name)
{
    for (size_t i = 0; i < ARRAY_SIZE(cmdline_options); i++) {
        if (!strcmp(cmdline_options[i].name, name)) {
            return &cmdline_options[i];
        }
    }
    return NULL;
}

static void print_help(void)
{
    printf("usage: hintvm-system-riscv64 [options]\n\n");
    for (size_t i = 0; i < ARRAY_SIZE(cmdline_options); i++) {
        if (cmdline_options[i].help) {
            printf("%s\n", cmdline_options[i].help);
        }
    }
}

typedef struct VlConfig {
    MachineState *ms;
    GPtrArray *serial_specs;
    GPtrArray *qmp_specs;
    GHashTable *chardev_specs;  /* -chardev id -> backend spec in -serial syntax */
    GPtrArray *device_specs;
    GPtrArray *object_specs;
    const char *qtest_spec;
    const char *incoming;
    bool nographic;
    bool nodefaults;
    bool start_paused;
} VlConfig;

/* The option lists live until the main loop has ended; nothing keeps them after. */
static void vl_config_free(VlConfig *cfg)
{
    g_ptr_array_unref(cfg->serial_specs);
    g_ptr_array_unref(cfg->qmp_specs);
    g_hash_table_unref(cfg->chardev_specs);
    g_ptr_array_unref(cfg->device_specs);
    g_ptr_array_unref(cfg->object_specs);
}

static bool parse_machine(VlConfig *cfg, const char *arg, Error **errp)
{
    static const char *const known[] = { "type", "dumpdtb", "accel", NULL };
    g_autoptr(GHashTable) opts = NULL;
    const char *v;

    if (!strcmp(arg, "help") || !strcmp(arg, "?")) {
        printf("Supported machines are:\n%-20s %s (default)\n", virt_machine_class.name,
               virt_machine_class.desc);
        exit(0);
    }
    if (!qemu_opt_parse_kv(arg, "type", &opts, errp) ||
        !qemu_opt_check_known(opts, "machine", known, errp)) {
        return false;
    }
    v = g_hash_table_lookup(opts, "type");
    if (v && strcmp(v, virt_machine_class.name)) {
        error_setg(errp, "unsupported machine type");
        error_append_hint(errp, "Use -machine help to list supported machines\n");
        return false;
    }
    if ((v = g_hash_table_lookup(opts, "dumpdtb"))) {
        cfg->ms->dumpdtb = g_strdup(v);
    }
    if ((v = g_hash_table_lookup(opts, "accel"))) {
        if (!strcmp(v, "qtest")) {
            cfg->ms->qtest = true;
        } else if (strcmp(v, "tcg")) {
            error_setg(errp, "invalid accelerator %s", v);
            return false;
        }
    }
    return true;
}

static bool parse_memory(VlConfig *cfg, const char *arg, Error **errp)
{
    static const char *const known[] = { "size", NULL };
    g_autoptr(GHashTable) opts = NULL;
    const char *v;
    uint64_t size;

    if (!qemu_opt_parse_kv(arg, "size", &opts, errp) ||
        !qemu_opt_check_known(opts, "memory", known, errp)) {
        return false;
    }
    v = g_hash_table_lookup(opts, "size");
    if (!v || qemu_strtosz_MiB(v, NULL, &size) < 0 || size == 0) {
        error_setg(errp, "Parameter 'size' expects a non-negative number below 2^64");
        error_append_hint(errp, "Optional suffix k, M, G, T, P or E means kilo-, mega-, "
                          "giga-, tera-, peta- and exabytes, respectively.\n");
        return false;
    }
    if (size % (2 * MiB)) {
        /* Linux maps RAM with 2 MiB pages at boot: keep the size a multiple. */
        size = QEMU_ALIGN_UP(size, 2 * MiB);
    }
    cfg->ms->ram_size = size;
    return true;
}

static bool parse_smp(VlConfig *cfg, const char *arg, Error **errp)
{
    static const char *const known[] = { "cpus", "maxcpus", "sockets", "cores", "threads",
                                         NULL };
    g_autoptr(GHashTable) opts = NULL;
    const char *v;
    int n;

    if (!qemu_opt_parse_kv(arg, "cpus", &opts, errp) ||
        !qemu_opt_check_known(opts, "smp-opts", known, errp)) {
        return false;
    }
    v = g_hash_table_lookup(opts, "cpus");
    if (!v || qemu_strtoi(v, NULL, 10, &n) < 0 || n < 1) {
        error_setg(errp, "Invalid SMP CPUs %s", v ? v : "(none)");
        return false;
    }
    if (n > virt_machine_class.max_cpus) {
        error_setg(errp, "Invalid SMP CPUs %d. The max CPUs supported by machine '%s' "
                   "is %d", n, virt_machine_class.name, virt_machine_class.max_cpus);
        return false;
    }
    cfg->ms->smp_cpus = n;
    return true;
}

/*
 * -chardev BACKEND,id=ID,...: keep the backend as a -serial style spec, to be
 * opened by whoever uses it (-serial chardev:ID or -mon chardev=ID).
 */
static bool parse_chardev(VlConfig *cfg, const char *arg, Error **errp)
{
    static const char *const known[] = { "backend", "id", "path", "host", "port",
                                         "server", "wait", "logfile", "signal", NULL };
    g_autoptr(GHashTable) opts = NULL;
    const char *backend, *id, *path, *host, *port;
    bool server = false, wait = true;
    char *spec;

    if (!qemu_opt_parse_kv(arg, "backend", &opts, errp) ||
        !qemu_opt_check_known(opts, "chardev", known, errp)) {
        return false;
    }
    backend = g_hash_table_lookup(opts, "backend");
    id = g_hash_table_lookup(opts, "id");
    path = g_hash_table_lookup(opts, "path");
    host = g_hash_table_lookup(opts, "host");
    port = g_hash_table_lookup(opts, "port");
    if (!backend) {
        error_setg(errp, "chardev: backend type is missing");
        return false;
    }
    if (!id) {
        error_setg(errp, "chardev: no id specified");
        return false;
    }
    if (g_hash_table_contains(cfg->chardev_specs, id)) {
        error_setg(errp, "attempt to add duplicate property '%s' to object (type "
                   "'container')", id);
        return false;
    }
    if ((g_hash_table_contains(opts, "server") &&
         !qemu_opt_get_bool(g_hash_table_lookup(opts, "server"), &server, errp)) ||
        (g_hash_table_contains(opts, "wait") &&
         !qemu_opt_get_bool(g_hash_table_lookup(opts, "wait"), &wait, errp))) {
        return false;
    }
    if (!strcmp(backend, "socket")) {
        const char *flags = server ? (wait ? ",server=on" : ",server=on,wait=off") : "";
        if (path) {
            spec = g_strdup_printf("unix:%s%s", path, flags);
        } else if (port) {
            spec = g_strdup_printf("tcp:%s:%s%s", host ? host : "", port, flags);
        } else {
            error_setg(errp, "chardev: socket: 'path' or 'port' is required");
            return false;
        }
    } else if (!strcmp(backend, "stdio") || !strcmp(backend, "null")) {
        spec = g_strdup(backend);
    } else if (!strcmp(backend, "file") && path) {
        spec = g_strdup_printf("file:%s", path);
    } else {
        error_setg(errp, "'%s' is not a valid char driver name", backend);
        error_append_hint(errp, "hintvm supports socket, stdio, null and file\n");
        return false;
    }
    g_hash_table_insert(cfg->chardev_specs, g_strdup(id), spec);
    return true;
}

/* -mon chardev=ID[,mode=control]: only QMP monitors exist in hintvm. */
static bool parse_mon(VlConfig *cfg, const char *arg, Error **errp)
{
    static const char *const known[] = { "chardev", "mode", "pretty", NULL };
    g_autoptr(GHashTable) opts = NULL;
    const char *id, *mode, *spec;

    if (!qemu_opt_parse_kv(arg, "chardev", &opts, errp) ||
        !qemu_opt_check_known(opts, "mon", known, errp)) {
        return false;
    }
    id = g_hash_table_lookup(opts, "chardev");
    mode = g_hash_table_lookup(opts, "mode");
    if (mode && strcmp(mode, "control")) {
        error_setg(errp, "-mon mode=%s: hintvm has QMP monitors only", mode);
        error_append_hint(errp, "Use mode=control\n");
        return false;
    }
    spec = id ? g_hash_table_lookup(cfg->chardev_specs, id) : NULL;
    if (!spec) {
        error_setg(errp, "-mon: chardev '%s' not found", id ? id : "");
        return false;
    }
    g_ptr_array_add(cfg->qmp_specs, (gpointer)spec);
    return true;
}

/* Handle one option; returns false with @errp set on a bad value. */
static bool handle_option(VlConfig *cfg, const char *name, const char *arg, Error **errp)
{
    MachineState *ms = cfg->ms;

    if (!strcmp(name, "M") || !strcmp(name, "machine")) {
        return parse_machine(cfg, arg, errp);
    } else if (!strcmp(name, "m")) {
        return parse_memory(cfg, arg, errp);
    } else if (!strcmp(name, "smp")) {
        return parse_smp(cfg, arg, errp);
    } else if (!strcmp(name, "cpu")) {
        if (strcmp(arg, "rv64") && strcmp(arg, "max")) {
            error_setg(errp, "unable to find CPU model '%s'", arg);
            return false;
        }
    } else if (!strcmp(name, "bios")) {
        ms->firmware = arg;
    } else if (!strcmp(name, "kernel")) {
        ms->kernel_filename = arg;
    } else if (!strcmp(name, "initrd")) {
        ms->initrd_filename = arg;
    } else if (!strcmp(name, "append")) {
        ms->kernel_cmdline = arg;
    } else if (!strcmp(name, "dtb")) {
        ms->dtb = arg;
    } else if (!strcmp(name, "serial")) {
        const char *spec = arg;

        if (g_str_has_prefix(arg, "chardev:")) {
            spec = g_hash_table_lookup(cfg->chardev_specs, arg + 8);
            if (!spec) {
                error_setg(errp, "-serial %s: chardev not found", arg);
                return false;
            }
        }
        g_ptr_array_add(cfg->serial_specs, (gpointer)spec);
    } else if (!strcmp(name, "device")) {
        g_ptr_array_add(cfg->device_specs, (gpointer)arg);
    } else if (!strcmp(name, "object")) {
        g_ptr_array_add(cfg->object_specs, (gpointer)arg);
    } else if (!strcmp(name, "chardev")) {
        return parse_chardev(cfg, arg, errp);
    } else if (!strcmp(name, "mon")) {
        return parse_mon(cfg, arg, errp);
    } else if (!strcmp(name, "qmp")) {
        g_ptr_array_add(cfg->qmp_specs, (gpointer)arg);
    } else if (!strcmp(name, "qtest")) {
        cfg->qtest_spec = arg;
    } else if (!strcmp(name, "nographic")) {
        cfg->nographic = true;
    } else if (!strcmp(name, "display")) {
        if (strcmp(arg, "none") && !g_str_has_prefix(arg, "none,")) {
            error_setg(errp, "Display '%s' is not available", arg);
            return false;
        }
    } else if (!strcmp(name, "S")) {
        cfg->start_paused = true;
    } else if (!strcmp(name, "incoming")) {
        cfg->incoming = arg;
    } else if (!strcmp(name, "name")) {
        qemu_name = g_str_has_prefix(arg, "guest=") ? arg + 6 : arg;
    } else if (!strcmp(name, "no-reboot")) {
        no_reboot = true;
    } else if (!strcmp(name, "nodefaults")) {
        cfg->nodefaults = true;
    } else if (!strcmp(name, "accel")) {
        g_autofree char *machine_opts = g_strdup_printf("accel=%s", arg);

        return parse_machine(cfg, machine_opts, errp);
    } else if (!strcmp(name, "d")) {
        int mask;
        if (!strcmp(arg, "help")) {
            qemu_print_log_usage(stdout);
            exit(0);
        }
        mask = qemu_str_to_log_mask(arg, errp);
        if (!mask) {
            return false;
        }
        qemu_set_log(mask);
    } else if (!strcmp(name, "D")) {
        return qemu_set_log_filename(arg, errp);
    } else if (!strcmp(name, "version")) {
        printf("hintvm emulator version " HINTVM_VERSION "\n");
        exit(0);
    } else if (!strcmp(name, "h") || !strcmp(name, "help")) {
        print_help();
        exit(0);
    }
    return true;
}

static bool parse_command_line(VlConfig *cfg, int argc, char **argv, Error **errp)
{
    for (int i = 1; i < argc; i++) {
        const char *name = argv[i];
        const CmdlineOption *opt;
        const char *arg = NULL;

        if (name[0] != '-') {
            error_setg(errp, "%s: Could not open '%s': use -kernel to boot a file",
                       argv[0], name);
            return false;
        }
        name += name[1] == '-' ? 2 : 1;
        opt = lookup_option(name);
        if (!opt) {
            error_setg(errp, "%s: invalid option", argv[i]);
            return false;
        }
        if (opt->arg == OPT_ARG) {
            if (++i >= argc) {
                error_setg(errp, "%s: requires an argument", argv[i - 1]);
                return false;
            }
            arg = argv[i];
        }
        if (!handle_option(cfg, name, arg, errp)) {
            return false;
        }
    }
    return true;
}

static bool create_serial_ports(VlConfig *cfg, Error **errp)
{
    if (cfg->nographic && !cfg->serial_specs->len && !cfg->nodefaults) {
        g_ptr_array_add(cfg->serial_specs, "mon:stdio");
    }
    if (!cfg->serial_specs->len && !cfg->nodefaults) {
        /* No graphical console exists: the first serial port goes to stdio. */
        g_ptr_array_add(cfg->serial_specs, "stdio");
    }
    for (guint i = 0; i < cfg->serial_specs->len; i++) {
        g_autofree char *label = g_strdup_printf("serial%u", i);
        Chardev *chr;

        if (i >= ARRAY_SIZE(cfg->ms->serial)) {
            error_setg(errp, "too many serial ports");
            return false;
        }
        chr = qemu_chr_new(label, g_ptr_array_index(cfg->serial_specs, i), errp);
        if (!chr) {
            error_prepend(errp, "could not connect serial device to character backend "
                          "'%s': ", (char *)g_ptr_array_index(cfg->serial_specs, i));
            return false;
        }
        cfg->ms->serial[i] = chr;
    }
    return true;
}

static gboolean termination_signal(gpointer opaque)
{
    int sig = GPOINTER_TO_INT(opaque);

    error_report("terminating on signal %d", sig);
    qemu_system_shutdown_request(SHUTDOWN_CAUSE_HOST_SIGNAL, 0);
    return G_SOURCE_CONTINUE;
}

static bool create_objects(VlConfig *cfg, Error **errp)
{
    for (guint i = 0; i < cfg->object_specs->len; i++) {
        if (!user_creatable_add(g_ptr_array_index(cfg->object_specs, i), errp)) {
            error_prepend(errp, "-object %s: ",
                          (char *)g_ptr_array_index(cfg->object_specs, i));
            return false;
        }
    }
    return true;
}

static bool create_devices(VlConfig *cfg, Error **errp)
{
    for (guint i = 0; i < cfg->device_specs->len; i++) {
        const char *spec = g_ptr_array_index(cfg->device_specs, i);
        if (!qdev_device_add(spec, cfg->ms, errp)) {
            error_prepend(errp, "-device %s: ", spec);
            return false;
        }
    }
    return true;
}

static bool create_monitors(VlConfig *cfg, Error **errp)
{
    qmp_register_core_commands();
    qom_register_commands();
    migration_register_commands();
    for (guint i = 0; i < cfg->qmp_specs->len; i++) {
        if (!monitor_init_qmp(g_ptr_array_index(cfg->qmp_specs, i), errp)) {
            return false;
        }
    }
    return true;
}

/* Everything between the command line and the main loop, in QEMU's order. */
static bool machine_setup(VlConfig *cfg, Error **errp)
{
    MachineState *ms = cfg->ms;

    qemu_clock_virtual_set_manual(ms->qtest);
    cpu_timers_init();
    if (cfg->qtest_spec && !ms->qtest) {
        error_setg(errp, "-qtest requires -accel qtest");
        return false;
    }
    if (!create_serial_ports(cfg, errp) || !create_objects(cfg, errp) ||
        !virt_machine_class.init(ms, errp) || !create_devices(cfg, errp)) {
        return false;
    }
    if (ms->dumpdtb) {
        return true;
    }
    return create_monitors(cfg, errp) &&
           (!cfg->qtest_spec || qtest_server_init(cfg->qtest_spec, errp)) &&
           (!cfg->incoming ||
            migration_incoming_init(cfg->incoming, !cfg->start_paused, errp));
}

int qemu_main(int argc, char **argv)
{
    VlConfig cfg = { 0 };
    MachineState *ms = g_new0(MachineState, 1);
    Error *err = NULL;
    int status;

    error_set_progname(g_path_get_basename(argv[0]));
    qemu_init_main_loop();

    ms->type = virt_machine_class.name;
    ms->ram_size = virt_machine_class.default_ram_size;
    ms->smp_cpus = 1;
    cfg.ms = ms;
    cfg.serial_specs = g_ptr_array_new();
    cfg.qmp_specs = g_ptr_array_new();
    cfg.chardev_specs = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    cfg.device_specs = g_ptr_array_new();
    cfg.object_specs = g_ptr_array_new();
    signal(SIGPIPE, SIG_IGN);
    g_unix_signal_add(SIGINT, termination_signal, GINT_TO_POINTER(SIGINT));
    g_unix_signal_add(SIGTERM, termination_signal, GINT_TO_POINTER(SIGTERM));
    g_unix_signal_add(SIGHUP, termination_signal, GINT_TO_POINTER(SIGHUP));
    current_machine = ms;

    if (!parse_command_line(&cfg, argc, argv, &err) || !machine_setup(&cfg, &err)) {
        error_report_err(err);
        vl_config_free(&cfg);
        return 1;
    }
    if (ms->dumpdtb) {
        /* The board wrote the device tree; QEMU exits right after. */
        vl_config_free(&cfg);
        return 0;
    }
    if (!ms->qtest) {
        cpus_start_threads();
    }
    if (cfg.incoming) {
        /* The incoming migration decides when the guest runs. */
    } else if (!cfg.start_paused && !ms->qtest) {
        vm_start();
    } else {
        runstate_set(cfg.start_paused ? RUN_STATE_PAUSED : RUN_STATE_RUNNING);
    }
    status = qemu_main_loop();
    migration_shutdown();
    qemu_chr_close_all();
    vl_config_free(&cfg);
    return status;
}
