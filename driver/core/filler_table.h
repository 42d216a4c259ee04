/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * The filler table: which filler builds the parameters of each event. One
 * list names every filler; the enum, the names the backends look programs up
 * by and the per-event table all come from it, so they cannot disagree.
 * An event without a filler is emitted as the generic syscall event.
 */
#ifndef KCAP_FILLER_TABLE_H
#define KCAP_FILLER_TABLE_H

#include "ppm_events_public.h"

/*
 * The fillers of syscall events, which the syscall rows name (the other
 * hooks' fillers are fixed by the hook table). One block per family of
 * fillers (fillers_<family>.h), so that families can grow independently;
 * enter fillers are named _e, exit fillers _x.
 */
#define KCAP_FILLERS(X)		\
	X(generic_e)		\
	X(generic_x)		\
	X(empty_e)		\
	X(empty_x)		\
	X(res_x)		\
	KCAP_IO_FILLERS(X)	\
	KCAP_PATH_FILLERS(X)	\
	KCAP_NET_FILLERS(X)	\
	KCAP_PROC_FILLERS(X)	\
	KCAP_MEM_FILLERS(X)	\
	KCAP_FD_FILLERS(X)

/* fillers_io.h: open, read, write and the other fd syscalls. */
#define KCAP_IO_FILLERS(X)	\
	X(close_e)		\
	X(close_x)		\
	X(read_e)		\
	X(read_x)		\
	X(write_e)		\
	X(write_x)		\
	X(open_e)		\
	X(open_x)		\
	X(openat_e)		\
	X(openat_x)		\
	X(creat_e)		\
	X(creat_x)		\
	X(dup_e)		\
	X(dup_x)		\
	X(pread_e)		\
	X(pread_x)		\
	X(pwrite_e)		\
	X(pwrite_x)		\
	X(readv_e)		\
	X(readv_x)		\
	X(writev_e)		\
	X(writev_x)		\
	X(preadv_e)		\
	X(preadv_x)		\
	X(pwritev_e)		\
	X(pwritev_x)		\
	X(lseek_e)		\
	X(lseek_x)		\
	X(dup2_e)		\
	X(dup2_x)		\
	X(dup3_e)		\
	X(dup3_x)		\
	X(fcntl_e)		\
	X(fcntl_x)		\
	X(pipe_x)		\
	X(pipe2_x)		\
	X(openat2_e)		\
	X(openat2_x)		\
	X(flock_e)		\
	X(flock_x)		\
	X(close_range_x)	\
	X(ioctl_e)		\
	X(ioctl_x)		\
	X(getdents_e)		\
	X(getdents_x)		\
	X(sendfile_e)		\
	X(sendfile_x)		\
	X(splice_e)		\
	X(splice_x)		\
	X(copy_file_range_e)	\
	X(copy_file_range_x)	\
	X(epoll_wait_e)		\
	X(epoll_wait_x)		\
	X(poll_e)		\
	X(poll_x)		\
	X(ppoll_e)		\
	X(ppoll_x)

/* fillers_path.h: syscalls on paths and the filesystem tree. */
#define KCAP_PATH_FILLERS(X)	\
	X(unlink_x)		\
	X(unlinkat_x)		\
	X(mkdir_e)		\
	X(mkdir_x)		\
	X(rmdir_x)		\
	X(chdir_x)		\
	X(fchdir_e)		\
	X(fchdir_x)		\
	X(rename_x)		\
	X(renameat_x)		\
	X(renameat2_x)		\
	X(mkdirat_x)		\
	X(link_x)		\
	X(linkat_x)		\
	X(symlink_x)		\
	X(symlinkat_x)		\
	X(access_e)		\
	X(access_x)		\
	X(getcwd_x)		\
	X(mknod_x)		\
	X(mknodat_x)		\
	X(chmod_x)		\
	X(fchmod_x)		\
	X(fchmodat_x)		\
	X(chown_x)		\
	X(fchown_x)		\
	X(fchownat_x)		\
	X(stat_x)		\
	X(lstat_x)		\
	X(fstat_e)		\
	X(fstat_x)		\
	X(newfstatat_x)		\
	X(chroot_x)		\
	X(mount_e)		\
	X(mount_x)		\
	X(umount2_e)		\
	X(umount2_x)		\
	X(fsconfig_x)		\
	X(open_by_handle_at_x)	\
	X(quotactl_e)		\
	X(quotactl_x)

