/* SPDX-License-Identifier: MIT */
/*
 * A capture engine: loads a driver, sets what to capture, and hands out its
 * events merged in timestamp order across CPUs. Today: the BPF probe.
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
	uint32_t filter_tgid;		/* 0: every process */
	bool follow_children;		/* with filter_tgid: its descendants too */
	bool capture_self;		/* also this process (tests); else it is skipped */
	bool enter_events;		/* also the enter events (exit events carry all) */
	const bool *events;		/* per event type: wanted; NULL: all */
};

struct kcap_engine_counters {
	uint64_t events;
	uint64_t drops_ring_full;
	uint64_t drops_too_large;
	uint64_t read_failures;
	uint64_t tail_call_failures;
};

struct kcap_engine;

/* Loads and attaches the probe with capture off; NULL with a one-line err. */
struct kcap_engine *kcap_engine_open_bpf(const struct kcap_engine_opts *o, char *err,
					 size_t errlen);
void kcap_engine_set_capture(struct kcap_engine *e, bool on);
/*
 * 1 with ev filled (valid until the next call), 0 when no event came within
 * timeout_ms, -1 on an error.
 */
int kcap_engine_next(struct kcap_engine *e, struct kcap_evt *ev, int timeout_ms);
/* Counters summed over all CPUs. */
void kcap_engine_counters(struct kcap_engine *e, struct kcap_engine_counters *c);
int kcap_engine_ncpus(const struct kcap_engine *e);
/* Detaches and frees everything the probe held. */
void kcap_engine_close(struct kcap_engine *e);

#endif /* KCAP_ENGINE_H */
