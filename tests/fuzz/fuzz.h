/*
 * fuzz.h - what the libFuzzer targets share.
 *
 * FUZZ_CHECK is an assert that stays on whatever NDEBUG says: a broken
 * promise aborts, and libFuzzer keeps the input that broke it.
 */
#ifndef LEERKANS_FUZZ_H
#define LEERKANS_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FUZZ_CHECK(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "%s:%d: broken promise: %s\n",		\
		    __FILE__, __LINE__, #cond);				\
		abort();						\
	}								\
} while (0)

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* The input as a C string: a copy, cut at its first NUL. */
static inline char *
fuzz_string(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	FUZZ_CHECK(s != NULL);
	if (size > 0)
		memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

#endif
