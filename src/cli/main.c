/* medimart: command line entry point. Parses the verb and its options,
 * then hands over to the synth generator or the model pipeline. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli/opts.h"
#include "synth/synth.h"
#include "util/date.h"
#include "util/diag.h"
#include "util/version.h"

static const struct verb_info {
	const char *name;
	const char *summary;
	const char *usage;
} verbs[VERB_COUNT] = {
	[VERB_SYNTH] = {"synth", "generate a synthetic Synthea-format data set with waiting-list tables",
			"  --patients N     people with at least one pathway (default 20000)\n"
			"  --seed S         random seed (default 42)\n"
			"  --months M       span of the data in months (default 24)\n"
			"  --end DATE       last day of the span, YYYY-MM-DD (default 2025-09-30)\n"
			"  --out DIR        output folder (default data)\n"},
	[VERB_RUN] = {"run", "load the sources, compute the models, write model tables to the target folder",
		      "  --data DIR       input folder (default: ./data, else the data/ of the binary's source tree)\n"
		      "  --target DIR     working outputs: model CSVs, run record (default target)\n"
		      "  --materialize M  marts (default: only the marts' CSVs in DIR/models/) or all (every\n"
		      "                   model's, staging and intermediate too)\n"
		      "  --census DATE    census date YYYY-MM-DD (default: last month end in the data)\n"
		      "  --rules FILE     risk rules (default DATA/risk_rules.txt, else data/risk_rules.txt)\n"
		      "  --select SEL     only MODEL, MODEL+ (and downstream) or +MODEL (and upstream)\n"
		      "  --dump           print each model's first rows to stdout\n"},
	[VERB_TEST] = {"test", "compute the models and run their data tests",
		       "  --data DIR, --target DIR, --materialize M, --census DATE, --rules FILE,\n"
		       "  --select SEL as for run\n"
		       "  --no-target      write nothing to the target folder\n"
		       "  Exits 1 when an error-level data test fails.\n"},
	[VERB_DOCS] = {"docs", "compute the models and render the static HTML site (with the PDF packs for the board)",
		       "  --data DIR, --target DIR, --materialize M, --census DATE, --rules FILE as for run\n"
		       "  --out DIR        site folder (default site; site-clinical for --audience clinical)\n"
		       "  --audience A     board (default; aggregates only) or clinical (adds worklists)\n"
		       "  --templates DIR  page templates (default: ./templates, else the binary's source tree,\n"
		       "                   else the installed share folder)\n"
		       "  --no-target      write nothing to the target folder (no patient-level CSVs)\n"
		       "  Runs the data tests first: when an error-level test fails, nothing is published\n"
		       "  (the folder keeps its previous site) and the exit status is 1.\n"},
	[VERB_PACK] = {"pack", "render the PDF briefing packs into OUT/packs/ (board audience)",
		       "  [PACK...]        only these packs: brief, trust (every Trust's), trust:RX101, ics:QX1;\n"
		       "                   the same as --select PACK,PACK (default: every pack)\n"
		       "  --data DIR, --target DIR, --materialize M, --census DATE, --rules FILE as for run\n"
		       "  --templates DIR, --no-target as for docs\n"
		       "  --out DIR        site folder; packs go to DIR/packs/ (default site)\n"
		       "  Runs the data tests first: when an error-level test fails, no pack is written.\n"
		       "  Fonts come from MEDIMART_FONT_DIR (default /usr/share/fonts/truetype/dejavu);\n"
		       "  SOURCE_DATE_EPOCH sets the documents' date (default: the census date).\n"},
	[VERB_BUILD] = {"build", "run, test, docs and pack in order; models downstream of a failed test are skipped",
			"  all options of run, test and docs, --templates DIR and --no-target among them\n"
			"  With --select, only the selected models are built and nothing is published.\n"},
	[VERB_LS] = {"ls", "list every model with its layer, rows in the last run and description",
		     "  --target DIR     folder of the last run: rows are read from DIR/run_results.json\n"
		     "                   (default target); without a run, rows show as -\n"},
	[VERB_LINEAGE] = {"lineage", "show what a model or column is derived from and what is built from it",
			  "  NAME             MODEL, MODEL.COLUMN, an input file or FILE.COLUMN (e.g. patients.BIRTHDATE),\n"
			  "                   or a run parameter (census, rules)\n"},
};

static void usage_tool(FILE *f)
{
	fprintf(f, "usage: medimart [-q] [--version] [--help] VERB [options]\n\n"
		   "MediMart computes NHS elective-care (RTT waiting list) models from\n"
		   "Synthea-format CSV data and publishes a static site and briefing packs.\n\nVerbs:\n");
	for (int i = 0; i < VERB_COUNT; i++)
		fprintf(f, "  %-8s %s\n", verbs[i].name, verbs[i].summary);
	fprintf(f, "\nCommon options, before or after the verb: -q/--quiet (only warnings, failures, errors\n"
		   "and the summary), -h/--help. Colour only on a terminal, never with NO_COLOR set.\n"
		   "Run 'medimart VERB --help' for a verb's options.\n"
		   "Exit status: 0 success, 1 data tests or the build failed, 2 usage or input error.\n");
}

static void usage_verb(FILE *f, enum verb v)
{
	int lineage = v == VERB_LINEAGE; /* takes a name, not options */
	fprintf(f, "usage: medimart %s %s\n\n%s.\n\n%s:\n%s%s  -q, --quiet      only warnings, failures, errors and the summary\n"
		   "  -h, --help       this help\n",
		verbs[v].name, lineage ? "NAME" : v == VERB_PACK ? "[options] [PACK...]" : "[options]", verbs[v].summary, lineage ? "Arguments" : "Options",
		verbs[v].usage, lineage ? "\nOptions:\n" : "");
	if (lineage)
		fprintf(f, "\nExamples:\n  medimart lineage fct_overdue_cases\n"
			   "  medimart lineage fct_overdue_cases.risk_tier\n  medimart lineage patients.BIRTHDATE\n");
}

