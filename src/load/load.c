#include "load/load.h"
#include "load/load_impl.h"
#include "util/date.h"
#include "util/buf.h"
#include "util/diag.h"
#include "util/sha256.h"
#include "util/utf8.h"
#include "util/xalloc.h"
#include <csv.h>
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct loader {
	sha256 *sha;      /* hashes every byte read, or NULL */
	const src_table *def;
	const char *path;
	mm_table *t;
	load_stats *st;
	int *bind;        /* header field index -> declared column, or -1 */
	/* Declared column -> table column, or -1 for a column that is
	 * validated but not stored (load_keep). */
	int tcol[LOAD_MAX_COLS];
	unsigned char skip[LOAD_MAX_COLS]; /* not stored, unless the row is whole */
	/* Reloading rows (sources_rows_full): which table rows to fill in
	 * whole (the others get only their kept columns), and the row after
	 * the last of them, where reading stops. */
	const unsigned char *want;
	size_t nwant;
	int whole;        /* the current row is stored whole */
	int nheader;      /* header field count, 0 while reading it */
	char **hdr;       /* header names while reading the header */
	int nhdr;
	int nmissing;     /* required columns the header lacks */
	int ndup;         /* header names given twice */
	int header_only;  /* stop once the header is bound (load_header) */
	int fatal;
	long line;        /* physical line being fed */
	long row_line;    /* line the current row started on */
	int nfields;      /* fields seen in the current row */
	size_t row;       /* table row of the current record */
	long err_col;     /* first bad field of the row, 0 if none */
	const load_stats *all; /* every source's stats, for the FK_CASCADE keys; or NULL */
	int nlinks;
	int link_col[8];       /* table column of each link */
	const src_fk *link[8]; /* the declared keys whose parent rejected rows */
	const char *err_column;
	char err[200];
};

static void row_error(struct loader *L, int field, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void row_error(struct loader *L, int field, const char *fmt, ...)
{
	if (L->err_col)
		return; /* keep the first problem of the row */
	L->err_col = field + 1;
	L->err_column = field < L->nheader && L->bind[field] >= 0 ? L->def->cols[L->bind[field]].name : NULL;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(L->err, sizeof L->err, fmt, ap);
	va_end(ap);
}

/* Quotes a cell for a message, shortened so one bad cell cannot flood it.
 * Control bytes and bytes that are not UTF-8 are shown as \xHH, never raw:
 * a message must not move a terminal's cursor or break a log line. */
static const char *shown(const char *s, size_t n, char *out, size_t bn)
{
	size_t k = n < 40 ? n : 40;
	size_t j = 0;
	for (size_t i = 0; i < k && j + 9 < bn;) {
		unsigned char c = (unsigned char)s[i];
		size_t u = c >= 0x80 ? utf8_decode(s + i, n - i, NULL) : 1;
		if (c < 0x20 || c == 0x7F || u == 0) {
			j += (size_t)snprintf(out + j, bn - j, "\\x%02X", c);
			i++;
		} else {
			if (i + u > k)
				break; /* do not cut a character in two */
			memcpy(out + j, s + i, u);
			j += u;
			i += u;
		}
	}
	if (k < n && j + 4 < bn) {
		memcpy(out + j, "...", 3);
		j += 3;
	}
	out[j] = '\0';
	return out;
}

/* Why a cell's bytes cannot be loaded as text, or NULL when they can: its
 * length, a NUL byte (which would silently cut it short downstream), other
 * control bytes but tab and line breaks (terminal escapes, invalid in
 * HTML), or bytes that are not UTF-8 (which would reach every published
 * file). */
static const char *bad_bytes(const char *s, size_t n, char *why, size_t wn)
{
	if (n > LOAD_FIELD_MAX) {
		snprintf(why, wn, "value is %zu bytes long; the limit is %d bytes", n, LOAD_FIELD_MAX);
		return why;
	}
	for (size_t i = 0; i < n;) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x20 && c < 0x7F) {
			i++; /* printable ASCII, nearly every byte: nothing to decode */
			continue;
		}
		if (c == '\0') {
			snprintf(why, wn, "NUL byte in the value (byte %zu)", i + 1);
			return why;
		}
		if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F) {
			snprintf(why, wn, "control byte 0x%02X in the value (byte %zu)", c, i + 1);
			return why;
		}
		size_t u = utf8_decode(s + i, n - i, NULL);
		if (u == 0) {
			snprintf(why, wn, "invalid UTF-8 in the value (byte %zu is 0x%02X)", i + 1,
				 (unsigned char)s[i]);
			return why;
		}
		i += u;
	}
	return NULL;
}

/* The latest date a cell may hold: beyond it a date is a typo or a
 * placeholder (9999-12-31), and would move the census derived from the
 * data (docs/data-contract.md, "Implausible dates"). */
#define LOAD_DATE_MAX_Y 2099

static int too_late(int32_t d)
{
	return d > days_from_civil(LOAD_DATE_MAX_Y, 12, 31);
}

static int parse_int(const char *s, size_t n, int64_t *out)
{
	if (n == 0 || n > 20)
		return -1;
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (errno || end != s + n || s[0] == ' ' || s[0] == '+')
		return -1;
	*out = v;
	return 0;
}

