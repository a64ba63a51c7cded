// SPDX-License-Identifier: GPL-2.0-only
/*
 * Scenario files as the host tools take them: whole files, text or
 * binary, and directories standing for the files in them.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "hpt/harness.h"
#include "hpt/scenario_text.h"

u8 *hpt_read_file(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	size_t cap = 4096, n;
	u8 *buf, *more;

	if (!f)
		return NULL;
	buf = malloc(cap);
	*size = 0;
	while (buf) {
		n = fread(buf + *size, 1, cap - *size, f);
		*size += n;
		if (*size < cap)
			break;
		more = realloc(buf, cap * 2);
		if (!more) {
			free(buf);
			buf = NULL;
			errno = ENOMEM;
			break;
		}
		buf = more;
		cap *= 2;
	}
	if (buf && ferror(f)) {
		free(buf);
		buf = NULL;
		errno = EIO;
	}
	fclose(f);
	return buf;
}

/* Named like text: a person wrote it, so it must parse as text */
static bool hpt_named_as_text(const char *path)
{
	size_t n = strlen(path), k = strlen(HPT_SCN_TEXT_SUFFIX);

	return n >= k && !strcmp(path + n - k, HPT_SCN_TEXT_SUFFIX);
}

const char *hpt_load_scenario(const char *path, bool raw_words,
			      struct hpt_scenario *s, char *err,
			      size_t errlen)
{
	const char *bad = NULL;
	size_t size;
	u8 *data = hpt_read_file(path, &size);

	if (!data) {
		snprintf(err, errlen, "%s", strerror(errno));
		return err;
	}
	if (hpt_scn_is_text(data, size) || hpt_named_as_text(path))
		bad = hpt_scn_parse_text(s, (const char *)data, size, err,
					 errlen);
	else if (raw_words)
		hpt_scn_from_raw_words(s, data, size);
	else
		hpt_scn_decode(s, data, size);
	free(data);
	return bad;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

char **hpt_list_dir(const char *dir, size_t *n)
{
	char **names = NULL, **more;
	size_t cap = 0, i, kept = 0;
	struct dirent *de;
	struct stat st;
	DIR *d = opendir(dir);

	*n = 0;
	if (!d)
		return NULL;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		if (*n + 1 >= cap) {
			cap = cap ? 2 * cap : 64;
			more = realloc(names, cap * sizeof(*names));
			if (!more)
				break;
			names = more;
		}
		names[*n] = malloc(strlen(dir) + strlen(de->d_name) + 2);
		if (!names[*n])
			break;
		sprintf(names[(*n)++], "%s/%s", dir, de->d_name);
	}
	closedir(d);
	if (!names) {
		names = calloc(1, sizeof(*names));
		if (!names)
			errno = ENOMEM;
		return names;
	}
	for (i = 0; i < *n; i++) {
		if (!stat(names[i], &st) && S_ISREG(st.st_mode))
			names[kept++] = names[i];
		else
			free(names[i]);
	}
	*n = kept;
	qsort(names, kept, sizeof(*names), by_name);
	names[kept] = NULL;
	return names;
}

void hpt_free_list(char **names)
{
	size_t i;

	for (i = 0; names && names[i]; i++)
		free(names[i]);
	free(names);
}
