/* SPDX-License-Identifier: MIT */
/*
 * A capture engine: loads a driver (the BPF probe or the kernel module), sets
 * what to capture, and hands out its events merged in timestamp order across
 * CPUs. Callers do not know which driver's rings they read.
 */
#ifndef KCAP_ENGINE_H
#define KCAP_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "event.h"

struct kcap_engine_opts {
	uint32_t snaplen;		/* bytes of I/O buffers kept (80) */
	uint32_t ring_bytes;		/* per CPU, a power of two (8 MiB) */
	uint32_t filter_tgid;		/* 0: every process the scope lets in */
	bool follow_children;		/* with filter_tgid: its descendants too */
	const struct kcap_scope *scope;	/* NULL: every process; filter_tgid sets its pid */
	bool capture_self;		/* also this process (tests); else it is skipped */
	bool enter_events;		/* also the enter events (exit events carry all) */
	const bool *interest;		/* per ppm_sc code (interest.h); NULL: the default */
	const char *kmod_path;		/* kcap.ko to load if needed; NULL: next to us */
	bool dropping_mode;		/* past half a ring, shed what is not state */
	/* Per hook id: the binary a uprobe hook looks in; NULL (or an entry
	 * NULL): its defaults (uprobe.h). */
	const char *const *uprobe_binaries;
};

enum kcap_driver {
	KCAP_DRIVER_AUTO,		/* BPF where the kernel can, else the module */
	KCAP_DRIVER_BPF,
	KCAP_DRIVER_KMOD,
};

struct kcap_engine_counters {
	uint64_t events;
	uint64_t drops_ring_full;
	uint64_t drops_too_large;
	uint64_t read_failures;
	uint64_t tail_call_failures;
	uint64_t drops_nested;		/* a hook fired inside another event's building */
	uint64_t scope_full;		/* forks the scope could not follow */
	uint64_t drops_shed;		/* dropping mode: shed to keep room for state */
};

struct kcap_engine;

/* "bpf", "kmod" or "auto"; -1 for anything else. */
int kcap_driver_parse(const char *name, enum kcap_driver *d);
const char *kcap_driver_name(enum kcap_driver d);
/* Whether this kernel can run the BPF probe; why not in why. */
bool kcap_bpf_supported(char *why, size_t whylen);

/* Loads and attaches the driver with capture off; NULL with a one-line err. */
struct kcap_engine *kcap_engine_open(enum kcap_driver d, const struct kcap_engine_opts *o,
				     char *err, size_t errlen);
/* The driver it runs (never AUTO). */
enum kcap_driver kcap_engine_driver(const struct kcap_engine *e);
/* With --driver auto, why it chose its driver; "" otherwise. */
const char *kcap_engine_reason(const struct kcap_engine *e);
/*
 * Hooks of the hook table (a mask of enum kcap_hook_id) that the interest
 * set wanted but this kernel lacks: not attached, the rest captures.
 */
uint64_t kcap_engine_missing_hooks(const struct kcap_engine *e);
void kcap_engine_set_capture(struct kcap_engine *e, bool on);
/*
 * 1 with ev filled (valid until the next call), 0 when no event came within
 * timeout_ms, -1 on an error.
 */
int kcap_engine_next(struct kcap_engine *e, struct kcap_evt *ev, int timeout_ms);
/* Counters summed over all CPUs. */
void kcap_engine_counters(struct kcap_engine *e, struct kcap_engine_counters *c);
/* The counters of one CPU; -1 when the driver cannot tell. */
int kcap_engine_cpu_counters(struct kcap_engine *e, int cpu, struct kcap_engine_counters *c);
int kcap_engine_ncpus(const struct kcap_engine *e);
/* Detaches and frees everything the driver held; unloads a module it loaded. */
void kcap_engine_close(struct kcap_engine *e);

#endif /* KCAP_ENGINE_H */