static int parse_num(const char *s, size_t n, double *out, int *isnull)
{
	*isnull = 0;
	if (n == 3 && (memcmp(s, "NaN", 3) == 0 || memcmp(s, "nan", 3) == 0)) {
		*isnull = 1;
		return 0;
	}
	if (n == 0 || n > 64 || s[0] == ' ')
		return -1;
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	if (end != s + n || !isfinite(v))
		return -1;
	*out = v;
	return 0;
}

static int known_column(const src_table *d, const char *name)
{
	for (int c = 0; c < d->ncols; c++)
		if (strcmp(name, d->cols[c].name) == 0)
			return 1;
	return 0;
}

static void bind_header(struct loader *L)
{
	const src_table *d = L->def;
	L->nheader = L->nhdr;
	L->bind = xmalloc((size_t)L->nheader * sizeof *L->bind);
	/* A column the loader binds named twice in the header: which one is
	 * meant? Before, the last silently won. Both positions are named.
	 * Unknown columns are ignored, so their names may repeat. */
	for (int i = 0; i < L->nheader; i++)
		for (int j = 0; j < i; j++)
			if (strcmp(L->hdr[i], L->hdr[j]) == 0 && known_column(d, L->hdr[i])) {
				char nb[64];
				diag(DIAG_ERROR, L->path, 1, i + 1, "duplicate column '%s': fields %d and %d have the same name",
				     shown(L->hdr[i], strlen(L->hdr[i]), nb, sizeof nb), j + 1, i + 1);
				L->ndup++;
				L->fatal = 1;
				break;
			}
	for (int i = 0; i < L->nheader; i++) {
		L->bind[i] = -1;
		for (int c = 0; c < d->ncols; c++)
			if (strcmp(L->hdr[i], d->cols[c].name) == 0) {
				if (L->bind[i] < 0)
					L->bind[i] = c;
				break;
			}
	}
	for (int c = 0; c < d->ncols; c++) {
		if (d->cols[c].flags & COL_OPTIONAL)
			continue;
		int found = 0;
		for (int i = 0; i < L->nheader; i++)
			found |= L->bind[i] == c;
		if (!found) {
			diag(DIAG_ERROR, L->path, 1, 0, "missing required column '%s'", d->cols[c].name);
			L->nmissing++;
			L->fatal = 1;
		}
	}
	for (int i = 0; i < L->nhdr; i++)
		free(L->hdr[i]);
	free(L->hdr);
	L->hdr = NULL;
}

/* What may be known of a field before take_field reads it: whether
 * bad_bytes passes it (ok: 1 yes, 0 no, -1 not yet asked) and, when
 * hashed, its sp_hash_bytes. The threaded reader finds both on its own
 * thread; the plain one leaves them to take_field. */
typedef struct field_pre {
	int ok;
	int hashed;
	uint64_t h;
} field_pre;

/* One field of the CSV, s[n] a NUL: a header name, or a cell checked
 * against its column and stored in the current row. */
static void take_field(struct loader *L, const char *s, size_t n, const field_pre *pre)
{
	/* A lone CR ends a row for libcsv but not a line for read_csv: rows
	 * after the header may come in the same feed as it (load_header). */
	if (L->fatal || (L->header_only && L->nheader > 0))
		return;
	if (L->nheader == 0) {
		L->hdr = xrealloc(L->hdr, (size_t)(L->nhdr + 1) * sizeof *L->hdr);
		L->hdr[L->nhdr++] = xstrndup(s, n);
		return;
	}
	int f = L->nfields++;
	if (f == 0) {
		/* The callback fires where the field ends; a quoted first field
		 * may have started lines earlier. */
		long nl = 0;
		for (size_t i = 0; i < n; i++)
			nl += s[i] == '\n';
		L->row_line = L->line - nl;
		L->row = tbl_add_row(L->t);
		L->err_col = 0;
		L->whole = L->want && L->row < L->nwant && L->want[L->row];
	}
	if (f >= L->nheader || L->bind[f] < 0)
		return;
	int c = L->bind[f];
	const src_col *sc = &L->def->cols[c];
	/* A column nothing reads is validated as any other, so that it
	 * rejects the same rows, but neither interned nor stored. */
	int store = !L->skip[c] || L->whole;
	int tc = L->tcol[c];
	char shownbuf[64];
	if (n == 0) {
		if (sc->flags & COL_NOTNULL)
			row_error(L, f, "empty value in not-null column");
		return;
	}
	/* A cell found bad ahead (ok 0) is checked again here for the
	 * message: only the verdict was kept, and bad cells are rare. */
	char why[96];
	if (pre->ok != 1 && bad_bytes(s, n, why, sizeof why)) {
		row_error(L, f, "%s", why);
		return;
	}
	switch (sc->type) {
	case T_STR:
		if (sc->enums) {
			const char *const *e = sc->enums;
			for (; *e; e++)
				if (strlen(*e) == n && memcmp(*e, s, n) == 0)
					break;
			if (!*e) {
				row_error(L, f, "'%s' is not an accepted value", shown(s, n, shownbuf, sizeof shownbuf));
				return;
			}
		}
		if (store)
			tbl_set_sid(L->t, tc, L->row,
				    pre->hashed ? sp_intern_hashed(L->t->sp, s, n, pre->h) : sp_intern(L->t->sp, s, n));
		break;
	case T_DATE: {
		int32_t d;
		if (date_parse(s, n, &d))
			row_error(L, f, "'%s' is not a date (YYYY-MM-DD)", shown(s, n, shownbuf, sizeof shownbuf));
		else if (too_late(d))
			row_error(L, f, "'%s' is after %d-12-31, the latest date accepted",
				  shown(s, n, shownbuf, sizeof shownbuf), LOAD_DATE_MAX_Y);
		else if (store)
			tbl_set_date(L->t, tc, L->row, d);
		break;
	}
	case T_TS: {
		int64_t ts;
		if (ts_parse(s, n, &ts))
			row_error(L, f, "'%s' is not an ISO 8601 timestamp", shown(s, n, shownbuf, sizeof shownbuf));
		else if (too_late(ts_day(ts)))
			row_error(L, f, "'%s' is after %d-12-31, the latest date accepted",
				  shown(s, n, shownbuf, sizeof shownbuf), LOAD_DATE_MAX_Y);
		else if (store)
			tbl_set_ts(L->t, tc, L->row, ts);
		break;
	}
	case T_INT:
	case T_BOOL: {
		int64_t v;
		if (parse_int(s, n, &v))
			row_error(L, f, "'%s' is not an integer", shown(s, n, shownbuf, sizeof shownbuf));
		else if ((sc->flags & COL_RANGE) && (v < sc->lo || v > sc->hi))
			row_error(L, f, "%lld is outside %lld..%lld", (long long)v, (long long)sc->lo,
				  (long long)sc->hi);
		else if (store)
			tbl_set_int(L->t, tc, L->row, v);
		break;
	}
	case T_NUM: {
		double v;
		int isnull;
		if (parse_num(s, n, &v, &isnull))
			row_error(L, f, "'%s' is not a number", shown(s, n, shownbuf, sizeof shownbuf));
		else if (!isnull && store)
			tbl_set_num(L->t, tc, L->row, v);
		break;
	}
	}
}