static int bad_usage(const char *fmt, const char *arg)
{
	fputs("medimart: error: ", stderr);
	fprintf(stderr, fmt, arg);
	fputs("\nTry 'medimart --help'.\n", stderr);
	return EXIT_INPUT;
}

static int parse_long(const char *s, long lo, long hi, long *out)
{
	char *end;
	long v = strtol(s, &end, 10);
	if (!*s || *end || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

enum { OPT_PATIENTS = 256, OPT_SEED, OPT_MONTHS, OPT_END, OPT_DATA, OPT_TARGET, OPT_OUT,
       OPT_CENSUS, OPT_RULES, OPT_SELECT, OPT_AUDIENCE, OPT_DUMP, OPT_TEMPLATES, OPT_NO_TARGET,
       OPT_MATERIALIZE };

int main(int argc, char **argv)
{
	diag_init();
	/* Common options may come before the verb: medimart -q build. */
	int quiet = 0, first = 1;
	for (; first < argc && argv[first][0] == '-'; first++) {
		const char *a = argv[first];
		if (!strcmp(a, "-q") || !strcmp(a, "--quiet"))
			quiet = 1;
		else if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			usage_tool(stdout);
			return 0;
		} else if (!strcmp(a, "--version")) {
			printf("medimart %s\n", MM_VERSION);
			return 0;
		} else
			return bad_usage("'%s' before the verb: only -q, --help and --version go there", a);
	}
	if (first >= argc) {
		usage_tool(stderr);
		return EXIT_INPUT;
	}
	int v = -1;
	for (int i = 0; i < VERB_COUNT; i++)
		if (!strcmp(argv[first], verbs[i].name))
			v = i;
	if (v < 0)
		return bad_usage("unknown verb '%s'", argv[first]);

	struct mm_opts o = {.verb = (enum verb)v, .data = "data", .target = "target", .out = "site",
			    .audience = "board", .census = DATE_NULL, .quiet = quiet};
	int out_given = 0;
	struct synth_opts so = {.patients = 20000, .seed = 42, .months = 24, .quiet = quiet,
				.end_y = 2025, .end_m = 9, .end_d = 30, .out = "data"};
	static const struct option longopts[] = {
		{"help", no_argument, 0, 'h'}, {"quiet", no_argument, 0, 'q'},
		{"patients", required_argument, 0, OPT_PATIENTS}, {"seed", required_argument, 0, OPT_SEED},
		{"months", required_argument, 0, OPT_MONTHS}, {"end", required_argument, 0, OPT_END},
		{"data", required_argument, 0, OPT_DATA}, {"target", required_argument, 0, OPT_TARGET},
		{"out", required_argument, 0, OPT_OUT}, {"census", required_argument, 0, OPT_CENSUS},
		{"rules", required_argument, 0, OPT_RULES}, {"select", required_argument, 0, OPT_SELECT},
		{"audience", required_argument, 0, OPT_AUDIENCE}, {"dump", no_argument, 0, OPT_DUMP},
		{"templates", required_argument, 0, OPT_TEMPLATES}, {"no-target", no_argument, 0, OPT_NO_TARGET},
		{"materialize", required_argument, 0, OPT_MATERIALIZE},
		{0, 0, 0, 0},
	};
	/* Which long options each verb takes. */
	int synth = v == VERB_SYNTH;
	int inspect = v == VERB_LS || v == VERB_LINEAGE; /* read the registry, load no data */
	optind = first + 1;
	opterr = 0; /* our own messages, in the tool's format */
	int c;
	long n;
	int32_t d;
	int li;
	while ((li = -1, c = getopt_long(argc, argv, "hq", longopts, &li)) != -1) {
		int ok = 1;
		switch (c) {
		case 'h':
			usage_verb(stdout, (enum verb)v);
			return 0;
		case 'q':
			o.quiet = so.quiet = 1;
			break;
		case OPT_PATIENTS:
			if (!synth)
				ok = 0;
			else if (parse_long(optarg, 1, 100000000L, &n))
				return bad_usage("--patients wants a number from 1 to 100000000, not '%s'", optarg);
			so.patients = n;
			break;
		case OPT_SEED:
			if (!synth)
				ok = 0;
			else if (parse_long(optarg, 0, 2147483647L, &n))
				return bad_usage("--seed wants a non-negative integer, not '%s'", optarg);
			so.seed = (uint64_t)n;
			break;
		case OPT_MONTHS:
			if (!synth)
				ok = 0;
			else if (parse_long(optarg, 1, 240, &n))
				return bad_usage("--months wants a number from 1 to 240, not '%s'", optarg);
			so.months = (int)n;
			break;
		case OPT_END:
			if (!synth)
				ok = 0;
			else if (date_parse(optarg, strlen(optarg), &d))
				return bad_usage("--end wants a date YYYY-MM-DD, not '%s'", optarg);
			else
				civil_from_days(d, &so.end_y, &so.end_m, &so.end_d);
			break;
		case OPT_OUT:
			so.out = o.out = optarg;
			out_given = 1;
			ok = synth || v == VERB_DOCS || v == VERB_PACK || v == VERB_BUILD;
			break;
		case OPT_DATA: o.data = optarg; o.data_given = 1; ok = !synth && !inspect; break;
		case OPT_TARGET: o.target = optarg; ok = !synth && v != VERB_LINEAGE; break;
		case OPT_RULES: o.rules = optarg; ok = !synth && !inspect; break;
		case OPT_SELECT:
			if (v == VERB_PACK)
				o.packs = optarg;
			else
				o.select = optarg;
			ok = v == VERB_RUN || v == VERB_TEST || v == VERB_BUILD || v == VERB_PACK;
			break;
		case OPT_TEMPLATES: o.templates = optarg; ok = v == VERB_DOCS || v == VERB_PACK || v == VERB_BUILD; break;
		case OPT_NO_TARGET: o.no_target = 1; ok = !synth && !inspect && v != VERB_RUN; break;
		case OPT_MATERIALIZE:
			ok = !synth && !inspect;
			if (ok && strcmp(optarg, "marts") && strcmp(optarg, "all"))
				return bad_usage("--materialize is marts or all, not '%s'", optarg);
			o.materialize_all = !strcmp(optarg, "all");
			break;
		case OPT_AUDIENCE:
			o.audience = optarg;
			ok = v == VERB_DOCS || v == VERB_BUILD;
			if (ok && strcmp(optarg, "board") && strcmp(optarg, "clinical"))
				return bad_usage("--audience is board or clinical, not '%s'", optarg);
			break;
		case OPT_DUMP: o.dump = 1; ok = v == VERB_RUN; break;
		case OPT_CENSUS:
			ok = !synth && !inspect;
			if (ok && date_parse(optarg, strlen(optarg), &o.census))
				return bad_usage("--census wants a date YYYY-MM-DD, not '%s'", optarg);
			break;
		default:
			if (optopt && optopt < 256)
				fprintf(stderr, "medimart: error: unknown option '-%c' or missing argument\n", optopt);
			else
				fprintf(stderr, "medimart: error: unknown option or missing argument: '%s'\n",
					argv[optind - 1]);
			fprintf(stderr, "Try 'medimart %s --help'.\n", verbs[v].name);
			return EXIT_INPUT;
		}
		if (!ok) {
			fprintf(stderr, "medimart: error: option '--%s' does not apply to '%s'\n",
				li >= 0 ? longopts[li].name : "?", verbs[v].name);
			return EXIT_INPUT;
		}
	}
	if (v == VERB_LINEAGE) {
		if (optind == argc)
			return bad_usage("%s: which model or column? e.g. 'medimart lineage fct_overdue_cases.risk_tier'",
					 "lineage");
		o.name = argv[optind++];
	}
	if (v == VERB_PACK && optind < argc) {
		/* pack brief trust:RX101: the names join --select's. */
		static char names[4096];
		size_t k = 0;
		if (o.packs)
			k = (size_t)snprintf(names, sizeof names, "%s", o.packs);
		for (; optind < argc && k < sizeof names; optind++)
			k += (size_t)snprintf(names + k, sizeof names - k, "%s%s", k ? "," : "", argv[optind]);
		if (k >= sizeof names)
			return bad_usage("%s", "too many pack names");
		o.packs = names;
	}
	if (optind < argc)
		return bad_usage("unexpected argument '%s'", argv[optind]);
	/* The patient-level site never lands in the board site's folder unless asked. */
	if (!out_given && !strcmp(o.audience, "clinical"))
		o.out = "site-clinical";
	diag_quiet = o.quiet;
	if (synth)
		return synth_generate(&so);
	if (v == VERB_LS)
		return cmd_ls(&o);
	if (v == VERB_LINEAGE)
		return cmd_lineage(&o);
	return cmd_pipeline(&o);
}
