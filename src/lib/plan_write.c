/*
 * plan_write.c - a plan as the JSON of `qm plan --json` (and of the API)
 * and as the CSV of `qm plan --csv`, written to a stream as it goes, so
 * that a plan of a million pledges does not need a second copy in memory.
 */
#include <stdio.h>
#include <string.h>

#include "qm/csv.h"
#include "qm/plan.h"

static void json_str(FILE *fp, const char *s)
{
	if (!s) {
		fputs("null", fp);
		return;
	}
	putc('"', fp);
	while (*s) {
		size_t run = strcspn(s, "\"\\\x01\x02\x03\x04\x05\x06\x07\x08\t\n\x0b\x0c\r\x0e\x0f"
			"\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f");
		fwrite(s, 1, run, fp);
		s += run;
		if (!*s)
			break;
		unsigned char c = (unsigned char)*s++;
		if (c == '"' || c == '\\')
			fprintf(fp, "\\%c", c);
		else
			fprintf(fp, "\\u%04x", c);
	}
	putc('"', fp);
}

/* v (>= 0) in decimal, into buf; returns buf. */
static char *decimal(int64_t v, char buf[24])
{
	char tmp[24];
	int n = 0;
	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v > 0);
	for (int i = 0; i < n; i++)
		buf[i] = tmp[n - 1 - i];
	buf[n] = '\0';
	return buf;
}

/* A line of output built in memory; ids are short, so it rarely overflows,
 * and then the slow path prints it. */
struct line {
	char text[512];
	size_t len;
	int overflow;
};

static void put(struct line *l, const char *s)
{
	size_t n = strlen(s);
	if (l->len + n >= sizeof(l->text)) {
		l->overflow = 1;
		return;
	}
	memcpy(l->text + l->len, s, n);
	l->len += n;
}

/* s as a JSON string, when it needs no escapes (else the line overflows) */
static void put_json(struct line *l, const char *s)
{
	if (s[strcspn(s, "\"\\")] || strlen(s) != strcspn(s, "\x01\x02\x03\x04\x05\x06\x07\x08\t\n"
		"\x0b\x0c\r\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f")) {
		l->overflow = 1;
		return;
	}
	put(l, "\"");
	put(l, s);
	put(l, "\"");
}

static void print_assignment_slowly(FILE *fp, const struct qm_plan_assignment *a, size_t i)
{
	char buf[11];
	fputs(i ? ",\n    {\"pledge\": " : "\n    {\"pledge\": ", fp);
	json_str(fp, a->pledge);
	fputs(", \"requirement\": ", fp);
	json_str(fp, a->requirement);
	fprintf(fp, ", \"quantity\": %lld, \"available\": \"%s\", \"days_late\": %lld, \"delivered\": %s}",
		(long long)a->quantity, qm_date_format(a->available, buf), (long long)a->days_late,
		a->delivered ? "true" : "false");
}

static void json_day(FILE *fp, qm_day d, int valid)
{
	char buf[11];
	if (valid)
		fprintf(fp, "\"%s\"", qm_date_format(d, buf));
	else
		fputs("null", fp);
}

void qm_plan_write_requirement_json(FILE *fp, const struct qm_plan_requirement *r)
{
	char buf[11];
	fputs("{\"id\": ", fp);
	json_str(fp, r->id);
	fputs(", \"capability\": ", fp);
	json_str(fp, r->capability);
	fputs(", \"item\": ", fp);
	json_str(fp, r->item);
	fprintf(fp, ", \"priority\": %d, \"needed_by\": \"%s\", \"needed\": %lld, \"assigned\": %lld,"
		    " \"delivered\": %lld, \"unmet\": %lld, \"expected\": ", r->priority,
		qm_date_format(r->needed_by, buf), (long long)r->needed, (long long)r->assigned,
		(long long)r->delivered, (long long)r->unmet);
	json_day(fp, r->expected, r->has_expected);
	fprintf(fp, ", \"crew_needed\": %lld, \"crew_assigned\": %lld, \"crew_unmet\": %lld, \"ready\": ",
		(long long)r->crew_needed, (long long)r->crew_assigned, (long long)r->crew_unmet);
	json_day(fp, r->ready, r->has_ready);
	fprintf(fp, ", \"cost\": %lld}", (long long)r->cost);
}

