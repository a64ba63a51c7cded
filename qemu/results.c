// SPDX-License-Identifier: GPL-2.0-only
/*
 * Reading the runner's results file: every console line of every boot
 * and the runner's own lines, each behind the host time it was seen
 * ("@MS "), gathered per scenario.  The console also carries the
 * kernel's messages, so only lines holding "HPTK " (the module and the
 * guest script) or "HPTFUZZ-RUNNER " count; a line the format does not
 * allow is an error naming its line number.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "hq.h"

#define LINE_MAX_BYTES	4096
#define TAIL_LINES	20

void *hq_grow(void *arr, u32 *cap, u32 need, size_t size)
{
	u32 c = *cap ? *cap : 16;

	if (need <= *cap)
		return arr;
	while (c < need)
		c *= 2;
	arr = realloc(arr, (size_t)c * size);
	if (!arr) {
		fprintf(stderr, "hptfuzz-qemu: out of memory\n");
		exit(2);
	}
	*cap = c;
	return arr;
}

struct parser {
	struct hq_results *res;
	const char *line;	/* after the tag */
	unsigned long lineno;
	long long ms;
	struct hq_result *cur;	/* scenario between begin and end */
	char *err;
	size_t errlen;
	bool bad;
};

static __attribute__((format(printf, 2, 3)))
void fail(struct parser *p, const char *fmt, ...)
{
	size_t n;
	va_list ap;

	if (p->bad)
		return;
	p->bad = true;
	n = snprintf(p->err, p->errlen, "line %lu: ", p->lineno);
	if (n >= p->errlen)
		return;
	va_start(ap, fmt);
	vsnprintf(p->err + n, p->errlen - n, fmt, ap);
	va_end(ap);
}

/* The value of " key=" in the line, up to the next space; NULL if none */
static const char *field(const struct parser *p, const char *key,
			 size_t *len)
{
	size_t klen = strlen(key);
	const char *s = p->line;

	while ((s = strstr(s, key))) {
		if ((s == p->line || s[-1] == ' ') && s[klen] == '=') {
			s += klen + 1;
			*len = strcspn(s, " ");
			return s;
		}
		s += klen;
	}
	return NULL;
}

static bool has(const struct parser *p, const char *key)
{
	size_t len;

	return field(p, key, &len) != NULL;
}

/* A number in C syntax (0x for hex), which must be there */
static long long num(struct parser *p, const char *key)
{
	size_t len;
	const char *v = field(p, key, &len);
	char buf[32], *end;
	long long x;

	if (!v || !len || len >= sizeof(buf)) {
		fail(p, "field '%s' missing or too long", key);
		return 0;
	}
	memcpy(buf, v, len);
	buf[len] = '\0';
	errno = 0;
	if (buf[0] == '-')
		x = strtoll(buf, &end, 0);
	else
		x = (long long)strtoull(buf, &end, 0);
	if (errno || *end)
		fail(p, "field '%s': '%s' is not a number", key, buf);
	return x;
}

static u64 unum(struct parser *p, const char *key)
{
	return (u64)num(p, key);
}

static void word(struct parser *p, const char *key, char *out, size_t cap)
{
	size_t len;
	const char *v = field(p, key, &len);

	if (!v) {
		fail(p, "field '%s' missing", key);
		len = 0;
		v = "";
	}
	if (len >= cap)
		len = cap - 1;
	memcpy(out, v, len);
	out[len] = '\0';
}

/* err= takes the rest of the line: it is a message */
static void rest(struct parser *p, const char *key, char *out, size_t cap)
{
	size_t len;
	const char *v = field(p, key, &len);

	snprintf(out, cap, "%s", v ? v : "");
}

static struct hq_result *scenario(struct parser *p)
{
	u32 k = num(p, "index");

	if (p->bad)
		return NULL;
	if (k >= p->res->n) {
		fail(p, "scenario %u: the manifest has %u", k, p->res->n);
		return NULL;
	}
	return &p->res->r[k];
}

