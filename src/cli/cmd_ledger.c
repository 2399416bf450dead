/*
 * cmd_ledger.c - the commands that change the ledger or move records in and
 * out of it: init, import, add, export.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "qm/date.h"

int cmd_init(const struct cli_globals *g, int argc, char **argv)
{
	struct qm_ledger *l;
	int from;
	if (argc > 1)
		return cli_usage("init", "unexpected argument '%s'", argv[1]);
	int rc = cli_open(g, &l);
	if (rc != QM_OK)
		return rc;
	int version = qm_ledger_schema_version(l, &from);
	if (from == 0)
		printf("created %s (schema version %d)\n", g->db, version);
	else if (from > 0)
		printf("migrated %s from schema version %d to %d\n", g->db, from, version);
	else
		printf("%s is at schema version %d; nothing to do\n", g->db, version);
	qm_ledger_close(l);
	return 0;
}

static int parse_format(const char *cmd, const char *s, enum qm_format *out)
{
	if (strcmp(s, "csv") == 0)
		*out = QM_FORMAT_CSV;
	else if (strcmp(s, "json") == 0)
		*out = QM_FORMAT_JSON;
	else
		return cli_usage(cmd, "--format takes csv or json, got '%s'", s);
	return QM_OK;
}

static void progress(void *ctx, const char *source, long records)
{
	(void)ctx;
	fprintf(stderr, "\r%s: %ld records", source, records);
	fflush(stderr);
}

int cmd_import(const struct cli_globals *g, int argc, char **argv)
{
	static const struct option opts[] = {{"dry-run", no_argument, NULL, 'n'},
		{"format", required_argument, NULL, 'f'}, {"date", required_argument, NULL, 'd'},
		{"status", required_argument, NULL, 's'}, {"json", no_argument, NULL, 'j'},
		{NULL, 0, NULL, 0}};
	struct qm_import_options opt = {0};
	struct qm_import_result res;
	struct qm_diag diag;
	struct qm_ledger *l;
	int c, json = 0, rc;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'n': opt.dry_run = 1; break;
		case 'f':
			if ((rc = parse_format("import", optarg, &opt.format)) != QM_OK)
				return rc;
			break;
		case 'd': opt.date = optarg; break;
		case 's': opt.status = optarg; break;
		case 'j': json = 1; break;
		default:
			return cli_usage("import", "unknown option, or an option without its value: \'%s\'",
				argv[optind - 1]);
		}
	}
	if (argc - optind < 2)
		return cli_usage("import", "expected a KIND and at least one FILE");
	const char *kind = argv[optind];
	int kiel = strcmp(kind, "kiel-weapons") == 0;
	qm_day day;
	if ((opt.date || opt.status) && !kiel)
		return cli_usage("import", "--date and --status apply to kiel-weapons only");
	if (opt.date && qm_date_parse(opt.date, &day) < 0)
		return cli_usage("import", "--date takes a date as YYYY-MM-DD, got '%s'", opt.date);
	if (opt.status && strcmp(opt.status, "announced") != 0 && strcmp(opt.status, "committed") != 0
		&& strcmp(opt.status, "cancelled") != 0)
		return cli_usage("import", "--status takes announced, committed or cancelled, got '%s'",
			opt.status);
	int progress_shown = !g->quiet && isatty(STDERR_FILENO);
	if (progress_shown)
		opt.progress = progress;
	rc = cli_open(g, &l);
	if (rc != QM_OK)
		return rc;
	qm_diag_init(&diag);
	rc = qm_import(l, kind, (const char *const *)argv + optind + 1, argc - optind - 1, &opt, &res,
		&diag);
	if (progress_shown && res.records >= 50000)
		fprintf(stderr, "\n");
	cli_print_diag(&diag);
	if (rc == QM_OK && json) {
		printf("{\"kind\": \"%s\", \"records\": %ld, \"created\": %ld, \"revised\": %ld,"
		       " \"unchanged\": %ld, \"skipped\": %ld, \"unmatched\": %ld, \"dry_run\": %s}\n",
			kind, res.records, res.created, res.revised, res.unchanged, res.skipped,
			res.unmatched, opt.dry_run ? "true" : "false");
	} else if (rc == QM_OK && !g->quiet) {
		printf("%s%s: %ld records: %ld new, %ld changed, %ld unchanged", opt.dry_run ? "dry run: " : "",
			kind, res.records, res.created, res.revised, res.unchanged);
		if (res.skipped)
			printf(", %ld skipped", res.skipped);
		if (res.unmatched)
			printf(", %ld names unmatched", res.unmatched);
		printf("%s\n", opt.dry_run ? "; nothing written" : "");
	}
	qm_ledger_close(l);
	return rc;
}

int cmd_add(const struct cli_globals *g, int argc, char **argv)
{
	const char *names[QM_FIELDS_MAX * 2], *values[QM_FIELDS_MAX * 2];
	char *copies[QM_FIELDS_MAX * 2];
	int n = 0, dry_run = 0, rc;
	const char *kind = NULL;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--dry-run") == 0) {
			dry_run = 1;
		} else if (!kind) {
			kind = argv[i];
		} else {
			char *eq = strchr(argv[i], '=');
			if (!eq || eq == argv[i])
				return cli_usage("add", "expected FIELD=VALUE, got '%s'", argv[i]);
			if (n == QM_FIELDS_MAX * 2)
				return cli_usage("add", "too many fields");
			copies[n] = strdup(argv[i]);
			copies[n][eq - argv[i]] = '\0';
			names[n] = copies[n];
			values[n] = eq + 1;
			n++;
		}
	}
	if (!kind || n == 0) {
		for (int i = 0; i < n; i++)
			free(copies[i]);
		return cli_usage("add", "expected a KIND and FIELD=VALUE pairs");
	}
	struct qm_ledger *l;
	struct qm_import_result res;
	struct qm_diag diag;
	rc = cli_open(g, &l);
	if (rc == QM_OK) {
		qm_diag_init(&diag);
		rc = qm_add(l, kind, n, names, values, dry_run, &res, &diag);
		cli_print_diag(&diag);
		if (rc == QM_OK && !g->quiet)
			printf("%s%s\n", dry_run ? "dry run: " : "",
				res.created ? "added" : res.revised ? "revised" : "unchanged");
		qm_ledger_close(l);
	}
	for (int i = 0; i < n; i++)
		free(copies[i]);
	return rc;
}

int cmd_export(const struct cli_globals *g, int argc, char **argv)
{
	static const struct option opts[] = {{"format", required_argument, NULL, 'f'},
		{"output", required_argument, NULL, 'o'}, {NULL, 0, NULL, 0}};
	enum qm_format format = QM_FORMAT_CSV;
	const char *output = NULL;
	int c, rc;
	while ((c = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			if ((rc = parse_format("export", optarg, &format)) != QM_OK)
				return rc;
			break;
		case 'o': output = optarg; break;
		default:
			return cli_usage("export", "unknown option, or an option without its value: \'%s\'",
				argv[optind - 1]);
		}
	}
	if (argc - optind != 1)
		return cli_usage("export", "expected one KIND");
	if (!qm_kind_by_name(argv[optind]))
		return cli_usage("export", "unknown kind '%s'; expected one of %s", argv[optind],
			qm_kind_names());
	struct qm_ledger *l;
	struct qm_error err;
	qm_error_clear(&err);
	rc = cli_open(g, &l);
	if (rc != QM_OK)
		return rc;
	FILE *out = stdout;
	char *tmp = NULL;
	if (output) {
		/* write beside the target and rename, so a failed export leaves no half file */
		size_t n = strlen(output) + 8;
		tmp = malloc(n);
		snprintf(tmp, n, "%s.tmpXXX", output);
		out = fopen(tmp, "wb");
		if (!out) {
			qm_error_set(&err, QM_EIO, "cannot write '%s'", output);
			free(tmp);
			qm_ledger_close(l);
			return cli_fail(&err);
		}
	}
	rc = qm_export(l, argv[optind], format, out, &err);
	if (output) {
		if (fclose(out) != 0 && rc == QM_OK)
			rc = qm_error_set(&err, QM_EIO, "cannot write '%s'", output);
		if (rc == QM_OK && rename(tmp, output) != 0)
			rc = qm_error_set(&err, QM_EIO, "cannot write '%s'", output);
		if (rc != QM_OK)
			remove(tmp);
		free(tmp);
	}
	qm_ledger_close(l);
	return rc == QM_OK ? 0 : cli_fail(&err);
}
