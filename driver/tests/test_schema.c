// SPDX-License-Identifier: MIT
/*
 * Cross-checks the compiled schema tables (driver/event_table.c,
 * syscall_table.c, flags_table.c, dynamic_params_table.c and the enums of
 * ppm_events_public.h) against the schema JSON they were generated from,
 * ../shared/spec/scap-schema-4.5.1.json. Without ../shared the JSON tests
 * skip; the header layout test always runs.
 */
#include <ctype.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <criterion/criterion.h>
#include <json-c/json.h>

#include "helpers.h"
#include "event_nparams.h"
#include "ppm_events_public.h"

#define SCHEMA_REL "spec/scap-schema-4.5.1.json"
#define SCHEMA_EVENTS 454
#define SCHEMA_SYSCALLS 373

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* ---------------------------------------------------------------------- */
/* Loading the JSON and reading its members                               */
/* ---------------------------------------------------------------------- */

static struct json_object *g_schema;

static void schema_load(void)
{
	const char *p = shared_path(SCHEMA_REL);

	REQUIRE_SHARED(p, SCHEMA_REL);
	g_schema = json_object_from_file(p);
	cr_assert_not_null(g_schema, "cannot parse %s: %s", p,
			   json_util_get_last_err());
}

static void schema_free(void)
{
	json_object_put(g_schema);
	g_schema = NULL;
}

TestSuite(schema, .init = schema_load, .fini = schema_free);

/* The member key of obj, which must exist and have the given JSON type. */
static struct json_object *jget(struct json_object *obj, const char *key,
				enum json_type type, const char *ctx)
{
	struct json_object *v;

	cr_assert(json_object_object_get_ex(obj, key, &v),
		  "%s: JSON has no \"%s\"", ctx, key);
	cr_assert(json_object_is_type(v, type),
		  "%s: JSON \"%s\" is a %s, expected a %s", ctx, key,
		  json_type_to_name(json_object_get_type(v)),
		  json_type_to_name(type));
	return v;
}

static const char *jstr(struct json_object *obj, const char *key,
			const char *ctx)
{
	return json_object_get_string(jget(obj, key, json_type_string, ctx));
}

static int64_t jint(struct json_object *obj, const char *key, const char *ctx)
{
	return json_object_get_int64(jget(obj, key, json_type_int, ctx));
}

static struct json_object *jarray(struct json_object *obj, const char *key,
				  const char *ctx)
{
	return jget(obj, key, json_type_array, ctx);
}

static struct json_object *jobject(struct json_object *obj, const char *key,
				   const char *ctx)
{
	return jget(obj, key, json_type_object, ctx);
}

/* An optional member: NULL when absent. */
static struct json_object *jopt(struct json_object *obj, const char *key)
{
	struct json_object *v;

	return json_object_object_get_ex(obj, key, &v) ? v : NULL;
}

/* The value of the name in the JSON enum enums.<enum_key>. */
static int64_t json_enum_value(const char *enum_key, const char *name,
			       const char *ctx)
{
	struct json_object *e = jobject(jobject(g_schema, "enums", "enums"),
					enum_key, "enums");
	struct json_object *v;

	cr_assert(json_object_object_get_ex(e, name, &v),
		  "%s: \"%s\" is not in enums.%s", ctx, name, enum_key);
	return json_object_get_int64(v);
}

/* ---------------------------------------------------------------------- */
/* 1. Events                                                              */
/* ---------------------------------------------------------------------- */

/*
 * One parameter, of an event or of a dynamic table: name, type, print
 * format, flags table, dynamic table and dirfd index.
 */
