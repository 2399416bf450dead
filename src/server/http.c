/*
 * http.c - qm serve's HTTP side on libmicrohttpd: a thread pool, request
 * bodies gathered up to a limit, one ledger connection per thread, the
 * security headers on every answer, and a clean stop on SIGINT or SIGTERM
 * that finishes the requests in flight.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "http.h"
#include "server.h"

static const char csp[] = "default-src 'self'; img-src 'self' data:; object-src 'none';"
	" base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

static pthread_key_t ledger_key;
static const struct server_config *config;

static void close_ledger(void *l)
{
	qm_ledger_close(l);
}

/* This thread's ledger, opened on first use, and again when the database
 * server has ended the session (restarted, failed over). NULL with *err
 * filled when it cannot be opened. */
static struct qm_ledger *thread_ledger(struct qm_error *err)
{
	struct qm_ledger *l = pthread_getspecific(ledger_key);
	if (l && !qm_ledger_connected(l)) {
		pthread_setspecific(ledger_key, NULL);
		qm_ledger_close(l);
		l = NULL;
	}
	if (!l && qm_ledger_open(config->db, &l, err) == QM_OK) {
		if (config->read_only && qm_ledger_read_only(l, err) != QM_OK) {
			qm_ledger_close(l);
			return NULL;
		}
		pthread_setspecific(ledger_key, l);
	}
	return l;
}

