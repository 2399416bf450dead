/*
 * main.c - the qm tool: global options, the command table (name, function,
 * usage, help; docs/commands.md is generated from the same table by
 * `qm help --markdown`), and dispatch.
 */
#include <getopt.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define DB_HELP \
	"The database is --db LOCATION, else $QM_DB, else quartermaster.db in the current\n" \
	"directory: an SQLite file (PATH or sqlite:PATH), or a PostgreSQL database (a URI\n" \
	"postgresql://USER@HOST:PORT/DBNAME, or a libpq connection string such as\n" \
	"'host=HOST dbname=DB' or 'service=NAME'). It is created (SQLite) and migrated on first use.\n"

const struct cli_command cli_commands[] = {
	{"init", cmd_init, "qm init", "create the database, or migrate it to this qm's schema",
		"Creates the database when it does not exist and migrates an older schema to the\n"
		"current version (kept in the database). A database made by a newer qm is refused\n"
		"(exit 65). Other commands do the same on first use; init says what it did.\n"},
	{"import", cmd_import, "qm import KIND FILE... [--dry-run] [--format csv|json]",
		"validate files and add or revise their records, all or nothing",
		"KIND is parties, items, rates, gdp, pledges, deliveries, requirements or\n"
		"kiel-weapons. FILE is CSV (RFC 4180, header row, columns in any order, UTF-8 with or\n"
		"without BOM) or JSON (an array of objects), chosen by extension or --format; - reads\n"
		"standard input. rates also reads the ECB's eurofxref-hist.csv as published, and gdp\n"
		"the World Bank's Country Name,Country Code,Year,Value file (rows of codes that are\n"
		"not parties are skipped and counted). kiel-weapons reads the Kiel Institute's heavy\n"
		"weapons table into pledges, matching names to items by name or alias.\n"
		"\n"
		"Records are keyed by id (code; date and currency; party and year): an identical\n"
		"record changes nothing, a changed one is revised and journaled. Every error (up to\n"
		"50) is printed as FILE:LINE:COLUMN: error: FIELD: what was expected, got 'VALUE'\n"
		"and nothing is written (exit 65).\n"
		"\n"
		"  --dry-run          validate and count new, changed and unchanged; write nothing\n"
		"  --format FMT       csv or json, whatever the file name says\n"
		"  --date DATE        kiel-weapons: date of the pledges (default 2024-12-31)\n"
		"  --status STATUS    kiel-weapons: status of the pledges (default committed)\n"
		"  --json             print the counts as JSON\n"},
	{"export", cmd_export, "qm export KIND [--format csv|json] [-o FILE]",
		"write records in the import format",
		"Writes every record of KIND in key order, to standard output or FILE. Exporting,\n"
		"importing into a new database and exporting again gives identical bytes.\n"
		"\n"
		"  --format FMT       csv (default) or json\n"
		"  -o, --output FILE  write to FILE instead of standard output\n"},
	{"add", cmd_add, "qm add KIND FIELD=VALUE... [--dry-run]",
		"add or revise one record with the import rules",
		"Adds a record, or revises the one with the same key: fields not named keep their\n"
		"stored values. Validation and messages are those of import.\n"
		"\n"
		"  --dry-run          validate only\n"},
	{"list", cmd_list,
		"qm list KIND [--donor CODE] [--status S] [--item CODE] [--from DATE] [--to DATE]"
		" [--json|--csv]",
		"show records as a table, JSON or CSV",
		"Lists records in key order. Pledges also show their EUR value (value_eur_cents, 0\n"
		"for a part of a package that states an amount), how it was valued (stated or\n"
		"estimated) and the quantity delivered.\n"
		"\n"
		"  --donor CODE       pledges of one donor\n"
		"  --status STATUS    pledges of one status\n"
		"  --item CODE        records of one item\n"
		"  --from DATE        dated on or after DATE (pledges, deliveries, rates: date;\n"
		"                     requirements: needed_by)\n"
		"  --to DATE          dated on or before DATE\n"
		"  --json             a JSON array of records\n"
		"  --csv              CSV with a header row\n"},
	{"log", cmd_log, "qm log [KIND [ID]] [--json]", "show the journal of changes",
		"Shows journal entries in order: sequence number, time, actor, action, kind and key,\n"
		"and for a revision the fields that changed.\n"
		"\n"
		"  --json             one JSON object per entry, with before and after\n"},
	{"audit", cmd_audit, "qm audit verify", "verify the journal's hash chain against the tables",
		"Recomputes the SHA-256 chain of the journal, compares every table with the last\n"
		"journaled state of each record, and recomputes the pledges' stored EUR values. Exits\n"
		"0 when all agree, 65 naming the first entry or record that does not (a change made\n"
		"behind qm's back). It prints the hash of the last entry: kept elsewhere, it shows\n"
		"whether entries were later cut off the end of the journal.\n"},
	{"check", cmd_check, "qm check [--strict] [--as-of DATE] [--json]",
		"run the named data checks and list findings",
		"Checks: pledge-without-source, estimated-without-price, item-without-price,\n"
		"delivery-after-available, requirement-without-source, ally-without-gdp.\n"
		"Each finding is printed with its check and the record's id.\n"
		"\n"
		"  --strict           exit 65 when anything is found\n"
		"  --as-of DATE       only records dated on or before DATE\n"
		"  --json             findings as a JSON array\n"},
	{"report", cmd_report,
		"qm report [--as-of DATE] [--framework F] [--json | --format text|json|html [-o FILE]]",
		"print the coordination report, or write the burden-sharing report",
		"The coordination picture as of a date (records dated after it are left out): pledges\n"
		"and value by status, top donors with value and share of their GDP, value by cost type\n"
		"and by channel, delivered against pledged units per item, pledged against required\n"
		"units per capability, the plan's coverage, training, and the findings of qm check\n"
		"counted. Training is there when the ledger has courses or items with a crew: per\n"
		"skill the seats against the trainees needed (training requirements and crews),\n"
		"assigned and short; the courses by provider with their dates and seats; and the\n"
		"requirements whose ready date lags their equipment's the most, never ready first\n"
		"(at most 10; see qm plan and qm training).\n"
		"With --framework F it adds burden sharing under F (as qm burden F).\n"
		"\n"
		"--format html writes the half-yearly burden-sharing report for the framework (F, or\n"
		"the one qm burden picks) as one self-contained HTML file that opens offline and\n"
		"prints in black and white: progress against the baseline, counted against fair\n"
		"share per ally, the ranking by share of GDP, cumulative counted value against the\n"
		"baseline, the table behind each chart, training (as above, planned on the whole\n"
		"ledger, the courses drawn as a timeline per provider), the method, and the data\n"
		"findings.\n"
		"\n"
		"  --as-of DATE       the date of the picture (default today; not for html)\n"
		"  --framework F      add burden sharing under framework F\n"
		"  --json             the report as one JSON object (same as --format json)\n"
		"  --format FORMAT    text (default), json or html\n"
		"  -o, --output FILE  where the html goes (default standard output); written to\n"
		"                     FILE.tmp and renamed, so a failed write leaves no half file\n"},
	{"plan", cmd_plan,
		"qm plan [--as-of DATE] [--committed-only] [--json|--csv] [--what-if FILE]...",
		"match pledged units to requirements optimally and show the gaps",
		"Supply is every unit of every pledge of an item that is not cancelled: units\n"
		"delivered are available on their delivery's date, the rest on the pledge's\n"
		"available date. Demand is every requirement. A unit may serve a requirement when its\n"
		"item is the requirement's item or provides its capability. The plan minimises, over\n"
		"whole units, the sum of w x days late over assigned units plus w x 3650 per unmet\n"
		"unit, with w = 2^(5 - priority); it is exact (a minimum-cost flow solved with\n"
		"LEMON's network simplex; see docs/plan.md). It prints the objective, each\n"
		"requirement (most urgent first) with the units needed, assigned, already delivered\n"
		"and unmet and the date it is expected to be met (or never), the gaps, and what each\n"
		"pledge is assigned to. The same ledger always gives the same plan.\n"
		"\n"
		"Training is planned second, the same way: a course's seats are units of its skill\n"
		"available on its end date; demand is every requirement of a skill and the crews of\n"
		"the equipment just assigned (an item's crew_size x units of its crew_skill, needed\n"
		"by the date those units are available). Each requirement served by crewed\n"
		"equipment is ready when its equipment is there and its crews are trained (never when\n"
		"seats are short); the text shows those and each course's seats.\n"
		"\n"
		"  --as-of DATE       leave out pledges and deliveries dated after DATE\n"
		"  --committed-only   leave out announced pledges\n"
		"  --json             the plan as one JSON object (objective, training_objective,\n"
		"                     requirements with ready, assignments, seat_assignments)\n"
		"  --csv              the assignments as CSV\n"
		"  --what-if FILE     plan as is and with the rows of FILE applied in memory, and\n"
		"                     print what changes; FILE holds pledges (a known id revises\n"
		"                     the fields it gives, e.g. available or status=cancelled; a new\n"
		"                     id adds a pledge) or requirements (a header with needed_by),\n"
		"                     in the import format: CSV, or JSON when FILE ends in .json.\n"
		"                     Nothing is written.\n"},
	{"training", cmd_training, "qm training [--as-of DATE] [--committed-only] [--json|--csv]",
		"show training: seats, trainees and fill per course, provider and skill",
		"From the plan's second stage (qm plan): per course its seats, the trainees the plan\n"
		"gives it and its fill rate; per provider the seats its courses offer and those used;\n"
		"per skill the trainees needed (training requirements and the crews of planned\n"
		"equipment), assigned and short; and the courses that start within the next 90 days\n"
		"(today is $QM_NOW when set). Cancelled courses are listed and count for nothing.\n"
		"\n"
		"  --as-of DATE       plan with pledges and deliveries up to DATE (as qm plan)\n"
		"  --committed-only   leave out announced pledges and courses\n"
		"  --json             everything as one JSON object\n"
		"  --csv              the courses as CSV\n"},
	{"burden", cmd_burden,
		"qm burden [FRAMEWORK] [--by year|half|quarter] [--explain PARTY] [--json|--csv]",
		"each ally against its fair share of a framework's baseline",
		"FRAMEWORK is the id of a framework (qm import frameworks); by default the one with\n"
		"the latest start on or before today. Per ally bound by it (less the exempt): its\n"
		"share of the bound allies' GDP of the framework's GDP year (each GDP in EUR at the\n"
		"arithmetic mean of that year's daily ECB rates), its fair share of the baseline in\n"
		"whole cents (largest remainders, so the shares add up to the baseline exactly), the\n"
		"EUR value it counted in the period, counted / fair share, what it is short or over,\n"
		"and counted as a share of its own GDP; then the totals against the baseline. A\n"
		"pledge counts on its date when its status reaches the framework's counts level,\n"
		"else what was delivered against it counts on each delivery's date; a package that\n"
		"states its amount counts once, never again through its parts (docs/burden.md).\n"
		"\n"
		"  --by PERIOD        also split the counted values by year, half or quarter\n"
		"  --explain PARTY    every pledge and delivery that makes up PARTY's counted\n"
		"                     figure, with its source, and those pledged in the period\n"
		"                     that do not count, with the reason\n"
		"  --json             one JSON object: framework, baseline_eur_cents,\n"
		"                     counted_eur_cents, rows (party, gdp_share, fair_share_eur_cents,\n"
		"                     counted_eur_cents, ratio, shortfall_eur_cents, ...), and with\n"
		"                     --explain the lines\n"
		"  --csv              the rows (or with --explain the lines) as CSV\n"},
	{"serve", cmd_serve,
		"qm serve [--listen ADDRESS:PORT] [--tls-cert FILE --tls-key FILE] [--threads N]"
		" [--session-idle SECONDS] [--read-only]",
		"run the web server: the JSON API and the dashboard",
		"Serves the JSON API under /api/v1/ and the dashboard at / over the database, with a\n"
		"pool of threads, one database connection each. Prints 'listening on URL' once it\n"
		"accepts connections; stops on SIGINT or SIGTERM after finishing the requests in\n"
		"flight. Every change is journaled under the signed-in user's name. See docs/api.md\n"
		"for the API, the roles and the security rules.\n"
		"\n"
		"  --listen ADDRESS:PORT  where to listen (default 127.0.0.1:8080; port 0: any free)\n"
		"  --tls-cert FILE        serve HTTPS with this certificate (PEM) ...\n"
		"  --tls-key FILE         ... and this key (PEM)\n"
		"  --threads N            the thread pool's size (default 4)\n"
		"  --session-idle SECONDS how long a session may stay unused (default 1800)\n"
		"  --read-only            change nothing: every request but GET and HEAD is answered\n"
		"                         405 (Allow: GET, HEAD), login included, so sign in with an\n"
		"                         API token; for a streaming replica (see docs/deploy.md)\n"},
	{"copy", cmd_copy, "qm copy [--from SOURCE] --to TARGET",
		"copy a whole ledger, journal included, into an empty database",
		"Copies every record, the journal with its hashes, and the accounts of qm serve (users,\n"
		"tokens, sessions) from SOURCE (default: the --db database) into TARGET, which must be\n"
		"new or empty (exit 65 otherwise), in one transaction: all or nothing. Each is a\n"
		"database location as for --db, so this moves a ledger from an SQLite file to\n"
		"PostgreSQL and back. Both are migrated to this qm's schema first. While it runs, both\n"
		"are held under their write lock. audit verify passes on the target, and every export\n"
		"is the same from both.\n"
		"\n"
		"  --from SOURCE      the ledger to copy (default: --db)\n"
		"  --to TARGET        the empty database to copy it into\n"},
	{"user", cmd_user, "qm user add NAME --role ROLE [--password-file FILE] | list | disable NAME",
		"manage the accounts of qm serve",
		"Roles: admin (manages users), coordinator (writes every record), donor:CODE (reads\n"
		"everything, writes only the pledges of party CODE and their deliveries), viewer\n"
		"(reads). A password has at least 8 characters; without --password-file it is asked\n"
		"for twice on the terminal, without echo. It is stored as an argon2id hash. disable\n"
		"ends the user's sessions and stops its tokens.\n"
		"\n"
		"  --role ROLE            the new user's role\n"
		"  --password-file FILE   the password, the first line of FILE\n"},
	{"token", cmd_token, "qm token create NAME", "create an API token for a user",
		"Prints a new API token for NAME once, for the header Authorization: Bearer TOKEN.\n"
		"Only its SHA-256 is stored; a lost token cannot be shown again: create another.\n"},
	{"help", cmd_help, "qm help [COMMAND] [--markdown]", "show help for qm or a command",
		"  --markdown         print the command reference (docs/commands.md)\n"},
	{NULL, NULL, NULL, NULL, NULL},
};