static void check_param(struct json_object *jp,
			const struct ppm_param_info *p, const char *ctx)
{
	const char *jname = jstr(jp, "name", ctx);
	const char *jtype = jstr(jp, "type", ctx);
	const char *jfmt = jstr(jp, "fmt", ctx);
	struct json_object *jflags = jopt(jp, "flags_table");
	struct json_object *jdyn = jopt(jp, "dynamic_table");
	struct json_object *jdirfd = jopt(jp, "dirfd_param_index");

	cr_assert_not_null(p->name, "%s: NULL name, JSON has \"%s\"", ctx, jname);
	cr_assert_str_eq(p->name, jname, "%s: name is \"%s\", JSON has \"%s\"",
			 ctx, p->name, jname);
	cr_assert_eq(p->type, json_enum_value("param_types", jtype, ctx),
		     "%s (%s): type is %d, JSON has %s = %lld", ctx, jname,
		     (int)p->type, jtype,
		     (long long)json_enum_value("param_types", jtype, ctx));
	cr_assert_eq(p->fmt, json_enum_value("print_formats", jfmt, ctx),
		     "%s (%s): fmt is %d, JSON has %s = %lld", ctx, jname,
		     (int)p->fmt, jfmt,
		     (long long)json_enum_value("print_formats", jfmt, ctx));

	if (jflags) {
		const char *t = json_object_get_string(jflags);

		cr_assert_not_null(p->flags,
				   "%s (%s): no flags table, JSON has %s",
				   ctx, jname, t);
		cr_assert_str_eq(p->flags->name, t,
				 "%s (%s): flags table is %s, JSON has %s",
				 ctx, jname, p->flags->name, t);
	} else {
		cr_assert_null(p->flags,
			       "%s (%s): flags table %s, JSON has none",
			       ctx, jname, p->flags ? p->flags->name : "");
	}

	if (jdyn) {
		const char *t = json_object_get_string(jdyn);
		int64_t ninfo = jint(jp, "ninfo", ctx);

		cr_assert_not_null(p->dyn,
				   "%s (%s): no dynamic table, JSON has %s",
				   ctx, jname, t);
		cr_assert_str_eq(p->dyn->name, t,
				 "%s (%s): dynamic table is %s, JSON has %s",
				 ctx, jname, p->dyn->name, t);
		cr_assert_eq(p->dyn->count, ninfo,
			     "%s (%s): dynamic table %s has %u entries, JSON ninfo is %lld",
			     ctx, jname, t, p->dyn->count, (long long)ninfo);
	} else {
		cr_assert_null(p->dyn,
			       "%s (%s): dynamic table %s, JSON has none",
			       ctx, jname, p->dyn ? p->dyn->name : "");
	}

	if (jdirfd) {
		int64_t idx = json_object_get_int64(jdirfd);

		cr_assert_eq(p->dirfd, idx,
			     "%s (%s): dirfd is %d, JSON dirfd_param_index is %lld",
			     ctx, jname, p->dirfd, (long long)idx);
	} else {
		cr_assert_eq(p->dirfd, PPM_NO_DIRFD,
			     "%s (%s): dirfd is %d, JSON has none (PPM_NO_DIRFD)",
			     ctx, jname, p->dirfd);
	}
}

static void check_event(struct json_object *je, int id)
{
	const struct ppm_event_info *ev = &g_event_info[id];
	char ctx[160], pctx[200];
	const char *jname, *dir;
	struct json_object *jparams;
	int64_t nparams;
	size_t i;

	snprintf(ctx, sizeof(ctx), "event %d", id);
	/* kcap's own events have no id in their JSON: theirs follow upstream's. */
	if (id < PPM_EVENT_MAX)
		cr_assert_eq(jint(je, "id", ctx), id,
			     "event %d: JSON events[%d] has id %lld", id, id,
			     (long long)jint(je, "id", ctx));

	jname = jstr(je, "name", ctx);
	cr_assert_not_null(ev->name, "event %d: NULL name in g_event_info, JSON has \"%s\"",
			   id, jname);
	cr_assert_str_eq(ev->name, jname, "event %d: name is \"%s\", JSON has \"%s\"",
			 id, ev->name, jname);
	snprintf(ctx, sizeof(ctx), "event %d (%s)", id, jname);

	dir = jstr(je, "direction", ctx);
	cr_assert_str_eq(dir, PPME_IS_ENTER(id) ? "enter" : "exit",
			 "%s: JSON direction is %s but the id is %s", ctx, dir,
			 PPME_IS_ENTER(id) ? "even (enter)" : "odd (exit)");

	cr_assert_eq(ev->category, jint(je, "category", ctx),
		     "%s: category is %u, JSON has %lld", ctx, ev->category,
		     (long long)jint(je, "category", ctx));
	cr_assert_eq(ev->flags, jint(je, "flags", ctx),
		     "%s: flags are %u, JSON has %lld", ctx, ev->flags,
		     (long long)jint(je, "flags", ctx));

	nparams = jint(je, "nparams", ctx);
	jparams = jarray(je, "params", ctx);
	cr_assert_eq(json_object_array_length(jparams), (size_t)nparams,
		     "%s: JSON nparams %lld but %zu params", ctx,
		     (long long)nparams, json_object_array_length(jparams));
	cr_assert_eq(ev->nparams, nparams, "%s: nparams is %u, JSON has %lld",
		     ctx, ev->nparams, (long long)nparams);
	cr_assert(nparams == 0 || ev->params, "%s: NULL params", ctx);

	for (i = 0; i < (size_t)nparams; i++) {
		snprintf(pctx, sizeof(pctx), "%s param %zu", ctx, i);
		check_param(json_object_array_get_idx(jparams, i),
			    &ev->params[i], pctx);
	}
}

Test(schema, event_count)
{
	struct json_object *events = jarray(g_schema, "events", "schema");

	cr_assert_eq(json_object_array_length(events), SCHEMA_EVENTS,
		     "JSON has %zu events, expected %d",
		     json_object_array_length(events), SCHEMA_EVENTS);
	cr_assert_eq(PPM_EVENT_MAX, json_object_array_length(events),
		     "PPM_EVENT_MAX is %d, JSON has %zu events", PPM_EVENT_MAX,
		     json_object_array_length(events));
	/* Upstream's rows, then kcap's own (schema::own_events). */
	cr_assert_gt(ARRAY_SIZE(g_event_info), (size_t)PPM_EVENT_MAX,
		     "g_event_info has %zu rows, PPM_EVENT_MAX is %d",
		     ARRAY_SIZE(g_event_info), PPM_EVENT_MAX);
}

