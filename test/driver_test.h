/* SPDX-License-Identifier: MIT */
/*
 * The driver test framework: a test enables capture of one event for this
 * process only, triggers the real syscall, stops capture and finds the event
 * its own thread produced, then asserts the header and every parameter.
 * Enter events are captured too, so a test checks both halves of a syscall.
 * KCAP_TEST_DRIVER selects the backend (bpf, the default).
 */
#ifndef KCAP_DRIVER_TEST_H
#define KCAP_DRIVER_TEST_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "engine.h"
#include "event.h"
#include "interest.h"

#define DT_MAX_EVENTS 65536

struct dt {
	struct kcap_engine *engine;
	bool interest[KCAP_SC_MAX];
	uint8_t *bytes;		/* captured events, copied */
	size_t len, cap;
	uint32_t nevents;
	uint32_t offsets[DT_MAX_EVENTS];
	struct kcap_evt ev;	/* the last one dt_find returned */
};

/* Opens the driver and starts capturing the named events ("a,b") of this process. */
void dt_start(struct dt *t, const char *event_names);
/* The same with a given driver; NULL names: every event. */
void dt_start_with(struct dt *t, enum kcap_driver d, const char *event_names);
/* The driver KCAP_TEST_DRIVER names (bpf by default); skips the test without root. */
enum kcap_driver dt_driver(void);
/* Stops capture and collects what the rings hold. */
void dt_stop(struct dt *t);
void dt_close(struct dt *t);
/*
 * The nth (0-based) event of type produced by the calling thread; fails the
 * test when there is none. Checks the header: nparams as in the table, len
 * equal to header + lengths + values.
 */
const struct kcap_evt *dt_find(struct dt *t, uint16_t type, int nth);
/* How many events of type the calling thread produced. */
int dt_count(struct dt *t, uint16_t type);

/* Parameter i, failing the test if its size is not the expected one. */
int64_t dt_s64(const struct kcap_evt *ev, uint32_t i);
uint32_t dt_u32(const struct kcap_evt *ev, uint32_t i);
uint16_t dt_u16(const struct kcap_evt *ev, uint32_t i);
uint8_t dt_u8(const struct kcap_evt *ev, uint32_t i);
uint64_t dt_u64(const struct kcap_evt *ev, uint32_t i);
const char *dt_str(const struct kcap_evt *ev, uint32_t i);
void dt_empty(const struct kcap_evt *ev, uint32_t i);

/* A syscall the ia32 way (int 0x80) from this 64-bit process: 32-bit registers. */
long dt_int80(long nr, long a, long b, long c);
/*
 * A page below 4 GiB, for the buffers of an ia32 caller (unmapped with the
 * test's process); skips the test when this kernel runs no ia32 syscalls.
 */
void *dt_ia32_page(void);
/*
 * Whether int 0x80 reaches the ia32 syscalls (tried in a child: where it does
 * not, the caller dies of a general protection fault).
 */
bool dt_has_ia32(void);
/* The same with all six ia32 argument registers (ebx, ecx, edx, esi, edi, ebp). */
long dt_int80_6(long nr, long a, long b, long c, long d, long e, long g);

/* What an event's res holds for a syscall() that returned r: r, or -errno. */
long dt_res(long r);

/* A directory of the test run for the files a test makes. */
const char *dt_scratch_dir(void);
/* The value the schema's flag table gives name: expected values, not the driver's. */
uint32_t dt_flag(const struct ppm_flag_table *table, const char *name);
/* st_dev as the drivers encode it in dev parameters. */
uint32_t dt_encode_dev(dev_t d);

/*
 * dt_start for every process (and events of none: a softirq's); a test tells
 * its own events from the others' by their contents.
 */
void dt_start_all(struct dt *t, const char *event_names);
/* dt_start_all within a scope (kcap_abi.h): the drivers filter. */
void dt_start_scope(struct dt *t, const char *event_names, const struct kcap_scope *scope);
/* dt_start in dropping mode (engine.h). */
void dt_start_dropping(struct dt *t, const char *event_names);
/* dt_start that also captures the processes this one forks while capturing. */
void dt_start_follow(struct dt *t, const char *event_names);
/* dt_start_follow with the binaries of the uprobe hooks (engine.h). */
void dt_start_uprobes(struct dt *t, const char *event_names, const char *const *binaries);
/* dt_find for the events of thread tid (a child, another thread). */
const struct kcap_evt *dt_find_tid(struct dt *t, uint16_t type, pid_t tid, int nth);
int dt_count_tid(struct dt *t, uint16_t type, pid_t tid);
/* The same for the events of any thread (of a process the scope lets in). */
const struct kcap_evt *dt_find_any(struct dt *t, uint16_t type, int nth);
int dt_count_any(struct dt *t, uint16_t type);

#endif /* KCAP_DRIVER_TEST_H */
