/*
 * test_ledger.c - the ledger through its public API (ledger.h, audit.h,
 * check.h, report.h): opening and migrating a database in a temporary
 * directory, importing small fixture files (all or nothing, idempotent,
 * revisions journaled, dry runs), listing with filters and the derived
 * pledge values (checked by hand against ECB rates), export, adding one
 * record, the journal and its verification after edits made to the
 * database directly, the named checks, and the report as of a date. On an
 * SQLite file, or on PostgreSQL in the pg lane (unit_db.h).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "qm/audit.h"
#include "qm/check.h"
#include "qm/ledger.h"
#include "qm/report.h"
#include "unit_db.h"

struct fixture {
	char dir[256];
	char db[600]; /* a file path, or a PostgreSQL connection string */
	struct qm_ledger *l;
};

static const char parties_csv[] =
	"code,name,kind,ally,currency,source,aliases\n"
	"DEU,Germany,nation,yes,EUR,unit test,\n"
	"GBR,United Kingdom,nation,yes,GBP,unit test,UK\n"
	"USA,United States,nation,yes,USD,unit test,\n"
	"EU,European Union,organisation,no,,unit test,\n";

/* ECB reference rates of 5, 6 and 11 April 2023 (7 and 10 April were holidays). */
static const char rates_csv[] =
	"date,currency,per_eur\n"
	"2023-04-05,USD,1.094\n"
	"2023-04-05,GBP,0.87685\n"
	"2023-04-06,USD,1.0915\n"
	"2023-04-06,GBP,0.87495\n"
	"2023-04-11,USD,1.0905\n"
	"2023-04-11,GBP,0.87738\n";

static const char items_csv[] =
	"code,name,category,capability,unit,unit_price,currency,price_date,source,aliases\n"
	"patriot-battery,Patriot battery,air-defence,long-range-air-defence,battery,1bn,USD,"
	"2023-04-08,unit test,\n"
	"drone-x,Drone X,uav,reconnaissance,,,,,unit test,\n";

static const char pledges_csv[] =
	"id,donor,date,item,quantity,amount,currency,status,available,part_of,cost_type,channel,"
	"source,note\n"
	"pkg,USA,2023-04-06,,,1.85bn,,committed,,,in-kind,,unit test,a package\n"
	"part,USA,2023-04-06,patriot-battery,1,,,committed,,pkg,,,unit test,part of pkg\n"
	"est,GBR,2023-04-10,patriot-battery,2,,,announced,2023-05-01,,,,unit test,estimated\n"
	"gbp,GBR,2023-04-10,,,250m,GBP,committed,,,purchase,nato,unit test,Easter Monday\n"
	"drone,DEU,2023-04-11,drone-x,3,,,committed,,,,,,no price and no source\n"
	"gone,DEU,2023-04-11,,,9m,EUR,cancelled,,,,,unit test,cancelled\n";

static const char deliveries_csv[] =
	"id,pledge,date,quantity,hub,source,note\n"
	"d1,est,2023-05-15,1,Rzesz\xC3\xB3w,unit test,late\n";

static void write_file(struct fixture *f, const char *name, const char *text)
{
	char path[400];
	snprintf(path, sizeof(path), "%s/%s", f->dir, name);
	FILE *fp = fopen(path, "wb");
	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
}

static const char *path_of(struct fixture *f, const char *name)
{
	static char path[4][400];
	static int next;
	char *p = path[next++ % 4];
	snprintf(p, 400, "%s/%s", f->dir, name);
	return p;
}

static int import(struct fixture *f, const char *kind, const char *name, int dry_run,
	struct qm_import_result *res, struct qm_diag *diag)
{
	const char *paths[1] = {path_of(f, name)};
	struct qm_import_options opt = {0};
	opt.dry_run = dry_run;
	qm_diag_init(diag);
	return qm_import(f->l, kind, paths, 1, &opt, res, diag);
}

static void import_ok(struct fixture *f, const char *kind, const char *name, long created)
{
	struct qm_import_result res;
	struct qm_diag diag;
	int rc = import(f, kind, name, 0, &res, &diag);
	if (rc != QM_OK) {
		char buf[1024];
		fail_msg("import %s %s: %d: %s", kind, name, rc,
			diag.count ? qm_error_format(&diag.items[0], buf, sizeof(buf)) : "");
	}
	assert_int_equal(res.created, created);
	assert_int_equal(diag.errors, 0);
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	if (unit_db_setup(f->dir, sizeof(f->dir), f->db, sizeof(f->db), "test") != 0)
		return -1;
	setenv("QM_NOW", "2026-01-01T00:00:00Z", 1);
	write_file(f, "parties.csv", parties_csv);
	write_file(f, "rates.csv", rates_csv);
	write_file(f, "items.csv", items_csv);
	write_file(f, "pledges.csv", pledges_csv);
	write_file(f, "deliveries.csv", deliveries_csv);
	struct qm_error err;
	qm_error_clear(&err);
	if (qm_ledger_open(f->db, &f->l, &err) != QM_OK)
		return -1;
	qm_ledger_set_actor(f->l, "unit");
	*state = f;
	return 0;
}

