/*
 * api_records.c - records through the API: list (filters, search, sort,
 * paging), get one, create (POST) and revise (PATCH). Writes go through
 * qm_add, so they are checked exactly as an import checks them and
 * journaled under the signed-in user's name; the role decides who may
 * write what (a donor only its own pledges and their deliveries; no
 * other kind, such as parties or courses).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <wchar.h>
#include <wctype.h>

#include <microhttpd.h>

#include "http.h"
#include "qm/schema.h"

struct collected {
	json_t *items;
	const char *key; /* when looking one record up: its whole key */
	char keybuf[256];
};

static int collect(void *ctx, const struct qm_record *rec, const struct qm_pledge_extra *x)
{
	struct collected *c = ctx;
	if (c->key && strcmp(qm_record_key(rec, c->keybuf, sizeof(c->keybuf)), c->key) != 0)
		return 0;
	json_array_append_new(c->items, qm_record_json(rec, x));
	return 0;
}

/* The stored record of kind with key as JSON (a new reference), NULL when
 * there is none; -1 in *rc on a failure. */
static json_t *find(struct http_request *r, const char *kind, const char *key, int *rc,
	struct qm_error *err)
{
	struct qm_filter f = {0};
	char first[256];
	snprintf(first, sizeof(first), "%s", key);
	first[strcspn(first, "|")] = '\0';
	f.id = first;
	struct collected c = {json_array(), key, ""};
	*rc = qm_list(r->ledger, kind, &f, collect, &c, err);
	json_t *one = json_array_size(c.items) ? json_incref(json_array_get(c.items, 0)) : NULL;
	json_decref(c.items);
	return one;
}

/* ---- listing ---- */

/* s in lower case as wide characters (UTF-8 under the server's C.UTF-8
 * locale), into a new array the caller frees; NULL when s is not UTF-8. */
static wchar_t *folded(const char *s)
{
	size_t n = strlen(s);
	wchar_t *w = malloc(sizeof(*w) * (n + 1));
	mbstate_t st;
	memset(&st, 0, sizeof(st));
	size_t k = 0;
	while (w && *s) {
		size_t used = mbrtowc(&w[k], s, n, &st);
		if (used == (size_t)-1 || used == (size_t)-2 || used == 0) {
			free(w);
			return NULL;
		}
		w[k] = (wchar_t)towlower((wint_t)w[k]);
		k++;
		s += used;
		n -= used;
	}
	if (w)
		w[k] = L'\0';
	return w;
}

/* 1 when needle is in hay, ignoring case (Unicode lower case). */
static int contains(const char *hay, const wchar_t *needle)
{
	wchar_t *h = folded(hay);
	int found = h && wcsstr(h, needle) != NULL;
	free(h);
	return found;
}

static int text_matches(json_t *item, const wchar_t *q)
{
	const char *k;
	json_t *v;
	json_object_foreach(item, k, v) {
		if (json_is_string(v) && contains(json_string_value(v), q))
			return 1;
	}
	return 0;
}

/* A page of the records that a text search finds: each record is tested
 * as it streams by and only the page's are kept. */
struct search {
	const wchar_t *q;
	long offset, limit;
	int64_t found;
	json_t *page;
};

static int search_row(void *ctx, const struct qm_record *rec, const struct qm_pledge_extra *x)
{
	struct search *s = ctx;
	json_t *item = qm_record_json(rec, x);
	if (!item)
		return 1;
	if (text_matches(item, s->q)) {
		if (s->found >= s->offset && s->found - s->offset < s->limit)
			json_array_append(s->page, item);
		s->found++;
	}
	json_decref(item);
	return 0;
}

/* The listing: filters, order and page in SQL; a text search (q) reads
 * every record the filters let through, keeping only the page, so that
 * memory follows the page, not the ledger. */
static int list(struct http_request *r, const char *kind)
{
	struct qm_filter f = {0};
	struct qm_error err;
	qm_error_clear(&err);
	f.donor = http_arg(r, "donor");
	f.status = http_arg(r, "status");
	f.item = http_arg(r, "item");
	f.from = http_arg(r, "from");
	f.to = http_arg(r, "to");
	const char *q = http_arg(r, "q"), *sort = http_arg(r, "sort");
	long limit = api_int_arg(r, "limit", 100, 1, 1000), offset = api_int_arg(r, "offset", 0, 0, 1L << 40);
	if (limit < 0 || offset < 0)
		return http_error(r, 400, limit < 0 ? "limit" : "offset", "%s: a whole number",
			limit < 0 ? "limit" : "offset");
	f.sort_desc = sort && sort[0] == '-';
	f.sort = sort ? sort + f.sort_desc : NULL;
	if (f.sort && !qm_list_sortable(kind, f.sort))
		return http_error(r, 400, "sort", "sort: a field of %s, got '%s'", kind, f.sort);
	wchar_t *wq = q && *q ? folded(q) : NULL;
	if (q && *q && !wq)
		return http_error(r, 400, "q", "q: UTF-8 text");

	struct search s = {wq, offset, limit, 0, json_array()};
	struct collected c = {s.page, NULL, ""};
	int rc;
	if (wq) {
		rc = qm_list(r->ledger, kind, &f, search_row, &s, &err);
	} else {
		f.limit = limit;
		f.offset = offset;
		rc = qm_count(r->ledger, kind, &f, &s.found, &err);
		if (rc == QM_OK)
			rc = qm_list(r->ledger, kind, &f, collect, &c, &err);
	}
	free(wq);
	if (rc != QM_OK) {
		json_decref(s.page);
		return http_error(r, http_status_of(rc), NULL, "%s", err.message);
	}
	return api_send_json(r, json_pack("{s:s,s:I,s:i,s:I,s:o}", "kind", kind, "total",
		(json_int_t)s.found, "limit", (int)limit, "offset", (json_int_t)offset, "items", s.page));
}

