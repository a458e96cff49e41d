/* The data contract (docs/data-contract.md) as data: one declaration per
 * source table, read by the loader, the source checks and the diagram. */
#include "contract/schema.h"
#include <string.h>

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))
#define R COL_NOTNULL
#define O COL_OPTIONAL
#define COLS(a) .ncols = N(a), .cols = (a)
#define FKS(a) .nfks = N(a), .fks = (a)

static const char *const e_gender[] = {"M", "F", NULL};
static const char *const e_class[] = {"wellness", "ambulatory", "outpatient", "inpatient", "emergency",
				      "urgentcare", "hospice", "home", "snf", "virtual", NULL};
static const char *const e_wltype[] = {"IRTT", "ORTT", NULL};
static const char *const e_priority[] = {"P1a", "P1b", "P2", "P3", "P4", NULL};
static const char *const e_ptype[] = {"1", "2", "3", NULL};
static const char *const e_stop[] = {"30", "31", "32", "33", "34", "35", "36", NULL};
static const char *const e_appt[] = {"FIRST", "FOLLOWUP", "PREOP", "DIAGNOSTIC", "SURGERY", NULL};
static const char *const e_attend[] = {"0", "2", "3", "4", "5", "6", "7", NULL};
static const char *const e_sesstype[] = {"CLINIC", "THEATRE", NULL};
static const char *const e_sessstat[] = {"HELD", "CANCELLED", NULL};
static const char *const e_side[] = {"patient", "hospital", "session", NULL};
static const char *const e_yesno[] = {"yes", "no", NULL};

static const src_col patients[] = {
	{"Id", T_STR, R, 0, 0, 0},
	{"BIRTHDATE", T_DATE, R, 0, 0, 0},
	{"DEATHDATE", T_DATE, 0, 0, 0, 0},
	{"FIRST", T_STR, O, 0, 0, 0},
	{"LAST", T_STR, O, 0, 0, 0},
	{"RACE", T_STR, 0, 0, 0, 0},
	{"ETHNICITY", T_STR, 0, 0, 0, 0},
	{"GENDER", T_STR, R, e_gender, 0, 0},
	{"CITY", T_STR, O, 0, 0, 0},
	{"ZIP", T_STR, O, 0, 0, 0},
	{"INCOME", T_INT, O, 0, 0, 0},
	{"IMD_DECILE", T_INT, O | COL_RANGE, 0, 1, 10},
};

static const src_col organizations[] = {
	{"Id", T_STR, R, 0, 0, 0},
	{"NAME", T_STR, 0, 0, 0, 0},
	{"CITY", T_STR, O, 0, 0, 0},
	{"ZIP", T_STR, O, 0, 0, 0},
};

static const src_col providers[] = {
	{"Id", T_STR, R, 0, 0, 0},
	{"ORGANIZATION", T_STR, R, 0, 0, 0},
	{"NAME", T_STR, 0, 0, 0, 0},
	{"GENDER", T_STR, O, 0, 0, 0},
	{"SPECIALITY", T_STR, 0, 0, 0, 0},
};

static const src_col encounters[] = {
	{"Id", T_STR, R, 0, 0, 0},
	{"START", T_TS, R, 0, 0, 0},
	{"STOP", T_TS, 0, 0, 0, 0},
	{"PATIENT", T_STR, R, 0, 0, 0},
	{"ORGANIZATION", T_STR, 0, 0, 0, 0},
	{"PROVIDER", T_STR, 0, 0, 0, 0},
	{"ENCOUNTERCLASS", T_STR, R, e_class, 0, 0},
	{"CODE", T_STR, 0, 0, 0, 0},
	{"DESCRIPTION", T_STR, 0, 0, 0, 0},
	{"REASONCODE", T_STR, O, 0, 0, 0},
	{"REASONDESCRIPTION", T_STR, O, 0, 0, 0},
};

