/*
 * cmd_audit.c - the commands that judge the ledger: audit verify and check.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"
#include "qm/audit.h"
#include "qm/check.h"
#include "qm/date.h"

int cmd_audit(const struct cli_globals *g, int argc, char **argv)
{
	if (argc != 2 || strcmp(argv[1], "verify") != 0)
		return cli_usage("audit", "expected 'verify'");
	struct qm_ledger *l;
	struct qm_audit_result res;
	struct qm_error err;
	qm_error_clear(&err);
	int rc = cli_open(g, &l);
	if (rc != QM_OK)
		return rc;
	rc = qm_audit_verify(l, &res, &err);
	qm_ledger_close(l);
	if (rc != QM_OK) {
		fprintf(stderr, "qm audit: %s\n", err.message);
		return rc;
	}
	if (!g->quiet) {
		printf("audit: %ld journal entries chain correctly; %ld records agree with the journal\n",
			res.entries, res.records);
		if (res.head[0])
			printf("head: entry %ld, hash %s\n", res.entries, res.head);
	}
	return 0;
}

struct check_ctx {
	int json;
	long n;
	json_t *array;
};

static int finding(void *vctx, const struct qm_finding *f)
{
	struct check_ctx *ctx = vctx;
	if (ctx->json)
		json_array_append_new(ctx->array, json_pack("{s:s, s:s, s:s, s:s}", "check", f->check,
			"kind", f->kind, "id", f->id, "message", f->message));
	else
		printf("%s: %s %s: %s\n", f->check, f->kind, f->id, f->message);
	ctx->n++;
	return 0;
}

int cmd_check(const struct cli_globals *g, int argc, char **argv)
{
	static const struct option opts[] = {{"strict", no_argument, NULL, 's'},
		{"as-of", required_argument, NULL, 'a'}, {"json", no_argument, NULL, 'j'},
		{NULL, 0, NULL, 0}};
	struct check_ctx ctx = {0};
	const char *as_of = NULL;
	int strict = 0, c, rc;
	qm_day day;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 's': strict = 1; break;
		case 'a':
			if (qm_date_parse(optarg, &day) < 0)
				return cli_usage("check", "--as-of takes a date as YYYY-MM-DD, got '%s'", optarg);
			as_of = optarg;
			break;
		case 'j': ctx.json = 1; break;
		default:
			return cli_usage("check", "unknown option, or an option without its value: \'%s\'",
				argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_usage("check", "unexpected argument '%s'", argv[optind]);
	struct qm_ledger *l;
	struct qm_error err;
	qm_error_clear(&err);
	if ((rc = cli_open(g, &l)) != QM_OK)
		return rc;
	if (ctx.json)
		ctx.array = json_array();
	rc = qm_check_run(l, as_of, finding, &ctx, &err);
	qm_ledger_close(l);
	if (rc != QM_OK) {
		json_decref(ctx.array);
		return cli_fail(&err);
	}
	if (ctx.json) {
		json_dumpf(ctx.array, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		putchar('\n');
		json_decref(ctx.array);
	} else if (!g->quiet) {
		printf("%ld finding%s\n", ctx.n, ctx.n == 1 ? "" : "s");
	}
	return strict && ctx.n ? QM_EDATA : 0;
}