/* setup, then the fixtures imported */
static int setup_loaded(void **state)
{
	if (setup(state) != 0)
		return -1;
	struct fixture *f = *state;
	import_ok(f, "parties", "parties.csv", 4);
	import_ok(f, "rates", "rates.csv", 6);
	import_ok(f, "items", "items.csv", 2);
	import_ok(f, "pledges", "pledges.csv", 6);
	import_ok(f, "deliveries", "deliveries.csv", 1);
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	qm_ledger_close(f->l);
	if (unit_db_teardown(f->dir, f->db) != 0)
		return -1;
	free(f);
	return 0;
}

static void reopen(struct fixture *f)
{
	struct qm_error err;
	qm_ledger_close(f->l);
	f->l = NULL;
	qm_error_clear(&err);
	assert_int_equal(qm_ledger_open(f->db, &f->l, &err), QM_OK);
	qm_ledger_set_actor(f->l, "unit");
}

/* Run SQL on the database behind the ledger's back (the ledger closed). */
static void behind_the_back(struct fixture *f, const char *sql)
{
	qm_ledger_close(f->l);
	f->l = NULL;
	if (unit_db_exec(f->db, sql) != 0)
		fail_msg("%s: refused", sql);
	reopen(f);
}

/* ---- counting and collecting ---- */

struct collected {
	long n;
	char ids[32][65];
	int64_t value[32], own[32], delivered[32];
	char valuation[32][16];
	char counted_in[32][65];
};

static int collect(void *ctx, const struct qm_record *rec, const struct qm_pledge_extra *x)
{
	struct collected *c = ctx;
	if (c->n < 32) {
		snprintf(c->ids[c->n], 65, "%s", qm_record_get(rec, 0));
		if (x) {
			c->value[c->n] = x->value_eur_cents;
			c->own[c->n] = x->own_value_eur_cents;
			c->delivered[c->n] = x->delivered;
			snprintf(c->valuation[c->n], 16, "%s", x->valuation ? x->valuation : "-");
			snprintf(c->counted_in[c->n], 65, "%s", x->counted_in ? x->counted_in : "-");
		}
	}
	c->n++;
	return 0;
}

static long count(struct fixture *f, const char *kind, const struct qm_filter *filter)
{
	struct collected c = {0};
	struct qm_error err;
	qm_error_clear(&err);
	assert_int_equal(qm_list(f->l, kind, filter, collect, &c, &err), QM_OK);
	return c.n;
}

static int count_entry(void *ctx, const struct qm_journal_entry *e)
{
	(void)e;
	(*(long *)ctx)++;
	return 0;
}

static long journal_length(struct fixture *f)
{
	long n = 0;
	struct qm_error err;
	assert_int_equal(qm_log(f->l, NULL, NULL, count_entry, &n, &err), QM_OK);
	return n;
}

static int find(const struct collected *c, const char *id)
{
	for (int i = 0; i < c->n && i < 32; i++)
		if (strcmp(c->ids[i], id) == 0)
			return i;
	fail_msg("no record '%s'", id);
	return -1;
}

/* ---- tests ---- */

static void test_open_creates_and_migrates(void **state)
{
	struct fixture *f = *state;
	int from = 99;
	assert_int_equal(qm_ledger_schema_version(f->l, &from), QM_SCHEMA_VERSION);
	assert_int_equal(from, 0); /* created */
	reopen(f);
	assert_int_equal(qm_ledger_schema_version(f->l, &from), QM_SCHEMA_VERSION);
	assert_int_equal(from, -1); /* nothing to do */
	assert_non_null(qm_ledger_store(f->l));
	assert_int_equal(count(f, "pledges", NULL), 0);
	assert_int_equal(journal_length(f), 0);
	/* the sqlite: prefix (or postgresql:) names the same database */
	struct qm_ledger *l2;
	struct qm_error err;
	char loc[600];
	snprintf(loc, sizeof(loc), "%s:%s", unit_db_pg() ? "postgresql" : "sqlite", f->db);
	assert_int_equal(qm_ledger_open(loc, &l2, &err), QM_OK);
	assert_int_equal(qm_ledger_schema_version(l2, &from), QM_SCHEMA_VERSION);
	assert_int_equal(from, -1);
	qm_ledger_close(l2);
}