static const char global_help[] =
	"Global options (before the command):\n"
	"  --db LOCATION      the database (default $QM_DB, else quartermaster.db)\n"
	"  --actor NAME       who changes are journaled under (default $QM_ACTOR, else $USER)\n"
	"  -q, --quiet        no progress or summary lines\n"
	"  --version          print the version\n"
	"\n"
	"Environment:\n"
	"  QM_WRITE_WAIT      seconds a change waits while another process changes the\n"
	"                     ledger, before it gives up with status 74 (default 10)\n";

static const char exit_help[] =
	"Exit status: 0 success, 64 usage error, 65 bad data (nothing written), 66 missing\n"
	"input file, 70 internal error, 74 input/output error.\n";

const struct cli_command *cli_find(const char *name)
{
	for (const struct cli_command *c = cli_commands; c->name; c++)
		if (strcmp(c->name, name) == 0)
			return c;
	return NULL;
}

void cli_print_help(const struct cli_command *c, FILE *fp)
{
	fprintf(fp, "usage: %s\n\n%s.\n\n%s\n%s", c->usage, c->summary, c->help, DB_HELP);
}

static void overview(FILE *fp)
{
	fprintf(fp, "usage: qm [--db LOCATION] [--actor NAME] COMMAND [ARGS]\n\n"
		    "Quartermaster: a ledger of security assistance pledges, deliveries and needs.\n\n"
		    "Commands:\n");
	for (const struct cli_command *c = cli_commands; c->name; c++)
		fprintf(fp, "  %-8s %s\n", c->name, c->summary);
	fprintf(fp, "\n%s\n%s\nRun 'qm help COMMAND' or 'qm COMMAND --help' for details.\n",
		global_help, exit_help);
}

