/*
 * util.h - small things both programs need.
 */
#ifndef LEERKANS_UTIL_H
#define LEERKANS_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TOKEN_LEN	43	/* 256 random bits in base64url, no padding */

/* A new secret token: TOKEN_LEN characters and a NUL. */
bool	token_new(char out[TOKEN_LEN + 1]) __attribute__((warn_unused_result));
/*
 * A token derived from another (its key) for one purpose: keyed
 * BLAKE2b-256 of purpose, in the same form.  Whoever holds the key can
 * make it again; it tells nothing of the key.  A console session's
 * forms carry the token derived from the session's for "csrf".
 */
bool	token_derive(const char *key, const char *purpose,
	    char out[TOKEN_LEN + 1]) __attribute__((warn_unused_result));
/* Could s be a token made by token_new? */
bool	token_wellformed(const char *s);
/* The value of a hexadecimal digit, or -1. */
int	hex_digit(char c);
/* 64-bit FNV-1a of s, mixed with a seed. */
uint64_t hash_str(const char *s, uint64_t seed);
/* The same over len bytes. */
uint64_t hash_mem(const void *p, size_t len, uint64_t seed);
/*
 * Appends n bytes of s to the text in buf (size bytes, off of them used)
 * and returns the new length: what does not fit is dropped, the text
 * stays NUL-terminated.  The request path builds its log lines with
 * these instead of snprintf, which costs more than the rest of the line.
 */
size_t	str_put(char *buf, size_t size, size_t off, const char *s, size_t n);
/* The same with v in decimal. */
size_t	str_put_uint(char *buf, size_t size, size_t off, unsigned long long v);
/*
 * s percent-encoded for a URL's query (RFC 3986: every byte but the
 * unreserved A-Z a-z 0-9 - . _ ~), into out; false, with out empty,
 * when it does not fit.
 */
bool	url_encode(const char *s, char *out, size_t outlen);

#endif