static void write_seat_json(FILE *fp, const struct qm_plan_seat *st)
{
	char b1[11], b2[11];
	fputs("{\"course\": ", fp);
	json_str(fp, st->course);
	fputs(", \"requirement\": ", fp);
	json_str(fp, st->requirement);
	fputs(", \"skill\": ", fp);
	json_str(fp, st->skill);
	fprintf(fp, ", \"trainees\": %lld, \"needed_by\": \"%s\", \"available\": \"%s\", \"days_late\": %lld,"
		    " \"crew\": %s}", (long long)st->trainees, qm_date_format(st->needed_by, b1),
		qm_date_format(st->available, b2), (long long)st->days_late, st->crew ? "true" : "false");
}

void qm_plan_write_json(FILE *fp, const struct qm_plan *p, const char *as_of)
{
	char buf[11];
	fprintf(fp, "{\n  \"as_of\": ");
	json_str(fp, as_of);
	fprintf(fp, ",\n  \"objective\": %lld,\n  \"training_objective\": %lld,\n  \"needed_total\": %lld,\n"
	       "  \"assigned_total\": %lld,\n  \"unmet_total\": %lld,\n  \"requirements\": [",
		(long long)p->objective, (long long)p->training_objective, (long long)p->needed_total,
		(long long)p->assigned_total, (long long)p->unmet_total);
	for (size_t i = 0; i < p->nrequirements; i++) {
		fputs(i ? ",\n    " : "\n    ", fp);
		qm_plan_write_requirement_json(fp, &p->requirements[i]);
	}
	fprintf(fp, "%s],\n  \"assignments\": [", p->nrequirements ? "\n  " : "");
	for (size_t i = 0; i < p->nassignments; i++) {
		/* a million of these: each line is made in a buffer and written once */
		const struct qm_plan_assignment *a = &p->assignments[i];
		struct line ln;
		ln.len = 0;
		ln.overflow = 0;
		char num[24];
		put(&ln, i ? ",\n    {\"pledge\": " : "\n    {\"pledge\": ");
		put_json(&ln, a->pledge);
		put(&ln, ", \"requirement\": ");
		put_json(&ln, a->requirement);
		put(&ln, ", \"quantity\": ");
		put(&ln, decimal(a->quantity, num));
		put(&ln, ", \"available\": \"");
		put(&ln, qm_date_format(a->available, buf));
		put(&ln, "\", \"days_late\": ");
		put(&ln, decimal(a->days_late, num));
		put(&ln, a->delivered ? ", \"delivered\": true}" : ", \"delivered\": false}");
		if (ln.overflow)
			print_assignment_slowly(fp, a, i);
		else
			fwrite(ln.text, 1, ln.len, fp);
	}
	fprintf(fp, "%s],\n  \"seat_assignments\": [", p->nassignments ? "\n  " : "");
	for (size_t i = 0; i < p->nseats; i++) {
		fputs(i ? ",\n    " : "\n    ", fp);
		write_seat_json(fp, &p->seats[i]);
	}
	fprintf(fp, "%s]\n}\n", p->nseats ? "\n  " : "");
}

void qm_plan_write_csv(FILE *fp, const struct qm_plan *p)
{
	char buf[11];
	fprintf(fp, "pledge,requirement,quantity,available,days_late,delivered\n");
	for (size_t i = 0; i < p->nassignments; i++) {
		const struct qm_plan_assignment *a = &p->assignments[i];
		char num[24];
		qm_csv_write_field(fp, a->pledge);
		putc(',', fp);
		qm_csv_write_field(fp, a->requirement);
		putc(',', fp);
		fputs(decimal(a->quantity, num), fp);
		putc(',', fp);
		fputs(qm_date_format(a->available, buf), fp);
		putc(',', fp);
		fputs(decimal(a->days_late, num), fp);
		fputs(a->delivered ? ",yes\n" : ",no\n", fp);
	}
}