Test(schema, events)
{
	struct json_object *events = jarray(g_schema, "events", "schema");
	size_t n = json_object_array_length(events);
	size_t id;

	cr_assert_eq(n, (size_t)PPM_EVENT_MAX, "JSON has %zu events, PPM_EVENT_MAX is %d",
		     n, PPM_EVENT_MAX);
	for (id = 0; id < n; id++)
		check_event(json_object_array_get_idx(events, id), (int)id);
}

/*
 * Well-known event codes. gen_schema.py names an event PPME_<NAME>_<E|X>
 * ("syscall" is GENERIC); older events of the same name and direction get
 * _V1, _V2... in id order and the newest keeps the plain name; "NA" events
 * are PPME_NA_<id>_<E|X>. version: 0 for the plain name, n for _Vn, -1 for
 * an NA event.
 */
struct event_code {
	const char *cname;
	int value;
	const char *json_name;
	int version;
};

#define EV(c, json_name, version) { #c, c, json_name, version }

static const struct event_code g_event_codes[] = {
	EV(PPME_GENERIC_E, "syscall", 0),
	EV(PPME_GENERIC_X, "syscall", 0),
	EV(PPME_OPEN_E, "open", 0),
	EV(PPME_OPEN_X, "open", 0),
	EV(PPME_CLOSE_E, "close", 0),
	EV(PPME_CLOSE_X, "close", 0),
	EV(PPME_READ_E, "read", 0),
	EV(PPME_READ_X, "read", 0),
	EV(PPME_WRITE_E, "write", 0),
	EV(PPME_WRITE_X, "write", 0),
	EV(PPME_EXECVE_V1_E, "execve", 1),
	EV(PPME_EXECVE_V1_X, "execve", 1),
	EV(PPME_EXECVE_V5_X, "execve", 5),
	EV(PPME_EXECVE_E, "execve", 0),
	EV(PPME_EXECVE_X, "execve", 0),
	EV(PPME_CLONE_V1_X, "clone", 1),
	EV(PPME_CLONE_E, "clone", 0),
	EV(PPME_CLONE_X, "clone", 0),
	EV(PPME_FORK_X, "fork", 0),
	EV(PPME_CLONE3_X, "clone3", 0),
	EV(PPME_PROCEXIT_V1_E, "procexit", 1),
	EV(PPME_PROCEXIT_E, "procexit", 0),
	EV(PPME_NA_17_X, "NA", -1),
	EV(PPME_NA_452_E, "NA", -1),
	EV(PPME_KEYCTL_X, "keyctl", 0),
};

/* Ids of the JSON events named name in direction dir, in id order. */
static size_t events_named(const char *name, const char *dir, int *ids,
			   size_t max)
{
	struct json_object *events = jarray(g_schema, "events", "schema");
	size_t i, n = 0;

	for (i = 0; i < json_object_array_length(events); i++) {
		struct json_object *je = json_object_array_get_idx(events, i);

		if (strcmp(jstr(je, "name", "event"), name) ||
		    strcmp(jstr(je, "direction", "event"), dir))
			continue;
		cr_assert_lt(n, max, "more than %zu %s %s events", max, name, dir);
		ids[n++] = (int)jint(je, "id", "event");
	}
	return n;
}

static void check_event_code(const struct event_code *c)
{
	const char *dir = c->cname[strlen(c->cname) - 1] == 'E' ? "enter" : "exit";
	int ids[PPM_EVENT_MAX];
	size_t n = events_named(c->json_name, dir, ids, ARRAY_SIZE(ids));
	int expected;

	cr_assert_gt(n, 0, "%s: JSON has no %s %s event", c->cname,
		     c->json_name, dir);
	if (c->version < 0) {
		struct json_object *je = json_object_array_get_idx(
			jarray(g_schema, "events", "schema"), c->value);

		cr_assert_not_null(je, "%s = %d: no such JSON event", c->cname, c->value);
		cr_assert_str_eq(jstr(je, "name", c->cname), c->json_name,
				 "%s = %d: JSON event %d is \"%s\"", c->cname,
				 c->value, c->value, jstr(je, "name", c->cname));
		cr_assert_str_eq(jstr(je, "direction", c->cname), dir,
				 "%s = %d: JSON event %d is not %s", c->cname,
				 c->value, c->value, dir);
		return;
	}
	/* With n events, _V1.._V<n-1> are the older ones. */
	cr_assert_lt((size_t)c->version, n,
		     "%s: only %zu %s %s events in the JSON", c->cname, n,
		     c->json_name, dir);
	expected = c->version ? ids[c->version - 1] : ids[n - 1];
	cr_assert_eq(c->value, expected, "%s is %d, the JSON gives %d",
		     c->cname, c->value, expected);
}