static void test_newer_schema_refused_by_open(void **state)
{
	struct fixture *f = *state;
	qm_ledger_close(f->l);
	f->l = NULL;
	assert_int_equal(unit_db_exec(f->db, "UPDATE meta SET value='99' WHERE key='schema_version'"), 0);
	struct qm_error err;
	qm_error_clear(&err);
	struct qm_ledger *l = NULL;
	assert_int_equal(qm_ledger_open(f->db, &l, &err), QM_EDATA);
	assert_null(l);
	assert_int_equal(err.code, QM_EDATA);
	assert_non_null(strstr(err.message, "schema version 99"));
	assert_non_null(strstr(err.message, "newer qm"));
	/* teardown needs a ledger: put the version back */
	char sql[96];
	snprintf(sql, sizeof(sql), "UPDATE meta SET value='%d' WHERE key='schema_version'",
		QM_SCHEMA_VERSION);
	assert_int_equal(unit_db_exec(f->db, sql), 0);
	reopen(f);
}

static void test_import_counts_and_idempotence(void **state)
{
	struct fixture *f = *state;
	struct qm_import_result res;
	struct qm_diag diag;
	assert_int_equal(count(f, "parties", NULL), 4);
	assert_int_equal(count(f, "rates", NULL), 6);
	assert_int_equal(count(f, "pledges", NULL), 6);
	long entries = journal_length(f);
	assert_int_equal(entries, 4 + 6 + 2 + 6 + 1);
	/* the same file again changes nothing */
	assert_int_equal(import(f, "pledges", "pledges.csv", 0, &res, &diag), QM_OK);
	assert_int_equal(res.records, 6);
	assert_int_equal(res.created, 0);
	assert_int_equal(res.revised, 0);
	assert_int_equal(res.unchanged, 6);
	assert_int_equal(journal_length(f), entries);
	assert_int_equal(import(f, "parties", "parties.csv", 0, &res, &diag), QM_OK);
	assert_int_equal(res.unchanged, 4);
	assert_int_equal(import(f, "rates", "rates.csv", 0, &res, &diag), QM_OK);
	assert_int_equal(res.unchanged, 6);
	assert_int_equal(journal_length(f), entries);
}

struct last_entry {
	char action[16], kind[32], key[65], actor[32], at[32];
	int before, after;
	long n;
};

static int keep_last(void *ctx, const struct qm_journal_entry *e)
{
	struct last_entry *l = ctx;
	snprintf(l->action, sizeof(l->action), "%s", e->action);
	snprintf(l->kind, sizeof(l->kind), "%s", e->kind);
	snprintf(l->key, sizeof(l->key), "%s", e->key);
	snprintf(l->actor, sizeof(l->actor), "%s", e->actor);
	snprintf(l->at, sizeof(l->at), "%s", e->at);
	l->before = e->before != NULL;
	l->after = e->after != NULL;
	l->n++;
	return 0;
}

static void test_revision_and_dry_run(void **state)
{
	struct fixture *f = *state;
	struct qm_import_result res;
	struct qm_diag diag;
	long entries = journal_length(f);
	write_file(f, "rev.csv",
		"id,donor,date,item,quantity,amount,currency,status,available,part_of,cost_type,"
		"channel,source,note\n"
		"gbp,GBR,2023-04-10,,,300m,GBP,committed,,,purchase,nato,unit test,Easter Monday\n"
		"new,DEU,2023-04-11,,,1m,,,,,,,unit test,\n");
	/* a dry run counts and writes nothing */
	assert_int_equal(import(f, "pledges", "rev.csv", 1, &res, &diag), QM_OK);
	assert_int_equal(res.created, 1);
	assert_int_equal(res.revised, 1);
	assert_int_equal(res.unchanged, 0);
	assert_int_equal(journal_length(f), entries);
	assert_int_equal(count(f, "pledges", NULL), 6);
	/* the real thing */
	qm_ledger_set_actor(f->l, "alice");
	assert_int_equal(import(f, "pledges", "rev.csv", 0, &res, &diag), QM_OK);
	assert_int_equal(res.created, 1);
	assert_int_equal(res.revised, 1);
	assert_int_equal(journal_length(f), entries + 2);
	assert_int_equal(count(f, "pledges", NULL), 7);
	struct last_entry le = {0};
	struct qm_error err;
	assert_int_equal(qm_log(f->l, "pledges", "gbp", keep_last, &le, &err), QM_OK);
	assert_int_equal(le.n, 2);
	assert_string_equal(le.action, "revise");
	assert_string_equal(le.actor, "alice");
	assert_string_equal(le.at, "2026-01-01T00:00:00Z");
	assert_true(le.before && le.after);
	memset(&le, 0, sizeof(le));
	assert_int_equal(qm_log(f->l, "pledges", "new", keep_last, &le, &err), QM_OK);
	assert_int_equal(le.n, 1);
	assert_string_equal(le.action, "create");
	assert_false(le.before);
	/* the revised value: GBP 300 m at the rate of the last ECB day on or
	 * before the pledge date (2023-04-06, 0.87495): 342,876,735.8135... */
	struct collected c = {0};
	struct qm_filter fl = {0};
	fl.id = "gbp";
	assert_int_equal(qm_list(f->l, "pledges", &fl, collect, &c, &err), QM_OK);
	assert_int_equal(c.n, 1);
	assert_int_equal(c.value[0], 34287673581LL);
	struct qm_audit_result ar;
	assert_int_equal(qm_audit_verify(f->l, &ar, &err), QM_OK);
}

