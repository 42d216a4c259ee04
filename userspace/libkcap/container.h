/* SPDX-License-Identifier: MIT */
/*
 * Container ids from cgroup paths, as Falco libs finds them: docker
 * ("/docker/ID", "docker-ID.scope"), containerd and CRI-O under kubepods
 * ("cri-containerd-ID.scope", "crio-ID.scope", ".../ID") and podman
 * ("libpod-ID.scope"), where ID is 64 hex digits; the id is its first 12.
 */
#ifndef KCAP_CONTAINER_H
#define KCAP_CONTAINER_H

#include <stdbool.h>
#include <stddef.h>

#define KCAP_CONTAINER_ID_LEN 12
#define KCAP_CONTAINER_FULL_ID_LEN 64

/* A container a thread's cgroups name. */
struct kcap_container {
	char id[KCAP_CONTAINER_ID_LEN + 1];
	char full_id[KCAP_CONTAINER_FULL_ID_LEN + 1];
	const char *runtime;		/* docker, containerd, cri-o, podman */
	const char *cgroup;		/* the cgroup path, in the caller's bytes */
	size_t cgroup_len;
};

/* The container of cgroups (as kcap_container_id takes them); false when none. */
bool kcap_container_find(const char *cgroups, size_t len, struct kcap_container *c);

/*
 * The container of a thread from its cgroups ("subsys=path" strings, each
 * NUL-terminated, len bytes in all) into id (KCAP_CONTAINER_ID_LEN + 1
 * bytes); false, id "", when no path is a container's.
 */
bool kcap_container_id(const char *cgroups, size_t len, char *id);

/*
 * The JSON of the "container" event (container json 2) through which sysdig
 * and Falco readers learn a container: id, full_id, the libs type of its
 * runtime; kcap asks no runtime, so the name is the id and the image empty.
 * Returns its length, 0 when len is too short.
 */
size_t kcap_container_json(const struct kcap_container *c, char *out, size_t len);

#endif /* KCAP_CONTAINER_H */