Test(schema, event_codes)
{
	size_t i;

	cr_assert_eq(PPME_GENERIC_E, 0, "PPME_GENERIC_E is %d", PPME_GENERIC_E);
	cr_assert_eq(PPME_OPEN_X, 3, "PPME_OPEN_X is %d", PPME_OPEN_X);
	cr_assert_eq(PPME_EXECVE_X, 293, "PPME_EXECVE_X is %d", PPME_EXECVE_X);
	cr_assert_eq(PPME_CLONE_X, 223, "PPME_CLONE_X is %d", PPME_CLONE_X);
	cr_assert_eq(PPME_PROCEXIT_E, 186, "PPME_PROCEXIT_E is %d", PPME_PROCEXIT_E);
	cr_assert_eq(PPM_EVENT_MAX, SCHEMA_EVENTS, "PPM_EVENT_MAX is %d",
		     PPM_EVENT_MAX);
	for (i = 0; i < ARRAY_SIZE(g_event_codes); i++)
		check_event_code(&g_event_codes[i]);
}

/* ---------------------------------------------------------------------- */
/* 2. x86_64 syscall table                                                */
/* ---------------------------------------------------------------------- */

/* The OR of the UF_* names of a JSON syscall's "flags". */
static int64_t syscall_flags(struct json_object *jflags, const char *ctx)
{
	int64_t fl = 0;
	size_t i;

	for (i = 0; i < json_object_array_length(jflags); i++) {
		const char *name = json_object_get_string(
			json_object_array_get_idx(jflags, i));

		fl |= json_enum_value("syscall_flags", name, ctx);
	}
	return fl;
}

static void check_syscall(struct json_object *js)
{
	const struct ppm_syscall_desc *sc;
	int64_t nr = jint(js, "nr", "syscall");
	const char *name;
	char ctx[128];
	int64_t v;

	cr_assert(nr >= 0 && nr < SYSCALL_TABLE_SIZE,
		  "syscall nr %lld is outside g_syscall_table[%d]",
		  (long long)nr, SYSCALL_TABLE_SIZE);
	sc = &g_syscall_table[nr];
	name = jstr(js, "ppm_sc_name", "syscall");
	snprintf(ctx, sizeof(ctx), "syscall %lld (%s)", (long long)nr, name);

	v = jint(js, "ppm_sc", ctx);
	cr_assert_eq(sc->ppm_sc, v, "%s: ppm_sc is %u, JSON has %lld", ctx,
		     sc->ppm_sc, (long long)v);
	v = syscall_flags(jarray(js, "flags", ctx), ctx);
	cr_assert_eq(sc->flags, v, "%s: flags are 0x%x, JSON has 0x%llx", ctx,
		     sc->flags, (long long)v);
	v = jint(js, "enter_event", ctx);
	cr_assert_eq(sc->enter_event, v, "%s: enter_event is %u, JSON has %lld",
		     ctx, sc->enter_event, (long long)v);
	v = jint(js, "exit_event", ctx);
	cr_assert_eq(sc->exit_event, v, "%s: exit_event is %u, JSON has %lld",
		     ctx, sc->exit_event, (long long)v);
}

Test(schema, syscalls)
{
	struct json_object *jsc = jarray(g_schema, "syscalls_x86_64", "schema");
	size_t i, n = json_object_array_length(jsc), rows = 0;

	cr_assert_eq(n, SCHEMA_SYSCALLS, "JSON has %zu x86_64 syscalls, expected %d",
		     n, SCHEMA_SYSCALLS);
	for (i = 0; i < n; i++)
		check_syscall(json_object_array_get_idx(jsc, i));

	for (i = 0; i < ARRAY_SIZE(g_syscall_table); i++)
		rows += g_syscall_table[i].ppm_sc != 0;
	cr_assert_eq(rows, n,
		     "g_syscall_table has %zu rows with a ppm_sc, JSON has %zu syscalls",
		     rows, n);
}

/* ---------------------------------------------------------------------- */
/* 3. ia32 to x86_64 map                                                  */
/* ---------------------------------------------------------------------- */

