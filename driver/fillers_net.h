/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/* Fillers of sockets (included by fillers.h). */
#ifndef KCAP_FILLERS_NET_H
#define KCAP_FILLERS_NET_H

#endif /* KCAP_FILLERS_NET_H */
