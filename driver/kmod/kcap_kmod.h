/* SPDX-License-Identifier: GPL-2.0-only */
/* What the module's files share: the rings, the settings, the rows. */
#ifndef KCAP_KMOD_H
#define KCAP_KMOD_H

#include <linux/percpu.h>
#include <linux/rcupdate.h>
#include "../ppm_events_public.h"
#include "kcap_ring.h"

struct kcap_rows {
	struct rcu_head rcu;
	struct kcap_sc_row row[SYSCALL_TABLE_SIZE];
};

extern struct kcap_ring *kcap_rings;		/* one per possible CPU */
extern struct kcap_settings kcap_settings;	/* read racily by the probes */
extern struct kcap_rows __rcu *kcap_rows;

int kcap_probes_register(void);
void kcap_probes_unregister(void);
/* Forgets the process tree followed under the previous settings. */
void kcap_traced_reset(void);

#endif /* KCAP_KMOD_H */