/* libcsv's field callback for the plain reader. */
static void on_field(void *p, size_t n, void *data)
{
	static const field_pre unknown = {.ok = -1};
	take_field(data, p ? p : "", n, &unknown);
}

static void add_reject(struct loader *L, long line, long col, const char *column, const char *reason)
{
	load_stats *st = L->st;
	st->nrejects++;
	if (st->nkept >= REJECTS_KEPT)
		return;
	if (!st->rejects)
		st->rejects = xmalloc(REJECTS_KEPT * sizeof *st->rejects);
	reject *r = &st->rejects[st->nkept++];
	r->line = line;
	r->col = col;
	r->column = column;
	r->reason = xstrdup(reason);
}

/* Remembers a rejected row's declared key, read before the row is
 * dropped, for the rows of later tables that name it. */
static void remember_key(struct loader *L)
{
	int kc = src_col_index(L->def, L->def->key);
	if (kc < 0 || L->def->cols[kc].type != T_STR || L->tcol[kc] < 0)
		return;
	uint32_t key = tbl_sid(L->t, L->tcol[kc], L->row);
	if (!key)
		return;
	if (!L->st->has_rejected) {
		hmap_init(&L->st->rejected, 64);
		L->st->has_rejected = 1;
	}
	hmap_put(&L->st->rejected, key, (uint32_t)L->row_line);
}

/* Sets the row aside when a parent row it names was rejected. */
static int parent_rejected(struct loader *L)
{
	for (int k = 0; k < L->nlinks; k++) {
		const src_fk *fk = L->link[k];
		const load_stats *ps = &L->all[fk->parent];
		uint32_t key = tbl_sid(L->t, L->tcol[L->link_col[k]], L->row);
		uint32_t line = key && ps->has_rejected ? hmap_get(&ps->rejected, key) : HMAP_NONE;
		if (line == HMAP_NONE)
			continue;
		char msg[200];
		snprintf(msg, sizeof msg, "set aside: its %s '%.60s' was rejected (%s line %u)",
			 source_tables[fk->parent].entity, sp_str(L->t->sp, key), source_tables[fk->parent].file, line);
		int field = 0;
		while (field < L->nheader && (L->bind[field] < 0 || L->bind[field] != L->link_col[k]))
			field++;
		add_reject(L, L->row_line, field + 1, L->def->cols[L->link_col[k]].name, msg);
		L->st->set_aside++;
		return 1;
	}
	return 0;
}

static void on_row(int term, void *data)
{
	struct loader *L = data;
	(void)term;
	if (L->fatal || (L->header_only && L->nheader > 0))
		return;
	if (L->nheader == 0) {
		bind_header(L);
		return;
	}
	if (L->nfields != L->nheader) {
		char msg[96];
		snprintf(msg, sizeof msg, "expected %d fields, found %d", L->nheader, L->nfields);
		add_reject(L, L->row_line, L->nfields < L->nheader ? L->nfields + 1 : L->nheader + 1, NULL, msg);
		remember_key(L);
		L->t->nrows--;
	} else if (L->err_col) {
		add_reject(L, L->row_line, L->err_col, L->err_column, L->err);
		remember_key(L);
		L->t->nrows--;
	} else if (L->nlinks && parent_rejected(L)) {
		remember_key(L);
		L->t->nrows--;
	}
	L->nfields = 0;
}

