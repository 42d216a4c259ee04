// SPDX-License-Identifier: MIT
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <linux/types.h>

#include "event.h"
#include "interest.h"
#include "kcap_abi.h"
#include "uprobe.h"

/* Where the libraries a binary needs are looked for after its run path. */
static const char *const g_lib_dirs[] = {
	"/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib64", "/usr/lib64",
	"/lib", "/usr/lib", "/usr/local/lib", NULL,
};

#define MAX_NEEDED 64

struct elf_file {
	int fd;
	Elf *elf;
	bool has_symtab;
	int nneeded;
	char *needed[MAX_NEEDED];	/* DT_NEEDED names */
	char *runpath;			/* DT_RUNPATH or DT_RPATH */
};

static void elf_file_close(struct elf_file *ef)
{
	int i;

	for (i = 0; i < ef->nneeded; i++)
		free(ef->needed[i]);
	free(ef->runpath);
	if (ef->elf)
		elf_end(ef->elf);
	if (ef->fd >= 0)
		close(ef->fd);
}

static int elf_file_open(const char *path, struct elf_file *ef, char *err, size_t errlen)
{
	struct stat st;
	GElf_Ehdr eh;

	memset(ef, 0, sizeof(*ef));
	ef->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (ef->fd < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(ef->fd, &st) || !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s is not a regular file", path);
		return -1;
	}
	elf_version(EV_CURRENT);
	ef->elf = elf_begin(ef->fd, ELF_C_READ, NULL);
	if (!ef->elf || elf_kind(ef->elf) != ELF_K_ELF || !gelf_getehdr(ef->elf, &eh) ||
	    (eh.e_type != ET_EXEC && eh.e_type != ET_DYN)) {
		snprintf(err, errlen, "%s is not an ELF executable or library", path);
		return -1;
	}
	return 0;
}

/* name, or a C++ function of that plain name: _Z<len><name><its parameters>. */
static bool symbol_matches(const char *sym, const char *name)
{
	char prefix[300];
	int n;

	if (!strcmp(sym, name))
		return true;
	n = snprintf(prefix, sizeof(prefix), "_Z%zu%s", strlen(name), name);
	return n > 0 && (size_t)n < sizeof(prefix) && !strncmp(sym, prefix, (size_t)n) &&
	       sym[n] != '\0';
}

/* The file offset of virtual address addr: in the loaded segment that holds it. */
static int vaddr_to_offset(Elf *elf, uint64_t addr, uint64_t *off)
{
	size_t i, n;
	GElf_Phdr ph;

	if (elf_getphdrnum(elf, &n))
		return -1;
	for (i = 0; i < n; i++) {
		if (!gelf_getphdr(elf, (int)i, &ph) || ph.p_type != PT_LOAD)
			continue;
		if (addr >= ph.p_vaddr && addr - ph.p_vaddr < ph.p_filesz) {
			*off = addr - ph.p_vaddr + ph.p_offset;
			return 0;
		}
	}
	return -1;
}

/* A defined function called name in section scn (a symbol table); 0 when found. */
static int find_in_symtab(Elf *elf, Elf_Scn *scn, const GElf_Shdr *sh, const char *name,
			  struct kcap_uprobe_site *s)
{
	Elf_Data *data = elf_getdata(scn, NULL);
	size_t i, n;
	GElf_Sym sym;

	if (!data || !sh->sh_entsize)
		return -1;
	n = sh->sh_size / sh->sh_entsize;
	for (i = 0; i < n; i++) {
		const char *sname;

		if (!gelf_getsym(data, (int)i, &sym) || GELF_ST_TYPE(sym.st_info) != STT_FUNC ||
		    sym.st_shndx == SHN_UNDEF || !sym.st_value)
			continue;
		sname = elf_strptr(elf, sh->sh_link, sym.st_name);
		if (!sname || !symbol_matches(sname, name))
			continue;
		if (vaddr_to_offset(elf, sym.st_value, &s->offset))
			continue;
		snprintf(s->symbol, sizeof(s->symbol), "%s", sname);
		return 0;
	}
	return -1;
}