static void test_bad_file_changes_nothing(void **state)
{
	struct fixture *f = *state;
	struct qm_import_result res;
	struct qm_diag diag;
	long entries = journal_length(f);
	write_file(f, "bad.csv",
		"id,donor,date,item,quantity,amount,currency,status,available,part_of,cost_type,"
		"channel,source,note\n"
		"ok1,DEU,2023-04-11,,,1m,,,,,,,unit test,\n"
		"bad1,DEU,2023-02-30,,,1m,,,,,,,unit test,\n"
		"bad2,FRA,2023-04-11,drone-x,0,,,,,,,,unit test,\n");
	assert_int_equal(import(f, "pledges", "bad.csv", 0, &res, &diag), QM_EDATA);
	/* every error of every row, in file order */
	assert_int_equal(diag.errors, 3);
	assert_int_equal(diag.count, 3);
	char buf[1024], want[1024];
	snprintf(want, sizeof(want), "%s:3:10: error: date: a date as YYYY-MM-DD, got '2023-02-30'",
		path_of(f, "bad.csv"));
	assert_string_equal(qm_error_format(&diag.items[0], buf, sizeof(buf)), want);
	assert_int_equal(diag.items[0].line, 3);
	assert_int_equal(diag.items[0].column, 10);
	assert_string_equal(diag.items[0].field, "date");
	assert_string_equal(diag.items[1].field, "donor");
	assert_int_equal(diag.items[1].line, 4);
	assert_int_equal(diag.items[1].column, 6);
	assert_string_equal(diag.items[1].message, "the code of a known party, got 'FRA'");
	assert_string_equal(diag.items[2].field, "quantity");
	assert_int_equal(diag.items[2].line, 4);
	assert_int_equal(diag.items[2].column, 29);
	assert_string_equal(diag.items[2].message, "a whole number of at least 1, got '0'");
	/* an unknown donor alone */
	write_file(f, "bad2.csv",
		"id,donor,date,item,quantity,amount,currency,status,available,part_of,cost_type,"
		"channel,source,note\n"
		"bad3,FRA,2023-04-11,drone-x,2,,,,,,,,unit test,\n");
	assert_int_equal(import(f, "pledges", "bad2.csv", 0, &res, &diag), QM_EDATA);
	assert_int_equal(diag.errors, 1);
	assert_string_equal(diag.items[0].field, "donor");
	assert_string_equal(diag.items[0].message, "the code of a known party, got 'FRA'");
	assert_int_equal(diag.items[0].column, 6);
	/* nothing of the good row was written */
	assert_int_equal(count(f, "pledges", NULL), 6);
	assert_int_equal(journal_length(f), entries);
}

static void test_all_files_or_none(void **state)
{
	struct fixture *f = *state;
	struct qm_import_result res;
	struct qm_diag diag;
	struct qm_import_options opt = {0};
	write_file(f, "good.csv", "id,donor,date,amount\ng1,DEU,2023-04-11,5m\n");
	write_file(f, "bad.json", "[{\"id\": \"g2\", \"donor\": \"DEU\", \"date\": \"2023-04-11\","
				  " \"amount\": \"5m\", \"quantity\": 0}]");
	const char *paths[2] = {path_of(f, "good.csv"), path_of(f, "bad.json")};
	qm_diag_init(&diag);
	assert_int_equal(qm_import(f->l, "pledges", paths, 2, &opt, &res, &diag), QM_EDATA);
	assert_int_equal(diag.errors, 1);
	assert_string_equal(diag.items[0].path, "$[0].quantity");
	assert_int_equal(count(f, "pledges", NULL), 6);
	/* a missing file */
	const char *missing[1] = {path_of(f, "no-such-file.csv")};
	qm_diag_init(&diag);
	assert_int_equal(qm_import(f->l, "pledges", missing, 1, &opt, &res, &diag), QM_ENOINPUT);
	/* an unknown kind */
	qm_diag_init(&diag);
	assert_int_equal(qm_import(f->l, "widgets", paths, 1, &opt, &res, &diag), QM_EUSAGE);
	assert_int_equal(count(f, "pledges", NULL), 6);
}

