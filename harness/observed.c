// SPDX-License-Identifier: GPL-2.0-only
/*
 * An observed resize in place of an implementation's run: the tables,
 * unmaps and rmap words a run elsewhere reported are laid out as the
 * host platform would have left them, so the same comparisons and
 * reports apply.
 */
#include <stdlib.h>
#include <string.h>

#include "harness_internal.h"

/* A dense table of the given order from the nonzero entries listed */
static int lay_out(struct hctx *c, int slot, u32 order,
		   const struct hpt_observed_hpte *e, u32 n,
		   const __be64 **words, const struct hpt_rev **revs)
{
	u64 npte = hpt_order_npte(order);
	__be64 *w = calloc(npte, HPT_HPTE_BYTES);
	struct hpt_rev *rev = calloc(npte, sizeof(*rev));
	u32 i;

	c->obs_mem[slot] = w;
	c->obs_mem[slot + 1] = rev;
	if (!w || !rev)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		if (e[i].idx >= npte)
			continue;	/* cannot be: the parser checks */
		hpt_store_be64(&w[2 * e[i].idx], e[i].v);
		hpt_store_be64(&w[2 * e[i].idx + 1], e[i].r);
		rev[e[i].idx].guest_rpte = e[i].guest_r;
		rev[e[i].idx].forw = e[i].forw;
		rev[e[i].idx].back = e[i].back;
	}
	*words = w;
	*revs = rev;
	return 0;
}

int hctx_observe(struct hctx *c)
{
	const struct hpt_observed *obs = c->obs;
	struct hpt_memslot *slot;
	u32 i;

	c->rc = obs->rc;
	c->last_locked = NO_IDX;
	c->old_virt = NULL;
	if (!obs->old_missing) {
		if (lay_out(c, 0, c->s->old_order, obs->old, obs->nr_old,
			    &c->old_words, &c->old_rev))
			return -ENOMEM;
		/* Unmaps name the old table by this address */
		c->old_virt = c->old_words;
	}
	if (obs->switched) {
		c->new_order = obs->new_order;
		if (!hpt_order_valid(obs->new_order) ||
		    lay_out(c, 2, obs->new_order, obs->new, obs->nr_new,
			    &c->new_words, &c->new_rev))
			return -ENOMEM;
	}

	c->unmaps = calloc(obs->nr_unmaps + 1, sizeof(*c->unmaps));
	if (!c->unmaps)
		return -ENOMEM;
	for (i = 0; i < obs->nr_unmaps; i++)
		c->unmaps[c->nr_unmaps++] = (struct unmap_event){
			obs->unmaps[i].idx, obs->unmaps[i].gfn,
			obs->unmaps[i].old_table ? c->old_virt : NULL };

	/* The generated rmap words give way to the observed ones */
	for (i = 0; i < c->vm.nr_memslots; i++) {
		slot = &c->vm.memslots[i];
		memset(slot->rmap, 0, slot->npages * sizeof(u64));
	}
	for (i = 0; i < obs->nr_rmaps; i++) {
		if (obs->rmaps[i].slot >= c->vm.nr_memslots)
			continue;
		slot = &c->vm.memslots[obs->rmaps[i].slot];
		if (obs->rmaps[i].gfn - slot->base_gfn < slot->npages)
			slot->rmap[obs->rmaps[i].gfn - slot->base_gfn] =
				obs->rmaps[i].word;
	}
	return 0;
}
