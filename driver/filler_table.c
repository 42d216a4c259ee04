// SPDX-License-Identifier: GPL-2.0-only OR MIT
#include "filler_table.h"

const __u8 g_event_filler[PPM_EVENT_MAX] = {
	[PPME_GENERIC_X] = KCAP_FILLER_generic_x,
	[PPME_PROCEXIT_E] = KCAP_FILLER_procexit_e,
	[PPME_CLOSE_X] = KCAP_FILLER_close_x,
	[PPME_READ_X] = KCAP_FILLER_read_x,
	[PPME_WRITE_X] = KCAP_FILLER_write_x,
	[PPME_OPEN_X] = KCAP_FILLER_open_x,
	[PPME_OPENAT_X] = KCAP_FILLER_openat_x,
	[PPME_CREAT_X] = KCAP_FILLER_creat_x,
	[PPME_UNLINK_X] = KCAP_FILLER_unlink_x,
	[PPME_UNLINKAT_X] = KCAP_FILLER_unlinkat_x,
	[PPME_MKDIR_X] = KCAP_FILLER_mkdir_x,
	[PPME_RMDIR_X] = KCAP_FILLER_rmdir_x,
	[PPME_CHDIR_X] = KCAP_FILLER_chdir_x,
	[PPME_FCHDIR_X] = KCAP_FILLER_fchdir_x,
	[PPME_DUP_X] = KCAP_FILLER_dup_x,
	[PPME_KILL_X] = KCAP_FILLER_kill_x,
	[PPME_SETUID_X] = KCAP_FILLER_setuid_x,
	[PPME_SETGID_X] = KCAP_FILLER_setgid_x,
};

const char *const g_filler_names[KCAP_FILLER_MAX] = {
	[KCAP_FILLER_NONE] = "none",
#define KCAP_FILLER_NAME(name) [KCAP_FILLER_##name] = #name,
	KCAP_FILLERS(KCAP_FILLER_NAME)
#undef KCAP_FILLER_NAME
};
