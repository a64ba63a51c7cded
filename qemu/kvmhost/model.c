// SPDX-License-Identifier: GPL-2.0-only
/*
 * The scenario's old table as generation builds it and the oracle's
 * prediction, on the host platform: prep enters that table, the judge
 * fills in from the prediction what a VMM cannot see.
 */
#include <errno.h>
#include <string.h>

#include "hpt_user.h"
#include "kvmhost.h"

int kh_model_build(struct kh_model *m, const struct hpt_scenario *s,
		   const char **why)
{
	struct hpt_user_config cfg = {
		.isa300 = s->isa300,
		.order = s->old_order,
		.no_log = true,
	};
	int ret;

	memset(m, 0, sizeof(*m));
	ret = hpt_user_vm_init(&m->vm, &cfg);
	if (ret) {
		*why = "cannot set up a table of the old order";
		return ret;
	}
	m->vm_up = true;
	ret = hpt_scn_generate(s, &m->vm, &m->pl);
	if (ret) {
		*why = "generation failed";
		return ret;
	}
	ret = hpt_oracle_predict(&m->o, s, &m->pl, 0);
	if (ret)
		*why = m->o.error;
	return ret;
}

void kh_model_free(struct kh_model *m)
{
	if (m->vm_up) {
		hpt_user_vm_destroy(&m->vm);
		hpt_scn_free_memslots(&m->vm);
	}
	hpt_oracle_free(&m->o);
	m->vm_up = false;
}

/*
 * What a guest's H_ENTER would pass for this entry: V in the pre-3.0
 * layout with VALID set (the HTAB fd takes nothing else: the kernel makes
 * it ABSENT itself when no memslot page backs it) and its own view of R,
 * the revmap's, which is what the kernel keeps as the guest's.
 */
void kh_guest_words(const struct hpt_scenario *s,
		    const struct hpt_oracle_hpte *e, u64 *v, u64 *r)
{
	u64 vv = e->v;

	if (s->isa300)
		vv = hpt_hpte_new_to_old_v(e->v, e->r);
	*v = (vv & ~(HPT_V_HVLOCK | HPT_V_ABSENT)) | HPT_V_VALID;
	*r = e->guest_r;
}
