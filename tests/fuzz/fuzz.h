/* SPDX-License-Identifier: GPL-2.0 */
/* What the libFuzzer harnesses of tests/fuzz/ share. */
#ifndef NT_FUZZ_H
#define NT_FUZZ_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Output goes here: formatting is exercised, nothing is kept. */
static inline FILE *fuzz_sink(void)
{
	static FILE *f;

	if (!f)
		f = fopen("/dev/null", "w");
	if (!f)
		abort();
	return f;
}

/* The input as a C string in a heap block of exactly size + 1 bytes (freed by the caller). */
static inline char *fuzz_cstr(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (!s)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

/* Takes the input's first byte (a harness's selector) into *b; false if the input is empty. */
static inline bool fuzz_take_byte(const uint8_t **data, size_t *size, uint8_t *b)
{
	if (!*size)
		return false;
	*b = **data;
	(*data)++;
	(*size)--;
	return true;
}

/* Fails the run (libFuzzer saves the input) when a promise of the code is broken. */
#define fuzz_check(cond)                                                                         \
	do {                                                                                     \
		if (!(cond)) {                                                                   \
			fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
			abort();                                                                 \
		}                                                                                \
	} while (0)

#endif