const char *http_header(struct http_request *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

const char *http_arg(struct http_request *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
}

static int respond_v(struct http_request *r, unsigned status, const char *type, const char *body,
	size_t len, va_list ap)
{
	struct MHD_Response *res = MHD_create_response_from_buffer(len, (void *)body,
		MHD_RESPMEM_MUST_COPY);
	if (!res)
		return MHD_NO;
	MHD_add_response_header(res, "Content-Type", type);
	MHD_add_response_header(res, "Content-Security-Policy", csp);
	MHD_add_response_header(res, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(res, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(res, "X-Frame-Options", "DENY");
	if (r->secure) /* browsers that met us over TLS keep to it for a year */
		MHD_add_response_header(res, "Strict-Transport-Security", "max-age=31536000");
	for (const char *name; (name = va_arg(ap, const char *));) {
		const char *value = va_arg(ap, const char *);
		MHD_add_response_header(res, name, value);
	}
	int ret = MHD_queue_response(r->conn, status, res);
	MHD_destroy_response(res);
	return ret;
}

int http_respond(struct http_request *r, unsigned status, const char *type, const char *body,
	size_t len, ...)
{
	va_list ap;
	va_start(ap, len);
	int ret = respond_v(r, status, type, body, len, ap);
	va_end(ap);
	return ret;
}

int http_json(struct http_request *r, unsigned status, json_t *j)
{
	char *text = j ? json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
	json_decref(j);
	if (!text)
		return http_respond(r, 500, "application/json", "{\"error\":{\"status\":500,"
			"\"message\":\"out of memory\",\"field\":null}}", 62, "Cache-Control", "no-store",
			NULL);
	int ret = http_respond(r, status, "application/json", text, strlen(text), "Cache-Control",
		"no-store", NULL);
	free(text);
	return ret;
}

int http_error(struct http_request *r, unsigned status, const char *field, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	json_t *e = json_pack("{s:{s:i,s:s,s:o}}", "error", "status", (int)status, "message", msg,
		"field", field ? json_string(field) : json_null());
	if (status == 401 || status == 503) {
		char *text = json_dumps(e, JSON_COMPACT | JSON_PRESERVE_ORDER);
		json_decref(e);
		int ret = http_respond(r, status, "application/json", text ? text : "", text ? strlen(text) : 0,
			"Cache-Control", "no-store", status == 401 ? "WWW-Authenticate" : "Retry-After",
			status == 401 ? "Bearer" : "1", NULL);
		free(text);
		return ret;
	}
	return http_json(r, status, e);
}

int http_not_allowed(struct http_request *r, const char *allow)
{
	char msg[128];
	snprintf(msg, sizeof(msg), "one of the methods %s", allow);
	json_t *e = json_pack("{s:{s:i,s:s,s:n}}", "error", "status", 405, "message", msg, "field");
	char *text = json_dumps(e, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(e);
	int ret = http_respond(r, 405, "application/json", text ? text : "", text ? strlen(text) : 0,
		"Cache-Control", "no-store", "Allow", allow, NULL);
	free(text);
	return ret;
}

unsigned http_status_of(int code)
{
	switch (code) {
	case QM_OK: return 200;
	case QM_EUSAGE: return 400;
	case QM_EDATA: return 422;
	case QM_ENOINPUT: return 404;
	case QM_EPERM: return 403;
	case QM_EIO: return 503; /* the database is out of reach: try again */
	default: return 500;
	}
}

int64_t http_journal_seq(struct http_request *r)
{
	return qm_ledger_journal_seq(r->ledger);
}

static int hexval(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
		: c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
	const char *method, const char *version, const char *upload, size_t *upload_size,
	void **state)
{
	(void)cls;
	(void)version;
	struct http_request *r = *state;
	if (!r) {
		if (!(r = calloc(1, sizeof(*r))))
			return MHD_NO;
		r->conn = conn;
		r->cfg = config;
		r->method = method;
		r->url = url;
		r->secure = config->tls_cert != NULL;
		*state = r;
		return MHD_YES;
	}
	if (*upload_size) {
		if (!r->too_large && r->body_len + *upload_size <= HTTP_BODY_MAX) {
			char *nb = realloc(r->body, r->body_len + *upload_size + 1);
			if (!nb)
				return MHD_NO;
			memcpy(nb + r->body_len, upload, *upload_size);
			r->body = nb;
			r->body_len += *upload_size;
			r->body[r->body_len] = '\0';
		} else {
			r->too_large = 1;
		}
		*upload_size = 0;
		return MHD_YES;
	}
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn,
		MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (ci && ci->client_addr && ci->client_addr->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)ci->client_addr)->sin_addr, r->address,
			sizeof(r->address));
	if (r->too_large)
		return http_error(r, 413, NULL, "a body of at most %d bytes", HTTP_BODY_MAX);
	struct qm_error err;
	qm_error_clear(&err);
	if (!(r->ledger = thread_ledger(&err)))
		return http_error(r, http_status_of(err.code), NULL, "the database cannot be opened: %s",
			err.message);
	if (strncmp(url, "/api/", 5) == 0)
		return api_handle(r);
	return assets_handle(r);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **state,
	enum MHD_RequestTerminationCode why)
{
	(void)cls;
	(void)conn;
	(void)why;
	struct http_request *r = *state;
	if (r) {
		free(r->body);
		free(r);
	}
	*state = NULL;
}

/* URL decoding as libmicrohttpd does it, except that %00 stays as it is:
 * a NUL would cut the path short ("/static/app.js%00.html"). */
static size_t unescape(void *cls, struct MHD_Connection *conn, char *s)
{
	(void)cls;
	(void)conn;
	char *w = s;
	for (const char *p = s; *p; p++) {
		int hi, lo;
		if (*p == '%' && p[1] && p[2] && (hi = hexval(p[1])) >= 0 && (lo = hexval(p[2])) >= 0
			&& (hi || lo)) {
			*w++ = (char)(hi * 16 + lo);
			p += 2;
		} else {
			*w++ = *p;
		}
	}
	*w = '\0';
	return (size_t)(w - s);
}

static void on_mhd_error(void *cls, const char *fmt, va_list ap)
{
	(void)cls;
	fputs("qm serve: ", stderr);
	vfprintf(stderr, fmt, ap);
}

int server_run(const struct server_config *cfg, struct qm_error *err)
{
	struct sockaddr_in addr;
	sigset_t stop;
	int sig;

	config = cfg;
	memset(&addr, 0, sizeof(addr));
	addr.sin_family = AF_INET;
	addr.sin_port = htons((uint16_t)cfg->port);
	if (inet_pton(AF_INET, cfg->host, &addr.sin_addr) != 1)
		return qm_error_set(err, QM_EUSAGE, "--listen takes an IPv4 address and a port, got '%s'",
			cfg->host);
	/* the signals are taken by sigwait below; the pool's threads inherit the mask */
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);
	signal(SIGPIPE, SIG_IGN);
	json_object_seed(0); /* jansson's hash seed, set once before the threads start */
	if (pthread_key_create(&ledger_key, close_ledger) != 0)
		return qm_error_set(err, QM_EINTERNAL, "cannot create a thread key");

	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG | MHD_USE_ITC;
	if (cfg->tls_cert)
		flags |= MHD_USE_TLS;
	struct MHD_OptionItem opts[] = {
		{MHD_OPTION_EXTERNAL_LOGGER, (intptr_t)on_mhd_error, NULL},
		{MHD_OPTION_SOCK_ADDR, 0, &addr},
		{MHD_OPTION_THREAD_POOL_SIZE, cfg->threads, NULL},
		{MHD_OPTION_CONNECTION_LIMIT, 256, NULL},
		{MHD_OPTION_CONNECTION_TIMEOUT, 30, NULL},
		{MHD_OPTION_CONNECTION_MEMORY_LIMIT, 128 * 1024, NULL},
		{MHD_OPTION_NOTIFY_COMPLETED, (intptr_t)on_completed, NULL},
		{MHD_OPTION_UNESCAPE_CALLBACK, (intptr_t)unescape, NULL},
		{cfg->tls_cert ? MHD_OPTION_HTTPS_MEM_CERT : MHD_OPTION_END, 0, cfg->tls_cert},
		{MHD_OPTION_HTTPS_MEM_KEY, 0, cfg->tls_key},
		{MHD_OPTION_END, 0, NULL},
	};
	struct MHD_Daemon *d = MHD_start_daemon(flags, 0, NULL, NULL, on_request, NULL,
		MHD_OPTION_ARRAY, opts, MHD_OPTION_END);
	if (!d)
		return qm_error_set(err, QM_EIO, "cannot listen on %s:%d (in use, or not allowed)",
			cfg->host, cfg->port);
	const union MHD_DaemonInfo *di = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	printf("listening on %s://%s:%u\n", cfg->tls_cert ? "https" : "http", cfg->host,
		di ? di->port : (unsigned)cfg->port);
	fflush(stdout);
	sigwait(&stop, &sig);
	if (!cfg->quiet) {
		fprintf(stderr, "qm serve: %s: finishing the requests in flight\n",
			sig == SIGINT ? "SIGINT" : "SIGTERM");
	}
	/* stop accepting; let the connections in flight finish (10 s at most) */
	MHD_socket listening = MHD_quiesce_daemon(d);
	if (listening != MHD_INVALID_SOCKET)
		close(listening); /* new connections are refused at once */
	for (int waited = 0; waited < 1000; waited++) {
		const union MHD_DaemonInfo *ci = MHD_get_daemon_info(d,
			MHD_DAEMON_INFO_CURRENT_CONNECTIONS);
		if (!ci || ci->num_connections == 0)
			break;
		struct timespec ten_ms = {0, 10 * 1000 * 1000};
		nanosleep(&ten_ms, NULL);
	}
	MHD_stop_daemon(d);
	struct qm_ledger *l = pthread_getspecific(ledger_key);
	if (l)
		qm_ledger_close(l);
	return QM_OK;
}