static void test_values_by_hand(void **state)
{
	struct fixture *f = *state;
	struct collected c = {0};
	struct qm_error err;
	assert_int_equal(qm_list(f->l, "pledges", NULL, collect, &c, &err), QM_OK);
	assert_int_equal(c.n, 6);
	/* key order */
	assert_string_equal(c.ids[0], "drone");
	assert_string_equal(c.ids[5], "pkg");
	/* USD 1.85 bn on 2023-04-06 at 1.0915: 1,694,915,254.2373... */
	int i = find(&c, "pkg");
	assert_int_equal(c.value[i], 169491525424LL);
	assert_int_equal(c.own[i], 169491525424LL);
	assert_string_equal(c.valuation[i], "stated");
	/* the part of a package that states an amount adds nothing; its own value
	 * is 1 battery at USD 1 bn, price date 2023-04-08 (a Saturday): 1.0915 */
	i = find(&c, "part");
	assert_int_equal(c.value[i], 0);
	assert_int_equal(c.own[i], 91617040770LL);
	assert_string_equal(c.counted_in[i], "pkg");
	/* estimated: 2 x USD 1 bn at the item's price date rate */
	i = find(&c, "est");
	assert_int_equal(c.value[i], 183234081539LL);
	assert_string_equal(c.valuation[i], "estimated");
	assert_int_equal(c.delivered[i], 1);
	/* GBP 250 m on Easter Monday 2023-04-10: the rate of 2023-04-06, 0.87495 */
	i = find(&c, "gbp");
	assert_int_equal(c.value[i], 28573061318LL);
	assert_string_equal(c.valuation[i], "stated");
	/* no price: no value */
	i = find(&c, "drone");
	assert_int_equal(c.value[i], 0);
	assert_string_equal(c.valuation[i], "-");
	/* a cancelled pledge keeps its value; it is not counted in the report */
	i = find(&c, "gone");
	assert_int_equal(c.value[i], 900000000LL);
}

static void test_filters(void **state)
{
	struct fixture *f = *state;
	struct qm_filter fl = {0};
	fl.donor = "GBR";
	assert_int_equal(count(f, "pledges", &fl), 2);
	fl.status = "committed";
	assert_int_equal(count(f, "pledges", &fl), 1);
	memset(&fl, 0, sizeof(fl));
	fl.item = "patriot-battery";
	assert_int_equal(count(f, "pledges", &fl), 2);
	memset(&fl, 0, sizeof(fl));
	fl.from = "2023-04-10";
	assert_int_equal(count(f, "pledges", &fl), 4);
	fl.to = "2023-04-10";
	assert_int_equal(count(f, "pledges", &fl), 2);
	memset(&fl, 0, sizeof(fl));
	fl.to = "2023-04-05";
	assert_int_equal(count(f, "pledges", &fl), 0);
	assert_int_equal(count(f, "rates", &fl), 2);
	memset(&fl, 0, sizeof(fl));
	fl.id = "part";
	assert_int_equal(count(f, "pledges", &fl), 1);
	fl.id = "DEU";
	assert_int_equal(count(f, "parties", &fl), 1);
	struct collected c = {0};
	struct qm_error err;
	qm_error_clear(&err);
	assert_int_equal(qm_list(f->l, "widgets", NULL, collect, &c, &err), QM_EUSAGE);
}

static char *export_of(struct fixture *f, const char *kind, enum qm_format fmt)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);
	struct qm_error err;
	qm_error_clear(&err);
	assert_int_equal(qm_export(f->l, kind, fmt, fp, &err), QM_OK);
	fclose(fp);
	return buf;
}