int cmd_help(const struct cli_globals *g, int argc, char **argv)
{
	(void)g;
	if (argc >= 2 && strcmp(argv[1], "--markdown") == 0) {
		printf("# Command reference\n\n"
		       "Generated by `qm help --markdown` from the same table as `qm COMMAND --help`;\n"
		       "`make docs` writes it and the tests check that it is current.\n\n"
		       "```\n");
		overview(stdout);
		printf("```\n");
		for (const struct cli_command *c = cli_commands; c->name; c++) {
			printf("\n## qm %s\n\n```\n", c->name);
			cli_print_help(c, stdout);
			printf("```\n");
		}
		return 0;
	}
	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		cli_print_help(cli_find("help"), stdout);
		return 0;
	}
	if (argc >= 2) {
		const struct cli_command *c = cli_find(argv[1]);
		if (!c)
			return cli_usage("help", "unknown command '%s'", argv[1]);
		cli_print_help(c, stdout);
		return 0;
	}
	overview(stdout);
	return 0;
}

int cli_wants_help(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			return 1;
	return 0;
}

int cli_fail(const struct qm_error *err)
{
	char buf[1024];
	fprintf(stderr, "qm: %s\n", qm_error_format(err, buf, sizeof(buf)));
	return err->code ? err->code : QM_EINTERNAL;
}

