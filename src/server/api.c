/*
 * api.c - the JSON API under /api/v1/: who is signed in (bearer token or
 * session cookie, with the same-origin rule for cookie writes), login and
 * logout, and the read-only views (plan, training, burden, report,
 * journal, the OpenAPI document). Records are in api_records.c. Answers to
 * GETs are cached by the journal's last entry and today's date (cache.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <microhttpd.h>

#include "http.h"
#include "qm/audit.h"
#include "qm/burden.h"
#include "qm/plan.h"
#include "qm/report.h"
#include "qm/training.h"

#define SESSION_COOKIE "qm_session"

/* The session cookie's value, or NULL. */
static const char *session_cookie(struct http_request *r)
{
	return MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, SESSION_COOKIE);
}

/* Who is signed in: fills r->user. QM_OK (signed in or not), QM_EPERM when
 * the token given is wrong, or the code of a failure to look it up (the
 * database out of reach, say), with *err filled. */
static int authenticate(struct http_request *r, struct qm_error *err)
{
	const char *auth = http_header(r, "Authorization");
	if (auth) {
		if (strncasecmp(auth, "Bearer ", 7) != 0)
			return QM_EPERM;
		int rc = qm_token_check(r->ledger, auth + 7, &r->user, err);
		r->signed_in = rc == QM_OK;
		return rc;
	}
	const char *sid = session_cookie(r);
	if (!sid)
		return QM_OK;
	int rc = qm_session_check(r->ledger, sid, r->cfg->session_idle, &r->user, err);
	r->signed_in = r->by_cookie = rc == QM_OK;
	/* a session that has expired is no session: sign in again */
	return rc == QM_EPERM ? QM_OK : rc;
}

/* For load balancers and monitoring, without credentials: 200 when the
 * database answers a query (this thread's connection, made again if the
 * database server had ended it), else 503. */
static int health(struct http_request *r)
{
	if (qm_ledger_journal_seq(r->ledger) < 0)
		return http_error(r, 503, NULL, "the database does not answer");
	return http_json(r, 200, json_pack("{s:s,s:s,s:b}", "status", "ok", "database",
		qm_ledger_backend(r->ledger), "read_only", r->cfg->read_only));
}

/* A cookie-signed write must come from this server's own pages. */
static int same_origin(struct http_request *r)
{
	const char *host = http_header(r, "Host");
	const char *origin = http_header(r, "Origin");
	const char *referer = http_header(r, "Referer");
	char want[300];
	if (!host)
		return 0;
	snprintf(want, sizeof(want), "%s://%s", r->secure ? "https" : "http", host);
	if (origin)
		return strcmp(origin, want) == 0;
	size_t n = strlen(want);
	return referer && strncmp(referer, want, n) == 0 && (referer[n] == '/' || !referer[n]);
}

static json_t *body_json(struct http_request *r, int *status, char *msg, size_t nmsg)
{
	const char *type = http_header(r, "Content-Type");
	if (!type || strncasecmp(type, "application/json", 16) != 0
		|| (type[16] && type[16] != ';' && type[16] != ' ')) {
		*status = 415;
		snprintf(msg, nmsg, "a body of type application/json, got %s", type ? type : "none");
		return NULL;
	}
	json_error_t jerr;
	json_t *j = json_loadb(r->body ? r->body : "", r->body_len, JSON_REJECT_DUPLICATES, &jerr);
	if (!j) {
		*status = 400;
		snprintf(msg, nmsg, "valid JSON: %s at line %d, column %d", jerr.text, jerr.line,
			jerr.column);
		return NULL;
	}
	if (!json_is_object(j)) {
		json_decref(j);
		*status = 400;
		snprintf(msg, nmsg, "a JSON object");
		return NULL;
	}
	return j;
}

json_t *api_body(struct http_request *r, int *status, char *msg, size_t nmsg)
{
	return body_json(r, status, msg, nmsg);
}