Test(schema, ia32_to_x86_64)
{
	struct json_object *jmap = jarray(g_schema, "ia32_to_x86_64", "schema");
	bool mapped[IA32_SYSCALL_TABLE_SIZE] = { false };
	int64_t max = -1;
	size_t i;

	for (i = 0; i < json_object_array_length(jmap); i++) {
		struct json_object *pair = json_object_array_get_idx(jmap, i);
		int64_t a, b;

		cr_assert(json_object_is_type(pair, json_type_array) &&
			  json_object_array_length(pair) == 2,
			  "ia32_to_x86_64[%zu] is not an [ia32, x86_64] pair", i);
		a = json_object_get_int64(json_object_array_get_idx(pair, 0));
		b = json_object_get_int64(json_object_array_get_idx(pair, 1));
		cr_assert(a >= 0 && a < IA32_SYSCALL_TABLE_SIZE,
			  "ia32 syscall %lld is outside g_ia32_to_x86_64[%d]",
			  (long long)a, IA32_SYSCALL_TABLE_SIZE);
		cr_assert_eq(g_ia32_to_x86_64[a], b,
			     "ia32 syscall %lld maps to %d, JSON has %lld",
			     (long long)a, g_ia32_to_x86_64[a], (long long)b);
		mapped[a] = true;
		if (a > max)
			max = a;
	}
	cr_assert_eq(IA32_SYSCALL_TABLE_SIZE, max + 1,
		     "IA32_SYSCALL_TABLE_SIZE is %d, the JSON's highest ia32 syscall is %lld",
		     IA32_SYSCALL_TABLE_SIZE, (long long)max);
	/* The pair the JSON export lost (gen_schema.py's IA32_LOST): ia32 read is read. */
	cr_assert(!mapped[3], "the JSON maps ia32 read now: drop IA32_LOST");
	cr_assert_eq(g_ia32_to_x86_64[3], 0);
	mapped[3] = true;
	for (i = 0; i < IA32_SYSCALL_TABLE_SIZE; i++)
		cr_assert(mapped[i] || g_ia32_to_x86_64[i] == -1,
			  "ia32 syscall %zu maps to %d but is not in the JSON (expected -1)",
			  i, g_ia32_to_x86_64[i]);
}

/* ---------------------------------------------------------------------- */
/* 4. Flag tables                                                         */
/* ---------------------------------------------------------------------- */

static const struct ppm_flag_table *find_flag_table(const char *name)
{
	size_t i;

	for (i = 0; i < KCAP_FLAG_TABLE_COUNT; i++)
		if (g_flag_tables[i] && g_flag_tables[i]->name &&
		    !strcmp(g_flag_tables[i]->name, name))
			return g_flag_tables[i];
	return NULL;
}

static void check_flag_table(const char *name, struct json_object *jentries)
{
	const struct ppm_flag_table *t = find_flag_table(name);
	size_t i, n = json_object_array_length(jentries);

	cr_assert_not_null(t, "flag table %s: not in g_flag_tables", name);
	cr_assert_eq(t->count, n, "flag table %s: count is %u, JSON has %zu entries",
		     name, t->count, n);
	for (i = 0; i < n; i++) {
		struct json_object *je = json_object_array_get_idx(jentries, i);
		const struct ppm_name_value *e = &t->entries[i];
		const char *jname;
		int64_t jval;

		cr_assert(json_object_is_type(je, json_type_array) &&
			  json_object_array_length(je) == 2,
			  "flag table %s entry %zu: JSON is not a [name, value] pair",
			  name, i);
		jname = json_object_get_string(json_object_array_get_idx(je, 0));
		jval = json_object_get_int64(json_object_array_get_idx(je, 1));
		cr_assert_not_null(e->name,
				   "flag table %s entry %zu: NULL name, JSON has %s",
				   name, i, jname);
		cr_assert_str_eq(e->name, jname,
				 "flag table %s entry %zu: name is %s, JSON has %s",
				 name, i, e->name, jname);
		cr_assert(jval >= 0 && jval <= UINT32_MAX && e->value == jval,
			  "flag table %s entry %zu (%s): value is 0x%x, JSON has 0x%llx",
			  name, i, jname, e->value, (long long)jval);
	}
	cr_assert(t->entries[n].name == NULL && t->entries[n].value == 0,
		  "flag table %s: entry %zu is not the { NULL, 0 } sentinel",
		  name, n);
}

Test(schema, flag_tables)
{
	struct json_object *jtables = jobject(g_schema, "flags_tables", "schema");
	size_t i;

	cr_assert_eq(PPM_FLAG_TABLE_COUNT, json_object_object_length(jtables),
		     "PPM_FLAG_TABLE_COUNT is %d, JSON has %d flag tables",
		     PPM_FLAG_TABLE_COUNT, json_object_object_length(jtables));
	json_object_object_foreach(jtables, name, jentries) {
		cr_assert(json_object_is_type(jentries, json_type_array),
			  "flag table %s: JSON entries are not an array", name);
		check_flag_table(name, jentries);
	}
	/* Same count, all JSON tables found: no extra or duplicate table. */
	for (i = 0; i < PPM_FLAG_TABLE_COUNT; i++) {
		cr_assert(g_flag_tables[i] && g_flag_tables[i]->name,
			  "g_flag_tables[%zu] is NULL or unnamed", i);
		cr_assert(jopt(jtables, g_flag_tables[i]->name),
			  "g_flag_tables[%zu] = %s is not in the JSON", i,
			  g_flag_tables[i]->name);
		cr_assert_eq(find_flag_table(g_flag_tables[i]->name), g_flag_tables[i],
			     "flag table %s appears twice in g_flag_tables",
			     g_flag_tables[i]->name);
	}
}

