/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A few assertion macros and a case runner: each test program holds named
 * cases; ctest runs them one by one ("prog case"), "prog --list" names
 * them, and "prog" alone runs them all.
 */
#ifndef HPT_CHECK_H
#define HPT_CHECK_H

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#define CHECK(cond)                                                        \
	do {                                                               \
		if (!(cond)) {                                             \
			fprintf(stderr, "%s:%d: check failed: %s\n",       \
				__FILE__, __LINE__, #cond);                \
			return 1;                                          \
		}                                                          \
	} while (0)

#define CHECK_EQ(a, b)                                                     \
	do {                                                               \
		unsigned long long a_ = (unsigned long long)(a);           \
		unsigned long long b_ = (unsigned long long)(b);           \
		if (a_ != b_) {                                            \
			fprintf(stderr,                                    \
				"%s:%d: %s == %s failed: 0x%llx != 0x%llx\n", \
				__FILE__, __LINE__, #a, #b, a_, b_);       \
			return 1;                                          \
		}                                                          \
	} while (0)

struct test_case {
	const char *name;
	int (*fn)(void);
};

#define TEST_CASE(fn) { #fn, fn }
#define TEST_COUNT(cases) (sizeof(cases) / sizeof((cases)[0]))

static inline int test_main(int argc, char **argv,
			    const struct test_case *cases, size_t n)
{
	int failed = 0;
	size_t i;

	if (argc > 1 && !strcmp(argv[1], "--list")) {
		for (i = 0; i < n; i++)
			printf("%s\n", cases[i].name);
		return 0;
	}
	for (i = 0; i < n; i++) {
		if (argc > 1 && strcmp(argv[1], cases[i].name))
			continue;
		if (cases[i].fn()) {
			fprintf(stderr, "FAIL %s\n", cases[i].name);
			failed++;
		}
		if (argc > 1)
			return failed;
	}
	if (argc > 1) {
		fprintf(stderr, "no test case named %s\n", argv[1]);
		return 2;
	}
	printf("%zu passed, %d failed\n", n - failed, failed);
	return failed != 0;
}

#define TEST_MAIN(cases)                                                   \
	int main(int argc, char **argv)                                    \
	{                                                                  \
		return test_main(argc, argv, cases, TEST_COUNT(cases));    \
	}

#endif /* HPT_CHECK_H */
