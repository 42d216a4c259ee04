// SPDX-License-Identifier: MIT
/*
 * A recursive-descent parser into a tree, and a short-circuit walk of it.
 * Grammar (sysdig's precedence):
 *   or    := and ('or' and)*
 *   and   := not ('and' not)*
 *   not   := 'not' not | '(' or ')' | check
 *   check := FIELD 'exists' | FIELD 'in' '(' value (','? value)* ')' | FIELD OP value
 */
#include <ctype.h>
#include <errno.h>
#include <fnmatch.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "fields.h"
#include "filter.h"
#include "format.h"

/* Bounds what a hostile or mistyped filter can cost: depth, size, lists. */
#define MAX_DEPTH 100
#define MAX_NODES 4096
#define MAX_VALUES 1024

enum op {
	OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE,
	OP_CONTAINS, OP_ICONTAINS, OP_STARTSWITH, OP_ENDSWITH, OP_GLOB,
	OP_IN, OP_EXISTS,
};

static const struct {
	const char *text;
	enum op op;
	bool word;		/* must end at a character that is not part of a name */
} g_ops[] = {
	/* Longest first, so that "<=" is not read as "<". */
	{ "==", OP_EQ, false }, { "!=", OP_NE, false }, { "<=", OP_LE, false },
	{ ">=", OP_GE, false }, { "=", OP_EQ, false }, { "<", OP_LT, false },
	{ ">", OP_GT, false }, { "icontains", OP_ICONTAINS, true },
	{ "contains", OP_CONTAINS, true }, { "startswith", OP_STARTSWITH, true },
	{ "endswith", OP_ENDSWITH, true }, { "glob", OP_GLOB, true },
	{ "exists", OP_EXISTS, true }, { "in", OP_IN, true },
};

struct value {
	char *s;		/* the text as given, NUL-terminated */
	size_t len;
	bool is_int;
	int64_t i;
};

enum node_kind { N_AND, N_OR, N_NOT, N_CHECK, N_TYPES };

struct node {
	enum node_kind kind;
	struct node *a, *b;		/* and, or: both; not: a */
	/* N_CHECK */
	struct kcap_field field;
	enum op op;
	struct value *vals;
	size_t nvals;
	/* N_TYPES: evt.type = / != / in, as a table of types */
	bool *types;
};

struct kcap_filter {
	struct node *root;
	struct kcap_sbuf scratch;
};

struct parser {
	const char *s;
	size_t pos;
	int depth;
	int nodes;
	char *err;
	size_t errlen;
	bool failed;
};

