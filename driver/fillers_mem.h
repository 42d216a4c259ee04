/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/* Fillers of memory mappings (included by fillers.h). */
#ifndef KCAP_FILLERS_MEM_H
#define KCAP_FILLERS_MEM_H

#endif /* KCAP_FILLERS_MEM_H */