int cli_usage(const char *name, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "qm %s: ", name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n(see 'qm %s --help')\n", name);
	return QM_EUSAGE;
}

void cli_print_diag(const struct qm_diag *d)
{
	char buf[1024];
	for (int i = 0; i < d->count; i++) {
		const struct qm_error *e = &d->items[i];
		if (e->source[0])
			fprintf(stderr, "%s\n", qm_error_format(e, buf, sizeof(buf)));
		else
			fprintf(stderr, "qm: %s\n", qm_error_format(e, buf, sizeof(buf)));
	}
	long shown_errors = 0;
	for (int i = 0; i < d->count; i++)
		shown_errors += !d->items[i].warning;
	if (d->errors > shown_errors)
		fprintf(stderr, "... and %ld more errors not shown\n", d->errors - shown_errors);
	if (d->errors >= QM_DIAG_MAX)
		fprintf(stderr, "stopped after %d errors\n", QM_DIAG_MAX);
	if (d->errors)
		fprintf(stderr, "%ld error%s; nothing was written\n", d->errors, d->errors == 1 ? "" : "s");
}

int cli_open(const struct cli_globals *g, struct qm_ledger **out)
{
	struct qm_error err;
	qm_error_clear(&err);
	int rc = qm_ledger_open(g->db, out, &err);
	if (rc != QM_OK)
		return cli_fail(&err);
	qm_ledger_set_actor(*out, g->actor);
	return QM_OK;
}