/* Finds where an unterminated quoted field opens, for the error message. */
static void find_open_quote(FILE *f, long *line, long *col)
{
	rewind(f);
	int c, inq = 0, at_start = 1;
	long l = 1, k = 0, ql = 1, qc = 1;
	while ((c = getc(f)) != EOF) {
		k++;
		if (inq) {
			if (c == '"') {
				int d = getc(f);
				if (d != '"') {
					inq = 0;
					if (d != EOF)
						ungetc(d, f);
				} else {
					k++;
				}
			}
		} else if (c == '"' && at_start) {
			inq = 1;
			ql = l;
			qc = k;
		}
		if (!inq)
			at_start = c == ',' || c == '\n' || c == '\r';
		if (c == '\n') {
			l++;
			k = 0;
		}
	}
	*line = ql;
	*col = qc;
}

/* Whether feeding can stop: a fatal problem, the header is bound and
 * only the header was wanted, or the last row a reload wants is read. */
static int loader_done(const struct loader *L)
{
	return L->fatal || (L->header_only && L->nheader > 0) ||
	       (L->want && L->nfields == 0 && L->t->nrows >= L->nwant);
}

/* How reading a file ended, for what read_csv_end says about it. */
struct read_end {
	int stopped;    /* loader_done before the end of the file */
	int read_err;   /* a read failed, with errno err */
	int err;
	int open_quote; /* csv_fini found a quoted field never closed */
};

/* The problems found once the file is read (a failed read, an open
 * quote, no header), and the header of a file without a newline bound.
 * Frees the header names and bindings. Returns 0 or EXIT_INPUT. */
static int read_csv_end(FILE *f, struct loader *L, const struct read_end *e)
{
	const char *path = L->path;
	int rc = 0;
	if (e->stopped) {
		/* a fatal problem was printed, or the header alone was wanted */
	} else if (e->read_err) {
		diag(DIAG_ERROR, path, 0, 0, "read error: %s", strerror(e->err));
		rc = EXIT_INPUT;
	} else if (e->open_quote) {
		long ql, qc;
		find_open_quote(f, &ql, &qc);
		diag(DIAG_ERROR, path, ql, qc, "unterminated quoted field");
		rc = EXIT_INPUT;
	} else if (!L->fatal && L->nheader == 0 && L->nhdr == 0) {
		diag(DIAG_ERROR, path, 1, 0, "empty file: no header line");
		rc = EXIT_INPUT;
	} else if (!L->fatal && L->nheader == 0) {
		bind_header(L); /* header without a trailing newline */
	}
	if (L->fatal)
		rc = EXIT_INPUT;
	/* Every byte was hashed only when the file was read to its end. */
	if (L->sha && !rc && !e->stopped) {
		unsigned char d[32];
		sha256_final(L->sha, d);
		sha256_hex(d, L->st->sha256);
	}
	for (int i = 0; i < L->nhdr && L->hdr; i++)
		free(L->hdr[i]);
	free(L->hdr);
	L->hdr = NULL;
	free(L->bind);
	L->bind = NULL;
	return rc;
}

static void csv_start(struct csv_parser *p)
{
	csv_init(p, CSV_STRICT_FINI | CSV_APPEND_NULL);
	/* libcsv grows a field's buffer by this much at a time (128 bytes by
	 * default): a 10 MB cell took 80,000 reallocations, each a copy
	 * where realloc cannot grow in place (under AddressSanitizer, minutes). */
	csv_set_blk_size(p, (size_t)1 << 16);
}

/* The end of the input for libcsv: what is left is the last row, and a
 * quote still open is an error. Returns whether it was. */
static int csv_end(struct csv_parser *p, void (*cb1)(void *, size_t, void *), void (*cb2)(int, void *), void *data)
{
	csv_set_opts(p, (unsigned char)(csv_get_opts(p) | CSV_STRICT));
	return csv_fini(p, cb1, cb2, data) != 0;
}

/* Where a block of the file starts: after a UTF-8 byte-order mark in the
 * first block. */
static char *block_start(char *s, size_t n, int first)
{
	return first && n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0 ? s + 3 : s;
}

/* The end of the physical line that starts at s, or end. */
static char *line_end(char *s, char *end)
{
	char *nl = memchr(s, '\n', (size_t)(end - s));
	return nl ? nl + 1 : end;
}

static void tick(const struct loader *L, size_t bytes)
{
	/* Once a block (1 MB): a line at least every 2 s on big files. */
	if (!L->want)
		progress_tick("loading %s: %zu rows so far (%.0f MB read)", L->def->name, L->t ? L->t->nrows : 0,
			      (double)bytes / 1e6);
}

