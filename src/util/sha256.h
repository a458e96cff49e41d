/* SHA-256 (FIPS 180-4), for the provenance of a run: the hash of every
 * input file and of the rules file, printed on the packs' cover sheets so
 * that a reader can check which data a figure came from. */
#ifndef MM_SHA256_H
#define MM_SHA256_H
#include <stddef.h>
#include <stdint.h>

typedef struct sha256 {
	uint32_t h[8];
	uint64_t len;          /* bytes hashed so far */
	unsigned char blk[64]; /* a partial block */
	size_t n;              /* bytes in blk */
} sha256;

void sha256_init(sha256 *s);
void sha256_update(sha256 *s, const void *data, size_t n);
/* Finishes s and writes the 32-byte digest. */
void sha256_final(sha256 *s, unsigned char out[32]);
/* The digest as 64 lowercase hex digits and a NUL. */
void sha256_hex(const unsigned char d[32], char out[65]);
/* The hex digest of a file's bytes into out; returns 0, or -1 (out "")
 * when it cannot be read. */
int sha256_file(const char *path, char out[65]);
/* Nonzero: the portable code even where the processor has SHA
 * instructions, so that tests can compare the two. */
extern int sha256_portable;

#endif