static const src_col conditions[] = {
	{"START", T_DATE, R, 0, 0, 0},
	{"STOP", T_DATE, 0, 0, 0, 0},
	{"PATIENT", T_STR, R, 0, 0, 0},
	{"ENCOUNTER", T_STR, 0, 0, 0, 0},
	{"SYSTEM", T_STR, O, 0, 0, 0},
	{"CODE", T_STR, R, 0, 0, 0},
	{"DESCRIPTION", T_STR, 0, 0, 0, 0},
};

static const src_col procedures[] = {
	{"START", T_TS, R, 0, 0, 0},
	{"STOP", T_TS, O, 0, 0, 0},
	{"PATIENT", T_STR, R, 0, 0, 0},
	{"ENCOUNTER", T_STR, 0, 0, 0, 0},
	{"SYSTEM", T_STR, O, 0, 0, 0},
	{"CODE", T_STR, R, 0, 0, 0},
	{"DESCRIPTION", T_STR, 0, 0, 0, 0},
	{"REASONCODE", T_STR, O, 0, 0, 0},
	{"REASONDESCRIPTION", T_STR, O, 0, 0, 0},
};

static const src_col careplans[] = {
	{"Id", T_STR, R, 0, 0, 0},
	{"START", T_DATE, R, 0, 0, 0},
	{"STOP", T_DATE, 0, 0, 0, 0},
	{"PATIENT", T_STR, R, 0, 0, 0},
	{"ENCOUNTER", T_STR, O, 0, 0, 0},
	{"CODE", T_STR, 0, 0, 0, 0},
	{"DESCRIPTION", T_STR, 0, 0, 0, 0},
	{"REASONCODE", T_STR, O, 0, 0, 0},
};

static const src_col waiting_list[] = {
	{"PATHWAY_ID", T_STR, R, 0, 0, 0},
	{"PATIENT", T_STR, R, 0, 0, 0},
	{"ORGANIZATION", T_STR, R, 0, 0, 0},
	{"PROVIDER", T_STR, 0, 0, 0, 0},
	{"TREATMENT_FUNCTION", T_STR, R, 0, 0, 0},
	{"WAITING_LIST_TYPE", T_STR, R, e_wltype, 0, 0},
	{"PRIORITY", T_STR, 0, e_priority, 0, 0},
	{"PRIORITY_TYPE", T_STR, O, e_ptype, 0, 0},
	{"REFERRAL_DATE", T_DATE, 0, 0, 0, 0},
	{"RTT_START_DATE", T_DATE, O, 0, 0, 0},
	{"DECISION_TO_ADMIT_DATE", T_DATE, 0, 0, 0, 0},
	{"PRIORITY_DATE", T_DATE, O, 0, 0, 0},
	{"TCI_DATE", T_DATE, 0, 0, 0, 0},
	{"CLOCK_STOP_DATE", T_DATE, 0, 0, 0, 0},
	{"CLOCK_STOP_REASON", T_STR, 0, e_stop, 0, 0},
	{"PROCEDURE_CODE", T_STR, 0, 0, 0, 0},
	{"PROCEDURE_DESCRIPTION", T_STR, 0, 0, 0, 0},
	{"LAST_VALIDATION_DATE", T_DATE, 0, 0, 0, 0},
};

static const src_col appointments[] = {
	{"Id", T_STR, R, 0, 0, 0},
	{"PATHWAY_ID", T_STR, R, 0, 0, 0},
	{"PATIENT", T_STR, R, 0, 0, 0},
	{"ORGANIZATION", T_STR, R, 0, 0, 0},
	{"PROVIDER", T_STR, 0, 0, 0, 0},
	{"SESSION_ID", T_STR, 0, 0, 0, 0},
	{"TYPE", T_STR, R, e_appt, 0, 0},
	{"SLOT_START", T_TS, R, 0, 0, 0},
	{"BOOKED_AT", T_TS, R, 0, 0, 0},
	{"ATTENDANCE", T_STR, R, e_attend, 0, 0},
	{"CANCELLED_AT", T_TS, 0, 0, 0, 0},
	{"CANCELLATION_REASON", T_STR, 0, 0, 0, 0},
	{"ENCOUNTER", T_STR, 0, 0, 0, 0},
};