/* The reader on one thread: libcsv calls on_field and on_row as it parses. */
static int read_csv_plain(FILE *f, struct loader *L, size_t blk, size_t *bytes)
{
	struct csv_parser p;
	csv_start(&p);
	char *block = xmalloc(blk);
	int first = 1;
	size_t n;
	while (!loader_done(L) && (n = fread(block, 1, blk, f)) > 0) {
		char *s = block_start(block, n, first), *end = block + n;
		*bytes += n;
		if (L->sha)
			sha256_update(L->sha, block, n);
		first = 0;
		/* Feed line by line so callbacks know the physical line. */
		while (s < end && !loader_done(L)) {
			char *stop = line_end(s, end);
			csv_parse(&p, s, (size_t)(stop - s), on_field, on_row, L);
			L->line += stop[-1] == '\n';
			s = stop;
		}
		if (!loader_done(L))
			tick(L, *bytes);
	}
	struct read_end e = {.stopped = loader_done(L)};
	if (e.stopped) {
	} else if (ferror(f)) {
		e.read_err = 1;
		e.err = errno;
	} else {
		e.open_quote = csv_end(&p, on_field, on_row, L);
	}
	csv_free(&p);
	free(block);
	return read_csv_end(f, L, &e);
}

/* The threaded reader. A producer thread reads the file, splits it into
 * lines and runs libcsv, as read_csv_plain does, and writes what the
 * callbacks saw into batches of events, with each field's bad_bytes
 * verdict and pool hash; the calling thread replays the batches in order
 * through take_field and on_row. Everything that touches the table, the
 * pool, the stats or stderr happens on the calling thread, in the order
 * read_csv_plain does it, so the tables, ids, rejects and messages are the
 * same. Events are replayed up to the point read_csv_plain would have
 * stopped reading (loader_done), checked where it checks it: between
 * libcsv feeds, blocks, and before the end of the input. */
enum {
	EV_FIELD, /* n bytes follow, then a NUL; flags: EVF_OK; h: pool hash */
	EV_ROW,
	EV_FEED,  /* the first event of a feed (a physical line); h: its line */
	EV_BLOCK, /* a block of n bytes was read */
	EV_TICK,  /* the block is parsed */
	EV_FINI,  /* the file is read; csv_fini's events follow */
	EV_END,   /* flags: EVF_READ_ERR (n: errno), EVF_OPEN_QUOTE */
};
enum { EVF_OK = 1, EVF_READ_ERR = 2, EVF_OPEN_QUOTE = 4 };

typedef struct pipe_ev {
	uint32_t kind, flags;
	uint64_t n, h;
} pipe_ev;

#define PIPE_SLOTS 3

typedef struct pipe_batch {
	char *buf;
	size_t len, cap;
} pipe_batch;

/* Small batches and a small threshold let the tests cross batch
 * boundaries everywhere; see load_pipe_set. */
static size_t pipe_batch_size = (size_t)1 << 20;
static size_t pipe_min_file = (size_t)4 << 20;
static int pipe_tuned;
static size_t pipe_files;

typedef struct load_pipe {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	pipe_batch b[PIPE_SLOTS];
	unsigned nfull; /* batches written and not yet replayed */
	int stop;       /* the calling thread wants no more */
	/* The producer's own. */
	FILE *f;
	size_t blk, batch;
	unsigned wi;
	int stopping;
	int fed;        /* the current feed has had an event */
	long line;
	sha256 *sha;    /* the input's hash, updated as blocks are read; or NULL */
} load_pipe;

static size_t ev_size(size_t n)
{
	return sizeof(pipe_ev) + ((n + 8) & ~(size_t)7);
}

/* Hands the batch written to the calling thread and waits for a free
 * one, or for the calling thread to want no more. */
static void pipe_publish(load_pipe *P)
{
	pthread_mutex_lock(&P->mu);
	P->nfull++;
	pthread_cond_broadcast(&P->cv);
	while (P->nfull == PIPE_SLOTS && !P->stop)
		pthread_cond_wait(&P->cv, &P->mu);
	P->stopping = P->stop;
	pthread_mutex_unlock(&P->mu);
	P->wi = (P->wi + 1) % PIPE_SLOTS;
	P->b[P->wi].len = 0;
}

static void pipe_put(load_pipe *P, uint32_t kind, uint32_t flags, uint64_t n, uint64_t h, const char *s)
{
	if (P->stopping)
		return;
	pipe_batch *b = &P->b[P->wi];
	size_t need = kind == EV_FIELD ? ev_size(n) : sizeof(pipe_ev);
	if (b->len + need > b->cap) {
		b->cap = b->len + need > 2 * b->cap ? b->len + need : 2 * b->cap;
		b->buf = xrealloc(b->buf, b->cap);
	}
	pipe_ev *v = (pipe_ev *)(b->buf + b->len);
	*v = (pipe_ev){.kind = kind, .flags = flags, .n = n, .h = h};
	if (kind == EV_FIELD) {
		memcpy(v + 1, s, n);
		((char *)(v + 1))[n] = '\0';
	}
	b->len += need;
	if (b->len >= P->batch)
		pipe_publish(P);
}

static void pipe_feed_mark(load_pipe *P)
{
	if (!P->fed)
		pipe_put(P, EV_FEED, 0, 0, (uint64_t)P->line, NULL);
	P->fed = 1;
}

