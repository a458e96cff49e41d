/* Hash index from a 64-bit key (usually an interned string id) to a row
 * number. Open addressing, linear probing; one value per key. */
#ifndef MM_HMAP_H
#define MM_HMAP_H
#include <stddef.h>
#include <stdint.h>

typedef struct hmap {
	uint64_t *keys;
	uint32_t *vals; /* UINT32_MAX = empty slot */
	size_t n, cap;
} hmap;

#define HMAP_NONE UINT32_MAX

void hmap_init(hmap *m, size_t expect);
void hmap_free(hmap *m);
/* Sets key -> val. Returns the previous value or HMAP_NONE. */
uint32_t hmap_put(hmap *m, uint64_t key, uint32_t val);
uint32_t hmap_get(const hmap *m, uint64_t key);

#endif
