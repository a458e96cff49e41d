/* String interning: every distinct string gets a dense 32-bit id.
 * Id 0 is the empty string, which tables use as "null". */
#ifndef MM_STRPOOL_H
#define MM_STRPOOL_H
#include <stddef.h>
#include <stdint.h>
#include "util/arena.h"

typedef struct strpool {
	arena mem;
	const char **strs; /* id -> string */
	uint32_t *lens;
	uint32_t n, cap;
	uint64_t *slots;   /* open addressing: hash tag << 32 | id+1; 0 = empty */
	size_t nslots;     /* a power of two, at most 2^32: the tag picks the slot */
	int slots_mapped;  /* slots came from mmap (huge pages), not malloc */
} strpool;

void sp_init(strpool *sp);
void sp_free(strpool *sp);
uint32_t sp_intern(strpool *sp, const char *s, size_t len);
uint32_t sp_intern_cstr(strpool *sp, const char *s);
/* The hash sp_intern places s by. Pure: another thread may compute it
 * ahead, for sp_intern_hashed (h must be sp_hash_bytes(s, len)); the ids
 * are the same as sp_intern's. */
uint64_t sp_hash_bytes(const char *s, size_t len);
uint32_t sp_intern_hashed(strpool *sp, const char *s, size_t len, uint64_t h);
/* Starts loading the slot where a string of hash h is looked for first: a
 * caller that knows the hashes of the strings it will intern next hides
 * the cache miss of each probe behind the work before it. */
static inline void sp_prefetch(const strpool *sp, uint64_t h)
{
	__builtin_prefetch(&sp->slots[(size_t)(h >> 32) & (sp->nslots - 1)]);
}
/* Id of s if interned, else UINT32_MAX. */
uint32_t sp_find(const strpool *sp, const char *s, size_t len);
static inline const char *sp_str(const strpool *sp, uint32_t id) { return sp->strs[id]; }
static inline uint32_t sp_len(const strpool *sp, uint32_t id) { return sp->lens[id]; }
uint64_t mm_hash(const void *p, size_t n);

#endif