/* fillers_net.h: sockets. */
#define KCAP_NET_FILLERS(X)	\
	X(socket_e)		\
	X(socket_x)		\
	X(socketpair_e)		\
	X(socketpair_x)		\
	X(bind_e)		\
	X(bind_x)		\
	X(connect_e)		\
	X(connect_x)		\
	X(listen_e)		\
	X(listen_x)		\
	X(accept_x)		\
	X(accept4_e)		\
	X(accept4_x)		\
	X(sendto_e)		\
	X(sendto_x)		\
	X(recvfrom_e)		\
	X(recvfrom_x)		\
	X(sendmsg_e)		\
	X(sendmsg_x)		\
	X(recvmsg_e)		\
	X(recvmsg_x)		\
	X(shutdown_e)		\
	X(shutdown_x)		\
	X(sendmmsg_x)		\
	X(recvmmsg_x)		\
	X(setsockopt_x)		\
	X(getsockopt_x)

/* fillers_proc.h: processes, threads, signals, credentials. */
#define KCAP_PROC_FILLERS(X)	\
	X(kill_e)		\
	X(kill_x)		\
	X(tkill_e)		\
	X(tkill_x)		\
	X(tgkill_e)		\
	X(tgkill_x)		\
	X(prctl_x)		\
	X(ptrace_e)		\
	X(ptrace_x)		\
	X(setuid_e)		\
	X(setuid_x)		\
	X(setgid_e)		\
	X(setgid_x)		\
	X(getid_x)		\
	X(setreid_x)		\
	X(setresid_e)		\
	X(setresid_x)		\
	X(getresid_x)		\
	X(setpgid_e)		\
	X(setpgid_x)		\
	X(unshare_e)		\
	X(unshare_x)		\
	X(setns_e)		\
	X(setns_x)		\
	X(nanosleep_e)		\
	X(nanosleep_x)		\
	X(futex_e)		\
	X(futex_x)		\
	X(seccomp_e)		\
	X(seccomp_x)		\
	X(rlimit_e)		\
	X(rlimit_x)		\
	X(prlimit_e)		\
	X(prlimit_x)		\
	X(semget_e)		\
	X(semget_x)		\
	X(delete_module_x)	\
	X(capset_x)		\
	X(semop_e)		\
	X(semop_x)		\
	X(semctl_e)		\
	X(semctl_x)		\
	X(init_module_x)	\
	X(finit_module_x)	\
	X(process_vm_x)		\
	X(keyctl_x)		\
	X(clone_x)		\
	X(clone3_x)		\
	X(fork_x)		\
	X(vfork_x)		\
	X(execve_e)		\
	X(execve_x)		\
	X(execveat_e)		\
	X(execveat_x)

/* fillers_mem.h: memory mappings. */
#define KCAP_MEM_FILLERS(X)	\
	X(mmap_e)		\
	X(mmap_x)		\
	X(munmap_e)		\
	X(munmap_x)		\
	X(mprotect_e)		\
	X(mprotect_x)		\
	X(brk_e)		\
	X(brk_x)		\
	X(mlock_x)		\
	X(mlock2_x)		\
	X(mlockall_x)

/* fillers_fd.h: the syscalls that make a special fd, and io_uring's. */
#define KCAP_FD_FILLERS(X)	\
	X(epoll_create_e)	\
	X(epoll_create_x)	\
	X(epoll_create1_e)	\
	X(epoll_create1_x)	\
	X(eventfd_e)		\
	X(eventfd_x)		\
	X(eventfd2_e)		\
	X(eventfd2_x)		\
	X(signalfd_e)		\
	X(signalfd_x)		\
	X(signalfd4_e)		\
	X(signalfd4_x)		\
	X(timerfd_create_e)	\
	X(timerfd_create_x)	\
	X(inotify_init_e)	\
	X(inotify_init_x)	\
	X(inotify_init1_x)	\
	X(userfaultfd_x)	\
	X(memfd_create_x)	\
	X(pidfd_open_x)		\
	X(pidfd_getfd_x)	\
	X(bpf_e)		\
	X(bpf_x)		\
	X(io_uring_setup_x)	\
	X(io_uring_enter_x)	\
	X(io_uring_register_x)

enum kcap_filler_id {
	KCAP_FILLER_NONE = 0,
#define KCAP_FILLER_ENUM(name) KCAP_FILLER_##name,
	KCAP_FILLERS(KCAP_FILLER_ENUM)
#undef KCAP_FILLER_ENUM
	KCAP_FILLER_MAX
};

/* Filler ids are stored in bytes (the table below, the syscall rows). */
_Static_assert(KCAP_FILLER_MAX <= 256, "filler ids no longer fit in a byte");

/* Filler of each event type; KCAP_FILLER_NONE where kcap has none yet. */
extern const __u8 g_event_filler[KCAP_EVENT_MAX];
/* "close_x" for KCAP_FILLER_close_x: backends find their code by this name. */
extern const char *const g_filler_names[KCAP_FILLER_MAX];

#endif /* KCAP_FILLER_TABLE_H */
