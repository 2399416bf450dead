# Quartermaster build. `make demo` and `make test` are the two commands a
# newcomer needs; see README.md. Objects go to build/ (dev build) and
# build/asan/ (AddressSanitizer + UndefinedBehaviorSanitizer build).

CC      ?= cc
CXX     ?= g++
CSTD    := -std=c11 -D_POSIX_C_SOURCE=200809L
WARN    := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wno-unused-parameter -Wno-format-truncation
CFLAGS  ?= -O2 -g
PQ_CFLAGS := $(shell pkg-config --cflags libpq 2>/dev/null || echo -I/usr/include/postgresql)
LIBS    := -lsqlite3 -lpq -ljansson -lcrypto -lmicrohttpd -lsodium -pthread -lstdc++ -lm
# the one C++ file wraps LEMON; its headers warn about themselves at -O2
CXXFLAGS_QM := -std=c++11 -Wall -Wextra -Werror -Wno-maybe-uninitialized
SAN     := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

LIB_SRC := $(wildcard src/lib/*.c) $(wildcard src/store/*.c)
LIB_CXX := $(wildcard src/lib/*.cpp)
CLI_SRC := $(wildcard src/cli/*.c) $(wildcard src/server/*.c)
UNIT_SRC := $(wildcard tests/unit/test_*.c)

LIB_OBJ := $(LIB_SRC:%.c=build/obj/%.o) $(LIB_CXX:%.cpp=build/obj/%.o)
CLI_OBJ := $(CLI_SRC:%.c=build/obj/%.o) build/obj/gen/assets.o
ASAN_LIB_OBJ := $(LIB_SRC:%.c=build/asan/obj/%.o) $(LIB_CXX:%.cpp=build/asan/obj/%.o)
ASAN_CLI_OBJ := $(CLI_SRC:%.c=build/asan/obj/%.o) build/asan/obj/gen/assets.o
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=build/tests/%)
ASAN_UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=build/asan/tests/%)

DEMO_DB := demo.db
QM := build/qm

.PHONY: all deps demo test test-unit test-cli test-asan bench docs clean

all: $(QM)

deps:
	@sh tools/install-deps.sh

# V=1 shows the compiler's command lines.
V ?= 0
ifeq ($(V),0)
Q := @
say = @echo "  $(1) $@"
else
Q :=
say = @:
endif

build/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(call say,CC    )
	$(Q)$(CC) $(CSTD) $(WARN) $(CFLAGS) -Iinclude $(PQ_CFLAGS) -MMD -MP -c $< -o $@

build/asan/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(call say,CC    )
	$(Q)$(CC) $(CSTD) $(WARN) -O1 -g $(SAN) -Iinclude $(PQ_CFLAGS) -MMD -MP -c $< -o $@

build/obj/%.o: %.cpp
	@mkdir -p $(dir $@)
	$(call say,CXX   )
	$(Q)$(CXX) $(CXXFLAGS_QM) $(CFLAGS) -Iinclude $(PQ_CFLAGS) -MMD -MP -c $< -o $@

build/asan/obj/%.o: %.cpp
	@mkdir -p $(dir $@)
	$(call say,CXX   )
	$(Q)$(CXX) $(CXXFLAGS_QM) -O1 -g $(SAN) -Iinclude $(PQ_CFLAGS) -MMD -MP -c $< -o $@

# The dashboard's files, compiled into qm (tools/embed.c): web/ and Chart.js
# from node_modules (make deps installs it).
WEB_ASSETS := /=web/index.html /static/app.js=web/app.js /static/style.css=web/style.css \
	/static/chart.umd.js=node_modules/chart.js/dist/chart.umd.js
WEB_FILES := $(foreach a,$(WEB_ASSETS),$(lastword $(subst =, ,$(a))))

build/embed: tools/embed.c
	@mkdir -p $(dir $@)
	$(call say,CC    )
	$(Q)$(CC) $(CSTD) $(WARN) -O2 -o $@ $<

build/gen/assets.c: build/embed $(WEB_FILES)
	@mkdir -p $(dir $@)
	$(call say,EMBED )
	$(Q)build/embed $@ $(WEB_ASSETS)

node_modules/chart.js/dist/chart.umd.js:
	@echo "node_modules/chart.js is missing: run make deps" >&2; exit 1

build/obj/gen/assets.o: build/gen/assets.c
	@mkdir -p $(dir $@)
	$(call say,CC    )
	$(Q)$(CC) $(CSTD) $(CFLAGS) -Isrc/server -c $< -o $@

build/asan/obj/gen/assets.o: build/gen/assets.c
	@mkdir -p $(dir $@)
	$(call say,CC    )
	$(Q)$(CC) $(CSTD) -O1 -g $(SAN) -Isrc/server -c $< -o $@

build/libqm.a: $(LIB_OBJ)
	@rm -f $@
	$(call say,AR    )
	$(Q)ar rcs $@ $^

build/asan/libqm.a: $(ASAN_LIB_OBJ)
	@rm -f $@
	$(call say,AR    )
	$(Q)ar rcs $@ $^

$(QM): $(CLI_OBJ) build/libqm.a
	$(call say,LINK  )
	$(Q)$(CC) $(CFLAGS) -o $@ $(CLI_OBJ) build/libqm.a $(LIBS)

build/asan/qm: $(ASAN_CLI_OBJ) build/asan/libqm.a
	$(call say,LINK  )
	$(Q)$(CC) -g $(SAN) -o $@ $(ASAN_CLI_OBJ) build/asan/libqm.a $(LIBS)

build/tests/%: tests/unit/%.c build/libqm.a
	@mkdir -p $(dir $@)
	$(call say,TEST  )
	$(Q)$(CC) $(CSTD) $(WARN) $(CFLAGS) -Iinclude -Isrc/lib -o $@ $< build/libqm.a $(LIBS) -lcmocka

build/asan/tests/%: tests/unit/%.c build/asan/libqm.a
	@mkdir -p $(dir $@)
	$(call say,TEST  )
	$(Q)$(CC) $(CSTD) $(WARN) -O1 -g $(SAN) -Iinclude -Isrc/lib -o $@ $< build/asan/libqm.a $(LIBS) -lcmocka

# The demo: install what is missing, build, load data/ into demo.db, report.
demo: deps $(QM)
	@rm -f $(DEMO_DB)
	@sh tools/load-demo.sh $(QM) $(DEMO_DB)
	@$(QM) --db $(DEMO_DB) report --framework nato-2024
	@$(QM) --db $(DEMO_DB) report --framework nato-2024 --format html -o demo-report.html

test: deps $(QM) build/asan/qm $(UNIT_BIN) $(ASAN_UNIT_BIN)
	@sh tests/run.sh

# Import and report against the sqlite3 shell (docs/benchmarks.md), then the
# plan against LEMON and glpsol on all pairs (docs/benchmarks-plan.md), the
# web server against nginx, and PostgreSQL against psql.
bench: deps $(QM)
	@sh bench/run.sh
	@sh bench/run_plan.sh
	@sh bench/run_web.sh
	@sh bench/run_pg.sh

# docs/commands.md is generated from the command table behind --help.
docs: $(QM)
	$(QM) help --markdown > docs/commands.md

clean:
	rm -rf build

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(ASAN_LIB_OBJ:.o=.d) $(ASAN_CLI_OBJ:.o=.d)
