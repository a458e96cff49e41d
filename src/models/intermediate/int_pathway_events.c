/* int_pathway_events: what happened to each pathway's appointments up to
 * the census. Only what was known on the census date counts (bookings made
 * by then, outcomes of slots by then), so an earlier --census reproduces
 * the picture of that day. */
#include "models/mart_util.h"
#include "registry/model.h"
#include "util/date.h"
#include "util/xalloc.h"
#include <stdlib.h>
#include <string.h>

static const char *const upstream[] = {"stg_pathways", "stg_appointments", NULL};

#define CNT "not_null range(0..)"
static const model_col cols[] = {
	{"pathway_id", T_STR, "Pathway (every staged pathway has a row)", "unique not_null ref(stg_pathways.pathway_id)",
	 "stg_pathways.pathway_id", CR_ID},
	{"appointments", T_INT, "Appointments booked on or before the census, any outcome", CNT,
	 "stg_appointments.pathway_id, stg_appointments.booked_at_ts", CR_EVENTS},
	{"attended", T_INT, "Past slots attended (on time, or late but seen)", CNT,
	 "stg_appointments.outcome, stg_appointments.slot_date", CR_EVENTS},
	{"dnas", T_INT, "Past slots the patient did not attend (outcome dna, code 3)", CNT,
	 "stg_appointments.outcome, stg_appointments.slot_date", CR_EVENTS},
	{"patient_cancellations", T_INT, "Slots cancelled by the patient on or before the census", CNT,
	 "stg_appointments.outcome, stg_appointments.cancelled_at_ts", CR_EVENTS},
	{"hospital_cancellations", T_INT, "Slots cancelled by the hospital on or before the census", CNT,
	 "stg_appointments.outcome, stg_appointments.cancelled_at_ts", CR_EVENTS},
	{"last_minute_cancellations", T_INT, "Of those, made on the slot day or the day before", CNT,
	 "stg_appointments.is_last_minute", CR_EVENTS},
	{"reschedules", T_INT, "Cancelled or DNA slots after which another appointment was booked", CNT,
	 "stg_appointments.outcome, stg_appointments.booked_at_ts, stg_appointments.cancelled_at_ts, "
	 "stg_appointments.slot_ts", CR_EVENTS},
	{"last_contact_date", T_DATE, "Latest attended slot on or before the census", "range(1900-01-01..)",
	 "stg_appointments.slot_date, stg_appointments.outcome", CR_DATE},
	{"next_appointment_date", T_DATE, "Earliest slot after the census that was booked and not cancelled by then",
	 "range(1900-01-01..)", "stg_appointments.slot_date, stg_appointments.outcome, census", CR_DATE},
};

static const char *const tests[] = {
	"expr(appointments >= attended)",
	"expr(hospital_cancellations >= last_minute_cancellations)",
	"expr(next_appointment_date > last_contact_date)",
	NULL,
};

typedef struct acc {
	int64_t appts, attended, dnas, pcanc, hcanc, last_minute, resched;
	int32_t last_contact, next_appt;
	int64_t book1, book2; /* the two latest bookings, for reschedules */
	size_t book1_row;
} acc;

enum { EV_NONE, EV_ATTENDED, EV_DNA, EV_PCANC, EV_HCANC };

typedef struct inputs {
	mm_table *ap;
	int pw, slot, slot_ts, out, booked, cancelled, last_min;
	uint32_t att, late, dna, pc, hc;
	int32_t census;
	int64_t census_end; /* last second of the census day */
} inputs;

/* What the slot was at the census: attended, DNA, cancelled, or nothing
 * yet (future, not yet recorded, or cancelled only later). */
static int event_at_census(const inputs *in, size_t r, int64_t *when)
{
	uint32_t o = tbl_sid(in->ap, in->out, r);
	int32_t slot = tbl_date(in->ap, in->slot, r);
	*when = tbl_ts(in->ap, in->slot_ts, r);
	if (o == in->pc || o == in->hc) {
		int64_t c = tbl_ts(in->ap, in->cancelled, r);
		if (c != INT_NULL)
			*when = c;
		if (*when == INT_NULL || *when > in->census_end)
			return EV_NONE;
		return o == in->pc ? EV_PCANC : EV_HCANC;
	}
	if (slot == I32_NULL || slot > in->census)
		return EV_NONE;
	if (o == in->att || o == in->late)
		return EV_ATTENDED;
	if (o == in->dna)
		return EV_DNA;
	return EV_NONE;
}

static int booked_by_census(const inputs *in, size_t r)
{
	int64_t b = tbl_ts(in->ap, in->booked, r);
	return b == INT_NULL || b <= in->census_end;
}