static void note_dynamic(struct elf_file *ef, Elf_Scn *scn, const GElf_Shdr *sh)
{
	Elf_Data *data = elf_getdata(scn, NULL);
	size_t i, n;
	GElf_Dyn dyn;

	if (!data || !sh->sh_entsize)
		return;
	n = sh->sh_size / sh->sh_entsize;
	for (i = 0; i < n; i++) {
		const char *str;

		if (!gelf_getdyn(data, (int)i, &dyn) || dyn.d_tag == DT_NULL)
			break;
		if (dyn.d_tag != DT_NEEDED && dyn.d_tag != DT_RUNPATH && dyn.d_tag != DT_RPATH)
			continue;
		str = elf_strptr(ef->elf, sh->sh_link, dyn.d_un.d_val);
		if (!str)
			continue;
		if (dyn.d_tag == DT_NEEDED && ef->nneeded < MAX_NEEDED)
			ef->needed[ef->nneeded++] = strdup(str);
		else if (dyn.d_tag != DT_NEEDED && !ef->runpath)
			ef->runpath = strdup(str);
	}
}

/* The function in this file's symbol tables, .symtab first; notes what it needs. */
static int find_in_file(struct elf_file *ef, const char *name, struct kcap_uprobe_site *s)
{
	Elf_Scn *scn = NULL, *dynsym = NULL;
	GElf_Shdr sh, dynsh;
	int found = -1;

	while ((scn = elf_nextscn(ef->elf, scn))) {
		if (!gelf_getshdr(scn, &sh))
			continue;
		if (sh.sh_type == SHT_SYMTAB) {
			ef->has_symtab = true;
			if (found)
				found = find_in_symtab(ef->elf, scn, &sh, name, s);
		} else if (sh.sh_type == SHT_DYNSYM) {
			dynsym = scn;
			dynsh = sh;
		} else if (sh.sh_type == SHT_DYNAMIC) {
			note_dynamic(ef, scn, &sh);
		}
	}
	if (found && dynsym)
		found = find_in_symtab(ef->elf, dynsym, &dynsh, name, s);
	return found;
}

/* The library lib (a DT_NEEDED name) in runpath, then the system's directories. */
static bool find_library(const char *lib, const char *runpath, char *path, size_t len)
{
	char dirs[1024];
	char *dir, *save = NULL;
	int i;

	if (strchr(lib, '/'))
		return false;	/* a path in DT_NEEDED: not a library search */
	snprintf(dirs, sizeof(dirs), "%s", runpath ? runpath : "");
	for (dir = strtok_r(dirs, ":", &save); dir; dir = strtok_r(NULL, ":", &save)) {
		if (strchr(dir, '$'))
			continue;	/* $ORIGIN and the like: not followed */
		snprintf(path, len, "%s/%s", dir, lib);
		if (!access(path, R_OK))
			return true;
	}
	for (i = 0; g_lib_dirs[i]; i++) {
		snprintf(path, len, "%s/%s", g_lib_dirs[i], lib);
		if (!access(path, R_OK))
			return true;
	}
	return false;
}

/* The function in one of the libraries binary needs (not theirs). */
static int find_in_libraries(const struct elf_file *bin, const char *name,
			     struct kcap_uprobe_site *s)
{
	char path[PATH_MAX], ignored[256];
	int i;

	for (i = 0; i < bin->nneeded; i++) {
		struct elf_file lib;
		int found;

		if (!find_library(bin->needed[i], bin->runpath, path, sizeof(path)))
			continue;
		if (elf_file_open(path, &lib, ignored, sizeof(ignored))) {
			elf_file_close(&lib);
			continue;
		}
		found = find_in_file(&lib, name, s);
		if (!found) {
			snprintf(s->path, sizeof(s->path), "%s", path);
			s->fd = fcntl(lib.fd, F_DUPFD_CLOEXEC, 0);
		}
		elf_file_close(&lib);
		if (!found)
			return s->fd >= 0 ? 0 : -1;
	}
	return -1;
}

int kcap_uprobe_find(const char *binary, const char *name, struct kcap_uprobe_site *s,
		     char *err, size_t errlen)
{
	struct elf_file bin;
	int ret = -1;

	memset(s, 0, sizeof(*s));
	s->fd = -1;
	if (elf_file_open(binary, &bin, err, errlen))
		goto out;
	if (!find_in_file(&bin, name, s)) {
		snprintf(s->path, sizeof(s->path), "%s", binary);
		s->fd = fcntl(bin.fd, F_DUPFD_CLOEXEC, 0);
		ret = s->fd >= 0 ? 0 : -1;
		if (ret)
			snprintf(err, errlen, "%s: %s", binary, strerror(errno));
	} else if (!find_in_libraries(&bin, name, s)) {
		ret = 0;
	} else if (!bin.has_symtab) {
		snprintf(err, errlen, "%s is stripped and exports no function %s, nor does a "
			 "library it needs", binary, name);
	} else {
		snprintf(err, errlen, "%s has no function %s, nor does a library it needs", binary,
			 name);
	}
out:
	elf_file_close(&bin);
	return ret;
}

