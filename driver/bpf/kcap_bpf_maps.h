/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/* The probe's maps hold the shared driver ABI. */
#include "kcap_abi.h"