/* The scenario the line belongs to: the one begun and not ended */
static struct hq_result *current(struct parser *p)
{
	if (!p->cur)
		fail(p, "outside any scenario");
	return p->cur;
}

static void obs_entry(struct parser *p, struct hpt_observed_hpte *e)
{
	e->idx = unum(p, "idx");
	e->v = unum(p, "v");
	e->r = unum(p, "r");
	e->guest_r = unum(p, "gr");
	e->forw = unum(p, "f");
	e->back = unum(p, "b");
}

static void core_line(struct parser *p, const char *kind)
{
	struct hq_result *r = current(p);
	struct hq_core *c;

	if (!r)
		return;
	c = &r->core;
	if (!strcmp(kind, "core")) {
		c->seen = true;
		if (has(p, "error")) {
			word(p, "error", c->error, sizeof(c->error));
			return;
		}
		c->rc = num(p, "rc");
		c->switched = num(p, "switched");
		c->order = num(p, "order");
		c->placed = num(p, "placed");
		c->not_placed = num(p, "not_placed");
		c->unmaps = num(p, "unmaps");
		c->violations = num(p, "violations");
		c->hpte_locks = num(p, "hpte_locks");
		c->live_tables = num(p, "live_tables");
		c->live_revs = num(p, "live_revs");
		c->live_resizes = num(p, "live_resizes");
		c->pending = num(p, "pending");
		word(p, "active", c->active, sizeof(c->active));
		word(p, "partition", c->partition, sizeof(c->partition));
		c->us = num(p, "us");
	} else if (!strcmp(kind, "core-old")) {
		obs_entry(p, HQ_PUSH(c->old, c->nr_old, c->cap_old));
	} else if (!strcmp(kind, "core-new")) {
		obs_entry(p, HQ_PUSH(c->new, c->nr_new, c->cap_new));
	} else if (!strcmp(kind, "core-old-missing")) {
		c->old_missing = true;
	} else if (!strcmp(kind, "core-unmap")) {
		struct hpt_observed_unmap *u =
			HQ_PUSH(c->unmap, c->nr_unmap, c->cap_unmap);
		char table[8];

		u->idx = unum(p, "idx");
		u->gfn = unum(p, "gfn");
		word(p, "table", table, sizeof(table));
		u->old_table = !strcmp(table, "old");
	} else if (!strcmp(kind, "core-rmap")) {
		struct hpt_observed_rmap *m =
			HQ_PUSH(c->rmap, c->nr_rmap, c->cap_rmap);

		m->slot = num(p, "slot");
		m->gfn = unum(p, "gfn");
		m->word = unum(p, "word");
	} else if (!strcmp(kind, "core-end")) {
		c->ended = true;
	} else {
		fail(p, "unknown line kind '%s'", kind);
	}
}

static void resize_line(struct parser *p, struct hq_resize *z)
{
	char res[8];

	z->seen = true;
	z->from = num(p, "from");
	z->to = num(p, "to");
	z->now = num(p, "now");
	z->cs = num(p, "cs");
	/* the module's own resize times it in us too; a script's could not */
	z->us = has(p, "us") ? num(p, "us") : z->cs * 10000L;
	word(p, "result", res, sizeof(res));
	z->ok = !strcmp(res, "ok");
	rest(p, "err", z->err, sizeof(z->err));
}

static void hv_summary(struct parser *p, struct hq_hv *h)
{
	h->seen = true;
	if (has(p, "error")) {
		word(p, "error", h->error, sizeof(h->error));
		return;
	}
	h->order = num(p, "order");
	h->new_order = num(p, "new_order");
	h->entered = num(p, "entered");
	h->not_placed = num(p, "not_placed");
	h->held = num(p, "held");
	h->foreign_target = num(p, "foreign_target");
	h->refused = num(p, "refused");
	h->stale = num(p, "stale");
	h->guest_bolted = num(p, "guest_bolted");
	h->guest_collisions = num(p, "guest_collisions");
	h->guest_unmovable = num(p, "guest_unmovable");
	h->us = num(p, "us");
}

