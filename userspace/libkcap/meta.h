/* SPDX-License-Identifier: MIT */
/*
 * What a .scap file says about the machine before its events: machine info,
 * threads (process list), their file descriptors, interfaces and users.
 * The reader fills it, the writer writes it, capture builds it from /proc.
 */
#ifndef KCAP_META_H
#define KCAP_META_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * A length-counted byte string with a NUL after the last byte. The bytes
 * are a shared string (shstr.h): the threads of a process share theirs.
 */
struct kcap_blob {
	char *data;
	uint32_t len;
};

struct kcap_machine {
	bool present;
	uint32_t num_cpus;
	uint64_t memory_size_bytes;
	uint64_t max_pid;
	char hostname[128];
	uint64_t boot_ts_epoch;
	uint64_t flags;
	uint64_t reserved3;
	uint64_t reserved4;
};

/* One thread of the process list, all fields of PL_V9. */
struct kcap_proc {
	int64_t tid, pid, ptid, sid, vpgid;
	struct kcap_blob comm, exe, exepath;
	struct kcap_blob args;		/* argv[1..], each NUL-terminated */
	struct kcap_blob cwd;
	uint64_t fdlimit;
	uint32_t flags, uid, gid;
	uint32_t vmsize_kb, vmrss_kb, vmswap_kb;
	uint64_t pfmajor, pfminor;
	struct kcap_blob env;		/* NAME=value, each NUL-terminated */
	int64_t vtid, vpid;
	struct kcap_blob cgroups;	/* subsys=path, each NUL-terminated */
	struct kcap_blob root;
	uint64_t pidns_init_start_ts;
	uint32_t tty, loginuid;
	uint8_t exe_writable;
	uint64_t cap_inheritable, cap_permitted, cap_effective;
	uint8_t exe_upper_layer;
	uint64_t exe_ino, exe_ino_ctime, exe_ino_mtime;
	uint8_t exe_from_memfd, exe_lower_layer;
	int64_t pgid;
};

enum kcap_fd_type {
	KCAP_FD_UNKNOWN = 0,
	KCAP_FD_FILE = 1,
	KCAP_FD_DIRECTORY = 2,
	KCAP_FD_IPV4_SOCK = 3,
	KCAP_FD_IPV6_SOCK = 4,
	KCAP_FD_IPV4_SERVSOCK = 5,
	KCAP_FD_IPV6_SERVSOCK = 6,
	KCAP_FD_FIFO = 7,
	KCAP_FD_UNIX_SOCK = 8,
	KCAP_FD_EVENT = 9,
	KCAP_FD_UNSUPPORTED = 10,
	KCAP_FD_SIGNALFD = 11,
	KCAP_FD_EVENTPOLL = 12,
	KCAP_FD_INOTIFY = 13,
	KCAP_FD_TIMERFD = 14,
	KCAP_FD_NETLINK = 15,
	KCAP_FD_FILE_V2 = 16,
	KCAP_FD_BPF = 17,
	KCAP_FD_USERFAULTFD = 18,
	KCAP_FD_IOURING = 19,
	KCAP_FD_MEMFD = 20,
	KCAP_FD_PIDFD = 21,
	KCAP_FD_TYPE_MAX
};

/* One descriptor of an FDL block; addresses are raw network-order bytes. */
struct kcap_fd {
	int64_t owner_tid;
	int64_t fd;
	uint64_t ino;
	uint8_t type;			/* enum kcap_fd_type */
	uint8_t l4proto;
	uint8_t sip[16], dip[16];	/* 4 bytes used for IPv4 */
	uint16_t sport, dport;
	uint64_t unix_src, unix_dst;
	uint32_t open_flags;		/* FILE_V2 */
	uint32_t dev;			/* FILE_V2, when has_dev */
	bool has_dev;
	struct kcap_blob name;
};

enum kcap_iface_type {
	KCAP_IF_IPV4 = 1,
	KCAP_IF_IPV6 = 2,
	KCAP_IF_IPV4_NOLINKSPEED = 3,
	KCAP_IF_IPV6_NOLINKSPEED = 4,
};

struct kcap_iface {
	uint16_t type;			/* enum kcap_iface_type */
	uint8_t addr[16], netmask[16], bcast[16];	/* 4 bytes used for IPv4 */
	uint64_t linkspeed;
	struct kcap_blob name;
};

struct kcap_user {
	bool is_group;
	uint32_t uid, gid;
	struct kcap_blob name, homedir, shell;
};

/*
 * What one section's metadata may hold in memory (entries and strings);
 * a reader drops, and counts, the entries past it.
 */
#define KCAP_META_MAX_BYTES (128u << 20)

struct kcap_meta {
	struct kcap_machine machine;
	struct kcap_proc *procs;
	size_t nprocs, procs_cap;
	struct kcap_fd *fds;
	size_t nfds, fds_cap;
	struct kcap_iface *ifaces;
	size_t nifaces, ifaces_cap;
	struct kcap_user *users;
	size_t nusers, users_cap;
};

void kcap_meta_init(struct kcap_meta *m);
void kcap_meta_free(struct kcap_meta *m);
/* Frees the strings of one entry. */
void kcap_meta_free_proc(struct kcap_proc *p);
void kcap_meta_free_user(struct kcap_user *u);
/* Appends a zeroed element and returns it, or NULL when out of memory. */
struct kcap_proc *kcap_meta_add_proc(struct kcap_meta *m);
struct kcap_fd *kcap_meta_add_fd(struct kcap_meta *m);
struct kcap_iface *kcap_meta_add_iface(struct kcap_meta *m);
struct kcap_user *kcap_meta_add_user(struct kcap_meta *m);

/* Sets b to a copy of len bytes (plus a NUL); returns -1 when out of memory. */
int kcap_blob_set(struct kcap_blob *b, const void *data, size_t len);
/* Makes dst hold the same bytes as src, without copying them. */
void kcap_blob_share(struct kcap_blob *dst, const struct kcap_blob *src);
bool kcap_blob_equal(const struct kcap_blob *b, const void *data, size_t len);
void kcap_blob_free(struct kcap_blob *b);

/* Defaults of PL_V9 fields that older entries lack (section 7.2). */
void kcap_proc_defaults(struct kcap_proc *p);

#endif /* KCAP_META_H */