static const src_col sessions[] = {
	{"Id", T_STR, R, 0, 0, 0},
	{"ORGANIZATION", T_STR, R, 0, 0, 0},
	{"TREATMENT_FUNCTION", T_STR, R, 0, 0, 0},
	{"SESSION_TYPE", T_STR, R, e_sesstype, 0, 0},
	{"DATE", T_DATE, R, 0, 0, 0},
	{"PLANNED_SLOTS", T_INT, R | COL_RANGE, 0, 0, 100000},
	{"STATUS", T_STR, R, e_sessstat, 0, 0},
	{"CANCELLATION_REASON", T_STR, 0, 0, 0, 0},
};

static const src_col org_hierarchy[] = {
	{"SITE_ID", T_STR, R, 0, 0, 0},
	{"SITE_CODE", T_STR, R, 0, 0, 0},
	{"SITE_NAME", T_STR, 0, 0, 0, 0},
	{"TRUST_CODE", T_STR, R, 0, 0, 0},
	{"TRUST_NAME", T_STR, 0, 0, 0, 0},
	{"ICS_CODE", T_STR, R, 0, 0, 0},
	{"ICS_NAME", T_STR, 0, 0, 0, 0},
};

static const src_col comorbidities[] = {
	{"SNOMED_CODE", T_STR, R, 0, 0, 0},
	{"GROUP", T_STR, R, 0, 0, 0},
	{"DESCRIPTION", T_STR, 0, 0, 0, 0},
	{"SUPERSEDES", T_STR, O, 0, 0, 0}, /* groups this group replaces, '|' between */
	{"COUNTED", T_STR, O, e_yesno, 0, 0}, /* no: recognised, not counted */
};

static const src_col community_careplans[] = {
	{"SNOMED_CODE", T_STR, R, 0, 0, 0},
	{"DESCRIPTION", T_STR, 0, 0, 0, 0},
	{"CARE_SETTING", T_STR, 0, 0, 0, 0},
};

static const src_col cancel_reasons[] = {
	{"CODE", T_STR, R, 0, 0, 0},
	{"SIDE", T_STR, R, e_side, 0, 0},
	{"DESCRIPTION", T_STR, 0, 0, 0, 0},
};

static const src_col treatment_functions[] = {
	{"CODE", T_STR, R, 0, 0, 0},
	{"NAME", T_STR, R, 0, 0, 0},
	{"SPECIALITY", T_STR, 0, 0, 0, 0},
	{"ROLLUP", T_STR, 0, 0, 0, 0},
};

static const src_col elective_procedures[] = {
	{"SNOMED_CODE", T_STR, R, 0, 0, 0},
	{"TREATMENT_FUNCTION", T_STR, R, 0, 0, 0},
	{"WAITING_LIST_TYPE", T_STR, R, e_wltype, 0, 0},
	{"DESCRIPTION", T_STR, 0, 0, 0, 0},
};

static const src_col procedure_groups[] = {
	{"SNOMED_CODE", T_STR, R, 0, 0, 0},
	{"PROCEDURE_GROUP", T_STR, R, 0, 0, 0},
	{"DESCRIPTION", T_STR, 0, 0, 0, 0},
};

/* Foreign keys, child column -> parent table (by its key). FK_CASCADE
 * marks the links along which a rejected parent row sets its child rows
 * aside: to patients and to pathways, the rows the models join on. */
static const src_fk providers_fk[] = {
	{"ORGANIZATION", SRC_ORGANIZATIONS, 0},
};

