/*
 * cmd_plan.c - qm plan: the allocation plan as text, JSON or CSV (the last
 * two written by the core, src/lib/plan_write.c), and the what-if
 * comparison of two plans.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "qm/csv.h"
#include "qm/date.h"
#include "qm/plan.h"
#include "table.h"

enum plan_out { OUT_TEXT, OUT_JSON, OUT_CSV };


static const char *need_of(const struct qm_plan_requirement *r)
{
	return r->item ? r->item : r->capability;
}

static int by_pledge(const void *x, const void *y)
{
	const struct qm_plan_assignment *a = *(const struct qm_plan_assignment *const *)x;
	const struct qm_plan_assignment *b = *(const struct qm_plan_assignment *const *)y;
	int c = strcmp(a->pledge, b->pledge);
	if (c)
		return c;
	if (a->available != b->available)
		return (a->available > b->available) - (a->available < b->available);
	return strcmp(a->requirement, b->requirement);
}

/* The second stage, when there is one: when each requirement served by
 * crewed equipment is ready, and the seats given. */
static void print_training(const struct qm_plan *p)
{
	char d1[11], d2[11], n[5][24];
	int crews = 0;
	for (size_t i = 0; i < p->nrequirements; i++)
		crews |= p->requirements[i].crew_needed > 0;
	if (crews) {
		printf("\nReady: equipment there and crews trained\n\n");
		struct table *t = table_new(7, "lrlrrrl");
		const char *h[7] = {"requirement", "pri", "expected", "crew needed", "trained", "short",
			"ready"};
		table_row(t, h);
		for (size_t i = 0; i < p->nrequirements; i++) {
			const struct qm_plan_requirement *r = &p->requirements[i];
			if (r->crew_needed == 0)
				continue;
			snprintf(n[0], sizeof(n[0]), "%d", r->priority);
			snprintf(n[1], sizeof(n[1]), "%lld", (long long)r->crew_needed);
			snprintf(n[2], sizeof(n[2]), "%lld", (long long)r->crew_assigned);
			snprintf(n[3], sizeof(n[3]), "%lld", (long long)r->crew_unmet);
			const char *row[7] = {r->id, n[0], r->has_expected ? qm_date_format(r->expected, d1)
				: "never", n[1], n[2], n[3], r->has_ready ? qm_date_format(r->ready, d2) : "never"};
			table_row(t, row);
		}
		table_print(t, stdout, 30);
		table_free(t);
	}
	if (p->nseats == 0)
		return;
	printf("\nSeats: what each course is assigned to (training objective %lld)\n\n",
		(long long)p->training_objective);
	struct table *t = table_new(7, "lllrllr");
	const char *h[7] = {"course", "requirement", "for", "trainees", "needed by", "available",
		"days late"};
	table_row(t, h);
	for (size_t i = 0; i < p->nseats; i++) {
		const struct qm_plan_seat *st = &p->seats[i];
		snprintf(n[0], sizeof(n[0]), "%lld", (long long)st->trainees);
		snprintf(n[1], sizeof(n[1]), "%lld", (long long)st->days_late);
		const char *row[7] = {st->course, st->requirement, st->crew ? "crew" : "training", n[0],
			qm_date_format(st->needed_by, d1), qm_date_format(st->available, d2), n[1]};
		table_row(t, row);
	}
	table_print(t, stdout, 30);
	table_free(t);
}