/* ---- writing ---- */

/* The party that owns a record of kind described by the JSON fields (the
 * donor of a pledge; for a delivery, the donor of its pledge), into party. */
static void owner(struct http_request *r, const char *kind, json_t *rec, char *party, size_t n)
{
	party[0] = '\0';
	if (!rec)
		return;
	if (strcmp(kind, "pledges") == 0) {
		const char *d = json_string_value(json_object_get(rec, "donor"));
		snprintf(party, n, "%s", d ? d : "");
	} else if (strcmp(kind, "deliveries") == 0) {
		const char *p = json_string_value(json_object_get(rec, "pledge"));
		int rc;
		struct qm_error err;
		qm_error_clear(&err);
		json_t *pl = p ? find(r, "pledges", p, &rc, &err) : NULL;
		const char *d = pl ? json_string_value(json_object_get(pl, "donor")) : NULL;
		snprintf(party, n, "%s", d ? d : "");
		json_decref(pl);
	}
}

static int forbidden(struct http_request *r, const char *kind, const char *party)
{
	if (r->user.role.kind == QM_ROLE_DONOR && (strcmp(kind, "pledges") == 0
		|| strcmp(kind, "deliveries") == 0))
		return http_error(r, 403, strcmp(kind, "pledges") == 0 ? "donor" : "pledge",
			"%s may write only the %s of %s, not of %s", r->user.name, kind, r->user.role.party,
			party && *party ? party : "another party");
	return http_error(r, 403, NULL, "the role %s may not write %s", r->user.role_text, kind);
}

#define WRITTEN (-1)

/* Write body's fields (plus the key for a revision) with qm_add: WRITTEN,
 * or the result of the error answer that was sent. */
static int write_record(struct http_request *r, const char *kind, const char *key, json_t *body)
{
	const struct qm_kind *k = qm_kind_by_name(kind);
	const char *names[QM_FIELDS_MAX * 2 + 2], *values[QM_FIELDS_MAX * 2 + 2];
	char texts[QM_FIELDS_MAX * 2 + 2][40], keyparts[QM_FIELDS_MAX][128];
	int n = 0;
	const char *name;
	json_t *v;
	json_object_foreach(body, name, v) {
		if (n >= QM_FIELDS_MAX * 2)
			return http_error(r, 422, name, "at most %d fields", QM_FIELDS_MAX);
		/* the same reading of a JSON value as qm import's */
		const char *text = qm_json_value_text(v, texts[n]);
		if (!text)
			return http_error(r, 422, name, "%s: a string, number, boolean or null, got %s", name,
				json_is_array(v) ? "an array" : "an object");
		if (qm_kind_field(k, name) < 0)
			return http_error(r, 422, name, "a field of %s, got '%s'", kind, name);
		names[n] = name;
		values[n++] = text;
	}
	if (key) {
		/* the URL's key; the body may repeat it, but not change it */
		const char *p = key;
		for (int i = 0; i < k->nkeys; i++) {
			size_t len = strcspn(p, "|");
			snprintf(keyparts[i], sizeof(keyparts[i]), "%.*s", (int)len, p);
			p += len + (p[len] == '|');
			const char *given = json_string_value(json_object_get(body, k->fields[i].name));
			json_t *gv = json_object_get(body, k->fields[i].name);
			if (gv && !json_is_null(gv) && (!given || strcmp(given, keyparts[i]) != 0)
				&& !(json_is_integer(gv)
					&& json_integer_value(gv) == strtoll(keyparts[i], NULL, 10)))
				return http_error(r, 422, k->fields[i].name, "%s: the key of the URL, %s",
					k->fields[i].name, keyparts[i]);
			if (!gv) {
				names[n] = k->fields[i].name;
				values[n++] = keyparts[i];
			}
		}
	}
	struct qm_import_result res;
	struct qm_diag *diag = malloc(sizeof(*diag));
	if (!diag)
		return http_error(r, 500, NULL, "out of memory");
	qm_diag_init(diag);
	int rc = qm_add(r->ledger, kind, n, names, values, 0, &res, diag);
	int ret = WRITTEN;
	if (rc != QM_OK) {
		qm_diag_sort(diag);
		const struct qm_error *e = diag->count ? &diag->items[0] : NULL;
		unsigned status = rc == QM_EDATA ? 422 : http_status_of(rc);
		/* the message as an import prints it after the position: "field: ..." */
		ret = http_error(r, status, e && e->field[0] ? e->field : NULL, "%s%s%s",
			e && e->field[0] ? e->field : "", e && e->field[0] ? ": " : "",
			e ? e->message : "the record could not be written");
	}
	free(diag);
	return ret;
}