int main(int argc, char **argv)
{
	struct cli_globals g = {0};
	int i = 1;

	opterr = 0; /* the commands say what was wrong themselves */
#ifdef __GLIBC__
	/* The plan builds and frees a solver per capability, a thousand times
	 * over: keep freed memory in the process instead of handing it back to
	 * the kernel and faulting it in again (a quarter of a large plan's time). */
	mallopt(M_MMAP_THRESHOLD, 64 << 20);
	mallopt(M_TRIM_THRESHOLD, 256 << 20);
#endif
	g.db = getenv("QM_DB");
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "--db") == 0 && i + 1 < argc)
			g.db = argv[++i];
		else if (strncmp(argv[i], "--db=", 5) == 0)
			g.db = argv[i] + 5;
		else if (strcmp(argv[i], "--actor") == 0 && i + 1 < argc)
			g.actor = argv[++i];
		else if (strcmp(argv[i], "-q") == 0 || strcmp(argv[i], "--quiet") == 0)
			g.quiet = 1;
		else if (strcmp(argv[i], "--version") == 0) {
			printf("qm %s (schema version %d)\n", QM_VERSION, QM_SCHEMA_VERSION);
			return 0;
		} else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			overview(stdout);
			return 0;
		} else {
			fprintf(stderr, "qm: unknown option '%s'\n", argv[i]);
			overview(stderr);
			return QM_EUSAGE;
		}
	}
	if (!g.db || !*g.db)
		g.db = "quartermaster.db";
	if (i >= argc) {
		overview(stderr);
		return QM_EUSAGE;
	}
	const struct cli_command *c = cli_find(argv[i]);
	if (!c) {
		fprintf(stderr, "qm: unknown command '%s'\n", argv[i]);
		overview(stderr);
		return QM_EUSAGE;
	}
	if (c->run != cmd_help && cli_wants_help(argc - i, argv + i)) {
		cli_print_help(c, stdout);
		return 0;
	}
	return c->run(&g, argc - i, argv + i);
}
