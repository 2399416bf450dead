/*
 * http.h - what the parts of qm serve share: the server's settings, one
 * request as the handlers see it, and the ways to answer it. http.c runs
 * libmicrohttpd and owns the requests; api.c, api_records.c and assets.c
 * answer them.
 */
#ifndef QM_HTTP_H
#define QM_HTTP_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "qm/auth.h"
#include "qm/error.h"
#include "qm/ledger.h"

#define HTTP_BODY_MAX (1024 * 1024)

struct server_config {
	const char *db;          /* the ledger's location */
	const char *host;        /* address to listen on */
	int port;                /* 0: any free port */
	char *tls_cert, *tls_key; /* PEM text, both or neither */
	int threads;
	int64_t session_idle;    /* seconds */
	int quiet;
	int read_only;           /* --read-only: every change is refused (405) */
};

struct http_request {
	struct MHD_Connection *conn;
	const struct server_config *cfg;
	const char *method, *url;
	char *body;              /* NUL-terminated */
	size_t body_len;
	int too_large;
	int secure;              /* over TLS */
	struct qm_ledger *ledger; /* this thread's connection */
	struct qm_user user;     /* who is signed in, when signed_in */
	int signed_in, by_cookie;
	char address[64];        /* the client's address */
	int64_t seq;             /* a GET: the journal's last entry when it came */
	char cache_key[1300];    /* a GET: the URL and its arguments, for the cache */
};

/* A request header, or NULL. */
const char *http_header(struct http_request *r, const char *name);
/* A query-string argument, or NULL. */
const char *http_arg(struct http_request *r, const char *name);

/* Answer with body (copied) of type, with the security headers; extra
 * headers as "Name", "value" pairs ending in NULL. Returns MHD's result. */
int http_respond(struct http_request *r, unsigned status, const char *type, const char *body,
	size_t len, ...);
/* Answer with j as JSON (takes the reference) and Cache-Control: no-store. */
int http_json(struct http_request *r, unsigned status, json_t *j);
/* Answer {"error": {"status", "message", "field"}}; field may be NULL. */
int http_error(struct http_request *r, unsigned status, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* Answer 405 with Allow: allow. */
int http_not_allowed(struct http_request *r, const char *allow);
/* The status that fits a core error code. */
unsigned http_status_of(int code);

/* Answer a GET with j (taking the reference), keeping the answer in the
 * cache under the request's URL and journal entry, with X-QM-Journal. */
int api_send_json(struct http_request *r, json_t *j);
/* The request's body as a JSON object; NULL with the status (400 or 415)
 * and the message when it is not one. The caller owns the result. */
json_t *api_body(struct http_request *r, int *status, char *msg, size_t nmsg);
/* A whole-number query argument in [lo, hi] (capped at hi), dflt when
 * absent, -1 when malformed or below lo. */
long api_int_arg(struct http_request *r, const char *name, long dflt, long lo, long hi);

/* The routes. Each returns MHD's result. */
int api_handle(struct http_request *r);
int assets_handle(struct http_request *r);
int api_records(struct http_request *r, const char *kind, const char *key);

/* Failed logins, per account and per address (limiter.c): seconds to wait
 * before another attempt may be made, 0 when it may be made now. */
int64_t limiter_wait(const char *account, const char *address);
void limiter_failed(const char *account, const char *address);
void limiter_succeeded(const char *account);

/* Answers to GETs kept per URL and journal entry (cache.c). A copy of the
 * body and its type, or NULL. */
char *cache_get(const char *url, int64_t seq, size_t *len, char *type, size_t ntype);
void cache_put(const char *url, int64_t seq, const char *body, size_t len, const char *type);

/* The last journal entry's number, 0 when empty. */
int64_t http_journal_seq(struct http_request *r);

/* The OpenAPI description (openapi.c); a new reference. */
json_t *openapi_document(void);

#endif