static int login(struct http_request *r)
{
	int status;
	char msg[300], sid[65], cookie[200];
	struct qm_user u;
	struct qm_error err;
	qm_error_clear(&err);
	json_t *b = body_json(r, &status, msg, sizeof(msg));
	if (!b)
		return http_error(r, status, NULL, "%s", msg);
	const char *name = json_string_value(json_object_get(b, "name"));
	const char *pw = json_string_value(json_object_get(b, "password"));
	if (!name || !pw) {
		json_decref(b);
		return http_error(r, 422, !name ? "name" : "password", "a name and a password, as strings");
	}
	int64_t wait = limiter_wait(name, r->address);
	if (wait > 0) {
		char after[24];
		snprintf(after, sizeof(after), "%lld", (long long)wait);
		json_decref(b);
		json_t *e = json_pack("{s:{s:i,s:s,s:n}}", "error", "status", 429, "message",
			"too many failed logins; try again later", "field");
		char *text = json_dumps(e, JSON_COMPACT | JSON_PRESERVE_ORDER);
		json_decref(e);
		int ret = http_respond(r, 429, "application/json", text, strlen(text), "Retry-After", after,
			"Cache-Control", "no-store", NULL);
		free(text);
		return ret;
	}
	int rc = qm_user_login(r->ledger, name, pw, &u, &err);
	if (rc == QM_EPERM) {
		limiter_failed(name, r->address);
		json_decref(b);
		return http_error(r, 401, NULL, "wrong user name or password");
	}
	json_decref(b);
	if (rc == QM_OK)
		rc = qm_session_create(r->ledger, u.name, sid, &err);
	if (rc != QM_OK)
		return http_error(r, http_status_of(rc), NULL, "%s", err.message);
	limiter_succeeded(u.name);
	snprintf(cookie, sizeof(cookie), SESSION_COOKIE "=%s; Path=/; HttpOnly; SameSite=Strict%s", sid,
		r->secure ? "; Secure" : "");
	json_t *j = json_pack("{s:s,s:s}", "name", u.name, "role", u.role_text);
	char *text = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(j);
	int ret = http_respond(r, 200, "application/json", text, strlen(text), "Set-Cookie", cookie,
		"Cache-Control", "no-store", NULL);
	free(text);
	return ret;
}

static int logout(struct http_request *r)
{
	struct qm_error err;
	qm_error_clear(&err);
	if (session_cookie(r) && !same_origin(r))
		return http_error(r, 403, NULL, "a request from this server's own pages");
	qm_session_delete(r->ledger, session_cookie(r), &err);
	return http_respond(r, 200, "application/json", "{\"signed_out\":true}", 19, "Set-Cookie",
		SESSION_COOKIE "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0", "Cache-Control",
		"no-store", NULL);
}

/* ---- the read-only views, cached ---- */

static enum MHD_Result add_arg(void *cls, enum MHD_ValueKind kind, const char *key,
	const char *value)
{
	(void)kind;
	char *buf = cls;
	size_t used = strlen(buf);
	snprintf(buf + used, 1024 - used, "%s%s=%s", used ? "&" : "?", key, value ? value : "");
	return MHD_YES;
}

/* Serve a cached answer for this URL and state; 1 when one was sent. The
 * key holds today's date too: the report and the training view depend on
 * it (as_of, the courses starting soon), so a new day is a new answer. */
static int from_cache(struct http_request *r, int64_t seq, char *key, int *ret)
{
	char args[1024] = "", type[48], num[24], today[11];
	size_t len;
	MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, add_arg, args);
	snprintf(key, sizeof(r->cache_key), "%s %s%s", qm_date_format(qm_date_today(), today), r->url,
		args);
	char *body = cache_get(key, seq, &len, type, sizeof(type));
	if (!body)
		return 0;
	snprintf(num, sizeof(num), "%lld", (long long)seq);
	*ret = http_respond(r, 200, type, body, len, "Cache-Control", "no-store", "X-QM-Journal", num,
		NULL);
	free(body);
	return 1;
}

static int send_cached(struct http_request *r, int64_t seq, const char *key, char *text, size_t len)
{
	char num[24];
	snprintf(num, sizeof(num), "%lld", (long long)seq);
	cache_put(key, seq, text, len, "application/json");
	int ret = http_respond(r, 200, "application/json", text, len, "Cache-Control", "no-store",
		"X-QM-Journal", num, NULL);
	free(text);
	return ret;
}

/* the plan options of ?as_of=DATE&committed_only=1, as qm plan and qm
 * training take them; 0, or the result of the 400 answer that was sent */
static int plan_args(struct http_request *r, struct qm_plan_options *opt, int *ret)
{
	qm_day d;
	opt->as_of = http_arg(r, "as_of");
	if (opt->as_of && qm_date_parse(opt->as_of, &d) < 0) {
		*ret = http_error(r, 400, "as_of", "as_of: a date as YYYY-MM-DD, got '%s'", opt->as_of);
		return -1;
	}
	const char *c = http_arg(r, "committed_only");
	opt->committed_only = c && strcmp(c, "0") != 0;
	return 0;
}