static void print_text(const struct qm_plan *p, const char *as_of)
{
	char d1[11], d2[11], n[6][24];
	printf("Quartermaster plan%s%s\n", as_of ? ", as of " : "", as_of ? as_of : "");
	printf("objective %lld (w x days late over assigned units, w x 3650 per unmet unit,"
	       " w = 2^(5 - priority))\n", (long long)p->objective);
	printf("%lld units needed, %lld assigned, %lld unmet\n", (long long)p->needed_total,
		(long long)p->assigned_total, (long long)p->unmet_total);
	int64_t crew_needed = 0, crew_short = 0;
	for (size_t i = 0; i < p->nrequirements; i++) {
		crew_needed += p->requirements[i].crew_needed;
		crew_short += p->requirements[i].crew_unmet;
	}
	if (crew_needed)
		printf("%lld crew trainees needed for the assigned equipment, %lld short\n",
			(long long)crew_needed, (long long)crew_short);

	printf("\nRequirements, most urgent first\n\n");
	struct table *t = table_new(9, "lrlrrrrrl");
	const char *h[9] = {"requirement", "pri", "capability or item", "needed by", "needed",
		"assigned", "delivered", "unmet", "expected"};
	table_row(t, h);
	for (size_t i = 0; i < p->nrequirements; i++) {
		const struct qm_plan_requirement *r = &p->requirements[i];
		snprintf(n[0], sizeof(n[0]), "%d", r->priority);
		snprintf(n[1], sizeof(n[1]), "%lld", (long long)r->needed);
		snprintf(n[2], sizeof(n[2]), "%lld", (long long)r->assigned);
		snprintf(n[3], sizeof(n[3]), "%lld", (long long)r->delivered);
		snprintf(n[4], sizeof(n[4]), "%lld", (long long)r->unmet);
		const char *row[9] = {r->id, n[0], need_of(r), qm_date_format(r->needed_by, d1), n[1], n[2],
			n[3], n[4], r->has_expected ? qm_date_format(r->expected, d2) : "never"};
		table_row(t, row);
	}
	table_print(t, stdout, 30);
	table_free(t);

	printf("\nGaps: needs not met, most urgent first\n\n");
	t = table_new(5, "lrlrl");
	const char *hg[5] = {"requirement", "pri", "capability or item", "unmet", "needed by"};
	table_row(t, hg);
	for (size_t i = 0; i < p->nrequirements; i++) {
		const struct qm_plan_requirement *r = &p->requirements[i];
		snprintf(n[0], sizeof(n[0]), "%d", r->priority);
		if (r->unmet > 0) {
			snprintf(n[1], sizeof(n[1]), "%lld", (long long)r->unmet);
			const char *row[5] = {r->id, n[0], need_of(r), n[1], qm_date_format(r->needed_by, d1)};
			table_row(t, row);
		}
		if (r->crew_unmet > 0) { /* trainees, for the crews of its equipment */
			snprintf(n[1], sizeof(n[1]), "%lld", (long long)r->crew_unmet);
			const char *row[5] = {r->id, n[0], "(crew trainees)", n[1],
				qm_date_format(r->needed_by, d1)};
			table_row(t, row);
		}
	}
	table_print_or(t, stdout, 30, "none: every requirement is covered");

	printf("\nWhat each pledge is assigned to\n\n");
	const struct qm_plan_assignment **by = malloc((p->nassignments + 1) * sizeof(*by));
	if (!by)
		return;
	for (size_t i = 0; i < p->nassignments; i++)
		by[i] = &p->assignments[i];
	qsort(by, p->nassignments, sizeof(*by), by_pledge);
	t = table_new(5, "llrlr");
	const char *ha[5] = {"pledge", "requirement", "units", "available", "days late"};
	table_row(t, ha);
	for (size_t i = 0; i < p->nassignments; i++) {
		snprintf(n[0], sizeof(n[0]), "%lld", (long long)by[i]->quantity);
		snprintf(n[1], sizeof(n[1]), "%lld", (long long)by[i]->days_late);
		const char *row[5] = {by[i]->pledge, by[i]->requirement, n[0],
			qm_date_format(by[i]->available, d1), n[1]};
		table_row(t, row);
	}
	table_print_or(t, stdout, 30, "nothing is assigned");
	free(by);
	print_training(p);
}

