/* Buffered CSV output with our own integer, date and money formatters:
 * no printf per field, no locale, no floating point. Each file is
 * written as NAME.tmp and renamed into place only when the run succeeds. */
#include "synth/synth_int.h"
#include "util/escape.h"
#include <errno.h>
#include <stdlib.h>
#include <string.h>

enum { OUT_CAP = 1 << 20, OUT_ROOM = 16 << 10 };

static char *dup_path(const char *dir, const char *name, const char *suffix)
{
	size_t a = strlen(dir), b = strlen(name), c = strlen(suffix);
	char *p = malloc(a + b + c + 2);
	if (!p)
		return NULL;
	memcpy(p, dir, a);
	p[a] = '/';
	memcpy(p + a + 1, name, b);
	memcpy(p + a + 1 + b, suffix, c + 1);
	return p;
}

int sy_out_open(struct out *o, const char *dir, const char *name, const char *header)
{
	memset(o, 0, sizeof *o);
	o->final = dup_path(dir, name, "");
	o->tmp = dup_path(dir, name, ".tmp");
	o->buf = malloc(OUT_CAP);
	o->cap = OUT_CAP;
	if (!o->final || !o->tmp || !o->buf)
		return o->err = ENOMEM;
	o->f = fopen(o->tmp, "wb");
	if (!o->f)
		return o->err = errno ? errno : EIO;
	sy_out_str(o, header);
	sy_out_c(o, '\n');
	return 0;
}

void sy_out_flush(struct out *o)
{
	if (o->len && o->f && !o->err && fwrite(o->buf, 1, o->len, o->f) != o->len)
		o->err = errno ? errno : EIO;
	o->len = 0;
}

int sy_out_finish(struct out *o)
{
	if (o->f) {
		sy_out_flush(o);
		if (fclose(o->f) && !o->err)
			o->err = errno ? errno : EIO;
		o->f = NULL;
	}
	return o->err;
}

int sy_out_close(struct out *o, int commit)
{
	int err = sy_out_finish(o);
	if (o->tmp) {
		if (commit && !err && rename(o->tmp, o->final))
			err = errno ? errno : EIO;
		if (!commit || err)
			remove(o->tmp);
	}
	free(o->buf);
	free(o->tmp);
	free(o->final);
	o->buf = o->tmp = o->final = NULL;
	return err;
}

void sy_out_mem(struct out *o, const char *s, size_t n)
{
	memcpy(o->buf + o->len, s, n);
	o->len += n;
}

void sy_out_str(struct out *o, const char *s)
{
	sy_out_mem(o, s, strlen(s));
}

static void put_out(void *o, const char *s, size_t n)
{
	sy_out_mem(o, s, n);
}

void sy_out_text(struct out *o, const char *s)
{
	esc_csv(s, strlen(s), put_out, o);
}

void sy_out_c(struct out *o, char c)
{
	o->buf[o->len++] = c;
}

void sy_out_int(struct out *o, int64_t v)
{
	char tmp[24];
	int n = 0;
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	do {
		tmp[n++] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		sy_out_c(o, '-');
	while (n)
		sy_out_c(o, tmp[--n]);
}

static void put2(char *p, int v)
{
	p[0] = (char)('0' + v / 10);
	p[1] = (char)('0' + v % 10);
}

void sy_out_date(struct out *o, int32_t day)
{
	int y, m, d;
	sy_ymd_from_days(day, &y, &m, &d);
	char *p = o->buf + o->len;
	put2(p, y / 100);
	put2(p + 2, y % 100);
	p[4] = '-';
	put2(p + 5, m);
	p[7] = '-';
	put2(p + 8, d);
	o->len += 10;
}

void sy_out_ts(struct out *o, int32_t day, int minute)
{
	day += minute / 1440;
	minute %= 1440;
	sy_out_date(o, day);
	char *p = o->buf + o->len;
	p[0] = 'T';
	put2(p + 1, minute / 60);
	p[3] = ':';
	put2(p + 4, minute % 60);
	memcpy(p + 6, ":00Z", 4);
	o->len += 10;
}

void sy_out_money(struct out *o, int64_t pence)
{
	if (pence < 0) {
		sy_out_c(o, '-');
		pence = -pence;
	}
	sy_out_int(o, pence / 100);
	sy_out_c(o, '.');
	put2(o->buf + o->len, (int)(pence % 100));
	o->len += 2;
}

void sy_out_micro(struct out *o, int32_t micro)
{
	if (micro < 0) {
		sy_out_c(o, '-');
		micro = -micro;
	}
	sy_out_int(o, micro / 1000000);
	sy_out_c(o, '.');
	int32_t f = micro % 1000000;
	char *p = o->buf + o->len;
	for (int i = 5; i >= 0; i--) {
		p[i] = (char)('0' + f % 10);
		f /= 10;
	}
	o->len += 6;
}

void sy_out_uid(struct out *o, uid u)
{
	static const char hex[] = "0123456789abcdef";
	char *p = o->buf + o->len;
	int k = 0;
	for (int i = 0; i < 32; i++) {
		if (i == 8 || i == 12 || i == 16 || i == 20)
			p[k++] = '-';
		uint64_t w = i < 16 ? u.hi : u.lo;
		p[k++] = hex[(w >> (60 - 4 * (i & 15))) & 15];
	}
	o->len += 36;
}

void sy_out_eol(struct out *o)
{
	sy_out_c(o, '\n');
	o->rows++;
	if (o->len > o->cap - OUT_ROOM)
		sy_out_flush(o);
}
