/* Static reference data of the generator: treatment functions and their
 * volumes, the proposed procedures of each, the chronic conditions (the
 * same rows as data/comorbidities.csv), cancellation reasons and names. */
#include "synth/synth_int.h"

/* Weights: share of referrals per mille, after the national RTT mix of the
 * main functions (T&O, ophthalmology, ENT, general surgery, gynaecology and
 * dermatology the largest). */
const struct tfdef sy_tf_tab[NTF] = {
	{"100", "GENERAL SURGERY", 100},
	{"101", "UROLOGY", 55},
	{"110", "TRAUMA AND ORTHOPAEDICS", 160},
	{"120", "EAR NOSE AND THROAT", 105},
	{"130", "OPHTHALMOLOGY", 125},
	{"140", "ORAL SURGERY", 45},
	{"160", "PLASTIC SURGERY", 15},
	{"170", "CARDIOTHORACIC SURGERY", 5},
	{"300", "GENERAL INTERNAL MEDICINE", 5},
	{"301", "GASTROENTEROLOGY", 60},
	{"320", "CARDIOLOGY", 55},
	{"330", "DERMATOLOGY", 85},
	{"340", "RESPIRATORY MEDICINE", 30},
	{"400", "NEUROLOGY", 30},
	{"410", "RHEUMATOLOGY", 20},
	{"430", "GERIATRIC MEDICINE", 8},
	{"502", "GYNAECOLOGY", 100},
};

#define ASSESS "710824005", "Assessment of health and social care needs"

/* tf, irtt, daycase, sex, amin, amax, resolves, P1, weight, cost (pence), procedure, reason condition.
 * P1: whether an emergency or urgent clinical priority (P1a within 24 hours, P1b within 72 hours) is plausible
 * for it. Only operations that can be urgent for the patient's life or function are: coronary bypass and
 * valve replacement (unstable angina, critical stenosis), coronary intervention (unstable angina) and
 * spinal decompression (cauda equina, progressive neurological deficit). Cataract, hernia repair, joint
 * replacement, tonsillectomy and the like never are: an emergency there is an emergency admission, not a
 * waiting-list priority. */
