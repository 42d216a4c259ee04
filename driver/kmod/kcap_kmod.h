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
/* The entry probes' stash for their return probes (filler_api.h: kcap_entry_*). */
void kcap_entries_save(u64 key, u64 v);
int kcap_entries_take(u64 key, u64 *v, u64 *ns);
/* And their text: 0, or -1 when the user memory could not be read. */
int kcap_entries_save_text(u64 key, const void *utext, u32 len);
/* The text copied into dst (room bytes): its length; -ENOENT, or -ENOSPC. */
long kcap_entries_take_text(u64 key, u8 *dst, u32 room);

#endif /* KCAP_KMOD_H */