/* Per code of the interest set: the binaries tried when none is named. */
static const struct {
	uint16_t ppm_sc;
	const char *paths[4];
} g_default_binaries[] = {
#define KCAP_UPROBE_DEFAULT(sc, ...) { .ppm_sc = sc, .paths = { __VA_ARGS__, NULL } },
	KCAP_UPROBE_BINARIES(KCAP_UPROBE_DEFAULT)
#undef KCAP_UPROBE_DEFAULT
};

const char *const *kcap_uprobe_default_binaries(int hook)
{
	size_t i;

	if (!kcap_hook_is_uprobe(hook))
		return NULL;
	for (i = 0; i < sizeof(g_default_binaries) / sizeof(g_default_binaries[0]); i++)
		if (g_default_binaries[i].ppm_sc == g_hooks[hook].ppm_sc)
			return g_default_binaries[i].paths;
	return NULL;
}

/*
 * dispatch_command's signature, from its mangled name: MariaDB's
 * (enum_server_command, THD*, char*, uint, ...), MySQL's
 * (THD*, const COM_DATA*, enum_server_command); -1 for another.
 */
static bool starts_with(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

static int mysql_abi(const char *symbol)
{
	if (starts_with(symbol, "_Z16dispatch_command19enum_server_commandP3THDPcj"))
		return KCAP_MYSQL_MARIADB;
	if (starts_with(symbol, "_Z16dispatch_commandP3THDPK8COM_DATA19enum_server_command"))
		return KCAP_MYSQL_MYSQL8;
	return -1;
}

int kcap_uprobe_signature(int hook, const char *symbol)
{
	if (hook == KCAP_HOOK_mysql_dispatch || hook == KCAP_HOOK_mysql_query)
		return mysql_abi(symbol);
	return 0;
}

/* hook's site in binary, or in the first of its defaults that exists. */
static int resolve(int hook, const char *binary, struct kcap_uprobe_site *s, char *err,
		   size_t errlen)
{
	const char *const *d = kcap_uprobe_default_binaries(hook);
	const char *event = g_event_info[kcap_hook_event(hook)].name;
	char why[PATH_MAX + 128];
	size_t i;
	int abi;

	for (i = 0; !binary && d && d[i]; i++)
		if (!access(d[i], F_OK))
			binary = d[i];
	if (!binary) {
		snprintf(err, errlen, "%s: no binary with %s found (%s...): name one with "
			 "--uprobe %s=PATH", event, g_hooks[hook].target, d && d[0] ? d[0] : "none",
			 event);
		return -1;
	}
	if (kcap_uprobe_find(binary, g_hooks[hook].target, s, why, sizeof(why))) {
		snprintf(err, errlen, "%s: %s", event, why);
		return -1;
	}
	abi = kcap_uprobe_signature(hook, s->symbol);
	if (abi < 0) {
		snprintf(err, errlen, "%s: %s in %s has a signature kcap cannot read (%s)", event,
			 g_hooks[hook].target, s->path, s->symbol);
		return -1;
	}
	s->abi = (uint8_t)abi;
	return 0;
}

int kcap_uprobe_sites(uint64_t wanted, const char *const *binaries,
		      struct kcap_uprobe_site *sites[KCAP_HOOK_MAX], char *err, size_t errlen)
{
	int h;

	for (h = 0; h < KCAP_HOOK_MAX; h++)
		sites[h] = NULL;
	for (h = 0; h < KCAP_HOOK_MAX; h++) {
		if (!(wanted & (1ull << h)) || !kcap_hook_is_uprobe(h))
			continue;
		sites[h] = calloc(1, sizeof(*sites[h]));
		if (!sites[h]) {
			snprintf(err, errlen, "out of memory");
			goto fail;
		}
		sites[h]->fd = -1;
		if (resolve(h, binaries ? binaries[h] : NULL, sites[h], err, errlen))
			goto fail;
	}
	return 0;
fail:
	kcap_uprobe_sites_free(sites);
	return -1;
}

void kcap_uprobe_site_release(struct kcap_uprobe_site *s)
{
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
}

void kcap_uprobe_sites_free(struct kcap_uprobe_site *sites[KCAP_HOOK_MAX])
{
	int h;

	for (h = 0; h < KCAP_HOOK_MAX; h++) {
		if (sites[h])
			kcap_uprobe_site_release(sites[h]);
		free(sites[h]);
		sites[h] = NULL;
	}
}
