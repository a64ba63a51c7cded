// SPDX-License-Identifier: GPL-2.0-only
/*
 * hptprobe - poke the hashed page table of a pseries guest through the
 * PAPR hcalls (H_ENTER, H_READ, H_REMOVE) so that a resize requested from
 * the guest side can be watched moving (or dropping) the entries.
 *
 * All entries use VSIDs the guest kernel can never generate: the kernel
 * scrambles its VSIDs modulo 2^n - 1, so the all-ones VSID (2^40 - 1 for
 * 256 MB segments, 2^28 - 1 for 1 TB segments) never appears in an SLB
 * entry.  The entries are therefore never used for translation and can
 * point anywhere in RAM.
 *
 * Interface: /sys/kernel/debug/hptprobe/ctl.  Write one command, then read
 * the text it produced; every line starts with "HPTPROBE ".  Commands:
 *
 *   order      print the current HPT order
 *   insert     H_ENTER the standard entries (e0..e4)
 *   secondary  H_ENTER e5, a bolted entry in its secondary group (Linux
 *              itself never bolts secondary entries)
 *   misplace   H_ENTER e6, a bolted entry deliberately put in a group that
 *              does not match its hash
 *   variants   try H_ENTER with unusual V/R/flags/index values, print what
 *              the hypervisor returned and read back, remove what got in
 *   read       H_READ and H_READ_4 every present entry at its known index
 *   find       after a resize: compute where each entry should be now,
 *              scan the whole table for it and report both
 *   remove     H_REMOVE every entry still found, then read the slot back
 */

#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/gfp.h>
#include <linux/kernel.h>
#include <linux/ktime.h>
#include <linux/log2.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <asm/book3s/64/mmu-hash.h>
#include <asm/hvcall.h>
#include <asm/io.h>

#define HP_OUT_SIZE	8192
#define HP_HASH_BITS	0x7fffffffffUL	/* the hash keeps 39 bits */
#define HP_VSID_256M	0xffffffffffUL	/* 2^40 - 1 */
#define HP_VSID_1T	0xfffffffUL	/* 2^28 - 1 */
#define HP_PP_RW	0x2UL
#define HP_FLAGS_MASK	(~0x7fUL)	/* B and AVPN: the H_AVPN compare */

struct hp_ent {
	const char *name;
	int ssize;		/* 0: 256 MB segment, 1: 1 TB segment */
	u64 vsid;
	u64 ea;			/* offset inside the segment */
	int shift;		/* page shift; base == actual for all of ours */
	bool bolted;
	bool exact;		/* H_EXACT into the highest free slot */
	bool secondary;		/* use the secondary group (H bit) */
	bool misplaced;		/* right group with bit 11 flipped */
	int set;		/* which insert command enters it */

	/* run-time state */
	bool present;
	u64 v, r;		/* what was passed to H_ENTER */
	u64 hash;
	long ins_idx;
	int ins_order;
	long idx;		/* last known index, -1 once gone */
	int order;		/* order idx refers to */
};

enum { HP_SET_STD, HP_SET_SECONDARY, HP_SET_MISPLACE };

/*
 * Every entry has a distinct AVPN (EA bits 23 and up differ, or the
 * segment size does), so a full-table scan can tell them apart.
 */