/*
 * kcap's own events (driver/schema/kcap-events.json, in the repository):
 * the rows after upstream's, their flag tables after upstream's, their hook
 * codes after upstream's ppm_sc, checked as upstream's are. Their names are
 * none of upstream's, so a name selects either upstream events or kcap's.
 */
Test(schema, own_events)
{
	struct json_object *own = json_object_from_file(KCAP_SOURCE_DIR "/driver/schema/kcap-events.json");
	struct json_object *events, *tables, *scs, *up = jarray(g_schema, "events", "schema");
	size_t i, j, n;

	cr_assert_not_null(own, "cannot parse kcap-events.json: %s", json_util_get_last_err());
	events = jarray(own, "events", "kcap-events.json");
	n = json_object_array_length(events);
	cr_assert_eq(KCAP_EVENT_MAX, PPM_EVENT_MAX + (int)n, "KCAP_EVENT_MAX is %d, JSON has %zu",
		     KCAP_EVENT_MAX, n);
	cr_assert_eq(ARRAY_SIZE(g_event_info), (size_t)KCAP_EVENT_MAX);
	for (i = 0; i < n; i++) {
		struct json_object *je = json_object_array_get_idx(events, i);
		const char *name = jstr(je, "name", "kcap event");

		check_event(je, PPM_EVENT_MAX + (int)i);
		for (j = 0; strcmp(name, "NA") && j < json_object_array_length(up); j++)
			cr_assert_str_neq(jstr(json_object_array_get_idx(up, j), "name", "event"),
					  name, "kcap's %s is also an upstream event", name);
	}

	tables = jobject(own, "flags_tables", "kcap-events.json");
	cr_assert_eq(KCAP_FLAG_TABLE_COUNT - PPM_FLAG_TABLE_COUNT,
		     json_object_object_length(tables), "kcap's flag tables: %d, JSON has %d",
		     KCAP_FLAG_TABLE_COUNT - PPM_FLAG_TABLE_COUNT,
		     json_object_object_length(tables));
	json_object_object_foreach(tables, name, jentries)
		check_flag_table(name, jentries);
	for (i = PPM_FLAG_TABLE_COUNT; i < KCAP_FLAG_TABLE_COUNT; i++)
		cr_assert(jopt(tables, g_flag_tables[i]->name), "g_flag_tables[%zu] = %s is not "
			  "kcap's", i, g_flag_tables[i]->name);

	scs = jarray(own, "ppm_sc", "kcap-events.json");
	cr_assert_eq(KCAP_SC_MAX, PPM_SC_MAX + (int)json_object_array_length(scs));
	for (i = 0; i < json_object_array_length(scs); i++) {
		const char *sc = json_object_get_string(json_object_array_get_idx(scs, i));
		char lower[64];

		for (j = 0; sc[j] && j < sizeof(lower) - 1; j++)
			lower[j] = (char)tolower((unsigned char)sc[j]);
		lower[j] = '\0';
		cr_assert_str_eq(g_ppm_sc_names[PPM_SC_MAX + i], lower);
	}
	json_object_put(own);
}

/* ---------------------------------------------------------------------- */
/* 5. Dynamic parameter tables                                            */
/* ---------------------------------------------------------------------- */

static const struct ppm_dyn_table *find_dyn_table(const char *name)
{
	size_t i;

	for (i = 0; i < PPM_DYN_TABLE_COUNT; i++)
		if (g_dyn_tables[i] && g_dyn_tables[i]->name &&
		    !strcmp(g_dyn_tables[i]->name, name))
			return g_dyn_tables[i];
	return NULL;
}

Test(schema, dyn_tables)
{
	struct json_object *jtables = jobject(g_schema, "dynamic_tables", "schema");
	char ctx[128];
	size_t i;

	cr_assert_eq(PPM_DYN_TABLE_COUNT, json_object_object_length(jtables),
		     "PPM_DYN_TABLE_COUNT is %d, JSON has %d dynamic tables",
		     PPM_DYN_TABLE_COUNT, json_object_object_length(jtables));
	json_object_object_foreach(jtables, name, jentries) {
		const struct ppm_dyn_table *t = find_dyn_table(name);
		size_t n;

		cr_assert_not_null(t, "dynamic table %s: not in g_dyn_tables", name);
		cr_assert(json_object_is_type(jentries, json_type_array),
			  "dynamic table %s: JSON entries are not an array", name);
		n = json_object_array_length(jentries);
		cr_assert_eq(t->count, n,
			     "dynamic table %s: count is %u, JSON has %zu entries",
			     name, t->count, n);
		for (i = 0; i < n; i++) {
			snprintf(ctx, sizeof(ctx), "dynamic table %s entry %zu",
				 name, i);
			check_param(json_object_array_get_idx(jentries, i),
				    &t->entries[i], ctx);
		}
	}
	for (i = 0; i < PPM_DYN_TABLE_COUNT; i++) {
		cr_assert(g_dyn_tables[i] && g_dyn_tables[i]->name,
			  "g_dyn_tables[%zu] is NULL or unnamed", i);
		cr_assert(jopt(jtables, g_dyn_tables[i]->name),
			  "g_dyn_tables[%zu] = %s is not in the JSON", i,
			  g_dyn_tables[i]->name);
		cr_assert_eq(find_dyn_table(g_dyn_tables[i]->name), g_dyn_tables[i],
			     "dynamic table %s appears twice in g_dyn_tables",
			     g_dyn_tables[i]->name);
	}
}

