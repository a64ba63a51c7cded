// SPDX-License-Identifier: GPL-2.0-only
/*
 * Two 64-bit words, expected and actual, printed one above the other with
 * a ^ under each differing hex digit and the names of the fields whose
 * bits differ, in the table's own layout.
 */
#include <string.h>

#include "harness_internal.h"

struct field {
	u64 mask;
	const char *name;
};

#define V_LOW_FLAGS							\
	{ HPT_V_HVLOCK, "HVLOCK" }, { HPT_V_ABSENT, "ABSENT" },		\
	{ HPT_V_BOLTED, "BOLTED" }, { HPT_V_LOCK, "LOCK" },		\
	{ HPT_V_LARGE, "L" }, { HPT_V_SECONDARY, "H" },			\
	{ HPT_V_VALID, "VALID" }, { 0, NULL }

static const struct field v_pre300[] = {
	{ 3ULL << HPT_V_SSIZE_SHIFT, "B" }, { HPT_V_AVPN, "AVPN" },
	V_LOW_FLAGS
};

static const struct field v_isa300[] = {
	{ ~HPT_V_COMMON_BITS, "reserved(3.0)" }, { HPT_V_3_0_AVPN, "AVPN" },
	V_LOW_FLAGS
};

/* LP shares R bits 12..19 with the low RPN bits */
#define R_LOW_FIELDS							\
	{ 0xff000ULL, "RPN/LP" }, { HPT_R_KEY_LO, "KEY" },		\
	{ HPT_R_R, "R" }, { HPT_R_C, "C" }, { HPT_R_WIMG, "WIMG" },	\
	{ HPT_R_N, "N" }, { HPT_R_PP, "PP" }, { 0, NULL }

static const struct field r_pre300[] = {
	{ HPT_R_PP0, "PP0" }, { 1ULL << 62, "reserved" },
	{ HPT_R_KEY_HI, "KEY" }, { 0x0ffffffffff00000ULL, "RPN" },
	R_LOW_FIELDS
};

static const struct field r_isa300[] = {
	{ HPT_R_PP0, "PP0" }, { 1ULL << 62, "reserved" },
	{ HPT_R_KEY_HI, "KEY" }, { HPT_R_3_0_SSIZE_MASK, "B" },
	{ 0x03fffffffff00000ULL, "RPN" }, R_LOW_FIELDS
};

static const struct field guest_r[] = {
	{ HPT_R_PP0, "PP0" }, { HPT_GR_MODIFIED, "MODIFIED" },
	{ HPT_R_KEY_HI, "KEY" }, { 0x0ffffffffff00000ULL, "RPN" },
	R_LOW_FIELDS
};

static const struct field rmap[] = {
	{ ~(HPT_RMAP_LOCK | HPT_RMAP_CHANGED | HPT_RMAP_REFERENCED |
	    HPT_RMAP_PRESENT | HPT_RMAP_INDEX), "other" },
	{ HPT_RMAP_LOCK, "LOCK" }, { HPT_RMAP_REFERENCED, "R" },
	{ HPT_RMAP_CHANGED, "C" }, { HPT_RMAP_PRESENT, "PRESENT" },
	{ HPT_RMAP_INDEX, "INDEX" }, { 0, NULL }
};

static const struct field *fields(enum word_kind kind, bool isa300)
{
	switch (kind) {
	case WORD_V:
		return isa300 ? v_isa300 : v_pre300;
	case WORD_R:
		return isa300 ? r_isa300 : r_pre300;
	case WORD_GUEST_R:
		return guest_r;
	default:
		return rmap;
	}
}

size_t word_field_names(enum word_kind kind, bool isa300, u64 diff,
			const char **names, size_t max)
{
	const struct field *fs = fields(kind, isa300), *f, *g;
	size_t n = 0;

	for (f = fs; f->name && n < max; f++) {
		if (!(diff & f->mask))
			continue;
		/* KEY has two parts: name it once */
		for (g = fs; g != f; g++)
			if ((diff & g->mask) && !strcmp(g->name, f->name))
				break;
		if (g == f)
			names[n++] = f->name;
	}
	return n;
}

static void report_names(struct hpt_report *rep, enum word_kind kind,
			 bool isa300, u64 diff)
{
	const char *names[WORD_MAX_FIELDS];
	size_t i, n = word_field_names(kind, isa300, diff, names,
				       WORD_MAX_FIELDS);

	for (i = 0; i < n; i++)
		report_printf(rep, " %s", names[i]);
}

void report_word(struct hpt_report *rep, const char *label,
		 enum word_kind kind, bool isa300, u64 expected, u64 actual)
{
	u64 diff = expected ^ actual;
	char marks[17];
	int i;

	if (!diff) {
		report_printf(rep, "    %-8s 0x%016llx (same)\n", label,
			      (unsigned long long)expected);
		return;
	}
	for (i = 0; i < 16; i++)
		marks[i] = (diff >> (60 - 4 * i)) & 0xf ? '^' : ' ';
	for (i = 16; i > 0 && marks[i - 1] == ' '; i--)
		;
	marks[i] = '\0';
	report_printf(rep, "    %-8s 0x%016llx expected\n", label,
		      (unsigned long long)expected);
	report_printf(rep, "    %-8s 0x%016llx actual\n", "",
		      (unsigned long long)actual);
	report_printf(rep, "    %-8s   %s\n", "", marks);
	report_printf(rep, "    %-8s differs:", "");
	report_names(rep, kind, isa300, diff);
	report_printf(rep, " (xor 0x%llx)\n", (unsigned long long)diff);
}