static int build(run_ctx *ctx, mm_table *out)
{
	mm_table *pw = ctx_table(ctx, "stg_pathways");
	mm_table *ap = ctx_table(ctx, "stg_appointments");
	const strpool *sp = ctx->sp;
	inputs in = {
		.ap = ap, .pw = col(ap, "pathway_id"), .slot = col(ap, "slot_date"), .slot_ts = col(ap, "slot_ts"),
		.out = col(ap, "outcome"), .booked = col(ap, "booked_at_ts"), .cancelled = col(ap, "cancelled_at_ts"),
		.last_min = col(ap, "is_last_minute"),
		.att = sid_of(sp, "attended"), .late = sid_of(sp, "late_seen"), .dna = sid_of(sp, "dna"),
		.pc = sid_of(sp, "patient_cancelled"),
		.hc = sid_of(sp, "hospital_cancelled"),
		.census = ctx->census, .census_end = ((int64_t)ctx->census + 1) * 86400 - 1,
	};
	int p_id = col(pw, "pathway_id");

	keyed *order = xmalloc((pw->nrows + 1) * sizeof *order);
	size_t n = 0;
	for (size_t r = 0; r < pw->nrows; r++)
		if (tbl_sid(pw, p_id, r))
			order[n++] = (keyed){tbl_str(pw, p_id, r), r};
	keyed_sort(order, n);
	hmap pos;
	hmap_init(&pos, n);
	acc *a = xmalloc((n + 1) * sizeof *a);
	size_t rows = 0;
	for (size_t k = 0; k < n; k++) {
		uint32_t id = tbl_sid(pw, p_id, order[k].r);
		if (hmap_get(&pos, id) != HMAP_NONE)
			continue;
		hmap_put(&pos, id, (uint32_t)rows);
		a[rows] = (acc){.last_contact = DATE_NULL, .next_appt = DATE_NULL, .book1 = INT64_MIN,
				.book2 = INT64_MIN, .book1_row = SIZE_MAX};
		order[rows++].r = order[k].r;
	}

	/* Pass 1: the two latest bookings of each pathway. */
	for (size_t r = 0; r < ap->nrows; r++) {
		uint32_t i = hmap_get(&pos, tbl_sid(ap, in.pw, r));
		if (i == HMAP_NONE || !booked_by_census(&in, r))
			continue;
		int64_t b = tbl_ts(ap, in.booked, r);
		if (b == INT_NULL)
			continue;
		if (b > a[i].book1) {
			a[i].book2 = a[i].book1;
			a[i].book1 = b;
			a[i].book1_row = r;
		} else if (b > a[i].book2) {
			a[i].book2 = b;
		}
	}
	/* Pass 2: counts and dates. */
	for (size_t r = 0; r < ap->nrows; r++) {
		uint32_t i = hmap_get(&pos, tbl_sid(ap, in.pw, r));
		if (i == HMAP_NONE || !booked_by_census(&in, r))
			continue;
		acc *x = &a[i];
		int64_t when;
		int ev = event_at_census(&in, r, &when);
		int32_t slot = tbl_date(ap, in.slot, r);
		x->appts++;
		switch (ev) {
		case EV_ATTENDED:
			x->attended++;
			if (x->last_contact == DATE_NULL || slot > x->last_contact)
				x->last_contact = slot;
			break;
		case EV_DNA: x->dnas++; break;
		case EV_PCANC: x->pcanc++; break;
		case EV_HCANC:
			x->hcanc++;
			x->last_minute += tbl_bool(ap, in.last_min, r);
			break;
		default:
			if (slot != I32_NULL && slot > ctx->census && (x->next_appt == DATE_NULL || slot < x->next_appt))
				x->next_appt = slot;
			break;
		}
		if (ev == EV_DNA || ev == EV_PCANC || ev == EV_HCANC) {
			int64_t later = x->book1_row == r ? x->book2 : x->book1; /* latest other booking */
			if (when != INT_NULL && later != INT64_MIN && later >= when)
				x->resched++;
		}
	}

	static const char *const counts[] = {"appointments", "attended", "dnas", "patient_cancellations",
					     "hospital_cancellations", "last_minute_cancellations", "reschedules"};
	int cc[7];
	for (int k = 0; k < 7; k++)
		cc[k] = col(out, counts[k]);
	int c_id = col(out, "pathway_id"), c_last = col(out, "last_contact_date"), c_next = col(out, "next_appointment_date");
	tbl_reserve(out, rows);
	for (size_t k = 0; k < rows; k++) {
		const acc *x = &a[k];
		size_t o = tbl_add_row(out);
		int64_t v[7] = {x->appts, x->attended, x->dnas, x->pcanc, x->hcanc, x->last_minute, x->resched};
		tbl_set_sid(out, c_id, o, tbl_sid(pw, p_id, order[k].r));
		for (int j = 0; j < 7; j++)
			tbl_set_int(out, cc[j], o, v[j]);
		tbl_set_date(out, c_last, o, x->last_contact);
		tbl_set_date(out, c_next, o, x->next_appt);
	}
	free(a);
	free(order);
	hmap_free(&pos);
	return 0;
}

const model_def model_int_pathway_events = {
	.name = "int_pathway_events",
	.layer = LAYER_INTERMEDIATE,
	.description = "Appointment history of each pathway as known at the census: bookings, attendances, DNAs, "
		       "cancellations by side, reschedules, the last contact and the next booked slot; one row per "
		       "pathway, by pathway_id",
	.upstream = upstream,
	.cols = cols,
	.ncols = NCOLS(cols),
	.flags = MODEL_PATIENT_LEVEL,
	.tests = tests,
	.build = build,
};