static struct hp_ent hp_ents[] = {
	/* 4K page, bolted, H_ENTER picks the slot */
	{ .name = "e0", .ssize = 0, .vsid = HP_VSID_256M, .ea = 0x00abc000,
	  .shift = 12, .bolted = true },
	/* 4K page, not bolted, H_EXACT: a resize should drop it */
	{ .name = "e1", .ssize = 0, .vsid = HP_VSID_256M, .ea = 0x01234000,
	  .shift = 12, .exact = true },
	/* 64K page in a 1T segment, bolted, H_EXACT */
	{ .name = "e2", .ssize = 1, .vsid = HP_VSID_1T, .ea = 0x55550000,
	  .shift = 16, .bolted = true, .exact = true },
	/* 16M page, bolted: needs cap-hpt-max-page-size=16M in QEMU */
	{ .name = "e3", .ssize = 0, .vsid = HP_VSID_256M, .ea = 0x03000000,
	  .shift = 24, .bolted = true },
	/* 4K page, not bolted, secondary group, H_EXACT */
	{ .name = "e4", .ssize = 0, .vsid = HP_VSID_256M, .ea = 0x04444000,
	  .shift = 12, .exact = true, .secondary = true },
	/* 4K page, bolted, secondary group, H_EXACT */
	{ .name = "e5", .ssize = 0, .vsid = HP_VSID_256M, .ea = 0x05555000,
	  .shift = 12, .bolted = true, .exact = true, .secondary = true,
	  .set = HP_SET_SECONDARY },
	/*
	 * 4K page, bolted, in the wrong group.  EA bit 23 is set so that the
	 * flipped group bit 11 contradicts the page-index bit the AVPN
	 * carries: a hypervisor recovering the hash from AVPN and group
	 * cannot get back to the group the entry is in.
	 */
	{ .name = "e6", .ssize = 0, .vsid = HP_VSID_256M, .ea = 0x06878000,
	  .shift = 12, .bolted = true, .exact = true, .misplaced = true,
	  .set = HP_SET_MISPLACE },
};

static DEFINE_MUTEX(hp_lock);
static struct dentry *hp_dir;
static char *hp_out;
static size_t hp_len;
static unsigned long hp_page;	/* backing page for the 4K/64K entries */

static __printf(1, 2) void hp_printf(const char *fmt, ...)
{
	va_list ap;

	if (hp_len >= HP_OUT_SIZE - 1)
		return;
	va_start(ap, fmt);
	hp_len += vscnprintf(hp_out + hp_len, HP_OUT_SIZE - hp_len, fmt, ap);
	va_end(ap);
}

static int hp_order(void)
{
	return ilog2(htab_hash_mask + 1) + 7;
}

static u64 hp_hash(const struct hp_ent *e)
{
	u64 p = e->ea >> e->shift;

	if (e->ssize)
		return (e->vsid ^ (e->vsid << 25) ^ p) & HP_HASH_BITS;
	return (e->vsid ^ p) & HP_HASH_BITS;
}

static u64 hp_group(const struct hp_ent *e, u64 mask)
{
	u64 g = e->secondary ? ~e->hash : e->hash;

	g &= mask;
	if (e->misplaced)
		g ^= 1UL << 11;	/* inside the AVPN-covered hash bits */
	return g & mask;
}

static void hp_encode(struct hp_ent *e)
{
	u64 pa = virt_to_phys((void *)hp_page);
	u64 avpn;

	if (e->ssize)
		avpn = (e->vsid << 17) | ((e->ea >> 23) & 0x1ffff);
	else
		avpn = (e->vsid << 5) | ((e->ea >> 23) & 0x1f);
	/* bits of the VA below the base page size are not in the AVPN */
	avpn &= ~(((1UL << e->shift) - 1) >> 23);

	e->v = (avpn << HPTE_V_AVPN_SHIFT) | HPTE_V_VALID;
	if (e->ssize)
		e->v |= HPTE_V_1TB_SEG;
	if (e->bolted)
		e->v |= HPTE_V_BOLTED;
	if (e->secondary)
		e->v |= HPTE_V_SECONDARY;

	switch (e->shift) {
	case 12:
		e->r = pa & HPTE_R_RPN & ~0xfffUL;
		break;
	case 16:	/* L=1, LP=0001 */
		e->v |= HPTE_V_LARGE;
		e->r = (pa & ~0xffffUL) | (1UL << 12);
		break;
	default:	/* 16 MB: L=1, LP=0000, any 16 MB aligned RAM */
		e->v |= HPTE_V_LARGE;
		e->r = 1UL << 24;
		break;
	}
	/* pseries hypervisors want WIMG=M for RAM */
	e->r |= HPTE_R_M | HP_PP_RW;
	e->hash = hp_hash(e);
}

