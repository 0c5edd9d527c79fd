/*
 * base/password.h - the console's password hashes: Argon2id through
 * libsodium's crypto_pwhash_str, in its own encoded form
 * ("$argon2id$v=19$m=65536,t=2,p=1$salt$hash"), which carries its salt
 * and cost, so a hash made with other costs still verifies.
 *
 * The cost is libsodium's INTERACTIVE (2 passes over 64 MiB): about 80
 * to 100 ms and 64 MiB per hash or check on the machines this runs on
 * (bench/pwhash, docs/CONSOLE.md); MODERATE (3 passes, 256 MiB) took
 * 750 ms, too long for a login that people wait for and too much memory
 * for two at once.  Both calls block for that long: leerkansctl calls
 * them directly, leerkansd only on its worker threads (base/worker.h).
 */
#ifndef LEERKANS_PASSWORD_H
#define LEERKANS_PASSWORD_H

#include <stdbool.h>

/* Room for a hash and its NUL (crypto_pwhash_STRBYTES). */
#define PASSWORD_HASH_SIZE	128

/*
 * Sets libsodium up and makes the dummy hash (a hash of random bytes,
 * with today's cost): checking a login for an account that does not
 * exist against it costs what a wrong password costs.  Once, before
 * any other call and before any thread starts.
 */
bool	password_init(void) __attribute__((warn_unused_result));
/* The dummy hash password_init made; it matches no password. */
const char *password_dummy(void);

/* Hashes pw (ACCOUNT_PASSWORD_MAX bytes at most) into out. */
bool	password_hash(const char *pw, char out[PASSWORD_HASH_SIZE])
	    __attribute__((warn_unused_result));
/* Does pw match hash?  False for any hash that is not one. */
bool	password_verify(const char *hash, const char *pw)
	    __attribute__((warn_unused_result));
/* Was hash made with another cost than today's (or is no hash)? */
bool	password_needs_rehash(const char *hash);
/* Could s be a hash password_hash made (its form, not its truth)? */
bool	password_hash_wellformed(const char *s);

#endif