static const src_fk encounters_fk[] = {
	{"PATIENT", SRC_PATIENTS, FK_CASCADE},
	{"ORGANIZATION", SRC_ORGANIZATIONS, 0},
	{"PROVIDER", SRC_PROVIDERS, 0},
};

static const src_fk conditions_fk[] = {
	{"PATIENT", SRC_PATIENTS, FK_CASCADE},
	{"ENCOUNTER", SRC_ENCOUNTERS, 0},
	{"CODE", SEED_COMORBIDITIES, FK_LOOKUP},
};

static const src_fk procedures_fk[] = {
	{"PATIENT", SRC_PATIENTS, FK_CASCADE},
	{"ENCOUNTER", SRC_ENCOUNTERS, 0},
	{"CODE", SEED_ELECTIVE_PROCEDURES, FK_LOOKUP | FK_CHECK_ELECTIVE},
};

static const src_fk careplans_fk[] = {
	{"PATIENT", SRC_PATIENTS, FK_CASCADE},
	{"ENCOUNTER", SRC_ENCOUNTERS, 0},
};

static const src_fk waiting_list_fk[] = {
	{"PATIENT", SRC_PATIENTS, FK_CASCADE},
	{"ORGANIZATION", SRC_ORGANIZATIONS, 0},
	{"PROVIDER", SRC_PROVIDERS, 0},
	{"TREATMENT_FUNCTION", SEED_TREATMENT_FUNCTIONS, FK_LOOKUP | FK_CHECK_MAPPED},
};

/* PATHWAY_ID first: an appointment of a rejected pathway is set aside
 * for its pathway, even when its patient was rejected too. */
static const src_fk appointments_fk[] = {
	{"PATHWAY_ID", SRC_WAITING_LIST, FK_CASCADE},
	{"PATIENT", SRC_PATIENTS, FK_CASCADE},
	{"ORGANIZATION", SRC_ORGANIZATIONS, 0},
	{"PROVIDER", SRC_PROVIDERS, 0},
	{"SESSION_ID", SRC_SESSIONS, 0},
	{"ENCOUNTER", SRC_ENCOUNTERS, 0},
	{"CANCELLATION_REASON", SEED_CANCELLATION_REASONS, FK_LOOKUP | FK_CHECK_MAPPED},
};

static const src_fk sessions_fk[] = {
	{"ORGANIZATION", SRC_ORGANIZATIONS, 0},
	{"TREATMENT_FUNCTION", SEED_TREATMENT_FUNCTIONS, FK_LOOKUP},
	{"CANCELLATION_REASON", SEED_CANCELLATION_REASONS, FK_LOOKUP},
};

static const src_fk org_hierarchy_fk[] = {
	{"SITE_ID", SRC_ORGANIZATIONS, 0},
};

static const src_fk elective_procedures_fk[] = {
	{"TREATMENT_FUNCTION", SEED_TREATMENT_FUNCTIONS, FK_LOOKUP},
};