/* The requirements whose coverage, expected or ready date differs between two plans. */
static void print_what_if(const struct qm_plan *a, const struct qm_plan *b, enum plan_out mode)
{
	char d1[11], d2[11];
	size_t changed = 0;
	if (mode == OUT_JSON)
		printf("{\n  \"objective_before\": %lld,\n  \"objective_after\": %lld,\n"
		       "  \"unmet_before\": %lld,\n  \"unmet_after\": %lld,\n  \"changes\": [",
			(long long)a->objective, (long long)b->objective, (long long)a->unmet_total,
			(long long)b->unmet_total);
	else
		printf("objective %lld -> %lld; unmet units %lld -> %lld\n\n", (long long)a->objective,
			(long long)b->objective, (long long)a->unmet_total, (long long)b->unmet_total);
	struct table *t = table_new(6, "llllll");
	const char *h[6] = {"requirement", "assigned", "unmet", "expected", "ready", "change"};
	table_row(t, h);
	for (size_t j = 0; j < b->nrequirements; j++) {
		const struct qm_plan_requirement *after = &b->requirements[j], *before = NULL;
		for (size_t i = 0; i < a->nrequirements && !before; i++)
			if (strcmp(a->requirements[i].id, after->id) == 0)
				before = &a->requirements[i];
		int moved = !before || before->assigned != after->assigned || before->unmet != after->unmet
			|| before->has_expected != after->has_expected
			|| (after->has_expected && before->expected != after->expected)
			|| before->has_ready != after->has_ready || (after->has_ready && before->ready != after->ready);
		if (!moved)
			continue;
		if (mode == OUT_JSON) {
			fputs(changed ? ",\n    {\"before\": " : "\n    {\"before\": ", stdout);
			if (before)
				qm_plan_write_requirement_json(stdout, before);
			else
				fputs("null", stdout);
			fputs(", \"after\": ", stdout);
			qm_plan_write_requirement_json(stdout, after);
			putchar('}');
		} else {
			char as[48], un[48], ex[32], rd[32];
			snprintf(as, sizeof(as), "%lld -> %lld", before ? (long long)before->assigned : 0LL,
				(long long)after->assigned);
			snprintf(un, sizeof(un), "%lld -> %lld", before ? (long long)before->unmet : 0LL,
				(long long)after->unmet);
			snprintf(ex, sizeof(ex), "%s -> %s",
				before && before->has_expected ? qm_date_format(before->expected, d1) : "never",
				after->has_expected ? qm_date_format(after->expected, d2) : "never");
			snprintf(rd, sizeof(rd), "%s -> %s",
				before && before->has_ready ? qm_date_format(before->ready, d1) : "never",
				after->has_ready ? qm_date_format(after->ready, d2) : "never");
			const char *row[6] = {after->id, as, un, ex, rd, before ? "moves" : "new"};
			table_row(t, row);
		}
		changed++;
	}
	if (mode == OUT_JSON) {
		printf("%s]\n}\n", changed ? "\n  " : "");
		table_free(t);
	} else {
		table_print_or(t, stdout, 30, "no requirement's coverage, expected or ready date changes");
	}
}

int cmd_plan(const struct cli_globals *g, int argc, char **argv)
{
	static const struct option opts[] = {{"as-of", required_argument, NULL, 'a'},
		{"committed-only", no_argument, NULL, 'c'}, {"json", no_argument, NULL, 'j'},
		{"csv", no_argument, NULL, 's'}, {"what-if", required_argument, NULL, 'w'},
		{NULL, 0, NULL, 0}};
	struct qm_plan_options opt = {0};
	enum plan_out mode = OUT_TEXT;
	const char *what_if[64];
	int nwhat = 0, c, rc;
	qm_day day;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'a':
			if (qm_date_parse(optarg, &day) < 0)
				return cli_usage("plan", "--as-of takes a date as YYYY-MM-DD, got '%s'", optarg);
			opt.as_of = optarg;
			break;
		case 'c': opt.committed_only = 1; break;
		case 'j': mode = OUT_JSON; break;
		case 's': mode = OUT_CSV; break;
		case 'w':
			if (nwhat == 64)
				return cli_usage("plan", "at most 64 --what-if files");
			what_if[nwhat++] = optarg;
			break;
		default:
			return cli_usage("plan", "unknown option, or an option without its value: '%s'",
				argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_usage("plan", "unexpected argument '%s'", argv[optind]);
	if (nwhat && mode == OUT_CSV)
		return cli_usage("plan", "--what-if prints text or --json, not --csv");
	struct qm_ledger *l;
	struct qm_error err;
	qm_error_clear(&err);
	if ((rc = cli_open(g, &l)) != QM_OK)
		return rc;
	if (nwhat) {
		struct qm_plan *before, *after;
		struct qm_diag diag;
		qm_diag_init(&diag);
		rc = qm_plan_what_if(l, &opt, what_if, nwhat, &before, &after, &diag);
		qm_ledger_close(l);
		if (rc != QM_OK) {
			cli_print_diag(&diag);
			return rc;
		}
		print_what_if(before, after, mode);
		qm_plan_free(before);
		qm_plan_free(after);
		return 0;
	}
	static char outbuf[1 << 16];
	setvbuf(stdout, outbuf, _IOFBF, sizeof(outbuf));
	struct qm_plan *plan;
	rc = qm_plan_run(l, &opt, &plan, &err);
	qm_ledger_close(l);
	if (rc != QM_OK)
		return cli_fail(&err);
	if (mode == OUT_JSON)
		qm_plan_write_json(stdout, plan, opt.as_of);
	else if (mode == OUT_CSV)
		qm_plan_write_csv(stdout, plan);
	else
		print_text(plan, opt.as_of);
	qm_plan_free(plan);
	return 0;
}
