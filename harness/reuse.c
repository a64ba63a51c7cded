// SPDX-License-Identifier: GPL-2.0-only
/*
 * After a run is judged: every table, revmap and rmap array the
 * comparison read whole and found as the oracle listed is zero but for
 * those listed words.  Clear them and tell the platform the blocks are
 * zero, so that the next execution gets them back without clearing them
 * again (core/platform/user/known_zero.c): the comparison's one read
 * replaces a second clear.  Blocks a check found different, or did not
 * read, are cleared on reuse as before.
 */
#include <string.h>

#include "harness_internal.h"

static void clear_listed(const struct hpt_oracle_table *t,
			 const __be64 *words, const struct hpt_rev *rev)
{
	__be64 *w = (__be64 *)words;
	struct hpt_rev *r = (struct hpt_rev *)rev;
	u32 i;

	for (i = 0; i < t->n; i++) {
		w[2 * t->e[i].idx] = 0;
		w[2 * t->e[i].idx + 1] = 0;
		/* Links too: the comparison read only guest R here */
		memset(&r[t->e[i].idx], 0, sizeof(*r));
	}
}

static void table_is_zero(const struct hpt_oracle_table *t, u32 order,
			  const __be64 *words, const struct hpt_rev *rev)
{
	clear_listed(t, words, rev);
	hpt_user_known_zero(words, (size_t)1 << order);
	hpt_user_known_zero(rev, hpt_order_npte(order) * sizeof(*rev));
}

static void rmaps_are_zero(struct hctx *c)
{
	struct hpt_memslot *ms;
	u64 *word;
	u32 i;

	for (i = 0; i < c->o.nr_rmaps; i++) {
		word = hctx_rmap_word(&c->vm, &c->o.rmaps[i]);
		if (word)
			*word = 0;
	}
	for (i = 0; i < c->vm.nr_memslots; i++) {
		ms = &c->vm.memslots[i];
		hpt_user_known_zero(ms->rmap, ms->npages * sizeof(*ms->rmap));
	}
}

void hctx_declare_zeroed(struct hctx *c)
{
	const struct hpt_oracle *o = &c->o;

	if (!c->compared || c->obs || c->out.fate != HPT_IMPL_RETURNED)
		return;
	if (c->old_words && c->old_rev && !c->found[F_OLD])
		table_is_zero(&o->old, c->s->old_order, c->old_words,
			      c->old_rev);
	/* Entries judged by rules may sit where the oracle lists none */
	if (o->new.e && c->new_words && c->new_rev && !c->found[F_NEW] &&
	    !o->nr_rules && c->new_order == o->new_order)
		table_is_zero(&o->new, c->new_order, c->new_words, c->new_rev);
	if (!c->found[F_RMAP])
		rmaps_are_zero(c);
}