const struct procdef sy_proc_tab[] = {
	{0, 1, 1, 0, 18, 99, 1, 0, 40, 210000, "44558001", "Repair of inguinal hernia", "396232000", "Inguinal hernia"},
	{0, 1, 0, 0, 18, 99, 1, 0, 35, 420000, "38102005", "Cholecystectomy", "235919008", "Cholelithiasis"},
	{0, 0, 0, 0, 18, 99, 0, 0, 25, 31000, "35646002", "Excision of lesion of skin", "", ""},
	{1, 1, 0, 1, 50, 99, 0, 0, 35, 480000, "90470006", "Prostatectomy", "266569009",
	 "Benign prostatic hyperplasia"},
	{1, 1, 1, 1, 25, 60, 0, 0, 15, 95000, "22523008", "Vasectomy", "", ""},
	{1, 0, 0, 0, 18, 99, 0, 0, 50, 42000, "176178006", "Diagnostic cystoscopy", "68566005",
	 "Urinary tract infection"},
	{2, 1, 0, 0, 45, 99, 0, 0, 35, 760000, "609588000", "Total knee replacement", "239873007",
	 "Osteoarthritis of knee"},
	{2, 1, 0, 0, 45, 99, 0, 0, 30, 780000, "52734007", "Total hip replacement", "239872002",
	 "Osteoarthritis of hip"},
	{2, 1, 0, 0, 25, 90, 0, 1, 10, 690000, "387731002", "Laminectomy", "23056005", "Sciatica"},
	{2, 1, 1, 0, 25, 85, 0, 0, 10, 360000, "304384006", "Complete repair of rotator cuff", "", ""},
	{2, 0, 0, 0, 16, 99, 0, 0, 15, 9000, "91251008", "Physical therapy procedure", "279039007", "Low back pain"},
	{3, 1, 1, 0, 3, 40, 1, 0, 35, 190000, "173422009", "Tonsillectomy", "43878008", "Streptococcal sore throat"},
	{3, 0, 0, 0, 5, 80, 0, 0, 30, 12000, "180256009", "Subcutaneous immunotherapy", "61582004",
	 "Allergic rhinitis"},
	{3, 0, 0, 0, 18, 99, 0, 0, 35, 14000, ASSESS, "15188001", "Hearing loss"},
	{4, 1, 1, 0, 40, 99, 1, 0, 60, 98000, "54885007", "Cataract extraction", "193570009", "Cataract"},
	{4, 0, 0, 0, 40, 99, 0, 0, 25, 11000, "36228007", "Ophthalmic examination and evaluation", "23986001",
	 "Glaucoma"},
	{4, 0, 0, 0, 55, 99, 0, 0, 15, 11000, "36228007", "Ophthalmic examination and evaluation", "267718000",
	 "Macular degeneration"},
	{5, 1, 1, 0, 16, 60, 1, 0, 100, 85000, "65546002", "Extraction of wisdom tooth", "196416002",
	 "Impacted molars"},
	{6, 1, 1, 0, 18, 99, 1, 0, 100, 120000, "35646002", "Excision of lesion of skin", "254701007",
	 "Basal cell carcinoma of skin"},
	{7, 1, 0, 0, 45, 90, 0, 1, 60, 1450000, "232717009", "Coronary artery bypass grafting", "53741008",
	 "Coronary arteriosclerosis"},
	{7, 1, 0, 0, 55, 99, 0, 1, 40, 1620000, "34068001", "Heart valve replacement", "60573004",
	 "Aortic valve stenosis"},
	{8, 0, 0, 0, 18, 99, 0, 0, 100, 16000, ASSESS, "271737000", "Anaemia"},
	{9, 1, 1, 0, 18, 90, 1, 0, 50, 65000, "73761001", "Colonoscopy", "68496003", "Polyp of colon"},
	{9, 0, 0, 0, 18, 99, 0, 0, 30, 15000, ASSESS, "10743008", "Irritable bowel syndrome"},
	{9, 0, 0, 0, 18, 99, 0, 0, 20, 15000, ASSESS, "235595009", "Gastro-oesophageal reflux disease"},
	{10, 1, 1, 0, 40, 99, 0, 1, 35, 520000, "415070008", "Percutaneous coronary intervention", "194828000",
	 "Angina"},
	{10, 1, 1, 0, 30, 90, 0, 0, 20, 610000, "18286008", "Catheter ablation of cardiac tissue", "49436004",
	 "Atrial fibrillation"},
	{10, 0, 0, 0, 18, 99, 0, 0, 45, 6000, "29303009", "Electrocardiographic procedure", "29857009", "Chest pain"},
	{11, 1, 1, 0, 18, 99, 1, 0, 40, 88000, "35646002", "Excision of lesion of skin", "254701007",
	 "Basal cell carcinoma of skin"},
	{11, 0, 0, 0, 5, 99, 0, 0, 30, 13000, ASSESS, "9014002", "Psoriasis"},
	{11, 0, 0, 0, 0, 99, 0, 0, 30, 13000, ASSESS, "24079001", "Atopic dermatitis"},
	{12, 0, 0, 0, 16, 99, 0, 0, 50, 9000, "127783003", "Spirometry", "267036007", "Dyspnoea"},
	{12, 0, 0, 0, 30, 99, 0, 0, 50, 17000, ASSESS, "78275009", "Obstructive sleep apnoea syndrome"},
	{13, 0, 0, 0, 5, 95, 0, 0, 40, 21000, "54550000", "Electroencephalogram", "84757009", "Epilepsy"},
	{13, 0, 0, 0, 12, 90, 0, 0, 60, 16000, ASSESS, "37796009", "Migraine"},
	{14, 0, 0, 0, 40, 99, 0, 0, 50, 9000, "312681000", "Bone density scan", "64859006", "Osteoporosis"},
	{14, 0, 0, 0, 50, 99, 0, 0, 50, 16000, ASSESS, "65323003", "Polymyalgia rheumatica"},
	{15, 0, 0, 0, 70, 110, 0, 0, 100, 19000, ASSESS, "404640003", "Dizziness"},
	{16, 1, 0, 2, 30, 75, 1, 0, 35, 560000, "236886002", "Hysterectomy", "95315005", "Uterine leiomyoma"},
	{16, 0, 0, 2, 18, 55, 0, 0, 45, 16000, "65200003", "Insertion of intrauterine contraceptive device", "386692008",
	 "Menorrhagia"},
	{16, 1, 1, 2, 25, 45, 0, 0, 20, 170000, "287664005", "Bilateral tubal ligation", "", ""},
};
const int sy_n_proc = (int)(sizeof sy_proc_tab / sizeof sy_proc_tab[0]);

/* Must list the same codes, in the same order, as data/comorbidities.csv.
 * code, group, description, prevalence per mille by age band, sex, prerequisite,
 * resolvable, Charlson, care plan chance per mille, care plan */
