// SPDX-License-Identifier: GPL-2.0-only
/*
 * hptfuzz-kvm prep: for scenario K, DIR/scenarios/K.core is its binary
 * encoding with the orders folded by the cap (what the judge judges) and
 * DIR/scenarios/K.kvm what the VMM enters: the orders, the memslots
 * rounded out to the host's 64K pages (overlaps merged, as KVM takes no
 * overlapping slots), and every entry generation left VALID or ABSENT
 * at its index, in the guest's view.  DIR/manifest names the sources.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "kvmhost.h"

#define ENCODED_MAX	(HPT_SCN_HEADER_BYTES + \
			 HPT_SCN_MAX_RECORDS * (1 + HPT_SCN_RAW_BYTES))
/* Host pages of Debian's ppc64el kernels */
#define HOST_PAGE	0x10000ULL

struct range {
	u64 start, end;
};

static int by_start(const void *a, const void *b)
{
	const struct range *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

static void write_slots(FILE *f, const struct hpt_scenario *s)
{
	struct range r[HPT_SCN_MAX_MEMSLOTS];
	u32 k, n = 0, i, id = 0;

	for (k = 0; k < s->nr_records; k++) {
		const struct hpt_scn_memslot *m = &s->rec[k].slot;

		if (s->rec[k].kind != HPT_SCN_MEMSLOT || !m->npages)
			continue;
		r[n].start = (m->base_gfn << 12) & ~(HOST_PAGE - 1);
		r[n].end = (((m->base_gfn + m->npages) << 12) + HOST_PAGE - 1) &
			   ~(HOST_PAGE - 1);
		n++;
	}
	qsort(r, n, sizeof(r[0]), by_start);
	for (i = 0; i < n; i++) {
		u64 start = r[i].start, end = r[i].end;

		while (i + 1 < n && r[i + 1].start < end) {
			i++;
			if (r[i].end > end)
				end = r[i].end;
		}
		fprintf(f, "slot %u %llx %llx\n", id++,
			(unsigned long long)start,
			(unsigned long long)(end - start));
	}
}

static bool write_vmm_input(const char *path, const struct hpt_scenario *s,
			    const struct kh_model *m)
{
	const struct hpt_oracle_table *t = &m->o.before;
	FILE *f = fopen(path, "w");
	u64 v, r;
	u32 i;

	if (!f)
		return false;
	fprintf(f, "%s\norder %u %u\n", KH_VMM_MAGIC, s->old_order,
		s->new_order);
	write_slots(f, s);
	for (i = 0; i < t->n; i++) {
		if (!(t->e[i].v & (HPT_V_VALID | HPT_V_ABSENT)))
			continue;	/* never used: nothing to enter */
		kh_guest_words(s, &t->e[i], &v, &r);
		fprintf(f, "e %llx %llx %llx %d\n",
			(unsigned long long)t->e[i].idx,
			(unsigned long long)v, (unsigned long long)r,
			!!(t->e[i].v & HPT_V_VALID));
	}
	return !fclose(f);
}

struct prep {
	const char *dir;
	u32 max_order;
	bool raw_words;
	struct hpt_scenario *s;
	u8 *buf;
	FILE *manifest;
	u32 n;
};

static bool prep_file(struct prep *pp, const char *src)
{
	struct kh_model *m = malloc(sizeof(*m));
	const char *why = "";
	char path[4096], err[256];
	bool ok = false;
	size_t len;
	FILE *f;

	const char *dir = pp->dir;
	struct hpt_scenario *s = pp->s;
	u32 n = pp->n++;

	if (!m)
		return false;
	if (hpt_load_scenario(src, pp->raw_words, s, err, sizeof(err))) {
		fprintf(stderr, "hptfuzz-kvm: %s: %s\n", src, err);
		goto out;
	}
	if (pp->max_order)
		hpt_scn_cap_orders(s, pp->max_order);
	if (kh_model_build(m, s, &why)) {
		fprintf(stderr, "hptfuzz-kvm: %s: %s\n", src, why);
		goto out;
	}
	len = hpt_scn_encode(s, pp->buf, ENCODED_MAX);
	snprintf(path, sizeof(path), "%s/scenarios/%u.core", dir, n);
	f = fopen(path, "wb");
	if (!f || fwrite(pp->buf, 1, len, f) != len || fclose(f))
		goto io;
	snprintf(path, sizeof(path), "%s/scenarios/%u.kvm", dir, n);
	if (!write_vmm_input(path, s, m))
		goto io;
	fprintf(pp->manifest, "scenario %u %s\n", n, src);
	ok = true;
	goto out;
io:
	fprintf(stderr, "hptfuzz-kvm: %s: %s\n", path, strerror(errno));
out:
	kh_model_free(m);
	free(m);
	return ok;
}

int kh_prep(const char *dir, u32 max_order, bool raw_words, char **inputs,
	    int ninputs)
{
	struct hpt_scenario *s = malloc(sizeof(*s));
	u8 *buf = malloc(ENCODED_MAX);
	struct prep pp = { .dir = dir, .max_order = max_order,
			   .raw_words = raw_words, .s = s, .buf = buf };
	char path[4096], **names;
	bool ok = true;
	struct stat st;
	FILE *manifest;
	size_t n, i;
	int j;

	snprintf(path, sizeof(path), "%s/scenarios", dir);
	if (!s || !buf || (mkdir(dir, 0777) && errno != EEXIST) ||
	    (mkdir(path, 0777) && errno != EEXIST)) {
		fprintf(stderr, "hptfuzz-kvm: %s: %s\n", path, strerror(errno));
		return 2;
	}
	snprintf(path, sizeof(path), "%s/manifest", dir);
	manifest = fopen(path, "w");
	if (!manifest) {
		fprintf(stderr, "hptfuzz-kvm: %s: %s\n", path, strerror(errno));
		return 2;
	}
	fprintf(manifest, "%s\noption max-order %u\noption raw-words %d\n",
		KH_MANIFEST_MAGIC, max_order, raw_words);
	pp.manifest = manifest;
	for (j = 0; j < ninputs && ok; j++) {
		if (stat(inputs[j], &st) || !S_ISDIR(st.st_mode)) {
			ok = prep_file(&pp, inputs[j]);
			continue;
		}
		names = hpt_list_dir(inputs[j], &n);
		if (!names) {
			fprintf(stderr, "hptfuzz-kvm: %s: %s\n", inputs[j],
				strerror(errno));
			ok = false;
			break;
		}
		for (i = 0; ok && i < n; i++)
			ok = prep_file(&pp, names[i]);
		hpt_free_list(names);
	}
	ok = !fclose(manifest) && ok;
	if (ok)
		printf("hptfuzz-kvm: %u scenarios in %s\n", pp.n, dir);
	free(s);
	free(buf);
	return ok ? 0 : 2;
}