static void fail(struct parser *p, size_t col, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void fail(struct parser *p, size_t col, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (p->failed)
		return;
	p->failed = true;
	n = snprintf(p->err, p->errlen, "column %zu: ", col + 1);
	va_start(ap, fmt);
	if (n >= 0 && (size_t)n < p->errlen)
		vsnprintf(p->err + n, p->errlen - (size_t)n, fmt, ap);
	va_end(ap);
}

static void free_node(struct node *n)
{
	size_t i;

	if (!n)
		return;
	free_node(n->a);
	free_node(n->b);
	for (i = 0; i < n->nvals; i++)
		free(n->vals[i].s);
	free(n->vals);
	free(n->types);
	free(n);
}

static struct node *new_node(struct parser *p, enum node_kind kind)
{
	struct node *n;

	if (++p->nodes > MAX_NODES) {
		fail(p, p->pos, "more than %d checks and operators", MAX_NODES);
		return NULL;
	}
	n = calloc(1, sizeof(*n));
	if (!n)
		fail(p, p->pos, "out of memory");
	else
		n->kind = kind;
	return n;
}

/* ---- lexing ------------------------------------------------------------ */

static bool is_name_char(char c)
{
	return isalnum((unsigned char)c) || c == '_' || c == '.';
}

static void skip_space(struct parser *p)
{
	while (isspace((unsigned char)p->s[p->pos]))
		p->pos++;
}

/* The keyword kw (and, or, not...) at the cursor, as a whole word. */
static bool at_word(struct parser *p, const char *kw)
{
	size_t n = strlen(kw);

	return !strncmp(p->s + p->pos, kw, n) && !is_name_char(p->s[p->pos + n]);
}

static bool take_word(struct parser *p, const char *kw)
{
	skip_space(p);
	if (!at_word(p, kw))
		return false;
	p->pos += strlen(kw);
	return true;
}

/* A value: quoted, or a bare word up to a space, a parenthesis (or a comma in a list). */
static char *parse_text(struct parser *p, bool in_list, size_t *len)
{
	size_t start = p->pos, n = 0;
	char quote = p->s[p->pos], *out;

	out = malloc(strlen(p->s + p->pos) + 1);
	if (!out) {
		fail(p, start, "out of memory");
		return NULL;
	}
	if (quote == '"' || quote == '\'') {
		p->pos++;
		while (p->s[p->pos] && p->s[p->pos] != quote) {
			if (p->s[p->pos] == '\\' && p->s[p->pos + 1])
				p->pos++;
			out[n++] = p->s[p->pos++];
		}
		if (!p->s[p->pos]) {
			fail(p, start, "the quote opened here is not closed");
			free(out);
			return NULL;
		}
		p->pos++;
	} else {
		while (p->s[p->pos] && !isspace((unsigned char)p->s[p->pos]) &&
		       p->s[p->pos] != ')' && p->s[p->pos] != '(' &&
		       !(in_list && p->s[p->pos] == ','))
			out[n++] = p->s[p->pos++];
		if (!n) {
			fail(p, start, "a value is missing");
			free(out);
			return NULL;
		}
	}
	out[n] = '\0';
	*len = n;
	return out;
}

static bool parse_int(const char *s, int64_t *out)
{
	char *end;

	errno = 0;
	*out = strtoll(s, &end, 0);
	return *s && !*end && !errno && !isspace((unsigned char)*s);
}

/* ---- checks ------------------------------------------------------------ */

static bool op_is_text(enum op op)
{
	return op >= OP_CONTAINS && op <= OP_GLOB;
}

static bool op_is_order(enum op op)
{
	return op >= OP_LT && op <= OP_GE;
}

static int add_value(struct parser *p, struct node *n, size_t col, bool in_list)
{
	struct value *v;
	size_t len;
	char *s;

	if (n->nvals >= MAX_VALUES) {
		fail(p, col, "more than %d values in a list", MAX_VALUES);
		return -1;
	}
	s = parse_text(p, in_list, &len);
	if (!s)
		return -1;
	v = realloc(n->vals, (n->nvals + 1) * sizeof(*v));
	if (!v) {
		free(s);
		fail(p, col, "out of memory");
		return -1;
	}
	n->vals = v;
	v = &n->vals[n->nvals++];
	*v = (struct value){ .s = s, .len = len };
	v->is_int = parse_int(s, &v->i);
	if (kcap_field_is_numeric(&n->field) && !v->is_int) {
		fail(p, col, "'%s' is not a number, and the field is one", s);
		return -1;
	}
	return 0;
}

static int parse_list(struct parser *p, struct node *n)
{
	skip_space(p);
	if (p->s[p->pos] != '(') {
		fail(p, p->pos, "'in' takes a list in parentheses: in (a, b)");
		return -1;
	}
	p->pos++;
	for (;;) {
		skip_space(p);
		if (p->s[p->pos] == ')' && n->nvals) {
			p->pos++;
			return 0;
		}
		if (!p->s[p->pos] || p->s[p->pos] == ')') {
			fail(p, p->pos, n->nvals ? "the list is not closed" : "the list is empty");
			return -1;
		}
		if (add_value(p, n, p->pos, true) < 0)
			return -1;
		skip_space(p);
		if (p->s[p->pos] == ',')
			p->pos++;
	}
}

/* evt.type =, != or in names of event types: a table lookup per event. */
static int compile_types(struct parser *p, struct node *n, size_t col)
{
	size_t i;

	n->types = calloc(KCAP_EVENT_MAX, sizeof(bool));
	if (!n->types) {
		fail(p, col, "out of memory");
		return -1;
	}
	for (i = 0; i < n->nvals; i++) {
		if (!kcap_events_by_name(n->vals[i].s, n->types)) {
			fail(p, col, "no event type '%s'", n->vals[i].s);
			return -1;
		}
	}
	if (n->op == OP_NE)
		for (i = 0; i < KCAP_EVENT_MAX; i++)
			n->types[i] = !n->types[i];
	n->kind = N_TYPES;
	return 0;
}

static enum op parse_op(struct parser *p, bool *ok)
{
	size_t i;

	skip_space(p);
	for (i = 0; i < sizeof(g_ops) / sizeof(g_ops[0]); i++) {
		size_t n = strlen(g_ops[i].text);

		if (strncmp(p->s + p->pos, g_ops[i].text, n) ||
		    (g_ops[i].word && is_name_char(p->s[p->pos + n])))
			continue;
		p->pos += n;
		*ok = true;
		return g_ops[i].op;
	}
	*ok = false;
	return OP_EQ;
}

static struct node *parse_check(struct parser *p)
{
	size_t col = p->pos, fcol, n;
	struct node *node;
	bool ok;

	n = 0;
	while (is_name_char(p->s[p->pos + n]))
		n++;
	if (!n) {
		fail(p, col, p->s[col] ? "a field is expected here (e.g. evt.type, proc.name)" :
			     "the filter ends where a field is expected");
		return NULL;
	}
	node = new_node(p, N_CHECK);
	if (!node)
		return NULL;
	if (kcap_field_parse(p->s + col, &node->field) != n) {
		fail(p, col, "no field '%.*s' (e.g. evt.type, proc.name, fd.name, evt.arg.fd)",
		     (int)n, p->s + col);
		goto bad;
	}
	fcol = col;
	p->pos += n;
	col = (skip_space(p), p->pos);
	node->op = parse_op(p, &ok);
	if (!ok) {
		fail(p, col, "an operator is expected after %.*s (=, !=, <, contains, in, "
		     "exists...)", (int)n, p->s + fcol);
		goto bad;
	}
	if (node->op == OP_EXISTS)
		return node;
	if (kcap_field_is_numeric(&node->field) && op_is_text(node->op)) {
		fail(p, col, "%.*s is a number: this operator compares text", (int)n, p->s + fcol);
		goto bad;
	}
	if (op_is_order(node->op) && !kcap_field_is_numeric(&node->field) &&
	    node->field.id != KCAP_F_EVT_RAWARG) {
		fail(p, col, "%.*s is text: '<' and '>' compare numbers", (int)n, p->s + fcol);
		goto bad;
	}
	skip_space(p);
	col = p->pos;
	if ((node->op == OP_IN ? parse_list(p, node) : add_value(p, node, col, false)) < 0)
		goto bad;
	if (node->field.id == KCAP_F_EVT_TYPE &&
	    (node->op == OP_EQ || node->op == OP_NE || node->op == OP_IN) &&
	    compile_types(p, node, col) < 0)
		goto bad;
	return node;
bad:
	free_node(node);
	return NULL;
}

/* ---- expressions ------------------------------------------------------- */

static struct node *parse_or(struct parser *p);

static struct node *parse_not(struct parser *p)
{
	struct node *n, *inner;
	size_t col;

	if (++p->depth > MAX_DEPTH) {
		fail(p, p->pos, "nested more than %d deep", MAX_DEPTH);
		return NULL;
	}
	skip_space(p);
	col = p->pos;
	if (take_word(p, "not")) {
		inner = parse_not(p);
		if (!inner)
			return NULL;
		n = new_node(p, N_NOT);
		if (!n) {
			free_node(inner);
			return NULL;
		}
		n->a = inner;
	} else if (p->s[p->pos] == '(') {
		p->pos++;
		n = parse_or(p);
		if (!n)
			return NULL;
		skip_space(p);
		if (p->s[p->pos] != ')') {
			fail(p, col, "the parenthesis opened here is not closed");
			free_node(n);
			return NULL;
		}
		p->pos++;
	} else {
		n = parse_check(p);
	}
	p->depth--;
	return n;
}

/* left (op right)*, for 'and' and 'or'. */
static struct node *parse_chain(struct parser *p, const char *word, enum node_kind kind,
				struct node *(*operand)(struct parser *))
{
	struct node *left = operand(p), *right, *n;

	while (left && take_word(p, word)) {
		right = operand(p);
		n = right ? new_node(p, kind) : NULL;
		if (!n) {
			free_node(left);
			free_node(right);
			return NULL;
		}
		n->a = left;
		n->b = right;
		left = n;
	}
	return left;
}

static struct node *parse_and(struct parser *p)
{
	return parse_chain(p, "and", N_AND, parse_not);
}

static struct node *parse_or(struct parser *p)
{
	return parse_chain(p, "or", N_OR, parse_and);
}

struct kcap_filter *kcap_filter_compile(const char *s, char *err, size_t errlen)
{
	struct parser p = { .s = s, .err = err, .errlen = errlen };
	struct kcap_filter *f;
	struct node *root;

	root = parse_or(&p);
	if (root)
		skip_space(&p);
	if (root && p.s[p.pos])
		fail(&p, p.pos, "'and', 'or' or the end is expected here, not '%.20s'",
		     p.s + p.pos);
	f = p.failed ? NULL : calloc(1, sizeof(*f));
	if (!f) {
		fail(&p, 0, "out of memory");
		free_node(root);
		return NULL;
	}
	f->root = root;
	return f;
}

void kcap_filter_free(struct kcap_filter *f)
{
	if (!f)
		return;
	free_node(f->root);
	kcap_sbuf_free(&f->scratch);
	free(f);
}

/* ---- matching ---------------------------------------------------------- */

static bool has(const char *s, size_t n, const char *sub, size_t m, bool icase)
{
	size_t i;

	if (m > n)
		return false;
	for (i = 0; i + m <= n; i++)
		if (icase ? !strncasecmp(s + i, sub, m) : !memcmp(s + i, sub, m))
			return true;
	return false;
}

static bool text_check(enum op op, const char *s, size_t n, const struct value *v)
{
	int c;

	switch (op) {
	case OP_EQ:
	case OP_IN:
		return n == v->len && !memcmp(s, v->s, n);
	case OP_NE:
		return n != v->len || memcmp(s, v->s, n);
	case OP_CONTAINS:
	case OP_ICONTAINS:
		return has(s, n, v->s, v->len, op == OP_ICONTAINS);
	case OP_STARTSWITH:
		return n >= v->len && !memcmp(s, v->s, v->len);
	case OP_ENDSWITH:
		return n >= v->len && !memcmp(s + n - v->len, v->s, v->len);
	case OP_GLOB:
		return !fnmatch(v->s, s, 0);
	default:	/* order, for evt.rawarg of a string parameter */
		c = strcmp(s, v->s);
		return op == OP_LT ? c < 0 : op == OP_LE ? c <= 0 : op == OP_GT ? c > 0 : c >= 0;
	}
}

static bool int_check(enum op op, int64_t x, int64_t y)
{
	switch (op) {
	case OP_EQ: case OP_IN: return x == y;
	case OP_NE: return x != y;
	case OP_LT: return x < y;
	case OP_LE: return x <= y;
	case OP_GT: return x > y;
	case OP_GE: return x >= y;
	default: return false;
	}
}

static bool check_one(enum op op, const struct kcap_fval *fv, const struct value *v)
{
	char num[24];

	if (fv->kind == KCAP_FVAL_INT && v->is_int)
		return int_check(op, fv->i, v->i);
	if (fv->kind == KCAP_FVAL_INT) {	/* evt.rawarg of a number, against text */
		snprintf(num, sizeof(num), "%" PRId64, fv->i);
		return text_check(op, num, strlen(num), v);
	}
	return text_check(op, fv->s, fv->len, v);
}

static bool check(struct kcap_filter *f, const struct node *n, uint64_t num,
		  const struct kcap_evt *ev, const struct kcap_threads *th)
{
	struct kcap_fval fv;
	size_t i;

	kcap_sbuf_reset(&f->scratch);
	kcap_field_value(&fv, &n->field, num, ev, th, NULL, &f->scratch);
	if (fv.kind == KCAP_FVAL_NA)
		return false;
	if (n->op == OP_EXISTS)
		return true;
	for (i = 0; i < n->nvals; i++)
		if (check_one(n->op, &fv, &n->vals[i]))
			return true;
	return false;
}

static bool match(struct kcap_filter *f, const struct node *n, uint64_t num,
		  const struct kcap_evt *ev, const struct kcap_threads *th)
{
	switch (n->kind) {
	case N_AND:
		return match(f, n->a, num, ev, th) && match(f, n->b, num, ev, th);
	case N_OR:
		return match(f, n->a, num, ev, th) || match(f, n->b, num, ev, th);
	case N_NOT:
		return !match(f, n->a, num, ev, th);
	case N_TYPES:
		return kcap_evt_type(ev) < KCAP_EVENT_MAX && n->types[kcap_evt_type(ev)];
	default:
		return check(f, n, num, ev, th);
	}
}

bool kcap_filter_match(struct kcap_filter *f, uint64_t num, const struct kcap_evt *ev,
		       const struct kcap_threads *th)
{
	return match(f, f->root, num, ev, th);
}

/* ---- what the kernel can be asked for ---------------------------------- */

/*
 * The types n can match into out; returns whether that set is exact (made
 * of evt.type checks alone), so that its complement is a valid one too.
 */
static bool may_match(const struct node *n, bool *out)
{
	bool *other, exact_a, exact_b;
	int t;

	switch (n->kind) {
	case N_TYPES:
		memcpy(out, n->types, KCAP_EVENT_MAX * sizeof(bool));
		return true;
	case N_CHECK:
		break;
	case N_NOT:
		if (!may_match(n->a, out))
			break;
		for (t = 0; t < KCAP_EVENT_MAX; t++)
			out[t] = !out[t];
		return true;
	default:
		other = malloc(KCAP_EVENT_MAX * sizeof(bool));
		if (!other)
			break;
		exact_a = may_match(n->a, out);
		exact_b = may_match(n->b, other);
		for (t = 0; t < KCAP_EVENT_MAX; t++)
			out[t] = n->kind == N_AND ? out[t] && other[t] : out[t] || other[t];
		free(other);
		return exact_a && exact_b;
	}
	for (t = 0; t < KCAP_EVENT_MAX; t++)
		out[t] = true;
	return false;
}

void kcap_filter_types(const struct kcap_filter *f, bool *types)
{
	may_match(f->root, types);
}

bool kcap_filter_pid(const struct kcap_filter *f, int64_t *pid)
{
	const struct node *stack[MAX_DEPTH + 2];
	int top = 0;

	stack[top++] = f->root;
	while (top) {
		const struct node *n = stack[--top];

		if (n->kind == N_AND && top + 2 <= MAX_DEPTH) {
			stack[top++] = n->a;
			stack[top++] = n->b;
		} else if (n->kind == N_CHECK && n->field.id == KCAP_F_PROC_PID &&
			   n->op == OP_EQ && n->nvals == 1) {
			*pid = n->vals[0].i;
			return true;
		}
	}
	return false;
}
