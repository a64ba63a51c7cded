// SPDX-License-Identifier: GPL-2.0-only
/*
 * The report a command leaves for the host: text that grows as needed.
 * Reports list whole tables, so they can reach megabytes; past the cap
 * lines are dropped and the report says so instead of failing.
 */
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "kmod.h"

#define HK_REPORT_MIN	(64 * 1024)
#define HK_REPORT_MAX	(64 * 1024 * 1024)

static bool hk_report_grow(struct hk_report *rep, size_t need)
{
	size_t cap = rep->cap ? rep->cap : HK_REPORT_MIN;
	char *buf;

	while (cap < need)
		cap *= 2;
	if (cap > HK_REPORT_MAX)
		return false;
	buf = kvmalloc(cap, GFP_KERNEL);
	if (!buf)
		return false;
	if (rep->len)
		memcpy(buf, rep->buf, rep->len);
	kvfree(rep->buf);
	rep->buf = buf;
	rep->cap = cap;
	return true;
}

void hk_printf(struct hk_report *rep, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (rep->overflow)
		return;
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (rep->len + n + 1 > rep->cap &&
	    !hk_report_grow(rep, rep->len + n + 1)) {
		rep->overflow = true;
		return;
	}
	va_start(ap, fmt);
	rep->len += vscnprintf(rep->buf + rep->len, rep->cap - rep->len, fmt,
			       ap);
	va_end(ap);
}

void hk_report_reset(struct hk_report *rep)
{
	rep->len = 0;
	rep->overflow = false;
}

void hk_report_free(struct hk_report *rep)
{
	kvfree(rep->buf);
	rep->buf = NULL;
	rep->len = 0;
	rep->cap = 0;
}
