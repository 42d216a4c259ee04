// SPDX-License-Identifier: MIT
/*
 * Names of Linux x86_64 errno values and signals. Literal tables rather than
 * strerror or <errno.h>, so that the output does not depend on the libc or
 * the machine that reads the file.
 */
#include <stddef.h>
#include <stdint.h>

#include "format.h"

static const char *const errno_names[] = {
	[1] = "EPERM", [2] = "ENOENT", [3] = "ESRCH", [4] = "EINTR",
	[5] = "EIO", [6] = "ENXIO", [7] = "E2BIG", [8] = "ENOEXEC",
	[9] = "EBADF", [10] = "ECHILD", [11] = "EAGAIN", [12] = "ENOMEM",
	[13] = "EACCES", [14] = "EFAULT", [15] = "ENOTBLK", [16] = "EBUSY",
	[17] = "EEXIST", [18] = "EXDEV", [19] = "ENODEV", [20] = "ENOTDIR",
	[21] = "EISDIR", [22] = "EINVAL", [23] = "ENFILE", [24] = "EMFILE",
	[25] = "ENOTTY", [26] = "ETXTBSY", [27] = "EFBIG", [28] = "ENOSPC",
	[29] = "ESPIPE", [30] = "EROFS", [31] = "EMLINK", [32] = "EPIPE",
	[33] = "EDOM", [34] = "ERANGE", [35] = "EDEADLK",
	[36] = "ENAMETOOLONG", [37] = "ENOLCK", [38] = "ENOSYS",
	[39] = "ENOTEMPTY", [40] = "ELOOP",
	/* 41 (EWOULDBLOCK) and 58 (EDEADLOCK) are only aliases. */
	[42] = "ENOMSG", [43] = "EIDRM", [44] = "ECHRNG", [45] = "EL2NSYNC",
	[46] = "EL3HLT", [47] = "EL3RST", [48] = "ELNRNG", [49] = "EUNATCH",
	[50] = "ENOCSI", [51] = "EL2HLT", [52] = "EBADE", [53] = "EBADR",
	[54] = "EXFULL", [55] = "ENOANO", [56] = "EBADRQC", [57] = "EBADSLT",
	[59] = "EBFONT", [60] = "ENOSTR", [61] = "ENODATA", [62] = "ETIME",
	[63] = "ENOSR", [64] = "ENONET", [65] = "ENOPKG", [66] = "EREMOTE",
	[67] = "ENOLINK", [68] = "EADV", [69] = "ESRMNT", [70] = "ECOMM",
	[71] = "EPROTO", [72] = "EMULTIHOP", [73] = "EDOTDOT",
	[74] = "EBADMSG", [75] = "EOVERFLOW", [76] = "ENOTUNIQ",
	[77] = "EBADFD", [78] = "EREMCHG", [79] = "ELIBACC", [80] = "ELIBBAD",
	[81] = "ELIBSCN", [82] = "ELIBMAX", [83] = "ELIBEXEC", [84] = "EILSEQ",
	[85] = "ERESTART", [86] = "ESTRPIPE", [87] = "EUSERS",
	[88] = "ENOTSOCK", [89] = "EDESTADDRREQ", [90] = "EMSGSIZE",
	[91] = "EPROTOTYPE", [92] = "ENOPROTOOPT", [93] = "EPROTONOSUPPORT",
	[94] = "ESOCKTNOSUPPORT", [95] = "EOPNOTSUPP", [96] = "EPFNOSUPPORT",
	[97] = "EAFNOSUPPORT", [98] = "EADDRINUSE", [99] = "EADDRNOTAVAIL",
	[100] = "ENETDOWN", [101] = "ENETUNREACH", [102] = "ENETRESET",
	[103] = "ECONNABORTED", [104] = "ECONNRESET", [105] = "ENOBUFS",
	[106] = "EISCONN", [107] = "ENOTCONN", [108] = "ESHUTDOWN",
	[109] = "ETOOMANYREFS", [110] = "ETIMEDOUT", [111] = "ECONNREFUSED",
	[112] = "EHOSTDOWN", [113] = "EHOSTUNREACH", [114] = "EALREADY",
	[115] = "EINPROGRESS", [116] = "ESTALE", [117] = "EUCLEAN",
	[118] = "ENOTNAM", [119] = "ENAVAIL", [120] = "EISNAM",
	[121] = "EREMOTEIO", [122] = "EDQUOT", [123] = "ENOMEDIUM",
	[124] = "EMEDIUMTYPE", [125] = "ECANCELED", [126] = "ENOKEY",
	[127] = "EKEYEXPIRED", [128] = "EKEYREVOKED", [129] = "EKEYREJECTED",
	[130] = "EOWNERDEAD", [131] = "ENOTRECOVERABLE", [132] = "ERFKILL",
	[133] = "EHWPOISON",
};