static int create_or_revise(struct http_request *r, const char *kind, const char *key)
{
	int status, rc;
	char msg[300], party[32], newparty[32];
	struct qm_error err;
	qm_error_clear(&err);
	if (r->user.role.kind == QM_ROLE_VIEWER || r->user.role.kind == QM_ROLE_ADMIN)
		return forbidden(r, kind, NULL);
	/* a donor writes pledges and deliveries only: any other kind (courses,
	 * parties, ...) is refused before the body or the key is looked at, so
	 * that the answer is 403 and not 409, 404 or 422 */
	if (r->user.role.kind == QM_ROLE_DONOR
		&& !qm_role_may_write(&r->user.role, kind, r->user.role.party))
		return forbidden(r, kind, NULL);
	json_t *body = api_body(r, &status, msg, sizeof(msg));
	if (!body)
		return http_error(r, status, NULL, "%s", msg);
	const struct qm_kind *k = qm_kind_by_name(kind);
	char keybuf[256];
	if (!key) {
		/* the key from the body, as the record will have it */
		size_t used = 0;
		keybuf[0] = '\0';
		for (int i = 0; i < k->nkeys; i++) {
			json_t *kv = json_object_get(body, k->fields[i].name);
			char num[32];
			const char *t = json_is_string(kv) ? json_string_value(kv) : NULL;
			if (json_is_integer(kv)) {
				snprintf(num, sizeof(num), "%lld", (long long)json_integer_value(kv));
				t = num;
			}
			used += (size_t)snprintf(keybuf + used, sizeof(keybuf) - used, "%s%s", i ? "|" : "",
				t ? t : "");
		}
	}
	json_t *stored = find(r, kind, key ? key : keybuf, &rc, &err);
	if (rc != QM_OK) {
		json_decref(body);
		return http_error(r, http_status_of(rc), NULL, "%s", err.message);
	}
	if (key && !stored) {
		json_decref(body);
		return http_error(r, 404, NULL, "no %s '%s'", k->singular, key);
	}
	if (!key && stored && keybuf[0]) {
		json_decref(body);
		json_decref(stored);
		return http_error(r, 409, k->fields[0].name, "there is already a %s '%s'", k->singular,
			keybuf);
	}
	/* the role: the owner before (a revision) and after must be the donor's */
	if (r->user.role.kind == QM_ROLE_DONOR) {
		owner(r, kind, stored, party, sizeof(party));
		owner(r, kind, body, newparty, sizeof(newparty));
		const char *owner_field = strcmp(kind, "pledges") == 0 ? "donor" : "pledge";
		int named = json_object_get(body, owner_field) != NULL;
		int ok = (stored ? qm_role_may_write(&r->user.role, kind, party)
				: (!named || newparty[0] == '\0') ? qm_role_may_write(&r->user.role, kind,
					r->user.role.party) /* the import's rules will say what is wrong */
				: qm_role_may_write(&r->user.role, kind, newparty))
			&& (!named || newparty[0] == '\0' || qm_role_may_write(&r->user.role, kind, newparty));
		if (!ok) {
			json_decref(body);
			json_decref(stored);
			return forbidden(r, kind, stored && party[0] && strcmp(party, r->user.role.party) != 0
				? party : newparty);
		}
	}
	int existed = stored != NULL;
	json_decref(stored);
	int ret = write_record(r, kind, key, body);
	if (ret != WRITTEN) {
		json_decref(body);
		return ret;
	}
	/* written: answer with the record as stored */
	if (!key)
		key = keybuf;
	json_decref(body);
	json_t *now = find(r, kind, key, &rc, &err);
	if (!now)
		return http_error(r, 500, NULL, "the %s was written but cannot be read back", k->singular);
	return http_json(r, existed ? 200 : 201, now);
}

int api_records(struct http_request *r, const char *kind, const char *key)
{
	int get = strcmp(r->method, "GET") == 0;
	if (!key) {
		if (get)
			return list(r, kind);
		if (strcmp(r->method, "POST") == 0)
			return create_or_revise(r, kind, NULL);
		return http_not_allowed(r, "GET, POST");
	}
	if (get) {
		int rc;
		struct qm_error err;
		qm_error_clear(&err);
		json_t *one = find(r, kind, key, &rc, &err);
		if (rc != QM_OK)
			return http_error(r, http_status_of(rc), NULL, "%s", err.message);
		if (!one)
			return http_error(r, 404, NULL, "no %s '%s'", qm_kind_by_name(kind)->singular, key);
		return api_send_json(r, one);
	}
	if (strcmp(r->method, "PATCH") == 0)
		return create_or_revise(r, kind, key);
	return http_not_allowed(r, "GET, PATCH");
}
