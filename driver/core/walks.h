/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * The walks that must give the same bytes in both drivers, written once
 * over the backends' access primitives (filler_api.h): a path up its
 * dentries and mounts to the task's root, as d_path() shows it; a cgroup up
 * its kernfs nodes to its hierarchy's root, as cgroup_path() does; the
 * "subsys=path" list of a task's cgroups in libs' order. The limits are the
 * filler API's (KCAP_PATH_DEPTH, KCAP_CGROUP_DEPTH, KCAP_NAME_MAX).
 *
 * A path is built backwards in a path builder (kcap_pbuf_*), then appended
 * to the value being built in pieces (kcap_piece_*): both keep their
 * positions in the backend (BPF: in its scratch map, where the verifier does
 * not track them, so that loop iterations stay alike), none in locals here.
 */
#ifndef KCAP_WALKS_H
#define KCAP_WALKS_H

#include "fillers_common.h"

/* prepend_path(): up the dentries and mounts to the root, at most KCAP_PATH_DEPTH steps. */
static __always_inline void kcap_walk_path(struct kcap_fctx *f, const struct kcap_walk *w)
{
	void *dentry = w->dentry, *mnt = w->mnt;
	int i;

	for (i = 0; i < KCAP_PATH_DEPTH; i++) {
		const char *name;
		void *parent, *up;
		__u32 len;

		if (dentry == w->root_dentry && mnt == w->root_mnt)
			break;
		if (dentry == kcap_mount_root(mnt)) {
			up = kcap_mount_parent(mnt);
			if (up == mnt)	/* the global root or a detached mount */
				break;
			dentry = kcap_mount_point(mnt);
			mnt = up;
			continue;
		}
		parent = kcap_dentry_parent(dentry);
		kcap_dentry_name(dentry, &name, &len);
		if (!kcap_pbuf_prepend(f, name, len))
			break;
		if (parent == dentry)	/* a pseudo file (memfd): its name alone */
			break;
		dentry = parent;
	}
}

/* A struct path as d_path() shows it, without a " (deleted)" suffix; empty for NULL. */
static __always_inline void kcap_put_path(struct kcap_fctx *f, const struct path *path)
{
	struct kcap_walk w;

	if (!path) {
		kcap_put_empty(f);
		return;
	}
	kcap_piece_begin(f);
	if (kcap_walk_start(f, path, &w) < 0)
		return;		/* the backend counted why */
	do {
		kcap_pbuf_begin(f);
		kcap_walk_path(f, &w);
	} while (kcap_walk_retry(f, &w));
	kcap_walk_end(f, &w);
	kcap_pbuf_append(f);
	kcap_piece_end(f);
}

/* cgroup_path(): the kernfs names up to the hierarchy's root, at most KCAP_CGROUP_DEPTH. */
static __always_inline void kcap_walk_cgroup(struct kcap_fctx *f, void *kn)
{
	int i;

	for (i = 0; i < KCAP_CGROUP_DEPTH; i++) {
		void *parent = kcap_kn_parent(kn);

		if (!parent || !kcap_pbuf_prepend_kstr(f, kcap_kn_name(kn)))
			break;
		kn = parent;
	}
}

/* Appends "name=path" of one subsystem's cgroup, when this kernel has the subsystem. */
static __always_inline void kcap_put_cgroup(struct kcap_fctx *f, int which)
{
	void *css = kcap_cgroup_css(f, which);

	if (!css || kcap_piece_kstr(f, kcap_css_name(css), KCAP_NAME_MAX) <= 1)
		return;
	kcap_piece_set_last(f, '=');
	kcap_pbuf_begin(f);
	kcap_walk_cgroup(f, kcap_css_kn(css));
	kcap_pbuf_append(f);
}

/* "subsys=path" strings of the subsystems libs reports, in its order. */
static __always_inline void kcap_put_cgroups(struct kcap_fctx *f)
{
	kcap_piece_begin(f);
	if (kcap_cgroups_begin(f) < 0)
		return;
	kcap_put_cgroup(f, KCAP_CG_CPUSET);
	kcap_put_cgroup(f, KCAP_CG_CPU);
	kcap_put_cgroup(f, KCAP_CG_CPUACCT);
	kcap_put_cgroup(f, KCAP_CG_IO);
	kcap_put_cgroup(f, KCAP_CG_MEMORY);
	kcap_cgroups_end(f);
	kcap_piece_end(f);
}

#endif /* KCAP_WALKS_H */
