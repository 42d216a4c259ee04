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
	[PPME_SOCKET_E] = KCAP_FILLER_socket_e,
	[PPME_SOCKET_X] = KCAP_FILLER_socket_x,
	[PPME_SOCKETPAIR_E] = KCAP_FILLER_socketpair_e,
	[PPME_SOCKETPAIR_X] = KCAP_FILLER_socketpair_x,
	[PPME_BIND_E] = KCAP_FILLER_bind_e,
	[PPME_BIND_X] = KCAP_FILLER_bind_x,
	[PPME_CONNECT_E] = KCAP_FILLER_connect_e,
	[PPME_CONNECT_X] = KCAP_FILLER_connect_x,
	[PPME_LISTEN_E] = KCAP_FILLER_listen_e,
	[PPME_LISTEN_X] = KCAP_FILLER_listen_x,
	[PPME_ACCEPT_V3_E] = KCAP_FILLER_empty_e,
	[PPME_ACCEPT_V3_X] = KCAP_FILLER_accept_x,
	[PPME_ACCEPT4_E] = KCAP_FILLER_accept4_e,
	[PPME_ACCEPT4_X] = KCAP_FILLER_accept4_x,
	[PPME_SENDTO_E] = KCAP_FILLER_sendto_e,
	[PPME_SENDTO_X] = KCAP_FILLER_sendto_x,
	[PPME_RECVFROM_E] = KCAP_FILLER_recvfrom_e,
	[PPME_RECVFROM_X] = KCAP_FILLER_recvfrom_x,
	[PPME_SENDMSG_E] = KCAP_FILLER_sendmsg_e,
	[PPME_SENDMSG_X] = KCAP_FILLER_sendmsg_x,
	[PPME_RECVMSG_E] = KCAP_FILLER_recvmsg_e,
	[PPME_RECVMSG_X] = KCAP_FILLER_recvmsg_x,
	[PPME_SHUTDOWN_E] = KCAP_FILLER_shutdown_e,
	[PPME_SHUTDOWN_X] = KCAP_FILLER_shutdown_x,
	/* end of net */

	/* proc */
	[PPME_KILL_E] = KCAP_FILLER_kill_e,
	[PPME_KILL_X] = KCAP_FILLER_kill_x,
	[PPME_SETUID_E] = KCAP_FILLER_setuid_e,
	[PPME_SETUID_X] = KCAP_FILLER_setuid_x,
	[PPME_SETGID_E] = KCAP_FILLER_setgid_e,
	[PPME_SETGID_X] = KCAP_FILLER_setgid_x,
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
