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
	/* end of path */

	/* net */
	/* end of net */

	/* proc */
	[PPME_KILL_E] = KCAP_FILLER_kill_e,
	[PPME_KILL_X] = KCAP_FILLER_kill_x,
	[PPME_SETUID_E] = KCAP_FILLER_setuid_e,
	[PPME_SETUID_X] = KCAP_FILLER_setuid_x,
	[PPME_SETGID_E] = KCAP_FILLER_setgid_e,
	[PPME_SETGID_X] = KCAP_FILLER_setgid_x,
	[PPME_CLONE_E] = KCAP_FILLER_empty_e,
	[PPME_CLONE_X] = KCAP_FILLER_clone_x,
	[PPME_CLONE3_E] = KCAP_FILLER_empty_e,
	[PPME_CLONE3_X] = KCAP_FILLER_clone3_x,
	[PPME_FORK_E] = KCAP_FILLER_empty_e,
	[PPME_FORK_X] = KCAP_FILLER_fork_x,
	[PPME_VFORK_E] = KCAP_FILLER_empty_e,
	[PPME_VFORK_X] = KCAP_FILLER_vfork_x,
	[PPME_EXECVE_E] = KCAP_FILLER_execve_e,
	[PPME_EXECVE_X] = KCAP_FILLER_execve_x,
	[PPME_EXECVEAT_E] = KCAP_FILLER_execveat_e,
	[PPME_EXECVEAT_X] = KCAP_FILLER_execveat_x,
	/* end of proc */

	/* mem */
	/* end of mem */
};

const char *const g_filler_names[KCAP_FILLER_MAX] = {
	[KCAP_FILLER_NONE] = "none",
#define KCAP_FILLER_NAME(name) [KCAP_FILLER_##name] = #name,
	KCAP_FILLERS(KCAP_FILLER_NAME)
#undef KCAP_FILLER_NAME
};
