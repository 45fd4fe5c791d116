# SPDX-License-Identifier: GPL-2.0-or-later
"""Python helpers for driving hintvm (and QEMU) from tests and scripts."""