static long hp_read1(long idx, u64 *v, u64 *r)
{
	unsigned long rb[PLPAR_HCALL_BUFSIZE];
	long rc;

	rc = plpar_hcall(H_READ, rb, 0, idx);
	*v = rb[0];
	*r = rb[1];
	return rc;
}

static long hp_read4(long idx, unsigned long rb[PLPAR_HCALL9_BUFSIZE])
{
	return plpar_hcall9(H_READ, rb, H_READ_4, idx & ~3L);
}

/* an entry of ours (same B and AVPN, valid) */
static bool hp_match(const struct hp_ent *e, u64 v)
{
	return (v & HPTE_V_VALID) && !((v ^ e->v) & HP_FLAGS_MASK);
}

static int hp_free_slot(u64 group, int *slot)
{
	unsigned long rb[PLPAR_HCALL9_BUFSIZE];
	int half, i;
	long rc;

	*slot = -1;
	for (half = 0; half < 2; half++) {
		rc = hp_read4(group * 8 + half * 4, rb);
		if (rc != H_SUCCESS)
			return rc;
		for (i = 0; i < 4; i++)
			if (!(rb[2 * i] & HPTE_V_VALID))
				*slot = half * 4 + i;
	}
	return H_SUCCESS;
}

static void hp_enter(struct hp_ent *e)
{
	unsigned long rb[PLPAR_HCALL_BUFSIZE];
	u64 mask = htab_hash_mask;
	u64 group, ptex, flags = 0;
	int slot = 0;
	long rc;

	hp_encode(e);
	group = hp_group(e, mask);
	if (e->exact) {
		rc = hp_free_slot(group, &slot);
		if (rc != H_SUCCESS || slot < 0) {
			hp_printf("HPTPROBE enter name=%s rc=%ld err=no-free-slot group=%llu\n",
				  e->name, rc, group);
			return;
		}
		flags = H_EXACT;
	}
	ptex = group * 8 + slot;
	rc = plpar_hcall(H_ENTER, rb, flags, ptex, e->v, e->r);
	hp_printf("HPTPROBE enter name=%s rc=%ld flags=0x%llx ptex=%llu idx=%ld v=0x%016llx r=0x%016llx order=%d hash=0x%llx bolted=%d secondary=%d ssize=%d shift=%d set=%d\n",
		  e->name, rc, flags, ptex, rc == H_SUCCESS ? (long)rb[0] : -1L,
		  e->v, e->r, hp_order(), e->hash, e->bolted, e->secondary,
		  e->ssize, e->shift, e->set);
	if (rc != H_SUCCESS)
		return;
	e->present = true;
	e->ins_idx = rb[0];
	e->ins_order = hp_order();
	e->idx = e->ins_idx;
	e->order = e->ins_order;
}

static void hp_cmd_insert(int set)
{
	int i;

	if (!hp_page)
		hp_page = __get_free_page(GFP_KERNEL | __GFP_ZERO);
	if (!hp_page) {
		hp_printf("HPTPROBE err=no-memory\n");
		return;
	}
	for (i = 0; i < ARRAY_SIZE(hp_ents); i++) {
		struct hp_ent *e = &hp_ents[i];

		if (e->present || e->set != set)
			continue;
		hp_enter(e);
	}
}

