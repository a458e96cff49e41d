/* Seeded random numbers: xoshiro256** streams initialised by splitmix64.
 * Each patient has its own stream (seed, patient number), so a patient's
 * rows do not depend on how many patients come before it. */
#include "synth/synth_int.h"

uint64_t sy_mix64(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

void sy_rng_seed(struct rng *r, uint64_t seed, uint64_t stream)
{
	uint64_t x = sy_mix64(seed) ^ sy_mix64(stream * 0x632be59bd9b4e019ULL + 0x2545f4914f6cdd1dULL);
	for (int i = 0; i < 4; i++) {
		x = sy_mix64(x);
		r->s[i] = x;
	}
	if (!(r->s[0] | r->s[1] | r->s[2] | r->s[3]))
		r->s[0] = 1;
}

static inline uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

uint64_t sy_rng_next(struct rng *r)
{
	uint64_t *s = r->s;
	uint64_t res = rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return res;
}

/* Multiply-shift: the bias for n < 2^20 is below 2^-12 and, more to the
 * point, the same on every machine. */
uint32_t sy_rng_below(struct rng *r, uint32_t n)
{
	return (uint32_t)(((sy_rng_next(r) >> 32) * (uint64_t)n) >> 32);
}

int32_t sy_rng_range(struct rng *r, int32_t lo, int32_t hi)
{
	if (hi <= lo)
		return lo;
	return lo + (int32_t)sy_rng_below(r, (uint32_t)(hi - lo) + 1u);
}

int sy_rng_ppm(struct rng *r, uint32_t ppm)
{
	return sy_rng_below(r, 1000000u) < ppm;
}

int sy_rng_pick(struct rng *r, const uint16_t *w, int n)
{
	uint32_t tot = 0;
	for (int i = 0; i < n; i++)
		tot += w[i];
	if (!tot)
		return 0;
	uint32_t x = sy_rng_below(r, tot);
	for (int i = 0; i < n; i++) {
		if (x < w[i])
			return i;
		x -= w[i];
	}
	return n - 1;
}

/* A version-4 shaped UUID. */
static uid shape(uint64_t a, uint64_t b)
{
	uid u;
	u.hi = (a & 0xffffffffffff0fffULL) | 0x0000000000004000ULL;
	u.lo = (b & 0x3fffffffffffffffULL) | 0x8000000000000000ULL;
	return u;
}

uid sy_rng_uid(struct rng *r)
{
	uint64_t a = sy_rng_next(r);
	return shape(a, sy_rng_next(r));
}

uid sy_hash_uid(uint64_t seed, uint64_t tag, uint64_t idx)
{
	uint64_t a = sy_mix64(sy_mix64(seed ^ 0x5851f42d4c957f2dULL) ^ sy_mix64(tag) ^ (idx * 0xd1342543de82ef95ULL));
	return shape(a, sy_mix64(a ^ 0xa0761d6478bd642fULL));
}
