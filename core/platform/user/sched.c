// SPDX-License-Identifier: GPL-2.0-only
/*
 * The host platform's deterministic scheduler: prepare works queue in
 * order and run, one half at a time, only when the caller steps them, so
 * a scenario decides exactly where each work interleaves with hcalls.
 */
#include "hpt/protocol.h"
#include "hpt_user_internal.h"

void hpt_plat_schedule_work(struct hpt_vm *vm, struct hpt_resize *resize)
{
	struct hpt_user *u = hpt_user(vm);
	struct hpt_resize **tail = &u->work_head;

	while (*tail)
		tail = &(*tail)->work.next;
	resize->work.next = NULL;
	resize->work.phase = 0;
	*tail = resize;
	hpt_user_record(vm, HPT_EV_SCHEDULE_WORK, NULL, resize->order, 0);
}

size_t hpt_user_sched_pending(const struct hpt_vm *vm)
{
	const struct hpt_resize *w;
	size_t n = 0;

	for (w = hpt_user(vm)->work_head; w; w = w->work.next)
		n++;
	return n;
}

bool hpt_user_sched_step(struct hpt_vm *vm, size_t n)
{
	struct hpt_resize **link = &hpt_user(vm)->work_head;
	struct hpt_resize *resize;

	while (*link && n--)
		link = &(*link)->work.next;
	resize = *link;
	if (!resize)
		return false;

	if (resize->work.phase == 0) {
		resize->work.err = hpt_resize_work_allocate(resize);
		resize->work.phase = 1;
	} else {
		/* Dequeue first: finishing may free the request */
		*link = resize->work.next;
		hpt_resize_work_finish(resize, resize->work.err);
	}
	return true;
}

void hpt_user_sched_run_all(struct hpt_vm *vm)
{
	while (hpt_user_sched_step(vm, 0))
		;
}