static void test_export(void **state)
{
	struct fixture *f = *state;
	char *csv = export_of(f, "parties", QM_FORMAT_CSV);
	assert_string_equal(csv,
		"code,name,kind,ally,currency,source,aliases\n"
		"DEU,Germany,nation,yes,EUR,unit test,\n"
		"EU,European Union,organisation,no,,unit test,\n"
		"GBR,United Kingdom,nation,yes,GBP,unit test,UK\n"
		"USA,United States,nation,yes,USD,unit test,\n");
	free(csv);
	csv = export_of(f, "rates", QM_FORMAT_CSV);
	assert_string_equal(csv,
		"date,currency,per_eur\n"
		"2023-04-05,GBP,0.87685\n"
		"2023-04-05,USD,1.094\n"
		"2023-04-06,GBP,0.87495\n"
		"2023-04-06,USD,1.0915\n"
		"2023-04-11,GBP,0.87738\n"
		"2023-04-11,USD,1.0905\n");
	free(csv);
	/* amounts in canonical form, defaults filled in */
	csv = export_of(f, "pledges", QM_FORMAT_CSV);
	assert_non_null(strstr(csv, "\npkg,USA,2023-04-06,,,1850000000,USD,committed,2023-04-06,,"
				    "in-kind,bilateral,unit test,a package\n"));
	assert_non_null(strstr(csv, "\npart,USA,2023-04-06,patriot-battery,1,,,committed,"
				    "2023-04-06,pkg,in-kind,bilateral,unit test,part of pkg\n"));
	free(csv);
	char *json = export_of(f, "deliveries", QM_FORMAT_JSON);
	json_error_t jerr;
	json_t *root = json_loads(json, 0, &jerr);
	assert_non_null(root);
	assert_true(json_is_array(root));
	assert_int_equal(json_array_size(root), 1);
	json_t *d = json_array_get(root, 0);
	assert_string_equal(json_string_value(json_object_get(d, "pledge")), "est");
	assert_int_equal(json_integer_value(json_object_get(d, "quantity")), 1);
	assert_string_equal(json_string_value(json_object_get(d, "hub")), "Rzesz\xC3\xB3w");
	json_decref(root);
	free(json);
	/* export, import into a new ledger, export: the same bytes */
	static const char *const kinds[] = {"parties", "rates", "items", "pledges", "deliveries"};
	char *first[5];
	for (int k = 0; k < 5; k++) {
		first[k] = export_of(f, kinds[k], QM_FORMAT_CSV);
		char name[32];
		snprintf(name, sizeof(name), "export-%s.csv", kinds[k]);
		write_file(f, name, first[k]);
	}
	char db2[600];
	assert_int_equal(unit_db_make(db2, sizeof(db2), f->dir, "second"), 0);
	struct qm_ledger *orig = f->l;
	struct qm_error err;
	assert_int_equal(qm_ledger_open(db2, &f->l, &err), QM_OK);
	for (int k = 0; k < 5; k++) {
		char name[32];
		snprintf(name, sizeof(name), "export-%s.csv", kinds[k]);
		struct qm_import_result res;
		struct qm_diag diag;
		assert_int_equal(import(f, kinds[k], name, 0, &res, &diag), QM_OK);
	}
	for (int k = 0; k < 5; k++) {
		char *again = export_of(f, kinds[k], QM_FORMAT_CSV);
		assert_string_equal(again, first[k]);
		free(again);
		free(first[k]);
	}
	qm_ledger_close(f->l);
	unit_db_drop(db2);
	f->l = orig;
	/* an unknown kind */
	FILE *null = fopen("/dev/null", "w");
	assert_int_equal(qm_export(f->l, "widgets", QM_FORMAT_CSV, null, &err), QM_EUSAGE);
	fclose(null);
}

static void test_add(void **state)
{
	struct fixture *f = *state;
	struct qm_import_result res;
	struct qm_diag diag;
	const char *names[] = {"id", "donor", "date", "amount", "currency"};
	const char *values[] = {"added", "DEU", "2023-04-11", "2.5m", "USD"};
	qm_diag_init(&diag);
	assert_int_equal(qm_add(f->l, "pledges", 5, names, values, 0, &res, &diag), QM_OK);
	assert_int_equal(res.created, 1);
	/* revise one field; the others keep their values */
	const char *n2[] = {"id", "status"};
	const char *v2[] = {"added", "committed"};
	qm_diag_init(&diag);
	assert_int_equal(qm_add(f->l, "pledges", 2, n2, v2, 0, &res, &diag), QM_OK);
	assert_int_equal(res.revised, 1);
	qm_diag_init(&diag);
	assert_int_equal(qm_add(f->l, "pledges", 2, n2, v2, 0, &res, &diag), QM_OK);
	assert_int_equal(res.unchanged, 1);
	struct collected c = {0};
	struct qm_filter fl = {0};
	struct qm_error err;
	fl.id = "added";
	fl.status = "committed";
	assert_int_equal(qm_list(f->l, "pledges", &fl, collect, &c, &err), QM_OK);
	assert_int_equal(c.n, 1);
	/* USD 2.5 m at 1.0905 (2023-04-11): 2,292,526.36... */
	assert_int_equal(c.value[0], 229252636LL);
	/* bad values, with source "add" */
	const char *n3[] = {"id", "donor", "date", "quantity", "item"};
	const char *v3[] = {"added2", "DEU", "2023-04-11", "-1", "drone-x"};
	qm_diag_init(&diag);
	assert_int_equal(qm_add(f->l, "pledges", 5, n3, v3, 0, &res, &diag), QM_EDATA);
	assert_int_equal(diag.errors, 1);
	char buf[512];
	assert_string_equal(qm_error_format(&diag.items[0], buf, sizeof(buf)),
		"add: error: quantity: a whole number of at least 1, got '-1'");
	/* a field the kind does not have */
	const char *n4[] = {"id", "colour"};
	const char *v4[] = {"added", "red"};
	qm_diag_init(&diag);
	assert_int_equal(qm_add(f->l, "pledges", 2, n4, v4, 0, &res, &diag), QM_EDATA);
	/* dry run */
	const char *v5[] = {"added3", "DEU", "2023-04-11", "1m", "EUR"};
	qm_diag_init(&diag);
	assert_int_equal(qm_add(f->l, "pledges", 5, names, v5, 1, &res, &diag), QM_OK);
	assert_int_equal(res.created, 1);
	fl.id = "added3";
	fl.status = NULL;
	assert_int_equal(count(f, "pledges", &fl), 0);
	struct qm_audit_result ar;
	assert_int_equal(qm_audit_verify(f->l, &ar, &err), QM_OK);
}

