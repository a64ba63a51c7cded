// SPDX-License-Identifier: GPL-2.0-only
/*
 * A batch of scenarios in one write to debugfs hptfuzz/run ("FIRST DIR"):
 * every line "K OLD NEW HV" of DIR/index from scenario FIRST on, with
 * DIR/K.core and DIR/K.hv as the inputs, run as the guest script used to
 * run the single commands and reported with the same lines in the same
 * order: begin; the core's; for a hypervisor part the guest kernel's
 * resize to OLD when its table is not there yet (hv-prep), hv-enter, its
 * resize to NEW (hv-resize) and hv-check; end.
 *
 * The guest kernel resizes as a write to its powerpc/hpt_order file makes
 * it (mmu_hash_ops.resize_hpt under cpus_read_lock()), each time after
 * the hypervisor prepared the same order (hv-prepare, run_hv.c says why).
 * What the batch saves is the shell between two steps: a write and a
 * read per command, and the fork a script needs to time a resize.  Every
 * line reaches the console before the next step begins, so a QEMU that
 * dies still names the scenario under way.
 */
#include <linux/cpu.h>
#include <linux/kernel.h>
#include <linux/kernel_read_file.h>
#include <linux/ktime.h>
#include <linux/sched.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>
#include <asm/book3s/64/mmu-hash.h>

#include "kmod.h"

/* DIR/index: a line per scenario, a few bytes each */
#define HK_INDEX_MAX	SZ_4M

/* What the guest kernel's resize returned, as a shell would have said it */
static void hk_resize_err(int rc, char *buf, size_t len)
{
	if (!rc)
		buf[0] = '\0';
	else if (rc == -ENOSPC)
		snprintf(buf, len, "No space left on device");
	else
		snprintf(buf, len, "error %d", rc);
}

/* The guest kernel resizes its own table to @to; one line says how */
static void hk_guest_resize(const char *tag, u32 index, u32 to)
{
	u32 from = hk_guest_order();
	char err[32];
	u64 t0;
	int rc;

	hk_do("hv-prepare", index, 3, to);
	t0 = ktime_get_ns();
	cpus_read_lock();
	rc = mmu_hash_ops.resize_hpt ? mmu_hash_ops.resize_hpt(to) : -ENODEV;
	cpus_read_unlock();
	hk_resize_err(rc, err, sizeof(err));
	t0 = ktime_get_ns() - t0;
	hk_say("HPTK %s index=%u from=%u to=%u result=%s now=%u cs=%llu us=%llu err=%s\n",
	       tag, index, from, to, rc ? "fail" : "ok", hk_guest_order(),
	       div_u64(t0, 10 * NSEC_PER_MSEC), div_u64(t0, NSEC_PER_USEC),
	       err);
}

/* DIR/K.SUFFIX becomes the input; false (and a line) if it cannot */
static bool hk_load_input(const char *dir, u32 index, const char *suffix)
{
	char *path = kasprintf(GFP_KERNEL, "%s/%u.%s", dir, index, suffix);
	int ret = path ? hk_load(path) : -ENOMEM;

	if (ret < 0)
		hk_say("HPTK error=load index=%u file=%s rc=%d\n", index,
		       path ? path : "?", ret);
	kfree(path);
	return ret >= 0;
}

static void hk_run_one(const char *dir, u32 k, u32 old, u32 new, bool hv)
{
	hk_say("HPTK begin index=%u\n", k);
	if (hk_load_input(dir, k, "core"))
		hk_do("core", k, 2, 0);
	if (hv) {
		if (hk_guest_order() != old)
			hk_guest_resize("hv-prep", k, old);
		if (hk_load_input(dir, k, "hv"))
			hk_do("hv-enter", k, 2, 0);
		hk_guest_resize("hv-resize", k, new);
		hk_do("hv-check", k, 2, 0);
	}
	hk_say("HPTK end index=%u\n", k);
}

int hk_run_batch(u32 first, const char *dir)
{
	char *path = kasprintf(GFP_KERNEL, "%s/index", dir);
	char *line, *next, *buf = NULL;
	void *data = NULL;
	u32 k, old, new, hv;
	ssize_t len;

	if (!path)
		return -ENOMEM;
	len = kernel_read_file_from_path(path, 0, &data, HK_INDEX_MAX, NULL,
					 READING_UNKNOWN);
	kfree(path);
	if (len < 0)
		return len;
	buf = kvmalloc(len + 1, GFP_KERNEL);
	if (!buf) {
		vfree(data);
		return -ENOMEM;
	}
	memcpy(buf, data, len);
	buf[len] = '\0';
	vfree(data);
	for (next = buf; (line = strsep(&next, "\n"));) {
		if (!*line)
			continue;
		if (sscanf(line, "%u %u %u %u", &k, &old, &new, &hv) != 4) {
			hk_say("HPTK error=index line='%s'\n", line);
			break;
		}
		if (k < first)
			continue;
		hk_run_one(dir, k, old, new, hv);
		cond_resched();
	}
	kvfree(buf);
	return 0;
}