static void hv_enter(struct parser *p, struct hq_hv *h)
{
	struct hq_enter *e = HQ_PUSH(h->e, h->nr_e, h->cap_e);

	memset(e, 0, sizeof(*e));
	e->rec = num(p, "rec");
	if (has(p, "skip")) {
		word(p, "skip", e->skip, sizeof(e->skip));
		if (has(p, "idx"))
			e->idx = unum(p, "idx");
		if (has(p, "rc"))
			e->rc = num(p, "rc");
		return;
	}
	e->idx = unum(p, "idx");
	e->v = unum(p, "v");
	e->r = unum(p, "r");
}

static void hv_line(struct parser *p, const char *kind)
{
	struct hq_result *r = current(p);
	struct hq_hv *h;
	struct hq_entry *f;

	if (!r)
		return;
	h = &r->hv;
	if (!strcmp(kind, "hv"))
		hv_summary(p, h);
	else if (!strcmp(kind, "hv-enter"))
		hv_enter(p, h);
	else if (!strcmp(kind, "hv-prep"))
		resize_line(p, &h->prep);
	else if (!strcmp(kind, "hv-resize"))
		resize_line(p, &h->resize);
	else if (!strcmp(kind, "hv-stale") || !strcmp(kind, "hv-remove-failed"))
		;	/* counted in the summary lines */
	else if (!strcmp(kind, "hv-prepare"))
		;	/* ahead of the kernel's: what counts is its outcome */
	else if (!strcmp(kind, "hv-found")) {
		f = HQ_PUSH(h->f, h->nr_f, h->cap_f);
		f->idx = unum(p, "idx");
		f->v = unum(p, "v");
		f->r = unum(p, "r");
	} else if (!strcmp(kind, "hv-check")) {
		h->checked = true;
		if (has(p, "error")) {
			word(p, "error", h->check_error,
			     sizeof(h->check_error));
			return;
		}
		h->check_order = num(p, "order");
		h->found = num(p, "found");
		h->remove_failed = num(p, "remove_failed");
		h->scan_us = num(p, "scan_us");
	} else {
		fail(p, "unknown line kind '%s'", kind);
	}
}

static void guest_line(struct parser *p, const char *kind)
{
	struct hq_results *res = p->res;
	struct hq_boot *b = res->nr_boot ? &res->boot[res->nr_boot - 1] : NULL;
	struct hq_result *r;

	if (!strcmp(kind, "begin")) {
		r = scenario(p);
		if (!r)
			return;
		if (r->begun)
			fail(p, "scenario %u begun twice", (u32)(r - res->r));
		r->begun = true;
		r->t_begin = p->ms;
		r->boot = res->nr_boot ? res->nr_boot - 1 : 0;
		p->cur = r;
	} else if (!strcmp(kind, "end")) {
		r = scenario(p);
		if (r && r != p->cur)
			fail(p, "end of scenario %u, which is not the one begun",
			     (u32)(r - res->r));
		if (r) {
			r->ended = true;
			r->t_end = p->ms;
		}
		p->cur = NULL;
	} else if (!strcmp(kind, "guest")) {
		if (strstr(p->line, "guest waiting") && b) {
			b->t_waiting = p->ms;
		} else if (strstr(p->line, "guest ready") && b) {
			b->ready = true;
			b->t_ready = p->ms;
			b->start_order = num(p, "order");
		} else if (strstr(p->line, "guest fork-crashed")) {
			r = scenario(p);
			if (r)
				r->hv.fork_crashed = true;
		}
	} else if (!strncmp(kind, "hv", 2)) {
		hv_line(p, kind);
	} else if (!strncmp(kind, "core", 4)) {
		core_line(p, kind);
	} else if (!strcmp(kind, "error")) {
		fail(p, "the module did not take a command: %s", p->line);
	} else {
		fail(p, "unknown line kind '%s'", kind);
	}
}