static void expect_audit_failure(struct fixture *f, const char *sql, const char *names)
{
	struct qm_audit_result ar;
	struct qm_error err;
	qm_error_clear(&err);
	assert_int_equal(qm_audit_verify(f->l, &ar, &err), QM_OK);
	behind_the_back(f, sql);
	qm_error_clear(&err);
	int rc = qm_audit_verify(f->l, &ar, &err);
	if (rc != QM_EDATA)
		fail_msg("audit after \"%s\" gave %d, want 65", sql, rc);
	if (!strstr(err.message, names))
		fail_msg("audit after \"%s\" says \"%s\", which does not name %s", sql, err.message,
			names);
}

static void test_audit_update(void **state)
{
	expect_audit_failure(*state, "UPDATE pledges SET quantity = 3 WHERE id = 'est'", "'est'");
}

static void test_audit_delete(void **state)
{
	expect_audit_failure(*state, "DELETE FROM pledges WHERE id = 'gbp'", "'gbp'");
}

static void test_audit_insert(void **state)
{
	expect_audit_failure(*state, "INSERT INTO parties(code, name, kind, ally, currency)"
				     " VALUES('FRA', 'France', 'nation', 'yes', 'EUR')", "'FRA'");
}

static void test_audit_journal_edit(void **state)
{
	expect_audit_failure(*state, "UPDATE journal SET after = replace(after, 'Germany', 'Prussia')"
				     " WHERE kind = 'parties' AND key = 'DEU'", "journal entry 1 ");
}

static void test_audit_journal_truncated(void **state)
{
	struct fixture *f = *state;
	long n = journal_length(f);
	char want[64];
	snprintf(want, sizeof(want), "'d1'");
	expect_audit_failure(f, "DELETE FROM journal WHERE seq = (SELECT max(seq) FROM journal)", want);
	assert_int_equal(journal_length(f), n - 1);
}

static void test_audit_stored_value(void **state)
{
	expect_audit_failure(*state, "UPDATE pledges SET value_eur_cents = 1 WHERE id = 'pkg'", "'pkg'");
}

struct findings {
	long n;
	char line[16][160];
};

static int keep_finding(void *ctx, const struct qm_finding *fd)
{
	struct findings *fs = ctx;
	if (fs->n < 16)
		snprintf(fs->line[fs->n], 160, "%s %s %s", fd->check, fd->kind, fd->id);
	fs->n++;
	return 0;
}

static void test_checks(void **state)
{
	struct fixture *f = *state;
	static const char *const names[] = {"pledge-without-source", "estimated-without-price",
		"item-without-price", "delivery-after-available", "requirement-without-source",
		"ally-without-gdp"};
	const struct qm_check_def *defs = qm_checks();
	for (int i = 0; i < 6; i++) {
		assert_string_equal(defs[i].name, names[i]);
		assert_non_null(defs[i].description);
	}
	assert_null(defs[6].name);
	struct findings fs = {0};
	struct qm_error err;
	assert_int_equal(qm_check_run(f->l, NULL, keep_finding, &fs, &err), QM_OK);
	assert_int_equal(fs.n, 7);
	assert_string_equal(fs.line[0], "pledge-without-source pledges drone");
	assert_string_equal(fs.line[1], "estimated-without-price pledges drone");
	assert_string_equal(fs.line[2], "item-without-price items drone-x");
	assert_string_equal(fs.line[3], "delivery-after-available deliveries d1");
	/* no GDP at all for any ally, in the one year pledged (the part of a
	 * valued package and the cancelled pledge raise nothing) */
	assert_string_equal(fs.line[4], "ally-without-gdp parties DEU");
	assert_string_equal(fs.line[5], "ally-without-gdp parties GBR");
	assert_string_equal(fs.line[6], "ally-without-gdp parties USA");
	/* as of a date before the delivery and the undated-source pledge */
	memset(&fs, 0, sizeof(fs));
	assert_int_equal(qm_check_run(f->l, "2023-04-06", keep_finding, &fs, &err), QM_OK);
	assert_int_equal(fs.n, 2);
	assert_string_equal(fs.line[0], "item-without-price items drone-x");
	assert_string_equal(fs.line[1], "ally-without-gdp parties USA");
}

