/* SPDX-License-Identifier: GPL-2.0-only */
/* What the module's files share: the rings, the settings, the rows. */
#ifndef KCAP_KMOD_H
#define KCAP_KMOD_H

#include <linux/percpu.h>
#include <linux/rcupdate.h>
#include "ppm_events_public.h"
#include "kcap_ring.h"

struct kcap_rows {
	struct rcu_head rcu;
	struct kcap_sc_row row[SYSCALL_TABLE_SIZE];
};

extern struct kcap_ring *kcap_rings;		/* one per possible CPU */
extern struct kcap_settings kcap_settings;	/* read racily by the probes */
extern struct kcap_rows __rcu *kcap_rows;

struct inode;

/*
 * Attaches the hooks of want (enum kcap_hook_id bits), detaches the others;
 * those this kernel lacks are set in *missing. Detached ones are quiescent
 * on return.
 */
void kcap_hooks_set(u64 want, u64 *missing);
/* Where a uprobe hook attaches; takes the inode reference. */
int kcap_hook_set_uprobe(u32 hook, struct inode *inode, loff_t offset);
/* Detaches every hook and drops the uprobes' inodes. */
void kcap_hooks_release(void);
/* Forgets the process tree followed under the previous settings. */
void kcap_traced_reset(void);
/* The kprobes' stash for their kretprobes (filler_api.h: kcap_entry_save/take). */
void kcap_entries_save(u64 key, u64 v);
int kcap_entries_take(u64 key, u64 *v, u64 *ns);

#endif /* KCAP_KMOD_H */
