/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * stdio backend.  As QEMU's -nographic console: the terminal goes raw so
 * Ctrl-C reaches the guest, and Ctrl-A starts an escape (x quits, h helps,
 * Ctrl-A sends a literal Ctrl-A).
 */
#include "qemu/osdep.h"
#include "chardev/char-internal.h"
#include "qapi/error.h"
#include "sysemu/runstate.h"
#include <termios.h>

#define ESCAPE_CHAR 0x01 /* Ctrl-A */

static struct termios saved_tty;
static bool tty_modified;
static bool stdio_in_use;

static void stdio_restore_tty(void)
{
    if (tty_modified) {
        tcsetattr(0, TCSANOW, &saved_tty);
        tty_modified = false;
    }
}

static void stdio_print(const char *msg)
{
    if (write(1, msg, strlen(msg)) < 0) {
        /* nothing more can be done about a broken stdout */
    }
}

static void stdio_filter_input(Chardev *chr, const uint8_t *buf, int len)
{
    for (int i = 0; i < len; i++) {
        uint8_t c = buf[i];

        if (!chr->escape_pending) {
            if (c == ESCAPE_CHAR) {
                chr->escape_pending = true;
            } else {
                chardev_receive(chr, &c, 1);
            }
            continue;
        }
        chr->escape_pending = false;
        switch (c) {
        case 'x':
            stdio_print("QEMU: Terminated\r\n");
            qemu_system_shutdown_request(SHUTDOWN_CAUSE_HOST_UI, 0);
            break;
        case 'h':
        case '?':
            stdio_print("\r\nC-a h    print this help\r\n"
                        "C-a x    exit emulator\r\n"
                        "C-a C-a  sends C-a\r\n");
            break;
        case ESCAPE_CHAR:
            chardev_receive(chr, &c, 1);
            break;
        default:
            break;
        }
    }
}

Chardev *chardev_stdio_new(const char *label, Error **errp)
{
    Chardev *chr;

    if (stdio_in_use) {
        error_setg(errp, "cannot use stdio by multiple character devices");
        return NULL;
    }
    stdio_in_use = true;
    chr = chardev_new(label);
    chr->in_fd = 0;
    chr->out_fd = 1;
    chr->filter_input = stdio_filter_input;
    if (isatty(0) && tcgetattr(0, &saved_tty) == 0) {
        struct termios tty = saved_tty;

        /* Raw input, but keep output processing so "\n" still returns the carriage. */
        tty.c_iflag &= ~(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR | ICRNL | IXON);
        tty.c_lflag &= ~(ECHO | ECHONL | ICANON | ISIG | IEXTEN);
        tty.c_cflag &= ~(CSIZE | PARENB);
        tty.c_cflag |= CS8;
        tty.c_cc[VMIN] = 1;
        tty.c_cc[VTIME] = 0;
        tcsetattr(0, TCSANOW, &tty);
        tty_modified = true;
        atexit(stdio_restore_tty);
    }
    chardev_watch_input(chr);
    return chr;
}