const struct comorb sy_comorb_tab[] = {
	{"44054006", "diabetes", "Diabetes mellitus type 2", {1, 15, 70, 140, 170}, 0, -1, 0, 1, 700, "698360004",
	 "Diabetes self management plan"},
	{"368581000119106", "diabetes_complicated", "Neuropathy due to type 2 diabetes mellitus", {0, 100, 150, 200, 250},
	 0, 0, 0, 1, 0, "", ""},
	{"127013003", "diabetes_complicated", "Disorder of kidney due to diabetes mellitus", {0, 60, 100, 140, 180}, 0, 0,
	 0, 1, 0, "", ""},
	{"53741008", "myocardial_infarction", "Coronary arteriosclerosis", {0, 1, 20, 70, 130}, 0, -1, 0, 1, 0, "", ""},
	{"22298006", "myocardial_infarction", "Myocardial infarction", {0, 0, 5, 15, 25}, 0, -1, 0, 1, 0, "", ""},
	{"399211009", "myocardial_infarction", "History of myocardial infarction", {0, 1, 10, 40, 70}, 0, -1, 0, 1, 0,
	 "", ""},
	{"84114007", "congestive_heart_failure", "Heart failure", {0, 1, 5, 25, 80}, 0, -1, 0, 1, 500, "735984001",
	 "Heart failure self management plan"},
	{"88805009", "congestive_heart_failure", "Chronic congestive heart failure", {0, 0, 2, 10, 30}, 0, -1, 0, 1, 0,
	 "", ""},
	{"400047006", "peripheral_vascular_disease", "Peripheral vascular disease", {0, 1, 8, 30, 60}, 0, -1, 0, 1, 0,
	 "", ""},
	{"230690007", "cerebrovascular_disease", "Cerebrovascular accident", {0, 1, 8, 30, 70}, 0, -1, 0, 1, 0, "", ""},
	{"266257000", "cerebrovascular_disease", "Transient ischaemic attack", {0, 1, 6, 20, 40}, 0, -1, 0, 1, 0, "",
	 ""},
	{"26929004", "dementia", "Alzheimer's disease", {0, 0, 1, 15, 90}, 0, -1, 0, 1, 500, "386257007",
	 "Dementia management"},
	{"52448006", "dementia", "Dementia", {0, 0, 1, 10, 50}, 0, -1, 0, 1, 300, "386257007", "Dementia management"},
	{"13645005", "chronic_pulmonary_disease", "Chronic obstructive lung disease", {0, 2, 25, 70, 90}, 0, -1, 0, 1,
	 800, "412776001", "Chronic obstructive pulmonary disease clinical management plan"},
	{"185086009", "chronic_pulmonary_disease", "Chronic obstructive bronchitis", {0, 2, 10, 25, 30}, 0, -1, 0, 1,
	 400, "412776001", "Chronic obstructive pulmonary disease clinical management plan"},
	{"87433001", "chronic_pulmonary_disease", "Pulmonary emphysema", {0, 0, 5, 15, 20}, 0, -1, 0, 1, 0, "", ""},
	{"195967001", "chronic_pulmonary_disease", "Asthma", {90, 70, 60, 55, 50}, 0, -1, 1, 1, 500, "699728000",
	 "Asthma self management"},
	{"69896004", "rheumatic_disease", "Rheumatoid arthritis", {0, 3, 10, 15, 15}, 3, -1, 0, 1, 300, "408869004",
	 "Musculoskeletal care"},
	{"55464009", "rheumatic_disease", "Systemic lupus erythematosus", {0, 2, 2, 1, 1}, 3, -1, 0, 1, 0, "", ""},
	{"13200003", "peptic_ulcer_disease", "Peptic ulcer", {0, 3, 8, 12, 15}, 0, -1, 1, 1, 0, "", ""},
	{"128302006", "mild_liver_disease", "Chronic hepatitis C", {0, 2, 3, 2, 1}, 0, -1, 1, 1, 0, "", ""},
	{"19943007", "mild_liver_disease", "Cirrhosis of liver", {0, 1, 4, 6, 4}, 0, -1, 0, 1, 0, "", ""},
	{"34742003", "severe_liver_disease", "Portal hypertension", {0, 100, 150, 200, 200}, 0, 21, 0, 1, 0, "", ""},
	{"50582007", "hemiplegia", "Hemiplegia", {1, 1, 2, 4, 8}, 0, -1, 0, 1, 0, "", ""},
	{"433144002", "renal_disease", "Chronic kidney disease stage 3", {0, 2, 20, 70, 150}, 0, -1, 0, 1, 0, "", ""},
	{"431857002", "renal_disease", "Chronic kidney disease stage 4", {0, 0, 3, 10, 25}, 0, -1, 0, 1, 0, "", ""},
	{"46177005", "renal_disease", "End-stage renal disease", {0, 0, 1, 3, 4}, 0, -1, 0, 1, 0, "", ""},
	{"363406005", "malignancy", "Malignant neoplasm of colon", {0, 0, 2, 8, 15}, 0, -1, 1, 1, 0, "", ""},
	{"254637007", "malignancy", "Non-small cell lung cancer", {0, 0, 2, 7, 10}, 0, -1, 0, 1, 0, "", ""},
	{"254837009", "malignancy", "Malignant neoplasm of breast", {0, 1, 10, 25, 30}, 2, -1, 1, 1, 0, "", ""},
	{"399068003", "malignancy", "Malignant tumour of prostate", {0, 0, 5, 35, 60}, 1, -1, 0, 1, 0, "", ""},
	{"94260004", "metastatic_solid_tumour", "Secondary malignant neoplasm of colon", {0, 0, 150, 150, 150}, 0, 27, 0,
	 1, 300, "385763009", "Hospice care"},
	{"86406008", "hiv_aids", "Human immunodeficiency virus infection", {0, 2, 2, 1, 0}, 0, -1, 0, 1, 0, "", ""},
	{"59621000", "other", "Essential hypertension", {1, 20, 150, 350, 500}, 0, -1, 0, 0, 300, "443402002",
	 "Lifestyle education regarding hypertension"},
	{"55822004", "other", "Hyperlipidaemia", {1, 15, 100, 250, 300}, 0, -1, 0, 0, 300, "736285004",
	 "Hyperlipidemia clinical management plan"},
	{"49436004", "other", "Atrial fibrillation", {0, 1, 10, 60, 150}, 0, -1, 0, 0, 0, "", ""},
	{"162864005", "other", "Body mass index 30+ - obesity", {30, 150, 250, 250, 180}, 0, -1, 1, 0, 0, "", ""},
	{"35489007", "other", "Depressive disorder", {10, 80, 90, 70, 60}, 0, -1, 1, 0, 0, "", ""},
	{"64859006", "other", "Osteoporosis", {0, 1, 15, 60, 120}, 3, -1, 0, 0, 0, "", ""},
};
const int sy_n_comorb = (int)(sizeof sy_comorb_tab / sizeof sy_comorb_tab[0]);

