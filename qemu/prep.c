// SPDX-License-Identifier: GPL-2.0-only
/*
 * hptfuzz-qemu prep: from scenario files to what the guest runs.  For
 * scenario K, DIR/scenarios/K.core is its binary encoding with the
 * orders folded by the cap (what the core runs in the guest kernel), and
 * DIR/scenarios/K.hv the hypervisor's scenario (adapt.c), when there is
 * one.  DIR/scenarios/index tells the module's batch (qemu/kmod/run_batch.c)
 * "K OLD NEW HV" per line; DIR/manifest tells the judge the options and the source files.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "hq.h"

/* The largest encoding: every record at its longest */
#define ENCODED_MAX	(HPT_SCN_HEADER_BYTES + \
			 HPT_SCN_MAX_RECORDS * (1 + HPT_SCN_RAW_BYTES))

struct prep {
	const char *dir;
	struct hq_adapt adapt;
	u32 max_order;
	bool raw_words;
	struct hpt_scenario *s, *hv;
	u32 *map;
	u8 *buf;
	FILE *manifest, *index;
	u32 n, nr_hv;
};

/* A path snprintf() had to cut is an error, never a file of another name */
static bool fits(int n, size_t len, const char *what)
{
	if (n >= 0 && (size_t)n < len)
		return true;
	fprintf(stderr, "hptfuzz-qemu: %s: path too long\n", what);
	return false;
}

/* Write to a temporary name, then rename: never a half-written file */
static bool write_file(const char *path, const void *data, size_t len)
{
	char tmp[4096];
	FILE *f;

	if (!fits(snprintf(tmp, sizeof(tmp), "%s.tmp", path), sizeof(tmp),
		  path))
		return false;
	f = fopen(tmp, "wb");
	if (!f || fwrite(data, 1, len, f) != len || fclose(f) ||
	    rename(tmp, path)) {
		fprintf(stderr, "hptfuzz-qemu: %s: %s\n", path,
			strerror(errno));
		return false;
	}
	return true;
}

static bool encode_to(struct prep *pp, const struct hpt_scenario *s,
		      const char *ext)
{
	char path[4096];
	size_t len = hpt_scn_encode(s, pp->buf, ENCODED_MAX);

	if (!fits(snprintf(path, sizeof(path), "%s/scenarios/%u.%s", pp->dir,
			   pp->n, ext), sizeof(path), pp->dir))
		return false;
	return write_file(path, pp->buf, len);
}

static bool prep_file(struct prep *pp, const char *path)
{
	const char *why = NULL;
	char err[256];
	u32 left_out;
	bool hv;

	if (hpt_load_scenario(path, pp->raw_words, pp->s, err, sizeof(err))) {
		fprintf(stderr, "hptfuzz-qemu: %s: %s\n", path, err);
		return false;
	}
	if (pp->max_order)
		hpt_scn_cap_orders(pp->s, pp->max_order);
	hv = hq_adapt(pp->s, &pp->adapt, pp->hv, pp->map, &left_out, &why);
	if (!encode_to(pp, pp->s, "core") ||
	    (hv && !encode_to(pp, pp->hv, "hv")))
		return false;
	fprintf(pp->index, "%u %u %u %d\n", pp->n, hv ? pp->hv->old_order : 0,
		hv ? pp->hv->new_order : 0, hv);
	fprintf(pp->manifest, "scenario %u %s\n", pp->n, path);
	if (!hv)
		fprintf(pp->manifest, "# %u: no hypervisor part: %s\n", pp->n,
			why);
	pp->nr_hv += hv;
	pp->n++;
	return true;
}

static FILE *open_tmp(const char *dir, const char *name, char *path,
		      size_t len)
{
	FILE *f;

	if (!fits(snprintf(path, len, "%s/%s.tmp", dir, name), len, dir))
		return NULL;
	f = fopen(path, "w");
	if (!f)
		fprintf(stderr, "hptfuzz-qemu: %s: %s\n", path,
			strerror(errno));
	return f;
}

static bool close_tmp(FILE *f, const char *tmp)
{
	char path[4096];

	snprintf(path, sizeof(path), "%.*s", (int)(strlen(tmp) - 4), tmp);
	if (fclose(f) || rename(tmp, path)) {
		fprintf(stderr, "hptfuzz-qemu: %s: %s\n", path,
			strerror(errno));
		return false;
	}
	return true;
}

int hq_prep(const char *dir, const struct hq_adapt *adapt, u32 max_order,
	    bool raw_words, char **inputs, int ninputs)
{
	struct prep pp = { .dir = dir, .adapt = *adapt,
			   .max_order = max_order, .raw_words = raw_words };
	char sdir[4096], mpath[4096], ipath[4096], **names;
	bool ok = true;
	struct stat st;
	size_t n, i;
	int k;

	if (!fits(snprintf(sdir, sizeof(sdir), "%s/scenarios", dir),
		  sizeof(sdir), dir))
		return 2;
	if ((mkdir(dir, 0777) && errno != EEXIST) ||
	    (mkdir(sdir, 0777) && errno != EEXIST)) {
		fprintf(stderr, "hptfuzz-qemu: %s: %s\n", sdir,
			strerror(errno));
		return 2;
	}
	pp.s = malloc(sizeof(*pp.s));
	pp.hv = malloc(sizeof(*pp.hv));
	pp.map = calloc(HPT_SCN_MAX_RECORDS, sizeof(*pp.map));
	pp.buf = malloc(ENCODED_MAX);
	pp.manifest = open_tmp(dir, "manifest", mpath, sizeof(mpath));
	pp.index = open_tmp(sdir, "index", ipath, sizeof(ipath));
	if (!pp.s || !pp.hv || !pp.map || !pp.buf || !pp.manifest ||
	    !pp.index)
		return 2;
	fprintf(pp.manifest, "%s\noption max-order %u\noption base-order %u\noption hv-max-order %u\noption vsid %s\noption avoid %s\n",
		HQ_MANIFEST_MAGIC, max_order, adapt->base_order,
		adapt->max_order, hq_vsid_policy_name(adapt->vsid),
		hq_avoid_name(adapt->avoid));

	for (k = 0; k < ninputs && ok; k++) {
		if (stat(inputs[k], &st) || !S_ISDIR(st.st_mode)) {
			ok = prep_file(&pp, inputs[k]);
			continue;
		}
		names = hpt_list_dir(inputs[k], &n);
		if (!names) {
			fprintf(stderr, "hptfuzz-qemu: %s: %s\n", inputs[k],
				strerror(errno));
			ok = false;
		}
		for (i = 0; ok && i < n; i++)
			ok = prep_file(&pp, names[i]);
		hpt_free_list(names);
	}
	ok = close_tmp(pp.index, ipath) && ok;
	ok = close_tmp(pp.manifest, mpath) && ok;
	if (ok)
		printf("hptfuzz-qemu: %u scenarios, %u with a hypervisor part, in %s\n",
		       pp.n, pp.nr_hv, dir);
	free(pp.s);
	free(pp.hv);
	free(pp.map);
	free(pp.buf);
	return ok ? 0 : 2;
}
