/*
 * base/password.c - Argon2id password hashes with libsodium; see
 * password.h.
 */
#include "autoconf.h"

#include <string.h>

#include <sodium.h>

#include "base/password.h"

#define OPSLIMIT	crypto_pwhash_OPSLIMIT_INTERACTIVE
#define MEMLIMIT	crypto_pwhash_MEMLIMIT_INTERACTIVE
#define PREFIX		"$argon2id$"

/* the build's room must hold libsodium's strings */
typedef char password_size_check[PASSWORD_HASH_SIZE >=
    crypto_pwhash_STRBYTES ? 1 : -1];

static char dummy[PASSWORD_HASH_SIZE];

bool
password_init(void)
{
	unsigned char random[32];
	char pw[2 * sizeof(random) + 1];
	bool ok;

	if (dummy[0] != '\0')
		return true;
	if (sodium_init() < 0)
		return false;
	randombytes_buf(random, sizeof(random));
	sodium_bin2hex(pw, sizeof(pw), random, sizeof(random));
	ok = password_hash(pw, dummy);
	sodium_memzero(random, sizeof(random));
	sodium_memzero(pw, sizeof(pw));
	return ok;
}

const char *
password_dummy(void)
{
	return dummy;
}

bool
password_hash(const char *pw, char out[PASSWORD_HASH_SIZE])
{
	if (crypto_pwhash_str(out, pw, strlen(pw), OPSLIMIT, MEMLIMIT) != 0) {
		out[0] = '\0';
		return false;	/* out of memory */
	}
	return true;
}

bool
password_hash_wellformed(const char *s)
{
	return s != NULL && strncmp(s, PREFIX, strlen(PREFIX)) == 0 &&
	    strnlen(s, PASSWORD_HASH_SIZE) < crypto_pwhash_STRBYTES;
}

bool
password_verify(const char *hash, const char *pw)
{
	if (!password_hash_wellformed(hash))
		return false;
	return crypto_pwhash_str_verify(hash, pw, strlen(pw)) == 0;
}

bool
password_needs_rehash(const char *hash)
{
	if (!password_hash_wellformed(hash))
		return true;
	return crypto_pwhash_str_needs_rehash(hash, OPSLIMIT, MEMLIMIT) != 0;
}