/* Standard codes of data/cancellation_reasons.csv, weighted by how often each is used. */
const struct reason sy_pat_reasons[] = {
	{"PAT_ILL", 30}, {"PAT_WORK", 18}, {"PAT_TRANSPORT", 8}, {"PAT_CARER", 8},
	{"PAT_HOLIDAY", 12}, {"PAT_DECLINED", 8}, {"PAT_SYMPTOMS_RESOLVED", 6}, {"PAT_BEREAVEMENT", 3},
	{"PAT_COVID_ISOLATION", 2}, {"PAT_OTHER_APPOINTMENT", 5},
};
const int sy_n_pat_reasons = (int)(sizeof sy_pat_reasons / sizeof sy_pat_reasons[0]);

/* Hospital cancellations days or weeks ahead of the slot. */
const struct reason sy_hosp_reasons[] = {
	{"HOSP_STAFF_SICKNESS", 20}, {"HOSP_ADMIN_ERROR", 25}, {"HOSP_CLINICIAN_UNAVAILABLE", 30},
	{"HOSP_EQUIPMENT", 10}, {"HOSP_EMERGENCY_PRIORITY", 10}, {"HOSP_NO_BED", 5},
};
const int sy_n_hosp_reasons = (int)(sizeof sy_hosp_reasons / sizeof sy_hosp_reasons[0]);

/* Hospital cancellations on the day or the day before (last minute). */
const struct reason sy_hosp_day_reasons[] = {
	{"HOSP_NO_BED", 30}, {"HOSP_THEATRE_OVERRUN", 25}, {"HOSP_EMERGENCY_PRIORITY", 20},
	{"HOSP_STAFF_SICKNESS", 12}, {"HOSP_EQUIPMENT", 8}, {"HOSP_ADMIN_ERROR", 5},
};
const int sy_n_hosp_day_reasons = (int)(sizeof sy_hosp_day_reasons / sizeof sy_hosp_day_reasons[0]);