static void hp_cmd_read(void)
{
	unsigned long rb[PLPAR_HCALL9_BUFSIZE];
	int i;

	for (i = 0; i < ARRAY_SIZE(hp_ents); i++) {
		struct hp_ent *e = &hp_ents[i];
		u64 v, r;
		long rc, rc4;
		int k;

		if (!e->present || e->idx < 0)
			continue;
		rc = hp_read1(e->idx, &v, &r);
		rc4 = hp_read4(e->idx, rb);
		k = e->idx & 3;
		hp_printf("HPTPROBE read name=%s idx=%ld rc=%ld v=0x%016llx r=0x%016llx rc4=%ld v4=0x%016lx r4=0x%016lx match=%d same4=%d\n",
			  e->name, e->idx, rc, v, r, rc4, rb[2 * k],
			  rb[2 * k + 1], hp_match(e, v),
			  rb[2 * k] == v && rb[2 * k + 1] == r);
	}
}

static long hp_expected(const struct hp_ent *e)
{
	return hp_group(e, htab_hash_mask) * 8 + (e->ins_idx & 7);
}

static void hp_cmd_find(void)
{
	unsigned long rb[PLPAR_HCALL9_BUFSIZE];
	long found[ARRAY_SIZE(hp_ents)], count[ARRAY_SIZE(hp_ents)];
	long npte = (htab_hash_mask + 1) * 8;
	long idx, rc;
	u64 t0;
	int i, k;

	for (i = 0; i < ARRAY_SIZE(hp_ents); i++) {
		found[i] = -1;
		count[i] = 0;
	}
	t0 = ktime_get_ns();
	for (idx = 0; idx < npte; idx += 4) {
		rc = hp_read4(idx, rb);
		if (rc != H_SUCCESS) {
			hp_printf("HPTPROBE find err=read idx=%ld rc=%ld\n",
				  idx, rc);
			return;
		}
		for (k = 0; k < 4; k++)
			for (i = 0; i < ARRAY_SIZE(hp_ents); i++)
				if (hp_ents[i].present &&
				    hp_match(&hp_ents[i], rb[2 * k])) {
					found[i] = idx + k;
					count[i]++;
				}
		if (!(idx & 0xffff))
			cond_resched();
	}
	hp_printf("HPTPROBE scan order=%d entries=%ld us=%llu\n", hp_order(),
		  npte, (ktime_get_ns() - t0) / 1000);
	for (i = 0; i < ARRAY_SIZE(hp_ents); i++) {
		struct hp_ent *e = &hp_ents[i];
		u64 v = 0, r = 0;

		if (!e->present)
			continue;
		if (found[i] >= 0)
			hp_read1(found[i], &v, &r);
		hp_printf("HPTPROBE find name=%s bolted=%d ins_order=%d ins_idx=%ld prev_order=%d prev_idx=%ld order=%d expected=%ld found=%ld count=%ld v=0x%016llx r=0x%016llx\n",
			  e->name, e->bolted, e->ins_order, e->ins_idx,
			  e->order, e->idx, hp_order(), hp_expected(e),
			  found[i], count[i], v, r);
		e->idx = found[i];
		e->order = hp_order();
	}
}

static void hp_cmd_remove(void)
{
	unsigned long rb[PLPAR_HCALL_BUFSIZE];
	int i;

	for (i = 0; i < ARRAY_SIZE(hp_ents); i++) {
		struct hp_ent *e = &hp_ents[i];
		u64 v, r;
		long rc;

		if (!e->present)
			continue;
		if (e->idx < 0) {
			hp_printf("HPTPROBE remove name=%s idx=-1 skipped=gone\n",
				  e->name);
			e->present = false;
			continue;
		}
		rc = plpar_hcall(H_REMOVE, rb, H_AVPN, e->idx,
				 e->v & HP_FLAGS_MASK);
		hp_read1(e->idx, &v, &r);
		hp_printf("HPTPROBE remove name=%s idx=%ld rc=%ld old_v=0x%016lx old_r=0x%016lx after_v=0x%016llx\n",
			  e->name, e->idx, rc, rb[0], rb[1], v);
		if (rc == H_SUCCESS) {
			e->present = false;
			e->idx = -1;
		}
	}
}

