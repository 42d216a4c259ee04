// SPDX-License-Identifier: GPL-2.0-only OR MIT
#include "hook_table.h"

const struct kcap_hook_info g_hooks[KCAP_HOOK_MAX] = {
#define KCAP_HOOK_INFO(n, k, t, e, sc, scope)							\
	[KCAP_HOOK_##n] = { .name = #n, .kind = KCAP_HOOK_##k, .target = t, .event = e,	\
			    .ppm_sc = sc },
	KCAP_HOOKS(KCAP_HOOK_INFO)
#undef KCAP_HOOK_INFO
};