/* What sites that log poorly type instead of a code. */
const char *const sy_bad_reasons[] = {
	"pt rang", "other", "see notes", "cancelled", "rebooked", "pt request", "clinic change",
	"Other - see comments", "phoned", "n/a",
};
const int sy_n_bad_reasons = (int)(sizeof sy_bad_reasons / sizeof sy_bad_reasons[0]);

const char *const sy_first_m[] = {
	"Oliver", "George", "Harry", "Jack", "Jacob", "Noah", "Charlie", "Thomas", "Oscar", "William",
	"James", "Henry", "Leo", "Alfie", "Joshua", "Freddie", "Archie", "Ethan", "Isaac", "Alexander",
	"Daniel", "Samuel", "Joseph", "Max", "Logan", "Lucas", "Mason", "Theo", "Dylan", "Benjamin",
	"David", "John", "Michael", "Peter", "Paul", "Richard", "Robert", "Stephen", "Andrew", "Mark",
	"Christopher", "Ian", "Kevin", "Gary", "Brian", "Colin", "Derek", "Keith", "Graham", "Trevor",
	"Mohammed", "Ahmed", "Arjun", "Ravi", "Imran", "Kwame", "Tunde", "Piotr", "Tomasz", "Marek",
};
const int sy_n_first_m = (int)(sizeof sy_first_m / sizeof sy_first_m[0]);

const char *const sy_first_f[] = {
	"Olivia", "Amelia", "Isla", "Ava", "Emily", "Sophia", "Grace", "Mia", "Poppy", "Ella",
	"Lily", "Evie", "Isabella", "Sophie", "Ivy", "Freya", "Harper", "Willow", "Daisy", "Florence",
	"Margaret", "Susan", "Patricia", "Elizabeth", "Mary", "Jean", "Linda", "Barbara", "Janet", "Christine",
	"Sarah", "Helen", "Karen", "Julie", "Claire", "Emma", "Rachel", "Lisa", "Joanne", "Nicola",
	"Dorothy", "Joan", "Pauline", "Sandra", "Brenda", "Valerie", "Gillian", "Maureen", "Irene", "Sheila",
	"Fatima", "Aisha", "Priya", "Sunita", "Nadia", "Abena", "Chiamaka", "Agnieszka", "Katarzyna", "Zofia",
};
const int sy_n_first_f = (int)(sizeof sy_first_f / sizeof sy_first_f[0]);

const char *const sy_surnames[] = {
	"Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Patel", "Robinson",
	"Wright", "Thompson", "Evans", "Walker", "White", "Roberts", "Green", "Hall", "Thomas", "Clarke",
	"Jackson", "Wood", "Harris", "Edwards", "Turner", "Martin", "Cooper", "Hill", "Ward", "Hughes",
	"Moore", "Clark", "King", "Harrison", "Lewis", "Baker", "Lee", "Allen", "Morris", "Khan",
	"Scott", "Watson", "Davis", "Parker", "James", "Bennett", "Young", "Phillips", "Richardson", "Mitchell",
	"Bailey", "Carter", "Cook", "Singh", "Shaw", "Bell", "Collins", "Morgan", "Kelly", "Begum",
	"Dixon", "Miller", "Adams", "Campbell", "Ali", "Anderson", "Ellis", "Mason", "Chapman", "Fletcher",
	"Hussain", "Okafor", "Mensah", "Nowak", "Kowalski", "Ahmed", "Sharma", "Chen", "Murphy", "Price",
	"Holmes", "Barker", "Lloyd", "Webb", "Marshall", "Griffiths", "Stevens", "Pearson", "Owen", "Kaur",
	"Foster", "Knight", "Russell", "Gibson", "Palmer", "Rose", "Hunt", "Butler", "Barnes", "Fisher",
};
const int sy_n_surnames = (int)(sizeof sy_surnames / sizeof sy_surnames[0]);

const char *const sy_streets[] = {
	"High Street", "Station Road", "Church Lane", "Main Street", "Park Road", "Victoria Road",
	"Green Lane", "Manor Road", "Church Street", "Mill Lane", "Kings Road", "Queens Road",
	"New Road", "School Lane", "The Crescent", "Grange Road", "Springfield Road", "Chapel Street",
	"York Road", "Alexandra Road", "Albert Road", "North Street", "South Street", "Windsor Road",
	"The Avenue", "Highfield Road", "Orchard Close", "Meadow Way", "Beech Grove", "Elm Drive",
	"Willow Close", "Oak Avenue", "Moor Lane", "Brook Street", "Castle Street", "Market Place",
};
const int sy_n_streets = (int)(sizeof sy_streets / sizeof sy_streets[0]);
