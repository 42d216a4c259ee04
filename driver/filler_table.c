// SPDX-License-Identifier: GPL-2.0-only OR MIT
#include "filler_table.h"

/* Every enter and exit event of a syscall kcap decodes has a filler (tested). */
const __u8 g_event_filler[PPM_EVENT_MAX] = {
	[PPME_GENERIC_E] = KCAP_FILLER_generic_e,
	[PPME_GENERIC_X] = KCAP_FILLER_generic_x,
	[PPME_PROCEXIT_E] = KCAP_FILLER_procexit_e,

	/* io */
	[PPME_CLOSE_E] = KCAP_FILLER_close_e,
	[PPME_CLOSE_X] = KCAP_FILLER_close_x,
	[PPME_READ_E] = KCAP_FILLER_read_e,
	[PPME_READ_X] = KCAP_FILLER_read_x,
	[PPME_WRITE_E] = KCAP_FILLER_write_e,
	[PPME_WRITE_X] = KCAP_FILLER_write_x,
	[PPME_OPEN_E] = KCAP_FILLER_open_e,
	[PPME_OPEN_X] = KCAP_FILLER_open_x,
	[PPME_OPENAT_E] = KCAP_FILLER_openat_e,
	[PPME_OPENAT_X] = KCAP_FILLER_openat_x,
	[PPME_CREAT_E] = KCAP_FILLER_creat_e,
	[PPME_CREAT_X] = KCAP_FILLER_creat_x,
	[PPME_DUP_E] = KCAP_FILLER_dup_e,
	[PPME_DUP_X] = KCAP_FILLER_dup_x,
	/* end of io */

	/* path */
	[PPME_UNLINK_E] = KCAP_FILLER_empty_e,
	[PPME_UNLINK_X] = KCAP_FILLER_unlink_x,
	[PPME_UNLINKAT_E] = KCAP_FILLER_empty_e,
	[PPME_UNLINKAT_X] = KCAP_FILLER_unlinkat_x,
	[PPME_MKDIR_E] = KCAP_FILLER_mkdir_e,
	[PPME_MKDIR_X] = KCAP_FILLER_mkdir_x,
	[PPME_RMDIR_E] = KCAP_FILLER_empty_e,
	[PPME_RMDIR_X] = KCAP_FILLER_rmdir_x,
	[PPME_CHDIR_E] = KCAP_FILLER_empty_e,
	[PPME_CHDIR_X] = KCAP_FILLER_chdir_x,
	[PPME_FCHDIR_E] = KCAP_FILLER_fchdir_e,
	[PPME_FCHDIR_X] = KCAP_FILLER_fchdir_x,
	[PPME_RENAME_E] = KCAP_FILLER_empty_e,
	[PPME_RENAME_X] = KCAP_FILLER_rename_x,
	[PPME_RENAMEAT_E] = KCAP_FILLER_empty_e,
	[PPME_RENAMEAT_X] = KCAP_FILLER_renameat_x,
	[PPME_RENAMEAT2_E] = KCAP_FILLER_empty_e,
	[PPME_RENAMEAT2_X] = KCAP_FILLER_renameat2_x,
	[PPME_MKDIRAT_E] = KCAP_FILLER_empty_e,
	[PPME_MKDIRAT_X] = KCAP_FILLER_mkdirat_x,
	[PPME_LINK_E] = KCAP_FILLER_empty_e,
	[PPME_LINK_X] = KCAP_FILLER_link_x,
	[PPME_LINKAT_E] = KCAP_FILLER_empty_e,
	[PPME_LINKAT_X] = KCAP_FILLER_linkat_x,
	[PPME_SYMLINK_E] = KCAP_FILLER_empty_e,
	[PPME_SYMLINK_X] = KCAP_FILLER_symlink_x,
	[PPME_SYMLINKAT_E] = KCAP_FILLER_empty_e,
	[PPME_SYMLINKAT_X] = KCAP_FILLER_symlinkat_x,
	[PPME_CHMOD_E] = KCAP_FILLER_empty_e,
	[PPME_CHMOD_X] = KCAP_FILLER_chmod_x,
	[PPME_FCHMOD_E] = KCAP_FILLER_empty_e,
	[PPME_FCHMOD_X] = KCAP_FILLER_fchmod_x,
	[PPME_FCHMODAT_E] = KCAP_FILLER_empty_e,
	[PPME_FCHMODAT_X] = KCAP_FILLER_fchmodat_x,
	[PPME_CHOWN_E] = KCAP_FILLER_empty_e,
	[PPME_CHOWN_X] = KCAP_FILLER_chown_x,
	[PPME_FCHOWN_E] = KCAP_FILLER_empty_e,
	[PPME_FCHOWN_X] = KCAP_FILLER_fchown_x,
	[PPME_FCHOWNAT_E] = KCAP_FILLER_empty_e,
	[PPME_FCHOWNAT_X] = KCAP_FILLER_fchownat_x,
	[PPME_STAT_E] = KCAP_FILLER_empty_e,
	[PPME_STAT_X] = KCAP_FILLER_stat_x,
	[PPME_LSTAT_E] = KCAP_FILLER_empty_e,
	[PPME_LSTAT_X] = KCAP_FILLER_lstat_x,
	[PPME_FSTAT_E] = KCAP_FILLER_fstat_e,
	[PPME_FSTAT_X] = KCAP_FILLER_fstat_x,
	[PPME_NEWFSTATAT_E] = KCAP_FILLER_empty_e,
	[PPME_NEWFSTATAT_X] = KCAP_FILLER_newfstatat_x,
	[PPME_CHROOT_E] = KCAP_FILLER_empty_e,
	[PPME_CHROOT_X] = KCAP_FILLER_chroot_x,
	[PPME_MOUNT_E] = KCAP_FILLER_mount_e,
	[PPME_MOUNT_X] = KCAP_FILLER_mount_x,
	[PPME_UMOUNT2_E] = KCAP_FILLER_umount2_e,
	[PPME_UMOUNT2_X] = KCAP_FILLER_umount2_x,
	/* end of path */

	/* net */
	/* end of net */

	/* proc */
	[PPME_KILL_E] = KCAP_FILLER_kill_e,
	[PPME_KILL_X] = KCAP_FILLER_kill_x,
	[PPME_TKILL_E] = KCAP_FILLER_tkill_e,
	[PPME_TKILL_X] = KCAP_FILLER_tkill_x,
	[PPME_TGKILL_E] = KCAP_FILLER_tgkill_e,
	[PPME_TGKILL_X] = KCAP_FILLER_tgkill_x,
	[PPME_PRCTL_E] = KCAP_FILLER_empty_e,
	[PPME_PRCTL_X] = KCAP_FILLER_prctl_x,
	[PPME_PTRACE_E] = KCAP_FILLER_ptrace_e,
	[PPME_PTRACE_X] = KCAP_FILLER_ptrace_x,
	[PPME_SETUID_E] = KCAP_FILLER_setuid_e,
	[PPME_SETUID_X] = KCAP_FILLER_setuid_x,
	[PPME_SETGID_E] = KCAP_FILLER_setgid_e,
	[PPME_SETGID_X] = KCAP_FILLER_setgid_x,
	/* end of proc */

	/* mem */
	[PPME_MMAP_E] = KCAP_FILLER_mmap_e,
	[PPME_MMAP_X] = KCAP_FILLER_mmap_x,
	[PPME_MUNMAP_E] = KCAP_FILLER_munmap_e,
	[PPME_MUNMAP_X] = KCAP_FILLER_munmap_x,
	[PPME_MPROTECT_E] = KCAP_FILLER_mprotect_e,
	[PPME_MPROTECT_X] = KCAP_FILLER_mprotect_x,
	[PPME_BRK_E] = KCAP_FILLER_brk_e,
	[PPME_BRK_X] = KCAP_FILLER_brk_x,
	/* end of mem */
};

const char *const g_filler_names[KCAP_FILLER_MAX] = {
	[KCAP_FILLER_NONE] = "none",
#define KCAP_FILLER_NAME(name) [KCAP_FILLER_##name] = #name,
	KCAP_FILLERS(KCAP_FILLER_NAME)
#undef KCAP_FILLER_NAME
};