/* ---------------------------------------------------------------------- */
/* 6. Enum values                                                         */
/* ---------------------------------------------------------------------- */

struct enum_name {
	const char *name;
	long long value;
};

#define E(x) { #x, x }

static const struct enum_name g_param_types[] = {
	E(PT_NONE), E(PT_INT8), E(PT_INT16), E(PT_INT32), E(PT_INT64),
	E(PT_UINT8), E(PT_UINT16), E(PT_UINT32), E(PT_UINT64), E(PT_CHARBUF),
	E(PT_BYTEBUF), E(PT_ERRNO), E(PT_SOCKADDR), E(PT_SOCKTUPLE), E(PT_FD),
	E(PT_PID), E(PT_FDLIST), E(PT_FSPATH), E(PT_SYSCALLID), E(PT_SIGTYPE),
	E(PT_RELTIME), E(PT_ABSTIME), E(PT_PORT), E(PT_L4PROTO),
	E(PT_SOCKFAMILY), E(PT_BOOL), E(PT_IPV4ADDR), E(PT_DYN), E(PT_FLAGS8),
	E(PT_FLAGS16), E(PT_FLAGS32), E(PT_UID), E(PT_GID), E(PT_DOUBLE),
	E(PT_SIGSET), E(PT_CHARBUFARRAY), E(PT_CHARBUF_PAIR_ARRAY),
	E(PT_IPV4NET), E(PT_IPV6ADDR), E(PT_IPV6NET), E(PT_IPADDR), E(PT_IPNET),
	E(PT_MODE), E(PT_FSRELPATH), E(PT_ENUMFLAGS8), E(PT_ENUMFLAGS16),
	E(PT_ENUMFLAGS32), E(PT_FD32), E(PT_PID32), E(PT_MAX),
};

static const struct enum_name g_print_formats[] = {
	E(PF_NA), E(PF_DEC), E(PF_HEX), E(PF_10_PADDED_DEC), E(PF_ID),
	E(PF_DIR), E(PF_OCT),
};

static const struct enum_name g_event_categories[] = {
	E(EC_UNKNOWN), E(EC_OTHER), E(EC_FILE), E(EC_NET), E(EC_IPC),
	E(EC_MEMORY), E(EC_PROCESS), E(EC_SLEEP), E(EC_SYSTEM), E(EC_SIGNAL),
	E(EC_USER), E(EC_TIME), E(EC_PROCESSING), E(EC_IO_BASE), E(EC_IO_READ),
	E(EC_IO_WRITE), E(EC_IO_OTHER), E(EC_WAIT), E(EC_SCHEDULER),
	E(EC_INTERNAL), E(EC_SYSCALL), E(EC_TRACEPOINT), E(EC_PLUGIN),
	E(EC_METAEVENT), E(EC_ITER),
};

static const struct enum_name g_event_flags[] = {
	E(EF_NONE), E(EF_CREATES_FD), E(EF_DESTROYS_FD), E(EF_USES_FD),
	E(EF_READS_FROM_FD), E(EF_WRITES_TO_FD), E(EF_MODIFIES_STATE),
	E(EF_UNUSED), E(EF_WAITS), E(EF_SKIPPARSERESET), E(EF_OLD_VERSION),
	E(EF_LARGE_PAYLOAD), E(EF_CONVERTER_MANAGED),
};

static const struct enum_name g_syscall_flags[] = {
	E(UF_NONE), E(UF_USED), E(UF_NEVER_DROP), E(UF_ALWAYS_DROP),
	E(UF_ATOMIC),
};

/* enums.<key> has exactly the n names of list, with the same values. */
static void check_enum(const char *key, const struct enum_name *list,
		       size_t n)
{
	struct json_object *jenum = jobject(jobject(g_schema, "enums", "schema"),
					    key, "enums");
	size_t i;

	json_object_object_foreach(jenum, name, jval) {
		for (i = 0; i < n && strcmp(list[i].name, name); i++)
			;
		cr_assert_lt(i, n, "enums.%s: %s is in the JSON but not in the test's list",
			     key, name);
		cr_assert_eq(list[i].value, json_object_get_int64(jval),
			     "enums.%s: %s is %lld, JSON has %lld", key, name,
			     list[i].value, (long long)json_object_get_int64(jval));
	}
	for (i = 0; i < n; i++)
		cr_assert(jopt(jenum, list[i].name),
			  "enums.%s: %s = %lld is not in the JSON", key,
			  list[i].name, list[i].value);
	cr_assert_eq((size_t)json_object_object_length(jenum), n,
		     "enums.%s: JSON has %d names, the list %zu", key,
		     json_object_object_length(jenum), n);
}