static void test_report(void **state)
{
	struct fixture *f = *state;
	json_t *r = NULL;
	struct qm_error err;
	qm_error_clear(&err);
	assert_int_equal(qm_report_build(f->l, "2026-01-01", &r, &err), QM_OK);
	assert_string_equal(json_string_value(json_object_get(r, "as_of")), "2026-01-01");
	/* not cancelled: pkg, part, est, gbp, drone */
	assert_int_equal(json_integer_value(json_object_get(r, "pledges")), 5);
	assert_int_equal(json_integer_value(json_object_get(r, "value_eur_cents")),
		169491525424LL + 0 + 183234081539LL + 28573061318LL);
	json_t *fd = json_object_get(r, "findings");
	assert_int_equal(json_integer_value(json_object_get(fd, "item-without-price")), 1);
	assert_int_equal(json_integer_value(json_object_get(fd, "delivery-after-available")), 1);
	json_t *donors = json_object_get(r, "top_donors");
	assert_int_equal(json_array_size(donors), 3);
	assert_string_equal(json_string_value(json_object_get(json_array_get(donors, 0), "party")),
		"GBR");
	assert_string_equal(json_string_value(json_object_get(json_array_get(donors, 1), "party")),
		"USA");
	assert_int_equal(json_integer_value(json_object_get(json_array_get(donors, 1),
		"value_eur_cents")), 169491525424LL);
	json_decref(r);
	/* as of 2023-04-06, the later pledges are left out */
	assert_int_equal(qm_report_build(f->l, "2023-04-06", &r, &err), QM_OK);
	assert_int_equal(json_integer_value(json_object_get(r, "pledges")), 2);
	assert_int_equal(json_integer_value(json_object_get(r, "value_eur_cents")), 169491525424LL);
	json_decref(r);
	/* today from QM_NOW */
	assert_int_equal(qm_report_build(f->l, NULL, &r, &err), QM_OK);
	assert_string_equal(json_string_value(json_object_get(r, "as_of")), "2026-01-01");
	json_decref(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_open_creates_and_migrates, setup, teardown),
		cmocka_unit_test_setup_teardown(test_newer_schema_refused_by_open, setup, teardown),
		cmocka_unit_test_setup_teardown(test_import_counts_and_idempotence, setup_loaded, teardown),
		cmocka_unit_test_setup_teardown(test_revision_and_dry_run, setup_loaded, teardown),
		cmocka_unit_test_setup_teardown(test_bad_file_changes_nothing, setup_loaded, teardown),
		cmocka_unit_test_setup_teardown(test_all_files_or_none, setup_loaded, teardown),
		cmocka_unit_test_setup_teardown(test_values_by_hand, setup_loaded, teardown),
		cmocka_unit_test_setup_teardown(test_filters, setup_loaded, teardown),
		cmocka_unit_test_setup_teardown(test_export, setup_loaded, teardown),
		cmocka_unit_test_setup_teardown(test_add, setup_loaded, teardown),
		cmocka_unit_test_setup_teardown(test_audit_update, setup_loaded, teardown),
		cmocka_unit_test_setup_teardown(test_audit_delete, setup_loaded, teardown),
		cmocka_unit_test_setup_teardown(test_audit_insert, setup_loaded, teardown),
		cmocka_unit_test_setup_teardown(test_audit_journal_edit, setup_loaded, teardown),
		cmocka_unit_test_setup_teardown(test_audit_journal_truncated, setup_loaded, teardown),
		cmocka_unit_test_setup_teardown(test_audit_stored_value, setup_loaded, teardown),
		cmocka_unit_test_setup_teardown(test_checks, setup_loaded, teardown),
		cmocka_unit_test_setup_teardown(test_report, setup_loaded, teardown),
	};
	return cmocka_run_group_tests_name("ledger", tests, NULL, NULL);
}
