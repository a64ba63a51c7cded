// SPDX-License-Identifier: GPL-2.0-only
/*
 * Sparse tables: entries gathered through a small hash index while a
 * table is built, then sorted by index for lookups and ordered walks.
 */
#include <stdlib.h>
#include <string.h>

#include "oracle_internal.h"

int table_builder_init(struct table_builder *b, struct hpt_oracle_table *t,
		       u32 order, u32 max_entries)
{
	u32 bits = 4;

	while ((1u << bits) < 2 * max_entries + 2)
		bits++;
	b->t = t;
	b->bits = bits;
	b->cap = max_entries;
	t->order = order;
	t->n = 0;
	t->e = malloc((max_entries + 1) * sizeof(*t->e));
	b->slots = calloc(1u << bits, sizeof(*b->slots));
	if (t->e && b->slots)
		return 0;
	free(b->slots);
	b->slots = NULL;
	return -ENOMEM;
}

static u32 hash(const struct table_builder *b, u64 idx)
{
	return (idx * 0x9e3779b97f4a7c15ULL) >> (64 - b->bits);
}

/* The hash slot holding idx, or the empty one where it would go */
static u32 *probe(const struct table_builder *b, u64 idx)
{
	u32 mask = (1u << b->bits) - 1, h = hash(b, idx);

	while (b->slots[h] && b->t->e[b->slots[h] - 1].idx != idx)
		h = (h + 1) & mask;
	return &b->slots[h];
}

struct hpt_oracle_hpte *table_find(struct table_builder *b, u64 idx)
{
	u32 *slot = probe(b, idx);

	return *slot ? &b->t->e[*slot - 1] : NULL;
}

struct hpt_oracle_hpte *table_get(struct table_builder *b, u64 idx)
{
	u32 *slot = probe(b, idx);
	struct hpt_oracle_hpte *e;

	if (*slot)
		return &b->t->e[*slot - 1];
	if (b->t->n == b->cap)
		return NULL;	/* callers size the builder: never */
	e = &b->t->e[b->t->n++];
	*slot = b->t->n;
	memset(e, 0, sizeof(*e));
	e->idx = idx;
	e->rec = HPT_ORACLE_NO_RECORD;
	return e;
}

static int by_index(const void *a, const void *b)
{
	u64 x = ((const struct hpt_oracle_hpte *)a)->idx;
	u64 y = ((const struct hpt_oracle_hpte *)b)->idx;

	return x < y ? -1 : x > y;
}

void table_builder_finish(struct table_builder *b)
{
	free(b->slots);
	b->slots = NULL;
	qsort(b->t->e, b->t->n, sizeof(*b->t->e), by_index);
}

const struct hpt_oracle_hpte *hpt_oracle_at(const struct hpt_oracle_table *t,
					    u64 idx)
{
	u32 lo = 0, hi = t->n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (t->e[mid].idx == idx)
			return &t->e[mid];
		if (t->e[mid].idx < idx)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

u32 hpt_oracle_rec_at(const struct hpt_oracle *o, u64 idx)
{
	const struct hpt_oracle_hpte *e = hpt_oracle_at(&o->before, idx);

	return e ? e->rec : HPT_ORACLE_NO_RECORD;
}

u64 hpt_oracle_rmap_word(const struct hpt_oracle *o, u32 slot, u64 gfn,
			 bool after)
{
	u32 lo = 0, hi = o->nr_rmaps, mid;
	const struct hpt_oracle_rmap *m;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		m = &o->rmaps[mid];
		if (m->slot == slot && m->gfn == gfn)
			return after ? m->after : m->before;
		if (m->slot < slot || (m->slot == slot && m->gfn < gfn))
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

bool hpt_oracle_moved_words(const struct hpt_oracle *o, u64 idx,
			    struct hpt_oracle_hpte *w)
{
	const struct hpt_oracle_hpte *e = hpt_oracle_at(&o->old, idx);
	u64 v, r;

	if (!e || !(e->v & OS_V_USED))
		return false;
	*w = *e;
	os_from_table(o->isa300, e->v & ~OS_V_HVLOCK, e->r, &v, &r);
	os_to_table(o->isa300, v, r, &w->v, &w->r);
	return true;
}
