/*
 * cmd_copy.c - qm copy: a whole ledger from one store into another, such as
 * an SQLite file into a PostgreSQL database or back (copy.c does the work).
 */
#include <getopt.h>
#include <stdio.h>

#include "cli.h"

int cmd_copy(const struct cli_globals *g, int argc, char **argv)
{
	static const struct option opts[] = {{"from", required_argument, NULL, 'f'},
		{"to", required_argument, NULL, 't'}, {NULL, 0, NULL, 0}};
	const char *from = NULL, *to = NULL;
	int c;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'f': from = optarg; break;
		case 't': to = optarg; break;
		default:
			return cli_usage("copy", "unknown option, or an option without its value: '%s'",
				argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_usage("copy", "unexpected argument '%s'", argv[optind]);
	if (!to)
		return cli_usage("copy", "--to TARGET is required");
	if (!from)
		from = g->db;
	struct cli_globals src = *g, dst = *g;
	src.db = from;
	dst.db = to;
	struct qm_ledger *a, *b;
	int rc = cli_open(&src, &a);
	if (rc != QM_OK)
		return rc;
	if ((rc = cli_open(&dst, &b)) != QM_OK) {
		qm_ledger_close(a);
		return rc;
	}
	struct qm_copy_result res;
	struct qm_error err;
	qm_error_clear(&err);
	rc = qm_ledger_copy(a, b, to, &res, &err);
	qm_ledger_close(a);
	qm_ledger_close(b);
	if (rc != QM_OK)
		return cli_fail(&err);
	if (!g->quiet)
		printf("copied %lld records, %lld journal entries and %lld accounts, tokens and sessions"
			" from %s to %s\n", (long long)res.records, (long long)res.journal,
			(long long)res.accounts, from, to);
	return 0;
}
