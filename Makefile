# SPDX-License-Identifier: GPL-2.0-or-later
#
# Thin wrapper around meson and ninja, as QEMU's: the real build lives in build/.

BUILD_DIR := build
MESON ?= meson
NINJA ?= ninja
TEST_ARGS := --print-errorlogs

ifneq ($(V),)
NINJA_FLAGS := -v
TEST_ARGS += --verbose
endif

.PHONY: all check check-unit check-tcg check-qtest check-functional clean distclean \
	install help

all: $(BUILD_DIR)/build.ninja
	$(NINJA) -C $(BUILD_DIR) $(NINJA_FLAGS)

# The first build configures with the defaults; ./configure reruns it with options.
$(BUILD_DIR)/build.ninja:
	./configure

check: all
	$(MESON) test -C $(BUILD_DIR) $(TEST_ARGS)

# meson test builds just what the selected tests need, so unit tests do not
# wait for (or break on) the rest of the emulator.
check-unit: $(BUILD_DIR)/build.ninja
	$(MESON) test -C $(BUILD_DIR) --suite unit $(TEST_ARGS)

check-tcg: all
	$(MESON) test -C $(BUILD_DIR) --suite tcg $(TEST_ARGS)

check-qtest: all
	$(MESON) test -C $(BUILD_DIR) --suite qtest $(TEST_ARGS)

check-functional: all
	$(MESON) test -C $(BUILD_DIR) --suite functional $(TEST_ARGS)

install: all
	$(MESON) install -C $(BUILD_DIR)

clean:
	if [ -f $(BUILD_DIR)/build.ninja ]; then $(NINJA) -C $(BUILD_DIR) clean; fi

distclean:
	rm -rf $(BUILD_DIR)

help:
	@echo "Targets:"
	@echo "  all (default)     build $(BUILD_DIR)/hintvm-system-riscv64 (configures first if needed)"
	@echo "  check             run every test suite"
	@echo "  check-unit        run the util/ unit tests"
	@echo "  check-tcg         run the bare-metal RISC-V CPU tests"
	@echo "  check-qtest       run the device tests without a CPU"
	@echo "  check-functional  run the Linux guest tests"
	@echo "  install           install under the configured prefix"
	@echo "  clean             remove build products, keep the configuration"
	@echo "  distclean         remove $(BUILD_DIR)/ entirely"
	@echo "Variables: V=1 for verbose builds and tests."
