/*
 * cmd_training.c - qm training: seats, trainees and fill per course, seats
 * offered and used per provider, trainees needed, assigned and short per
 * skill, and the courses starting soon; as text, JSON (the core's
 * qm_training_to_json) or CSV (the courses).
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "qm/csv.h"
#include "qm/training.h"
#include "table.h"

static const char *percent_text(int64_t permille, char *buf, size_t size)
{
	snprintf(buf, size, "%lld.%lld%%", (long long)(permille / 10), (long long)(permille % 10));
	return buf;
}

static void print_courses(const struct qm_training *t, int upcoming_only)
{
	char d1[11], d2[11], n[3][24];
	struct table *tb = table_new(9, "llllrrrll");
	const char *h[9] = {"course", "provider", "skill", "status", "seats", "assigned", "fill",
		"start", "end"};
	table_row(tb, h);
	for (size_t i = 0; i < t->ncourses; i++) {
		const struct qm_training_course *c = &t->courses[i];
		if (upcoming_only && !c->upcoming)
			continue;
		snprintf(n[0], sizeof(n[0]), "%lld", (long long)c->seats);
		snprintf(n[1], sizeof(n[1]), "%lld", (long long)c->assigned);
		const char *row[9] = {c->id, c->provider, c->skill, c->status, n[0], n[1],
			percent_text(qm_training_fill_permille(c->assigned, c->seats), n[2], sizeof(n[2])),
			qm_date_format(c->start, d1), qm_date_format(c->end, d2)};
		table_row(tb, row);
	}
	table_print_or(tb, stdout, 30, "none");
}

static void print_text(const struct qm_training *t)
{
	char d[11], n[5][24];
	printf("Quartermaster training, today %s\n", qm_date_format(t->today, d));
	printf("\nCourses\n\n");
	print_courses(t, 0);

	printf("\nProviders: seats of courses not cancelled\n\n");
	struct table *tb = table_new(5, "lrrrr");
	const char *hp[5] = {"provider", "courses", "seats", "used", "fill"};
	table_row(tb, hp);
	for (size_t i = 0; i < t->nproviders; i++) {
		const struct qm_training_provider *p = &t->providers[i];
		snprintf(n[0], sizeof(n[0]), "%lld", (long long)p->courses);
		snprintf(n[1], sizeof(n[1]), "%lld", (long long)p->seats);
		snprintf(n[2], sizeof(n[2]), "%lld", (long long)p->used);
		const char *row[5] = {p->code, n[0], n[1], n[2],
			percent_text(qm_training_fill_permille(p->used, p->seats), n[3], sizeof(n[3]))};
		table_row(tb, row);
	}
	table_print_or(tb, stdout, 30, "none");

	printf("\nSkills: trainees needed (training requirements and crews), assigned and short\n\n");
	tb = table_new(6, "lrrrrr");
	const char *hs[6] = {"skill", "seats", "needed", "of which crews", "assigned", "short"};
	table_row(tb, hs);
	for (size_t i = 0; i < t->plan->nskills; i++) {
		const struct qm_plan_skill *k = &t->plan->skills[i];
		snprintf(n[0], sizeof(n[0]), "%lld", (long long)k->seats);
		snprintf(n[1], sizeof(n[1]), "%lld", (long long)k->needed);
		snprintf(n[2], sizeof(n[2]), "%lld", (long long)k->crew_needed);
		snprintf(n[3], sizeof(n[3]), "%lld", (long long)k->assigned);
		snprintf(n[4], sizeof(n[4]), "%lld", (long long)k->unmet);
		const char *row[6] = {k->skill, n[0], n[1], n[2], n[3], n[4]};
		table_row(tb, row);
	}
	table_print_or(tb, stdout, 30, "none");

	printf("\nStarting within %d days\n\n", QM_TRAINING_UPCOMING_DAYS);
	print_courses(t, 1);
}

static void print_csv(const struct qm_training *t)
{
	char d1[11], d2[11];
	printf("id,provider,skill,status,seats,assigned,fill_percent,start,end,location,upcoming\n");
	for (size_t i = 0; i < t->ncourses; i++) {
		const struct qm_training_course *c = &t->courses[i];
		int64_t fill = qm_training_fill_permille(c->assigned, c->seats);
		qm_csv_write_field(stdout, c->id);
		putchar(',');
		qm_csv_write_field(stdout, c->provider);
		printf(",%s,%s,%lld,%lld,%lld.%lld,%s,%s,", c->skill, c->status, (long long)c->seats,
			(long long)c->assigned, (long long)(fill / 10), (long long)(fill % 10),
			qm_date_format(c->start, d1), qm_date_format(c->end, d2));
		qm_csv_write_field(stdout, c->location ? c->location : "");
		printf(",%s\n", c->upcoming ? "yes" : "no");
	}
}

int cmd_training(const struct cli_globals *g, int argc, char **argv)
{
	static const struct option opts[] = {{"as-of", required_argument, NULL, 'a'},
		{"committed-only", no_argument, NULL, 'c'}, {"json", no_argument, NULL, 'j'},
		{"csv", no_argument, NULL, 's'}, {NULL, 0, NULL, 0}};
	struct qm_plan_options opt = {0};
	int json = 0, csv = 0, c, rc;
	qm_day day;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'a':
			if (qm_date_parse(optarg, &day) < 0)
				return cli_usage("training", "--as-of takes a date as YYYY-MM-DD, got '%s'", optarg);
			opt.as_of = optarg;
			break;
		case 'c': opt.committed_only = 1; break;
		case 'j': json = 1; break;
		case 's': csv = 1; break;
		default:
			return cli_usage("training", "unknown option, or an option without its value: '%s'",
				argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_usage("training", "unexpected argument '%s'", argv[optind]);
	if (json && csv)
		return cli_usage("training", "--json and --csv do not go together");
	struct qm_ledger *l;
	struct qm_error err;
	qm_error_clear(&err);
	if ((rc = cli_open(g, &l)) != QM_OK)
		return rc;
	struct qm_training *t;
	rc = qm_training_run(l, &opt, &t, &err);
	qm_ledger_close(l);
	if (rc != QM_OK)
		return cli_fail(&err);
	if (json) {
		json_t *o = qm_training_to_json(t);
		json_dumpf(o, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6));
		putchar('\n');
		json_decref(o);
	} else if (csv) {
		print_csv(t);
	} else {
		print_text(t);
	}
	qm_training_free(t);
	return 0;
}