static void pipe_field(void *p, size_t n, void *data)
{
	load_pipe *P = data;
	const char *s = p ? p : "";
	char why[96];
	pipe_feed_mark(P);
	pipe_put(P, EV_FIELD, bad_bytes(s, n, why, sizeof why) ? 0 : EVF_OK, n, sp_hash_bytes(s, n), s);
}

static void pipe_row(int term, void *data)
{
	load_pipe *P = data;
	(void)term;
	pipe_feed_mark(P);
	pipe_put(P, EV_ROW, 0, 0, 0, NULL);
}

static void *pipe_produce(void *arg)
{
	load_pipe *P = arg;
	struct csv_parser p;
	csv_start(&p);
	char *block = xmalloc(P->blk);
	int first = 1;
	size_t n;
	while (!P->stopping && (n = fread(block, 1, P->blk, P->f)) > 0) {
		pipe_put(P, EV_BLOCK, 0, n, 0, NULL);
		/* Hashing here costs the calling thread nothing: it is the
		 * slower of the two. */
		if (P->sha)
			sha256_update(P->sha, block, n);
		char *s = block_start(block, n, first), *end = block + n;
		first = 0;
		while (s < end && !P->stopping) {
			char *stop = line_end(s, end);
			P->fed = 0;
			csv_parse(&p, s, (size_t)(stop - s), pipe_field, pipe_row, P);
			P->line += stop[-1] == '\n';
			s = stop;
		}
		pipe_put(P, EV_TICK, 0, 0, 0, NULL);
	}
	if (!P->stopping) {
		pipe_put(P, EV_FINI, 0, 0, 0, NULL);
		uint32_t flags = 0;
		uint64_t err = 0;
		if (ferror(P->f)) {
			flags = EVF_READ_ERR;
			err = (uint64_t)errno;
		} else {
			P->fed = 0;
			flags = csv_end(&p, pipe_field, pipe_row, P) ? EVF_OPEN_QUOTE : 0;
		}
		pipe_put(P, EV_END, flags, err, 0, NULL);
		if (!P->stopping && P->b[P->wi].len)
			pipe_publish(P);
	}
	csv_free(&p);
	free(block);
	return NULL;
}

#define PIPE_AHEAD 8

/* Prefetches the pool slot of the event at off, if a field; returns the
 * offset of the next event. */
static size_t pipe_prefetch(const struct loader *L, const pipe_batch *b, size_t off)
{
	const pipe_ev *v = (const pipe_ev *)(b->buf + off);
	if (v->kind != EV_FIELD)
		return off + sizeof *v;
	if (L->t && v->n)
		sp_prefetch(L->t->sp, v->h);
	return off + ev_size(v->n);
}

/* Replays one batch. Returns 1 when reading is over: the end of the
 * file, or loader_done where read_csv_plain checks it. */
static int pipe_replay(struct loader *L, const pipe_batch *b, size_t *bytes, struct read_end *e)
{
	/* The pool slots of the fields a few events ahead are fetched while
	 * these are stored: most probes would otherwise wait on memory. */
	size_t ahead = 0;
	for (int k = 0; k < PIPE_AHEAD && ahead < b->len; k++)
		ahead = pipe_prefetch(L, b, ahead);
	for (size_t off = 0; off < b->len;) {
		const pipe_ev *v = (const pipe_ev *)(b->buf + off);
		off += v->kind == EV_FIELD ? ev_size(v->n) : sizeof *v;
		if (ahead < b->len)
			ahead = pipe_prefetch(L, b, ahead);
		if (v->kind >= EV_FEED && v->kind <= EV_FINI && loader_done(L)) {
			e->stopped = 1;
			return 1;
		}
		switch (v->kind) {
		case EV_FIELD: {
			field_pre pre = {.ok = v->flags & EVF_OK, .hashed = 1, .h = v->h};
			take_field(L, (const char *)(v + 1), v->n, &pre);
			break;
		}
		case EV_ROW:
			on_row(0, L);
			break;
		case EV_FEED:
			L->line = (long)v->h;
			break;
		case EV_BLOCK:
			*bytes += v->n;
			break;
		case EV_TICK:
			tick(L, *bytes);
			break;
		case EV_END:
			e->read_err = (v->flags & EVF_READ_ERR) != 0;
			e->err = (int)v->n;
			e->open_quote = (v->flags & EVF_OPEN_QUOTE) != 0;
			return 1;
		}
	}
	return 0;
}

/* Whether f is worth a second thread: a big regular file, and a second
 * processor to run it on. */
static int pipe_fits(FILE *f)
{
	struct stat sb;
	if (fstat(fileno(f), &sb) != 0 || !S_ISREG(sb.st_mode) || (size_t)sb.st_size < pipe_min_file)
		return 0;
	return pipe_tuned || sysconf(_SC_NPROCESSORS_ONLN) > 1;
}