static int view_plan(struct http_request *r, int64_t seq, const char *key)
{
	struct qm_plan_options opt = {0};
	struct qm_plan *plan;
	struct qm_error err;
	int ret;
	qm_error_clear(&err);
	if (plan_args(r, &opt, &ret) < 0)
		return ret;
	int rc = qm_plan_run(r->ledger, &opt, &plan, &err);
	if (rc != QM_OK)
		return http_error(r, http_status_of(rc), NULL, "%s", err.message);
	char *text = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&text, &len);
	if (!mem) {
		qm_plan_free(plan);
		return http_error(r, 500, NULL, "out of memory");
	}
	qm_plan_write_json(mem, plan, opt.as_of);
	fclose(mem);
	qm_plan_free(plan);
	return send_cached(r, seq, key, text, len);
}

static int send_json_cached(struct http_request *r, int64_t seq, const char *key, json_t *j)
{
	char *text = j ? json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
	json_decref(j);
	if (!text)
		return http_error(r, 500, NULL, "out of memory");
	return send_cached(r, seq, key, text, strlen(text));
}

int api_send_json(struct http_request *r, json_t *j)
{
	return send_json_cached(r, r->seq, r->cache_key, j);
}

static int view_burden(struct http_request *r, int64_t seq, const char *key)
{
	struct qm_burden *b;
	struct qm_error err;
	qm_error_clear(&err);
	const char *by = http_arg(r, "by"), *explain = http_arg(r, "explain");
	enum qm_burden_by per = QM_BY_NONE;
	if (by && strcmp(by, "year") == 0)
		per = QM_BY_YEAR;
	else if (by && strcmp(by, "half") == 0)
		per = QM_BY_HALF;
	else if (by && strcmp(by, "quarter") == 0)
		per = QM_BY_QUARTER;
	else if (by)
		return http_error(r, 400, "by", "by: year, half or quarter, got '%s'", by);
	int rc = qm_burden_build(r->ledger, http_arg(r, "framework"), per, &b, &err);
	if (rc != QM_OK)
		return http_error(r, http_status_of(rc), NULL, "%s", err.message);
	if (explain && qm_burden_row_of(b, explain) < 0) {
		qm_burden_free(b);
		return http_error(r, 404, "explain", "%s is not bound by the framework", explain);
	}
	json_t *j = qm_burden_to_json(b, explain);
	qm_burden_free(b);
	return send_json_cached(r, seq, key, j);
}

static int view_training(struct http_request *r, int64_t seq, const char *key)
{
	struct qm_plan_options opt = {0};
	struct qm_training *t;
	struct qm_error err;
	int ret;
	qm_error_clear(&err);
	if (plan_args(r, &opt, &ret) < 0)
		return ret;
	int rc = qm_training_run(r->ledger, &opt, &t, &err);
	if (rc != QM_OK)
		return http_error(r, http_status_of(rc), NULL, "%s", err.message);
	json_t *j = qm_training_to_json(t);
	qm_training_free(t);
	/* the fill rates with the precision qm training --json prints them */
	char *text = j ? json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6))
		: NULL;
	json_decref(j);
	if (!text)
		return http_error(r, 500, NULL, "out of memory");
	return send_cached(r, seq, key, text, strlen(text));
}

static int view_report(struct http_request *r, int64_t seq, const char *key)
{
	json_t *j;
	struct qm_error err;
	qm_day d;
	qm_error_clear(&err);
	const char *as_of = http_arg(r, "as_of");
	if (as_of && qm_date_parse(as_of, &d) < 0)
		return http_error(r, 400, "as_of", "as_of: a date as YYYY-MM-DD, got '%s'", as_of);
	int rc = qm_report_build(r->ledger, as_of, &j, &err);
	if (rc != QM_OK)
		return http_error(r, http_status_of(rc), NULL, "%s", err.message);
	return send_json_cached(r, seq, key, j);
}

static int on_entry(void *ctx, const struct qm_journal_entry *e)
{
	json_t *items = ctx;
	json_t *o = json_pack("{s:I,s:s,s:s,s:s,s:s,s:s}", "seq", (json_int_t)e->seq, "at", e->at,
		"actor", e->actor, "action", e->action, "kind", e->kind, "key", e->key);
	json_object_set_new(o, "before", e->before ? json_loads(e->before, 0, NULL) : json_null());
	json_object_set_new(o, "after", e->after ? json_loads(e->after, 0, NULL) : json_null());
	json_array_append_new(items, o);
	return 0;
}

/* A whole number argument in [lo, hi], else dflt; -1 when malformed. */
long api_int_arg(struct http_request *r, const char *name, long dflt, long lo, long hi)
{
	const char *v = http_arg(r, name);
	if (!v || !*v)
		return dflt;
	char *end;
	long n = strtol(v, &end, 10);
	if (*end || n < lo)
		return -1;
	return n > hi ? hi : n;
}