enum {
	HP_VAR_BASE, HP_VAR_WIMG0, HP_VAR_WIMG_I, HP_VAR_PP0, HP_VAR_PP3N,
	HP_VAR_NOVALID, HP_VAR_SWBITS, HP_VAR_BADLP, HP_VAR_BADPTEX,
	HP_VAR_EXACTFULL, HP_VAR_SEG2, HP_VAR_IO_M, HP_VAR_IO_IM, HP_VAR_NR
};

static const char * const hp_var_names[HP_VAR_NR] = {
	[HP_VAR_BASE] = "base",		/* WIMG=M, PP=2: the reference */
	[HP_VAR_WIMG0] = "wimg0",	/* RAM with WIMG=0 */
	[HP_VAR_WIMG_I] = "wimg-i",	/* RAM with WIMG=I */
	[HP_VAR_PP0] = "pp0",		/* PP=0, what Linux uses for kernel RW */
	[HP_VAR_PP3N] = "pp3-n",	/* PP=3 and no-execute */
	[HP_VAR_NOVALID] = "novalid",	/* V without the valid bit */
	[HP_VAR_SWBITS] = "swbits",	/* V with HVLOCK|ABSENT set */
	[HP_VAR_BADLP] = "badlp",	/* L=1 with an undefined LP (5) */
	[HP_VAR_BADPTEX] = "badptex",	/* index one past the table */
	[HP_VAR_EXACTFULL] = "exactfull", /* H_EXACT on e0's busy slot */
	[HP_VAR_SEG2] = "seg2",		/* reserved segment size B=2 */
	[HP_VAR_IO_M] = "io-m",		/* RPN beyond RAM with WIMG=M */
	[HP_VAR_IO_IM] = "io-im",	/* RPN beyond RAM with WIMG=IM */
};

/*
 * Each variant is a non-bolted 4K entry of the never-used 256M VSID, at its
 * own EA (so its own AVPN), in its primary group.
 */
static void hp_cmd_variants(void)
{
	unsigned long rb[PLPAR_HCALL_BUFSIZE];
	u64 mask = htab_hash_mask;
	int k;

	if (!hp_page)
		hp_page = __get_free_page(GFP_KERNEL | __GFP_ZERO);
	if (!hp_page) {
		hp_printf("HPTPROBE err=no-memory\n");
		return;
	}
	for (k = 0; k < HP_VAR_NR; k++) {
		struct hp_ent t = { .name = hp_var_names[k], .ssize = 0,
				    .vsid = HP_VSID_256M, .shift = 12 };
		u64 flags = 0, ptex, v, r, rv = 0, rr = 0;
		long rc, rrc = 0, rmrc = 0, idx = -1;

		t.ea = 0x08000000UL + ((u64)k << 23);
		hp_encode(&t);
		v = t.v;
		r = t.r;
		ptex = (t.hash & mask) * 8;
		switch (k) {
		case HP_VAR_WIMG0:
			r &= ~HPTE_R_WIMG;
			break;
		case HP_VAR_WIMG_I:
			r = (r & ~HPTE_R_WIMG) | HPTE_R_I;
			break;
		case HP_VAR_PP0:
			r &= ~HPTE_R_PP;
			break;
		case HP_VAR_PP3N:
			r |= HPTE_R_PP | HPTE_R_N;
			break;
		case HP_VAR_NOVALID:
			v &= ~HPTE_V_VALID;
			break;
		case HP_VAR_SWBITS:
			v |= 0x60;
			break;
		case HP_VAR_BADLP:
			v |= HPTE_V_LARGE;
			r = (r & ~0xffffUL) | (5UL << 12);
			break;
		case HP_VAR_BADPTEX:
			ptex = (mask + 1) * 8;
			break;
		case HP_VAR_EXACTFULL:
			if (!hp_ents[0].present || hp_ents[0].idx < 0)
				continue;
			ptex = hp_ents[0].idx;
			flags = H_EXACT;
			break;
		case HP_VAR_SEG2:
			v |= 2UL << 62;
			break;
		case HP_VAR_IO_M:
			r = (r & ~HPTE_R_RPN) | (0x1000000000UL & HPTE_R_RPN);
			break;
		case HP_VAR_IO_IM:
			r = (r & ~(HPTE_R_RPN | HPTE_R_WIMG)) |
			    (0x1000000000UL & HPTE_R_RPN) | HPTE_R_I | HPTE_R_M;
			break;
		}
		rc = plpar_hcall(H_ENTER, rb, flags, ptex, v, r);
		if (rc == H_SUCCESS) {
			idx = rb[0];
			rrc = hp_read1(idx, &rv, &rr);
			/* only remove what is really ours */
			if (!((rv ^ v) & HP_FLAGS_MASK))
				rmrc = plpar_hcall(H_REMOVE, rb, 0, idx, 0);
		}
		hp_printf("HPTPROBE variant name=%s rc=%ld flags=0x%llx ptex=%llu v=0x%016llx r=0x%016llx idx=%ld read_rc=%ld read_v=0x%016llx read_r=0x%016llx remove_rc=%ld\n",
			  t.name, rc, flags, ptex, v, r, idx, rrc, rv, rr, rmrc);
	}
}