static void runner_line(struct parser *p, const char *kind)
{
	struct hq_results *res = p->res;
	struct hq_boot *b;
	struct hq_result *r;
	const char *text;

	if (!strcmp(kind, "boot")) {
		b = HQ_PUSH(res->boot, res->nr_boot, res->cap_boot);
		memset(b, 0, sizeof(*b));
		b->first = num(p, "first");
		/* start=boot|save|restore; runs before the saved guest had none */
		if (has(p, "start")) {
			char start[16];

			word(p, "start", start, sizeof(start));
			b->restored = !strcmp(start, "restore");
		}
		b->t_start = p->ms;
		p->cur = NULL;	/* a boot ends any scenario in progress */
	} else if (!strcmp(kind, "boot-end")) {
		if (res->nr_boot)
			res->boot[res->nr_boot - 1].t_end = p->ms;
	} else if (!strcmp(kind, "lost")) {
		r = scenario(p);
		if (!r)
			return;
		r->lost = true;
		r->qemu_rc = num(p, "qemu_rc");
		r->timeout = num(p, "timeout");
		if (!r->begun) {
			r->begun = true;
			r->t_begin = p->ms;
		}
		r->t_end = p->ms;
	} else if (!strcmp(kind, "tail")) {
		r = scenario(p);
		text = strstr(p->line, " | ");
		if (!r || !text)
			return;
		*HQ_PUSH(r->tail, r->nr_tail, r->cap_tail) = strdup(text + 3);
	} else if (!strcmp(kind, "stop")) {
		res->stopped = true;
		rest(p, "reason", res->stop_reason, sizeof(res->stop_reason));
	} else {
		fail(p, "unknown runner line '%s'", kind);
	}
}

/* "@MS rest": the host's time and the line as seen */
static void one_line(struct parser *p, char *line)
{
	char kind[24], *tag, *end;
	size_t n;

	line[strcspn(line, "\r\n")] = '\0';
	if (line[0] != '@') {
		fail(p, "no time stamp");
		return;
	}
	p->ms = strtoll(line + 1, &end, 10);
	if (!p->res->t_first)
		p->res->t_first = p->ms;
	p->res->t_last = p->ms;

	tag = strstr(end, "HPTFUZZ-RUNNER ");
	if (tag == end + 1) {
		p->line = tag + strlen("HPTFUZZ-RUNNER ");
		n = strcspn(p->line, " ");
		snprintf(kind, sizeof(kind), "%.*s", (int)n, p->line);
		runner_line(p, kind);
		return;
	}
	/* A kernel message may have come first on the same line */
	tag = strstr(end, "HPTK ");
	if (!tag)
		return;
	p->line = tag + strlen("HPTK ");
	n = strcspn(p->line, " =");
	snprintf(kind, sizeof(kind), "%.*s", (int)n, p->line);
	if (p->line[n] == '=')
		snprintf(kind, sizeof(kind), "error");
	guest_line(p, kind);
}

const char *hq_read_results(FILE *f, u32 n, struct hq_results *res,
			    char *err, size_t errlen)
{
	struct parser p = { .res = res, .err = err, .errlen = errlen };
	char *line = malloc(LINE_MAX_BYTES);

	memset(res, 0, sizeof(*res));
	res->n = n;
	res->r = calloc(n ? n : 1, sizeof(*res->r));
	if (!line || !res->r) {
		free(line);
		snprintf(err, errlen, "out of memory");
		return err;
	}
	while (!p.bad && fgets(line, LINE_MAX_BYTES, f)) {
		p.lineno++;
		one_line(&p, line);
	}
	free(line);
	if (!p.bad && ferror(f))
		snprintf(err, errlen, "read error");
	else if (!p.bad)
		return NULL;
	return err;
}

static void free_core(struct hq_core *c)
{
	free(c->old);
	free(c->new);
	free(c->unmap);
	free(c->rmap);
}

void hq_free_results(struct hq_results *res)
{
	u32 k, i;

	for (k = 0; res->r && k < res->n; k++) {
		free_core(&res->r[k].core);
		free(res->r[k].hv.e);
		free(res->r[k].hv.f);
		for (i = 0; i < res->r[k].nr_tail; i++)
			free(res->r[k].tail[i]);
		free(res->r[k].tail);
	}
	free(res->r);
	free(res->boot);
	memset(res, 0, sizeof(*res));
}
