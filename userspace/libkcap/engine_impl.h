/* SPDX-License-Identifier: MIT */
/* What the engines share behind engine.h: each driver fills in the ops. */
#ifndef KCAP_ENGINE_IMPL_H
#define KCAP_ENGINE_IMPL_H

#include "engine.h"
#include "kcap_abi.h"
#include "ring.h"
#include "uprobe.h"

struct kcap_engine_ops {
	void (*set_capture)(struct kcap_engine *e, bool on);
	/* Per-CPU counters, summed by the caller. */
	int (*cpu_counters)(struct kcap_engine *e, struct kcap_counters *per_cpu);
	/* Sleeps until events may have come, at most timeout_ms. */
	void (*wait)(struct kcap_engine *e, int timeout_ms);
	void (*close)(struct kcap_engine *e);
};

/* The first member of each driver's engine. */
struct kcap_engine {
	const struct kcap_engine_ops *ops;
	enum kcap_driver driver;
	int ncpus;
	struct kcap_merge merge;
	uint64_t missing_hooks;		/* wanted, absent from this kernel */
	char reason[256];		/* --driver auto: why this driver; "" otherwise */
};

/* sites: where the uprobe hooks of the interest set attach (uprobe.h). */
struct kcap_engine *kcap_engine_open_bpf(const struct kcap_engine_opts *o,
					 struct kcap_uprobe_site *const *sites, char *err,
					 size_t errlen);
struct kcap_engine *kcap_engine_open_kmod(const struct kcap_engine_opts *o,
					  struct kcap_uprobe_site *const *sites, char *err,
					  size_t errlen);

/* What each syscall of the interest set emits on enter and exit. */
void kcap_syscall_rows(const struct kcap_engine_opts *o, struct kcap_sc_row *rows);
/* The hooks to attach (enum kcap_hook_id bits), from the interest set and the rows. */
uint64_t kcap_hooks_wanted(const struct kcap_engine_opts *o, const struct kcap_sc_row *rows);
/* The settings both drivers take, from the options and the uprobes' sites. */
void kcap_settings_from(const struct kcap_engine_opts *o, struct kcap_uprobe_site *const *sites,
			uint32_t ring_bytes, struct kcap_settings *s);
/* Power of two ring size from the options (8 MiB by default). */
uint32_t kcap_ring_bytes(const struct kcap_engine_opts *o);

#endif /* KCAP_ENGINE_IMPL_H */
