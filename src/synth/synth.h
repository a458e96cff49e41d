#ifndef MM_SYNTH_H
#define MM_SYNTH_H
#include <stdint.h>
struct synth_opts {
	long patients;      /* people with at least one pathway in the span */
	uint64_t seed;
	int months;         /* span length, default 24 */
	int end_y, end_m, end_d; /* last day of the span, default 2025-09-30 */
	const char *out;    /* output folder, created if absent */
	int quiet;          /* no progress on stderr */
};
/* Writes all tables into o->out. Returns 0, or 2 after printing
 * "medimart: <path>: error: <message>" on stderr (e.g. cannot create dir). */
int synth_generate(const struct synth_opts *o);
#endif
