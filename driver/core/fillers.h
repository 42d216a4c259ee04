/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * The fillers: for each event, its parameters in schema order. Written once
 * against filler_api.h and compiled into every backend, one header per
 * family, each standing on its own. Exit events carry every parameter of
 * schema 4.5.1.
 */
#ifndef KCAP_FILLERS_H
#define KCAP_FILLERS_H

#include "fillers_io.h"
#include "fillers_path.h"
#include "fillers_net.h"
#include "fillers_proc.h"
#include "fillers_mem.h"
#include "fillers_fd.h"
#include "fillers_hooks.h"

#endif /* KCAP_FILLERS_H */