static ssize_t hp_write(struct file *f, const char __user *ubuf,
			size_t len, loff_t *pos)
{
	char cmd[32];
	size_t n = min(len, sizeof(cmd) - 1);

	if (copy_from_user(cmd, ubuf, n))
		return -EFAULT;
	cmd[n] = '\0';
	strim(cmd);

	mutex_lock(&hp_lock);
	hp_len = 0;
	hp_out[0] = '\0';
	if (!strcmp(cmd, "order"))
		hp_printf("HPTPROBE order order=%d mask=0x%lx\n", hp_order(),
			  htab_hash_mask);
	else if (!strcmp(cmd, "insert"))
		hp_cmd_insert(HP_SET_STD);
	else if (!strcmp(cmd, "secondary"))
		hp_cmd_insert(HP_SET_SECONDARY);
	else if (!strcmp(cmd, "misplace"))
		hp_cmd_insert(HP_SET_MISPLACE);
	else if (!strcmp(cmd, "variants"))
		hp_cmd_variants();
	else if (!strcmp(cmd, "read"))
		hp_cmd_read();
	else if (!strcmp(cmd, "find"))
		hp_cmd_find();
	else if (!strcmp(cmd, "remove"))
		hp_cmd_remove();
	else
		hp_printf("HPTPROBE err=unknown-command cmd=%s\n", cmd);
	mutex_unlock(&hp_lock);
	return len;
}

static ssize_t hp_read(struct file *f, char __user *ubuf, size_t len,
		       loff_t *pos)
{
	ssize_t ret;

	mutex_lock(&hp_lock);
	ret = simple_read_from_buffer(ubuf, len, pos, hp_out, hp_len);
	mutex_unlock(&hp_lock);
	return ret;
}

static const struct file_operations hp_fops = {
	.owner = THIS_MODULE,
	.write = hp_write,
	.read = hp_read,
	.llseek = default_llseek,
};

static int __init hp_init(void)
{
	hp_out = kzalloc(HP_OUT_SIZE, GFP_KERNEL);
	if (!hp_out)
		return -ENOMEM;
	hp_dir = debugfs_create_dir("hptprobe", NULL);
	debugfs_create_file("ctl", 0600, hp_dir, NULL, &hp_fops);
	pr_info("hptprobe: loaded, HPT order %d\n", hp_order());
	return 0;
}

static void __exit hp_exit(void)
{
	debugfs_remove_recursive(hp_dir);
	if (hp_page)
		free_page(hp_page);
	kfree(hp_out);
}

module_init(hp_init);
module_exit(hp_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Probe HPT entries across a guest-requested HPT resize");