const src_table source_tables[SRC_COUNT] = {
	[SRC_PATIENTS] = {.name = "patients", .file = "patients.csv", .required_file = 1, COLS(patients),
			  .description = "Synthea patients, with the IMD_DECILE extension column",
			  .key = "Id", .entity = "patient"},
	[SRC_ORGANIZATIONS] = {.name = "organizations", .file = "organizations.csv", .required_file = 1,
			       COLS(organizations),
			       .description = "Synthea organisations: hospital sites and practices",
			       .key = "Id", .one_name = "NAME"},
	[SRC_PROVIDERS] = {.name = "providers", .file = "providers.csv", .required_file = 1, COLS(providers),
			   .description = "Synthea clinicians; consultants on the waiting list",
			   .key = "Id", FKS(providers_fk)},
	[SRC_ENCOUNTERS] = {.name = "encounters", .file = "encounters.csv", .required_file = 1, COLS(encounters),
			    .description = "Synthea encounters (visits and stays)",
			    .key = "Id", FKS(encounters_fk), .fresh = "START"},
	[SRC_CONDITIONS] = {.name = "conditions", .file = "conditions.csv", .required_file = 1, COLS(conditions),
			    .description = "Synthea diagnoses with onset and resolution",
			    FKS(conditions_fk)},
	[SRC_PROCEDURES] = {.name = "procedures", .file = "procedures.csv", .required_file = 1, COLS(procedures),
			    .description = "Synthea procedures performed",
			    FKS(procedures_fk)},
	[SRC_CAREPLANS] = {.name = "careplans", .file = "careplans.csv", COLS(careplans),
			   .description = "Synthea care plans (community care)",
			   .key = "Id", FKS(careplans_fk)},
	[SRC_WAITING_LIST] = {.name = "waiting_list", .file = "waiting_list.csv", COLS(waiting_list),
			      .description = "Extension: RTT pathways after the Waiting List Minimum Data Set",
			      .key = "PATHWAY_ID", FKS(waiting_list_fk), .entity = "pathway",
			      .fresh = "REFERRAL_DATE"},
	[SRC_APPOINTMENTS] = {.name = "appointments", .file = "appointments.csv", COLS(appointments),
			      .description = "Extension: booked slots and their outcomes",
			      .key = "Id", FKS(appointments_fk), .fresh = "BOOKED_AT"},
	[SRC_SESSIONS] = {.name = "sessions", .file = "sessions.csv", COLS(sessions),
			  .description = "Extension: the capacity plan of clinics and theatre lists",
			  .key = "Id", FKS(sessions_fk), .fresh = "DATE"},
	[SRC_ORG_HIERARCHY] = {.name = "org_hierarchy", .file = "org_hierarchy.csv", COLS(org_hierarchy),
			       .description = "Extension: site -> Trust -> ICS",
			       .key = "SITE_ID", FKS(org_hierarchy_fk)},
	[SEED_COMORBIDITIES] = {.name = "comorbidities", .file = "comorbidities.csv", .required_file = 1,
				COLS(comorbidities),
				.description = "Seed: SNOMED CT chronic condition -> comorbidity group", .seed = 1,
				.key = "SNOMED_CODE"},
	[SEED_CANCELLATION_REASONS] = {.name = "cancellation_reasons", .file = "cancellation_reasons.csv",
				       .required_file = 1, COLS(cancel_reasons),
				       .description = "Seed: standard cancellation reason codes", .seed = 1,
				       .key = "CODE"},
	[SEED_TREATMENT_FUNCTIONS] = {.name = "treatment_functions", .file = "treatment_functions.csv",
				      .required_file = 1, COLS(treatment_functions),
				      .description = "Seed: NHS treatment function codes, names and Synthea specialities",
				      .seed = 1, .key = "CODE"},
	[SEED_ELECTIVE_PROCEDURES] = {.name = "elective_procedures", .file = "elective_procedures.csv",
				      .required_file = 1, COLS(elective_procedures),
				      .description = "Seed: SNOMED CT elective procedures -> treatment function (plain Synthea)",
				      .seed = 1, .key = "SNOMED_CODE", FKS(elective_procedures_fk)},
	[SEED_COMMUNITY_CAREPLANS] = {.name = "community_careplans", .file = "community_careplans.csv",
				      .required_file = 1, COLS(community_careplans),
				      .description = "Seed: SNOMED CT care plans that mean community or social care (risk model)",
				      .seed = 1},
	[SEED_PROCEDURE_GROUPS] = {.name = "procedure_groups", .file = "procedure_groups.csv", .required_file = 1,
				   COLS(procedure_groups),
				   .description = "Seed: SNOMED CT elective procedure -> procedure group (the backlog by procedure group)",
				   .seed = 1},
};

int src_col_index(const src_table *t, const char *name)
{
	for (int c = 0; name && c < t->ncols; c++)
		if (strcmp(t->cols[c].name, name) == 0)
			return c;
	return -1;
}