#define CHECK_ENUM(key, list) check_enum(key, list, ARRAY_SIZE(list))

Test(schema, enum_param_types)
{
	CHECK_ENUM("param_types", g_param_types);
}

Test(schema, enum_print_formats)
{
	CHECK_ENUM("print_formats", g_print_formats);
}

Test(schema, enum_event_categories)
{
	CHECK_ENUM("event_categories", g_event_categories);
}

Test(schema, enum_event_flags)
{
	CHECK_ENUM("event_flags", g_event_flags);
}

Test(schema, enum_syscall_flags)
{
	CHECK_ENUM("syscall_flags", g_syscall_flags);
}

/* ppm_sc: g_ppm_sc_names[value] is the lowercase JSON name of each code. */
Test(schema, enum_ppm_sc)
{
	struct json_object *jsc = jobject(jobject(g_schema, "enums", "schema"),
					  "ppm_sc", "enums");
	int64_t max = -1;
	size_t i, named = 0;

	json_object_object_foreach(jsc, name, jval) {
		int64_t v = json_object_get_int64(jval);
		char lower[64];

		cr_assert(v >= 0 && v < PPM_SC_MAX,
			  "ppm_sc %s = %lld is outside g_ppm_sc_names[%d]",
			  name, (long long)v, PPM_SC_MAX);
		cr_assert_lt(strlen(name), sizeof(lower), "ppm_sc %s: name too long", name);
		for (i = 0; name[i]; i++)
			lower[i] = (name[i] >= 'A' && name[i] <= 'Z') ?
				   name[i] - 'A' + 'a' : name[i];
		lower[i] = '\0';
		cr_assert_not_null(g_ppm_sc_names[v],
				   "ppm_sc %s = %lld: g_ppm_sc_names has NULL",
				   name, (long long)v);
		cr_assert_str_eq(g_ppm_sc_names[v], lower,
				 "ppm_sc %s = %lld: g_ppm_sc_names has \"%s\", expected \"%s\"",
				 name, (long long)v, g_ppm_sc_names[v], lower);
		if (v > max)
			max = v;
	}
	cr_assert_eq(PPM_SC_MAX, max + 1,
		     "PPM_SC_MAX is %d, the JSON's highest ppm_sc is %lld",
		     PPM_SC_MAX, (long long)max);
	for (i = 0; i < PPM_SC_MAX; i++)
		named += g_ppm_sc_names[i] != NULL;
	cr_assert_eq(named, (size_t)json_object_object_length(jsc),
		     "g_ppm_sc_names has %zu names, JSON has %d ppm_sc codes",
		     named, json_object_object_length(jsc));
}

/* ---------------------------------------------------------------------- */
/* 7. Event header layout (no JSON needed)                                */
/* ---------------------------------------------------------------------- */

Test(header, evt_hdr_layout)
{
	cr_assert_eq(sizeof(struct ppm_evt_hdr), 26,
		     "sizeof(struct ppm_evt_hdr) is %zu, expected 26",
		     sizeof(struct ppm_evt_hdr));
	cr_assert_eq(PPM_EVT_HDR_SIZE, 26, "PPM_EVT_HDR_SIZE is %d", PPM_EVT_HDR_SIZE);
	cr_assert_eq(offsetof(struct ppm_evt_hdr, ts), 0,
		     "ppm_evt_hdr.ts is at %zu, expected 0",
		     offsetof(struct ppm_evt_hdr, ts));
	cr_assert_eq(offsetof(struct ppm_evt_hdr, tid), 8,
		     "ppm_evt_hdr.tid is at %zu, expected 8",
		     offsetof(struct ppm_evt_hdr, tid));
	cr_assert_eq(offsetof(struct ppm_evt_hdr, len), 16,
		     "ppm_evt_hdr.len is at %zu, expected 16",
		     offsetof(struct ppm_evt_hdr, len));
	cr_assert_eq(offsetof(struct ppm_evt_hdr, type), 20,
		     "ppm_evt_hdr.type is at %zu, expected 20",
		     offsetof(struct ppm_evt_hdr, type));
	cr_assert_eq(offsetof(struct ppm_evt_hdr, nparams), 22,
		     "ppm_evt_hdr.nparams is at %zu, expected 22",
		     offsetof(struct ppm_evt_hdr, nparams));
}

/* The drivers' constant parameter counts are the event table's. */
Test(header, event_nparams_constants_match_the_table)
{
	int t;

	for (t = 0; t < PPM_EVENT_MAX; t++)
		cr_assert_eq(g_event_nparams[t], g_event_info[t].nparams, "event %d (%s): %u, table %u",
			     t, g_event_info[t].name, g_event_nparams[t], g_event_info[t].nparams);
}
