/* The data contract (docs/data-contract.md) as data. */
#include "load/schema.h"

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))
#define R COL_NOTNULL
#define O COL_OPTIONAL

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

const src_table source_tables[SRC_COUNT] = {
	[SRC_PATIENTS] = {"patients", "patients.csv", 1, N(patients), patients,
			  "Synthea patients, with the IMD_DECILE extension column"},
	[SRC_ORGANIZATIONS] = {"organizations", "organizations.csv", 1, N(organizations), organizations,
			       "Synthea organisations: hospital sites and practices"},
	[SRC_PROVIDERS] = {"providers", "providers.csv", 1, N(providers), providers,
			   "Synthea clinicians; consultants on the waiting list"},
	[SRC_ENCOUNTERS] = {"encounters", "encounters.csv", 1, N(encounters), encounters,
			    "Synthea encounters (visits and stays)"},
	[SRC_CONDITIONS] = {"conditions", "conditions.csv", 1, N(conditions), conditions,
			    "Synthea diagnoses with onset and resolution"},
	[SRC_PROCEDURES] = {"procedures", "procedures.csv", 1, N(procedures), procedures,
			    "Synthea procedures performed"},
	[SRC_CAREPLANS] = {"careplans", "careplans.csv", 0, N(careplans), careplans,
			   "Synthea care plans (community care)"},
	[SRC_WAITING_LIST] = {"waiting_list", "waiting_list.csv", 0, N(waiting_list), waiting_list,
			      "Extension: RTT pathways after the Waiting List Minimum Data Set"},
	[SRC_APPOINTMENTS] = {"appointments", "appointments.csv", 0, N(appointments), appointments,
			      "Extension: booked slots and their outcomes"},
	[SRC_SESSIONS] = {"sessions", "sessions.csv", 0, N(sessions), sessions,
			  "Extension: the capacity plan of clinics and theatre lists"},
	[SRC_ORG_HIERARCHY] = {"org_hierarchy", "org_hierarchy.csv", 0, N(org_hierarchy), org_hierarchy,
			       "Extension: site -> Trust -> ICS"},
	[SEED_COMORBIDITIES] = {"comorbidities", "comorbidities.csv", 1, N(comorbidities), comorbidities,
				"Seed: SNOMED CT chronic condition -> comorbidity group", 1},
	[SEED_CANCELLATION_REASONS] = {"cancellation_reasons", "cancellation_reasons.csv", 1, N(cancel_reasons),
				       cancel_reasons, "Seed: standard cancellation reason codes", 1},
	[SEED_TREATMENT_FUNCTIONS] = {"treatment_functions", "treatment_functions.csv", 1, N(treatment_functions),
				      treatment_functions,
				      "Seed: NHS treatment function codes, names and Synthea specialities", 1},
	[SEED_ELECTIVE_PROCEDURES] = {"elective_procedures", "elective_procedures.csv", 1, N(elective_procedures),
				      elective_procedures,
				      "Seed: SNOMED CT elective procedures -> treatment function (plain Synthea)", 1},
	[SEED_COMMUNITY_CAREPLANS] = {"community_careplans", "community_careplans.csv", 1, N(community_careplans),
				      community_careplans,
				      "Seed: SNOMED CT care plans that mean community or social care (risk model)", 1},
	[SEED_PROCEDURE_GROUPS] = {"procedure_groups", "procedure_groups.csv", 1, N(procedure_groups),
				   procedure_groups,
				   "Seed: SNOMED CT elective procedure -> procedure group (the backlog by procedure group)", 1},
};

