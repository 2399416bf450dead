/*
 * server.h - what the qm tool calls to run the web server (qm serve).
 */
#ifndef QM_SERVER_H
#define QM_SERVER_H

#include "http.h"

/* Listen as cfg says, print "listening on URL" once ready, and serve until
 * SIGINT or SIGTERM; then finish the requests in flight and return QM_OK.
 * QM_EUSAGE for a bad address, QM_EIO when it cannot listen. */
int server_run(const struct server_config *cfg, struct qm_error *err);

/* QM_OK when cert_pem holds a PEM certificate and key_pem its unencrypted
 * private key; else QM_EDATA naming the file (cert_path or key_path) that
 * is wrong. Borrows its arguments. */
int server_tls_check(const char *cert_pem, const char *cert_path, const char *key_pem,
	const char *key_path, struct qm_error *err);

#endif
