/*
 * util.c - secret tokens, a string hash, bounded string building.
 */
#include "autoconf.h"

#include <sys/random.h>

#include <string.h>

#include <sodium.h>

#include "base/util.h"

static const char b64url[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/* 32 bytes as a token: base64url without padding. */
static void
token_encode(const unsigned char raw[32], char out[TOKEN_LEN + 1])
{
	size_t i, o = 0;
	unsigned v = 0;
	int bits = 0;

	for (i = 0; i < 32; i++) {
		v = (v << 8) | raw[i];
		bits += 8;
		while (bits >= 6) {
			bits -= 6;
			out[o++] = b64url[(v >> bits) & 0x3f];
		}
	}
	out[o++] = b64url[(v << (6 - bits)) & 0x3f];
	out[o] = '\0';
}

bool
token_new(char out[TOKEN_LEN + 1])
{
	unsigned char raw[32];

	if (getrandom(raw, sizeof(raw), 0) != (ssize_t)sizeof(raw))
		return false;
	token_encode(raw, out);
	explicit_bzero(raw, sizeof(raw));
	return true;
}

bool
token_derive(const char *key, const char *purpose, char out[TOKEN_LEN + 1])
{
	unsigned char raw[32];

	if (!token_wellformed(key) ||
	    crypto_generichash(raw, sizeof(raw), (const unsigned char *)purpose,
	    strlen(purpose), (const unsigned char *)key, TOKEN_LEN) != 0)
		return false;
	token_encode(raw, out);
	sodium_memzero(raw, sizeof(raw));
	return true;
}

bool
token_wellformed(const char *s)
{
	return strlen(s) == TOKEN_LEN && strspn(s, b64url) == TOKEN_LEN;
}

uint64_t
hash_mem(const void *p, size_t len, uint64_t seed)
{
	const unsigned char *b = p;
	uint64_t h = 0xcbf29ce484222325ULL ^ seed;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= b[i];
		h *= 0x100000001b3ULL;
	}
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	return h;
}

int
hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

uint64_t
hash_str(const char *s, uint64_t seed)
{
	return hash_mem(s, strlen(s), seed);
}

size_t
str_put(char *buf, size_t size, size_t off, const char *s, size_t n)
{
	if (size == 0)
		return 0;
	if (off >= size)
		off = size - 1;
	if (n > size - 1 - off)
		n = size - 1 - off;
	memcpy(buf + off, s, n);
	buf[off + n] = '\0';
	return off + n;
}

size_t
str_put_uint(char *buf, size_t size, size_t off, unsigned long long v)
{
	char digits[24];
	size_t i = sizeof(digits);

	do {
		digits[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v > 0);
	return str_put(buf, size, off, digits + i, sizeof(digits) - i);
}

bool
url_encode(const char *s, char *out, size_t outlen)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p = (const unsigned char *)s;
	size_t o = 0;

	if (outlen == 0)
		return false;
	for (; *p != '\0'; p++) {
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '.' ||
		    *p == '_' || *p == '~') {
			if (o + 1 >= outlen)
				goto full;
			out[o++] = (char)*p;
			continue;
		}
		if (o + 3 >= outlen)
			goto full;
		out[o++] = '%';
		out[o++] = hex[*p >> 4];
		out[o++] = hex[*p & 0x0f];
	}
	out[o] = '\0';
	return true;
full:
	out[0] = '\0';
	return false;
}
