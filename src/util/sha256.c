/* SHA-256 as FIPS 180-4 defines it: 64-byte blocks, a message schedule of
 * 64 words, eight working variables, big-endian lengths and words. */
#include "util/sha256.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#if defined(__GNUC__) && defined(__x86_64__)
#include <cpuid.h>
#include <immintrin.h>
#define MM_SHA_NI 1
#endif

/* The first 32 bits of the fractional parts of the cube roots of the
 * first 64 primes. */
static const uint32_t K[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
	0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
	0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
	0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
	0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
	0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static inline uint32_t rotr(uint32_t x, int n)
{
	return (x >> n) | (x << (32 - n));
}

static void block(uint32_t h[8], const unsigned char *p)
{
	uint32_t w[64];
	for (int i = 0; i < 16; i++)
		w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 | (uint32_t)p[4 * i + 2] << 8 |
		       (uint32_t)p[4 * i + 3];
	for (int i = 16; i < 64; i++) {
		uint32_t s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
		uint32_t s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
		w[i] = w[i - 16] + s0 + w[i - 7] + s1;
	}
	uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], k = h[7];
	for (int i = 0; i < 64; i++) {
		uint32_t t1 = k + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i];
		uint32_t t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
		k = g;
		g = f;
		f = e;
		e = d + t1;
		d = c;
		c = b;
		b = a;
		a = t1 + t2;
	}
	h[0] += a, h[1] += b, h[2] += c, h[3] += d, h[4] += e, h[5] += f, h[6] += g, h[7] += k;
}

#ifdef MM_SHA_NI
/* The same compression with the processor's SHA instructions, four rounds
 * per group: hashing the input files for the packs' provenance is about
 * ten times faster than with block(), and the digest is the same. The
 * state is held as ABEF and CDGH, the order the instructions use. */
__attribute__((target("sha,sse4.1,ssse3"))) static void blocks_ni(uint32_t h[8], const unsigned char *p,
								   size_t nblk)
{
	const __m128i bswap = _mm_set_epi64x(0x0c0d0e0f08090a0bLL, 0x0405060700010203LL);
	__m128i t = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)&h[0]), 0xB1);
	__m128i s1 = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)&h[4]), 0x1B);
	__m128i s0 = _mm_alignr_epi8(t, s1, 8);
	s1 = _mm_blend_epi16(s1, t, 0xF0);
	for (; nblk--; p += 64) {
		__m128i save0 = s0, save1 = s1, m[4];
		for (int i = 0; i < 16; i++) {
			__m128i *w = &m[i & 3];
			if (i < 4)
				*w = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(p + 16 * i)), bswap);
			else
				/* W[t] = W[t-16] + s0(W[t-15]) + W[t-7] + s1(W[t-2]). */
				*w = _mm_sha256msg2_epu32(
					_mm_add_epi32(_mm_sha256msg1_epu32(*w, m[(i + 1) & 3]),
						      _mm_alignr_epi8(m[(i + 3) & 3], m[(i + 2) & 3], 4)),
					m[(i + 3) & 3]);
			__m128i k = _mm_add_epi32(*w, _mm_loadu_si128((const __m128i *)&K[4 * i]));
			s1 = _mm_sha256rnds2_epu32(s1, s0, k);
			s0 = _mm_sha256rnds2_epu32(s0, s1, _mm_shuffle_epi32(k, 0x0E));
		}
		s0 = _mm_add_epi32(s0, save0);
		s1 = _mm_add_epi32(s1, save1);
	}
	t = _mm_shuffle_epi32(s0, 0x1B);
	s1 = _mm_shuffle_epi32(s1, 0xB1);
	_mm_storeu_si128((__m128i *)&h[0], _mm_blend_epi16(t, s1, 0xF0));
	_mm_storeu_si128((__m128i *)&h[4], _mm_alignr_epi8(s1, t, 8));
}

/* Whether the processor has the SHA extensions and the SSE it needs. */
static int have_sha_ni(void)
{
	static int known = -1;
	if (known < 0) {
		unsigned a, b, c, d;
		known = __get_cpuid(1, &a, &b, &c, &d) && (c & bit_SSSE3) && (c & bit_SSE4_1) &&
			__get_cpuid_count(7, 0, &a, &b, &c, &d) && (b & bit_SHA);
	}
	return known;
}
#endif

int sha256_portable = 0;

/* nblk whole blocks, with the SHA instructions when there are any. */
static void blocks(uint32_t h[8], const unsigned char *p, size_t nblk)
{
#ifdef MM_SHA_NI
	if (!sha256_portable && have_sha_ni()) {
		blocks_ni(h, p, nblk);
		return;
	}
#endif
	for (; nblk--; p += 64)
		block(h, p);
}

void sha256_init(sha256 *s)
{
	/* The first 32 bits of the fractional parts of the square roots of
	 * the first 8 primes. */
	static const uint32_t h0[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
				       0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
	memcpy(s->h, h0, sizeof h0);
	s->len = 0;
	s->n = 0;
}

void sha256_update(sha256 *s, const void *data, size_t n)
{
	const unsigned char *p = data;
	s->len += n;
	if (s->n) {
		size_t take = 64 - s->n < n ? 64 - s->n : n;
		memcpy(s->blk + s->n, p, take);
		s->n += take, p += take, n -= take;
		if (s->n < 64)
			return;
		blocks(s->h, s->blk, 1);
		s->n = 0;
	}
	blocks(s->h, p, n / 64);
	p += n / 64 * 64, n %= 64;
	memcpy(s->blk, p, n);
	s->n = n;
}

void sha256_final(sha256 *s, unsigned char out[32])
{
	uint64_t bits = s->len * 8;
	/* A 1 bit, zeros up to 56 bytes into a block, the length in bits. */
	s->blk[s->n++] = 0x80;
	if (s->n > 56) {
		memset(s->blk + s->n, 0, 64 - s->n);
		blocks(s->h, s->blk, 1);
		s->n = 0;
	}
	memset(s->blk + s->n, 0, 56 - s->n);
	for (int i = 0; i < 8; i++)
		s->blk[56 + i] = (unsigned char)(bits >> (56 - 8 * i));
	blocks(s->h, s->blk, 1);
	for (int i = 0; i < 8; i++)
		for (int j = 0; j < 4; j++)
			out[4 * i + j] = (unsigned char)(s->h[i] >> (24 - 8 * j));
}

void sha256_hex(const unsigned char d[32], char out[65])
{
	static const char hex[] = "0123456789abcdef";
	for (int i = 0; i < 32; i++) {
		out[2 * i] = hex[d[i] >> 4];
		out[2 * i + 1] = hex[d[i] & 15];
	}
	out[64] = '\0';
}

int sha256_file(const char *path, char out[65])
{
	out[0] = '\0';
	FILE *f = fopen(path, "rb");
	if (!f)
		return -1;
	sha256 s;
	sha256_init(&s);
	enum { N = 1 << 16 };
	unsigned char *b = malloc(N);
	size_t n;
	while (b && (n = fread(b, 1, N, f)) > 0)
		sha256_update(&s, b, n);
	int bad = !b || ferror(f);
	free(b);
	fclose(f);
	if (bad)
		return -1;
	unsigned char d[32];
	sha256_final(&s, d);
	sha256_hex(d, out);
	return 0;
}