static int view_journal(struct http_request *r, int64_t seq, const char *key)
{
	struct qm_error err;
	qm_error_clear(&err);
	long limit = api_int_arg(r, "limit", 100, 1, 1000), offset = api_int_arg(r, "offset", 0, 0, 1L << 40);
	if (limit < 0 || offset < 0)
		return http_error(r, 400, limit < 0 ? "limit" : "offset", "a whole number");
	/* newest first, and only the page read */
	json_t *page = json_array();
	int64_t total = 0;
	int rc = qm_log_page(r->ledger, http_arg(r, "kind"), http_arg(r, "key"), limit, offset, &total,
		on_entry, page, &err);
	if (rc != QM_OK) {
		json_decref(page);
		return http_error(r, http_status_of(rc), NULL, "%s", err.message);
	}
	json_t *j = json_pack("{s:I,s:i,s:I,s:o}", "total", (json_int_t)total, "limit", (int)limit,
		"offset", (json_int_t)offset, "items", page);
	return send_json_cached(r, seq, key, j);
}

int api_handle(struct http_request *r)
{
	const char *path = r->url;
	if (strncmp(path, "/api/v1/", 8) != 0)
		return http_error(r, 404, NULL, "no such path: %s", path);
	path += 8;
	int get = strcmp(r->method, "GET") == 0, post = strcmp(r->method, "POST") == 0;
	/* a read-only server (over a replica, say) changes nothing: not even a
	 * session is stored, so it is read with API tokens */
	if (r->cfg->read_only && !get && strcmp(r->method, "HEAD") != 0) {
		json_t *e = json_pack("{s:{s:i,s:s,s:n}}", "error", "status", 405, "message",
			"this server is read-only (qm serve --read-only): send changes to a server"
			" over the primary database", "field");
		char *text = json_dumps(e, JSON_COMPACT | JSON_PRESERVE_ORDER);
		json_decref(e);
		int ret = http_respond(r, 405, "application/json", text ? text : "",
			text ? strlen(text) : 0, "Cache-Control", "no-store", "Allow", "GET, HEAD", NULL);
		free(text);
		return ret;
	}

	if (strcmp(path, "openapi.json") == 0)
		return get ? http_json(r, 200, openapi_document()) : http_not_allowed(r, "GET");
	if (strcmp(path, "health") == 0)
		return get ? health(r) : http_not_allowed(r, "GET");
	if (strcmp(path, "login") == 0)
		return post ? login(r) : http_not_allowed(r, "POST");
	struct qm_error err;
	qm_error_clear(&err);
	int arc = authenticate(r, &err);
	if (arc == QM_EPERM)
		return http_error(r, 401, NULL, "a valid API token");
	if (arc != QM_OK)
		return http_error(r, http_status_of(arc), NULL, "%s", err.message);
	if (strcmp(path, "logout") == 0)
		return post ? logout(r) : http_not_allowed(r, "POST");
	if (!r->signed_in)
		return http_error(r, 401, NULL, "signing in: a session or an API token");
	if (!get && r->by_cookie && !same_origin(r))
		return http_error(r, 403, NULL, "a request from this server's own pages");
	qm_ledger_set_actor(r->ledger, r->user.name);

	if (strcmp(path, "me") == 0)
		return get ? http_json(r, 200, json_pack("{s:s,s:s}", "name", r->user.name, "role",
			r->user.role_text)) : http_not_allowed(r, "GET");

	static const struct {
		const char *name;
		int (*view)(struct http_request *, int64_t, const char *);
	} views[] = {{"plan", view_plan}, {"training", view_training}, {"burden", view_burden},
		{"report", view_report}, {"journal", view_journal}};
	/* every other GET is answered from the cache while the ledger stays */
	int ret;
	if (get) {
		r->seq = http_journal_seq(r);
		if (from_cache(r, r->seq, r->cache_key, &ret))
			return ret;
	}
	for (size_t i = 0; i < sizeof(views) / sizeof(views[0]); i++) {
		if (strcmp(path, views[i].name) != 0)
			continue;
		if (!get)
			return http_not_allowed(r, "GET");
		return views[i].view(r, r->seq, r->cache_key);
	}

	/* KIND or KIND/KEY */
	char kind[32];
	const char *slash = strchr(path, '/');
	size_t n = slash ? (size_t)(slash - path) : strlen(path);
	if (n == 0 || n >= sizeof(kind) || (slash && (!slash[1] || strchr(slash + 1, '/'))))
		return http_error(r, 404, NULL, "no such path: %s", r->url);
	memcpy(kind, path, n);
	kind[n] = '\0';
	if (!qm_kind_by_name(kind))
		return http_error(r, 404, NULL, "no such path: %s", r->url);
	return api_records(r, kind, slash ? slash + 1 : NULL);
}
