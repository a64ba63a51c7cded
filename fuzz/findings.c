// SPDX-License-Identifier: GPL-2.0-only
#include <ctype.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "findings.h"

const char *fuzz_findings_dir(void)
{
	static const char *dir;
	static bool read;

	if (!read) {
		dir = getenv("HPTFUZZ_FINDINGS");
		if (dir && !*dir)
			dir = NULL;
		read = true;
	}
	return dir;
}

static u64 fnv1a(u64 h, u8 c)
{
	return (h ^ c) * 0x100000001b3ULL;
}

/* Past a number: 0x and hex digits, or decimal digits */
static const char *skip_number(const char *p)
{
	if (p[0] == '0' && p[1] == 'x') {
		for (p += 2; isxdigit((unsigned char)*p); p++)
			;
		return p;
	}
	while (isdigit((unsigned char)*p))
		p++;
	return p;
}

/*
 * Indices, orders and words vary between inputs that show the same
 * fault, so a number starting a word is left out; the words around it
 * (kinds, names, layouts) make the finding.
 */
u64 fuzz_signature_add(u64 h, const char *text)
{
	const char *p;

	for (p = text; *p;) {
		if (isdigit((unsigned char)*p) &&
		    (p == text || !isalnum((unsigned char)p[-1]))) {
			p = skip_number(p);
			continue;
		}
		h = fnv1a(h, *p++);
	}
	return fnv1a(h, 0xff);
}

static void write_file(const char *path, const void *data, size_t size)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);

	if (fd < 0)
		return;		/* already recorded, by us or another worker */
	if (write(fd, data, size) != (ssize_t)size)
		fprintf(stderr, "%s: short write\n", path);
	close(fd);
}

void fuzz_record(const char *impl, const char *what, u64 sig,
		 const char *summary, const char *report, size_t len,
		 u32 max_order, const u8 *data, size_t size)
{
	char path[4096], tmp[4096 + 16], cap[16];
	int n;

	snprintf(path, sizeof(path), "%s/%s-%s-%016llx", fuzz_findings_dir(),
		 impl, what, (unsigned long long)sig);
	if (!access(path, F_OK))
		return;
	snprintf(tmp, sizeof(tmp), "%s.txt", path);
	write_file(tmp, report, len);
	if (max_order) {
		snprintf(tmp, sizeof(tmp), "%s.max-order", path);
		n = snprintf(cap, sizeof(cap), "%u\n", max_order);
		write_file(tmp, cap, n);
	}
	write_file(path, data, size);
	fprintf(stderr, "hptfuzz: new divergence of %s recorded: %s\n  %s\n",
		impl, path, summary);
}
