/* SPDX-License-Identifier: MIT */
/*
 * Where a uprobe hook of the hook table attaches: the user function its
 * target names, found in the ELF symbol tables of a binary (or of a library
 * the binary needs), as a file and an offset in it. Both drivers attach
 * there: the BPF probe by path, the module by an fd of the file.
 */
#ifndef KCAP_UPROBE_H
#define KCAP_UPROBE_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hook_table.h"

/*
 * The file is kept open from the reading of its symbols to the attachment,
 * which goes through the fd: a binary replaced in between (an upgrade) does
 * not get a probe at an offset read from another file.
 */
struct kcap_uprobe_site {
	char path[PATH_MAX];	/* the file that has the function: the binary or a library */
	int fd;			/* that file, open */
	uint64_t offset;	/* the function's entry, as an offset in that file */
	char symbol[256];	/* its name there (a C++ one mangled: it tells the signature) */
	uint8_t abi;		/* which signature, where programs differ (kcap_abi.h) */
};

/*
 * Finds function name in binary: its .symtab, its .dynsym, then the
 * libraries it needs (DT_NEEDED, in its run path and the system's library
 * directories). A C++ function matches by its plain name (_Z<len><name>...).
 * 0 with *s filled (release it); -1 with a one-line err that says what is
 * missing.
 */
int kcap_uprobe_find(const char *binary, const char *name, struct kcap_uprobe_site *s,
		     char *err, size_t errlen);
/* Closes the file of a site that kcap_uprobe_find filled. */
void kcap_uprobe_site_release(struct kcap_uprobe_site *s);

/*
 * Which signature hook's function has, from its symbol (a C++ name tells its
 * parameters), where programs differ (kcap_abi.h: enum kcap_mysql_abi for
 * mysql_query's dispatch_command); 0 for a hook whose function has one; -1
 * for one kcap cannot read.
 */
int kcap_uprobe_signature(int hook, const char *symbol);

/* The binaries hook looks in when none is named, first found first; NULL-ended. */
const char *const *kcap_uprobe_default_binaries(int hook);

/*
 * The sites of the uprobe hooks in wanted (enum kcap_hook_id bits), in
 * binaries[hook] (binaries NULL, or an entry NULL: the defaults): sites[hook]
 * allocated for each. -1 with a one-line err naming the event.
 */
int kcap_uprobe_sites(uint64_t wanted, const char *const *binaries,
		      struct kcap_uprobe_site *sites[KCAP_HOOK_MAX], char *err, size_t errlen);
void kcap_uprobe_sites_free(struct kcap_uprobe_site *sites[KCAP_HOOK_MAX]);

#endif /* KCAP_UPROBE_H */
