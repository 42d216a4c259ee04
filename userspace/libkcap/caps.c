// SPDX-License-Identifier: MIT
#include <linux/capability.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "caps.h"

uint64_t kcap_caps_effective(void)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[2];

	memset(data, 0, sizeof(data));
	if (syscall(SYS_capget, &hdr, data) < 0)
		return 0;
	return (uint64_t)data[1].effective << 32 | data[0].effective;
}

const char *kcap_cap_name(int cap)
{
	static char other[16];

	switch (cap) {
	case KCAP_CAP_DAC_OVERRIDE: return "CAP_DAC_OVERRIDE";
	case KCAP_CAP_SYS_MODULE: return "CAP_SYS_MODULE";
	case KCAP_CAP_SYS_ADMIN: return "CAP_SYS_ADMIN";
	case KCAP_CAP_SYS_RESOURCE: return "CAP_SYS_RESOURCE";
	case KCAP_CAP_PERFMON: return "CAP_PERFMON";
	case KCAP_CAP_BPF: return "CAP_BPF";
	default:
		snprintf(other, sizeof(other), "CAP_%d", cap);
		return other;
	}
}

int kcap_kernel_version(void)
{
	struct utsname u;
	int major = 0, minor = 0;

	if (uname(&u) < 0 || sscanf(u.release, "%d.%d", &major, &minor) != 2)
		return 0;
	return major * 1000 + minor;
}

uint64_t kcap_caps_bpf(void)
{
	int v = kcap_kernel_version();
	uint64_t need;

	/* CAP_BPF and CAP_PERFMON split off CAP_SYS_ADMIN in 5.8. */
	need = v && v < 5008 ? KCAP_CAP_BIT(KCAP_CAP_SYS_ADMIN) :
	       KCAP_CAP_BIT(KCAP_CAP_BPF) | KCAP_CAP_BIT(KCAP_CAP_PERFMON);
	/* Before 5.11, BPF memory is charged to RLIMIT_MEMLOCK, which must be raised. */
	if (v && v < 5011)
		need |= KCAP_CAP_BIT(KCAP_CAP_SYS_RESOURCE);
	return need;
}

/* "CAP_A, CAP_B and CAP_C" for the bits of set. */
static void put_names(char *out, size_t size, uint64_t set)
{
	int cap, n = 0, total = __builtin_popcountll(set), len = 0;

	out[0] = '\0';
	for (cap = 0; cap < 64 && len >= 0 && (size_t)len < size; cap++) {
		if (!(set & KCAP_CAP_BIT(cap)))
			continue;
		n++;
		len += snprintf(out + len, size - (size_t)len, "%s%s",
				n == 1 ? "" : n == total ? " and " : ", ", kcap_cap_name(cap));
	}
}

int kcap_caps_check(uint64_t need, uint64_t have, const char *what, char *err, size_t errlen)
{
	char all[160], missing[160];

	if (!(need & ~have))
		return 0;
	put_names(all, sizeof(all), need);
	put_names(missing, sizeof(missing), need & ~have);
	snprintf(err, errlen, "%s needs %s; missing: %s", what, all, missing);
	return -1;
}
