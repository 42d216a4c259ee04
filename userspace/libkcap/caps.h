/* SPDX-License-Identifier: MIT */
/*
 * The capabilities a capture needs, checked with capget(2) rather than the
 * uid: CAP_BPF and CAP_PERFMON for the BPF probe (CAP_SYS_ADMIN before Linux
 * 5.8), CAP_SYS_RESOURCE to raise RLIMIT_MEMLOCK before 5.11, CAP_SYS_MODULE
 * to load the module. A missing one is named in the error.
 */
#ifndef KCAP_CAPS_H
#define KCAP_CAPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Capability numbers, as <linux/capability.h> has them (older headers lack the last two). */
#define KCAP_CAP_DAC_OVERRIDE 1
#define KCAP_CAP_SYS_MODULE 16
#define KCAP_CAP_SYS_ADMIN 21
#define KCAP_CAP_SYS_RESOURCE 24
#define KCAP_CAP_PERFMON 38
#define KCAP_CAP_BPF 39

#define KCAP_CAP_BIT(c) (1ull << (c))

/* The effective capabilities of this process, as a bit set; 0 when capget fails. */
uint64_t kcap_caps_effective(void);

/* "CAP_BPF", "CAP_PERFMON"... or "CAP_<n>". */
const char *kcap_cap_name(int cap);

/* The kernel's version as major * 1000 + minor (6.18: 6018); 0 when unknown. */
int kcap_kernel_version(void);

/* What the BPF driver needs on this kernel. */
uint64_t kcap_caps_bpf(void);

/*
 * 0 when have holds every capability of need; else -1 with err saying
 * "<what> needs CAP_A and CAP_B; missing: CAP_B".
 */
int kcap_caps_check(uint64_t need, uint64_t have, const char *what, char *err, size_t errlen);

#endif /* KCAP_CAPS_H */