/* Returns -1, having read nothing, when the thread cannot be started. */
static int read_csv_piped(FILE *f, struct loader *L, size_t blk, size_t *bytes)
{
	load_pipe P = {.f = f, .blk = blk, .batch = pipe_batch_size, .line = L->line, .sha = L->sha};
	pthread_mutex_init(&P.mu, NULL);
	pthread_cond_init(&P.cv, NULL);
	pthread_t th;
	int started = pthread_create(&th, NULL, pipe_produce, &P) == 0;
	struct read_end e = {0};
	for (unsigned ri = 0; started;) {
		pthread_mutex_lock(&P.mu);
		while (P.nfull == 0)
			pthread_cond_wait(&P.cv, &P.mu);
		pthread_mutex_unlock(&P.mu);
		int over = pipe_replay(L, &P.b[ri], bytes, &e);
		pthread_mutex_lock(&P.mu);
		P.nfull--;
		P.stop = over;
		pthread_cond_broadcast(&P.cv);
		pthread_mutex_unlock(&P.mu);
		ri = (ri + 1) % PIPE_SLOTS;
		if (over)
			break;
	}
	if (started)
		pthread_join(th, NULL);
	for (int i = 0; i < PIPE_SLOTS; i++)
		free(P.b[i].buf);
	pthread_cond_destroy(&P.cv);
	pthread_mutex_destroy(&P.mu);
	if (!started)
		return -1;
	pipe_files++;
	return read_csv_end(f, L, &e);
}

void load_pipe_set(size_t batch, size_t min_file)
{
	pipe_batch_size = batch;
	pipe_min_file = min_file;
	pipe_tuned = 1;
}

size_t load_pipe_files(void)
{
	return pipe_files;
}

/* Feeds the open file f to libcsv through on_field and on_row: the one
 * reader behind both load_table_path and load_header, so the header is read
 * the same way by both (a UTF-8 byte-order mark skipped, CRLF, quoted
 * names). Reads blocks of blk bytes, adding their size to *bytes; a big
 * file on two threads (read_csv_piped). Returns 0, or EXIT_INPUT after
 * printing the problem. */
static int read_csv(FILE *f, struct loader *L, size_t blk, size_t *bytes)
{
	if (!L->header_only && pipe_fits(f)) {
		int rc = read_csv_piped(f, L, blk, bytes);
		if (rc >= 0)
			return rc;
	}
	return read_csv_plain(f, L, blk, bytes);
}

/* Whether a row of some source names a row of def through an FK_CASCADE
 * key: def's key is then remembered for its rejected rows. */
static int cascade_parent(const src_table *def)
{
	for (int i = 0; i < SRC_COUNT; i++)
		for (int k = 0; k < source_tables[i].nfks; k++)
			if ((source_tables[i].fks[k].flags & FK_CASCADE) && &source_tables[source_tables[i].fks[k].parent] == def)
				return 1;
	return 0;
}

int load_contract_reads(const src_table *def, int c)
{
	const char *name = def->cols[c].name;
	if (def->seed || def->cols[c].type != T_STR)
		return 1; /* seeds are small; dates feed the census and latest_date */
	if (def->fresh && !strcmp(name, def->fresh))
		return 1;
	/* one_name compares the names a key is given; the key of a cascade
	 * parent names its rejected rows. */
	if (def->key && !strcmp(name, def->key) && (def->one_name || cascade_parent(def)))
		return 1;
	if (def->one_name && !strcmp(name, def->one_name))
		return 1;
	/* A foreign key is read when it cascades or a source check reads it;
	 * a plain reference is drawn in the diagram, not checked. */
	for (int k = 0; k < def->nfks; k++)
		if (!strcmp(name, def->fks[k].column) &&
		    (def->fks[k].flags & (FK_CASCADE | FK_CHECK_MAPPED | FK_CHECK_ELECTIVE)))
			return 1;
	return 0;
}

/* Starts the stats and the (empty) table of def read from path, with the
 * columns keep[] marks (every column when keep is NULL); tcol[c] is
 * declared column c's index in the table, or -1. */
mm_table *load_table_begin(const src_table *def, const char *path, strpool *sp, load_stats *st,
			     const unsigned char *keep, int tcol[LOAD_MAX_COLS])
{
	if (def->ncols > LOAD_MAX_COLS) {
		fprintf(stderr, "medimart: internal error: source '%s' declares %d columns; raise LOAD_MAX_COLS\n",
			def->name, def->ncols);
		abort();
	}
	memset(st, 0, sizeof *st);
	st->table = def->name;
	st->path = xstrdup(path);
	mm_table *t = tbl_new(def->name, sp);
	for (int c = 0; c < def->ncols; c++)
		tcol[c] = !keep || keep[c] ? tbl_add_col(t, def->cols[c].name, def->cols[c].type) : -1;
	return t;
}

/* The FK_CASCADE keys of def whose parent rejected rows: only they can
 * set a row aside. */
static void setup_links(struct loader *L, const src_table *def, const load_stats *all)
{
	for (int k = 0; all && k < def->nfks && L->nlinks < 8; k++) {
		const src_fk *fk = &def->fks[k];
		if (!(fk->flags & FK_CASCADE) || !all[fk->parent].has_rejected)
			continue;
		L->link_col[L->nlinks] = src_col_index(def, fk->column);
		L->link[L->nlinks] = fk;
		L->nlinks += L->link_col[L->nlinks] >= 0;
	}
}


int load_table_path(const src_table *def, const char *path, strpool *sp, mm_table **out, load_stats *st)
{
	return load_path_full(def, path, sp, out, st, NULL, NULL);
}