/* Kernel-internal values that still show up as syscall returns in traces. */
static const char *const errno_kernel_names[] = {
	"ERESTARTSYS", "ERESTARTNOINTR", "ERESTARTNOHAND", "ENOIOCTLCMD",
	"ERESTART_RESTARTBLOCK", "EPROBE_DEFER", "EOPENSTALE", "ENOPARAM",
};

#define ERRNO_KERNEL_FIRST 512

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

const char *kcap_errno_name(int64_t err)
{
	uint64_t e;

	if (err >= 0)
		return NULL;
	e = -(uint64_t)err;
	if (e < ARRAY_SIZE(errno_names))
		return errno_names[e];
	if (e >= ERRNO_KERNEL_FIRST &&
	    e - ERRNO_KERNEL_FIRST < ARRAY_SIZE(errno_kernel_names))
		return errno_kernel_names[e - ERRNO_KERNEL_FIRST];
	return NULL;
}

/* The kernel's numbering: SIGRTMIN is 32 (glibc reserves 32 and 33). */
static const char *const signal_names[] = {
	[1] = "SIGHUP", [2] = "SIGINT", [3] = "SIGQUIT", [4] = "SIGILL",
	[5] = "SIGTRAP", [6] = "SIGABRT", [7] = "SIGBUS", [8] = "SIGFPE",
	[9] = "SIGKILL", [10] = "SIGUSR1", [11] = "SIGSEGV", [12] = "SIGUSR2",
	[13] = "SIGPIPE", [14] = "SIGALRM", [15] = "SIGTERM",
	[16] = "SIGSTKFLT", [17] = "SIGCHLD", [18] = "SIGCONT",
	[19] = "SIGSTOP", [20] = "SIGTSTP", [21] = "SIGTTIN", [22] = "SIGTTOU",
	[23] = "SIGURG", [24] = "SIGXCPU", [25] = "SIGXFSZ",
	[26] = "SIGVTALRM", [27] = "SIGPROF", [28] = "SIGWINCH", [29] = "SIGIO",
	[30] = "SIGPWR", [31] = "SIGSYS",
	[32] = "SIGRTMIN", [33] = "SIGRTMIN+1", [34] = "SIGRTMIN+2",
	[35] = "SIGRTMIN+3", [36] = "SIGRTMIN+4", [37] = "SIGRTMIN+5",
	[38] = "SIGRTMIN+6", [39] = "SIGRTMIN+7", [40] = "SIGRTMIN+8",
	[41] = "SIGRTMIN+9", [42] = "SIGRTMIN+10", [43] = "SIGRTMIN+11",
	[44] = "SIGRTMIN+12", [45] = "SIGRTMIN+13", [46] = "SIGRTMIN+14",
	[47] = "SIGRTMIN+15", [48] = "SIGRTMIN+16", [49] = "SIGRTMIN+17",
	[50] = "SIGRTMIN+18", [51] = "SIGRTMIN+19", [52] = "SIGRTMIN+20",
	[53] = "SIGRTMIN+21", [54] = "SIGRTMIN+22", [55] = "SIGRTMIN+23",
	[56] = "SIGRTMIN+24", [57] = "SIGRTMIN+25", [58] = "SIGRTMIN+26",
	[59] = "SIGRTMIN+27", [60] = "SIGRTMIN+28", [61] = "SIGRTMIN+29",
	[62] = "SIGRTMIN+30", [63] = "SIGRTMIN+31", [64] = "SIGRTMAX",
};

const char *kcap_signal_name(uint32_t sig)
{
	return sig < ARRAY_SIZE(signal_names) ? signal_names[sig] : NULL;
}