int load_table_linked(const src_table *def, int id, const char *path, strpool *sp, mm_table **out,
		      load_stats *all)
{
	return load_path_full(def, path, sp, out, &all[id], all, NULL);
}

int load_path_full(const src_table *def, const char *path, strpool *sp, mm_table **out, load_stats *st,
		     load_stats *all, const unsigned char *keep)
{
	struct loader L = {.def = def, .path = path, .st = st, .line = 1, .all = all};
	mm_table *t = L.t = load_table_begin(def, path, sp, st, keep, L.tcol);
	*out = t;
	for (int c = 0; c < def->ncols; c++)
		L.skip[c] = L.tcol[c] < 0;

	double t0 = now_seconds();
	FILE *f = fopen(path, "rb");
	if (!f) {
		if (errno == ENOENT && !def->required_file) {
			diag(DIAG_NOTE, path, 0, 0, "optional table '%s' is absent", def->name);
			return 0;
		}
		diag(DIAG_ERROR, path, 0, 0, "cannot open the %s table '%s': %s",
		     def->required_file ? "required" : "optional", def->name, strerror(errno));
		return EXIT_INPUT;
	}
	st->present = 1;
	setup_links(&L, def, all);
	/* The packs record each input's SHA-256: taken from the bytes as
	 * they are loaded, rather than by reading every file again. */
	sha256 sha;
	sha256_init(&sha);
	L.sha = &sha;
	int rc = read_csv(f, &L, (size_t)1 << 20, &st->bytes);
	fclose(f);
	st->rows = t->nrows;
	st->seconds = now_seconds() - t0;
	return rc;
}

int load_header(const src_table *def, const char *path, int *nmissing)
{
	*nmissing = 0;
	FILE *f = fopen(path, "rb");
	if (!f) {
		if (errno == ENOENT)
			return LOAD_HDR_ABSENT;
		diag(DIAG_ERROR, path, 0, 0, "cannot open the %s table '%s': %s",
		     def->required_file ? "required" : "optional", def->name, strerror(errno));
		return LOAD_HDR_BAD;
	}
	/* No table: in header-only mode the callbacks stop at the header. */
	struct loader L = {.def = def, .path = path, .line = 1, .header_only = 1};
	size_t bytes = 0;
	int rc = read_csv(f, &L, 4096, &bytes);
	fclose(f);
	*nmissing = L.nmissing;
	return rc && !L.nmissing ? LOAD_HDR_BAD : LOAD_HDR_OK;
}

char *load_path_in(const char *dir, const char *file)
{
	size_t n = strlen(dir) + strlen(file) + 2;
	char *path = xmalloc(n);
	snprintf(path, n, "%s/%s", dir, file);
	return path;
}

int load_table(const src_table *def, const char *dir, strpool *sp, mm_table **out, load_stats *st)
{
	char *path = load_path_in(dir, def->file);
	int rc = load_table_path(def, path, sp, out, st);
	free(path);
	return rc;
}

void load_stats_free(load_stats *st)
{
	for (size_t i = 0; i < st->nkept; i++)
		free(st->rejects[i].reason);
	free(st->rejects);
	free(st->path);
	if (st->has_rejected)
		hmap_free(&st->rejected);
	memset(st, 0, sizeof *st);
}

/* A folder the inputs are read from: an error unless it is one. */
mm_table *sources_rows_whole(sources *s, int id, const size_t *rows, size_t n)
{
	const src_table *d = &source_tables[id];
	const load_stats *loaded = &s->st[id];
	if (!s->partial[id] || !loaded->present || !n)
		return s->t[id];
	size_t end = 0;
	for (size_t k = 0; k < n; k++)
		end = rows[k] + 1 > end ? rows[k] + 1 : end;
	unsigned char *want = xcalloc(end, 1);
	for (size_t k = 0; k < n; k++)
		want[rows[k]] = 1;
	/* Read as it was loaded (same rejects, same rows set aside), with
	 * scratch stats so that the run's own stay as they were. */
	load_stats st;
	struct loader L = {.def = d, .path = loaded->path, .st = &st, .line = 1, .all = s->st,
			   .want = want, .nwant = end};
	L.t = load_table_begin(d, loaded->path, &s->sp, &st, NULL, L.tcol);
	for (int c = 0; c < d->ncols; c++)
		L.skip[c] = !s->kept[id][c];
	setup_links(&L, d, s->st);
	int rc = EXIT_INPUT;
	FILE *f = fopen(loaded->path, "rb");
	if (!f) {
		diag(DIAG_ERROR, loaded->path, 0, 0, "cannot read the %s table again: %s", d->name, strerror(errno));
	} else {
		size_t bytes = 0;
		rc = read_csv(f, &L, (size_t)1 << 20, &bytes);
		fclose(f);
		if (!rc && L.t->nrows < end) {
			diag(DIAG_ERROR, loaded->path, 0, 0, "the file changed after it was loaded: %zu rows read again, %zu wanted",
			     L.t->nrows, end);
			rc = EXIT_INPUT;
		}
	}
	load_stats_free(&st);
	free(want);
	if (rc) {
		tbl_free(L.t);
		return NULL;
	}
	return L.t;
}
