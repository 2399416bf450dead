/*
 * cmd_serve.c - qm serve (the web server, src/server/), and the accounts it
 * signs people in with: qm user add|list|disable and qm token create.
 * Passwords come from a file or are asked for twice on the terminal without
 * echo; a token is printed once.
 */
#include <errno.h>
#include <getopt.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "cli.h"
#include "qm/auth.h"
#include "table.h"
#include "../server/server.h"

/* The whole file into a new string (the caller frees), or NULL with err. */
static char *slurp(const char *path, struct qm_error *err)
{
	FILE *fp = fopen(path, "rb");
	if (!fp) {
		qm_error_set(err, errno == ENOENT ? QM_ENOINPUT : QM_EIO, "cannot open '%s': %s", path,
			strerror(errno));
		return NULL;
	}
	char *buf = NULL;
	size_t len = 0, cap = 0;
	int c;
	while ((c = getc(fp)) != EOF) {
		if (len + 2 > cap) {
			cap = cap ? cap * 2 : 4096;
			char *nb = realloc(buf, cap);
			if (!nb) {
				free(buf);
				fclose(fp);
				qm_error_set(err, QM_EINTERNAL, "out of memory");
				return NULL;
			}
			buf = nb;
		}
		buf[len++] = (char)c;
	}
	fclose(fp);
	if (!buf && !(buf = calloc(1, 1)))
		qm_error_set(err, QM_EINTERNAL, "out of memory");
	else
		buf[len] = '\0';
	return buf;
}

int cmd_serve(const struct cli_globals *g, int argc, char **argv)
{
	static const struct option opts[] = {{"listen", required_argument, NULL, 'l'},
		{"tls-cert", required_argument, NULL, 'c'}, {"tls-key", required_argument, NULL, 'k'},
		{"threads", required_argument, NULL, 't'},
		{"session-idle", required_argument, NULL, 's'}, {"read-only", no_argument, NULL, 'r'},
		{NULL, 0, NULL, 0}};
	struct server_config cfg = {.db = g->db, .host = "127.0.0.1", .port = 8080, .threads = 4,
		.session_idle = 1800, .quiet = g->quiet};
	const char *cert = NULL, *key = NULL;
	char host[64];
	int c;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		char *end;
		switch (c) {
		case 'l': {
			const char *colon = strrchr(optarg, ':');
			long port = colon ? strtol(colon + 1, &end, 10) : -1;
			if (!colon || colon == optarg || (size_t)(colon - optarg) >= sizeof(host) || *end
				|| port < 0 || port > 65535 || !colon[1])
				return cli_usage("serve", "--listen takes ADDRESS:PORT, got '%s'", optarg);
			snprintf(host, sizeof(host), "%.*s", (int)(colon - optarg), optarg);
			cfg.host = host;
			cfg.port = (int)port;
			break;
		}
		case 'c': cert = optarg; break;
		case 'r': cfg.read_only = 1; break;
		case 'k': key = optarg; break;
		case 't':
			cfg.threads = (int)strtol(optarg, &end, 10);
			if (*end || cfg.threads < 1 || cfg.threads > 256)
				return cli_usage("serve", "--threads takes 1 to 256, got '%s'", optarg);
			break;
		case 's':
			cfg.session_idle = strtol(optarg, &end, 10);
			if (*end || cfg.session_idle < 1)
				return cli_usage("serve", "--session-idle takes seconds, got '%s'", optarg);
			break;
		default:
			return cli_usage("serve", "unknown option, or an option without its value: '%s'",
				argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_usage("serve", "unexpected argument '%s'", argv[optind]);
	if ((cert == NULL) != (key == NULL))
		return cli_usage("serve", "--tls-cert and --tls-key go together");
	struct qm_error err;
	qm_error_clear(&err);
	/* open (and migrate) the database once here, so that its errors come first */
	struct qm_ledger *l;
	int rc = cli_open(g, &l);
	if (rc != QM_OK)
		return rc;
	rc = cfg.read_only ? qm_ledger_read_only(l, &err) : qm_ledger_shared(l, &err);
	qm_ledger_close(l);
	if (rc != QM_OK)
		return cli_fail(&err);
	qm_error_clear(&err);
	if (cert && (!(cfg.tls_cert = slurp(cert, &err)) || !(cfg.tls_key = slurp(key, &err)) ||
			server_tls_check(cfg.tls_cert, cert, cfg.tls_key, key, &err) != QM_OK)) {
		free(cfg.tls_cert);
		free(cfg.tls_key);
		return cli_fail(&err);
	}
	/* case-insensitive search (q=) folds Unicode text in the C.UTF-8 locale */
	setlocale(LC_CTYPE, "C.UTF-8");
	rc = server_run(&cfg, &err);
	free(cfg.tls_cert);
	free(cfg.tls_key);
	return rc == QM_OK ? 0 : cli_fail(&err);
}

/* ---- accounts ---- */

/* Read a line from the terminal without echo into buf. */
static int ask(const char *prompt, char *buf, size_t n)
{
	FILE *tty = fopen("/dev/tty", "r+");
	if (!tty)
		return -1;
	struct termios old, quiet;
	int fd = fileno(tty), ok = tcgetattr(fd, &old) == 0;
	fputs(prompt, tty);
	fflush(tty);
	if (ok) {
		quiet = old;
		quiet.c_lflag &= (tcflag_t)~ECHO;
		tcsetattr(fd, TCSAFLUSH, &quiet);
	}
	char *got = fgets(buf, (int)n, tty);
	if (ok)
		tcsetattr(fd, TCSAFLUSH, &old);
	fputs("\n", tty);
	fclose(tty);
	if (!got)
		return -1;
	buf[strcspn(buf, "\r\n")] = '\0';
	return 0;
}

static int user_add(const struct cli_globals *g, int argc, char **argv)
{
	static const struct option opts[] = {{"role", required_argument, NULL, 'r'},
		{"password-file", required_argument, NULL, 'p'}, {NULL, 0, NULL, 0}};
	const char *role = NULL, *pwfile = NULL;
	int c;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'r')
			role = optarg;
		else if (c == 'p')
			pwfile = optarg;
		else
			return cli_usage("user", "unknown option, or an option without its value: '%s'",
				argv[optind - 1]);
	}
	if (argc - optind != 1 || !role)
		return cli_usage("user", "user add NAME --role ROLE [--password-file FILE]");
	struct qm_error err;
	char pw[1024], again[1024];
	qm_error_clear(&err);
	if (pwfile) {
		char *text = slurp(pwfile, &err);
		if (!text)
			return cli_fail(&err);
		text[strcspn(text, "\r\n")] = '\0';
		snprintf(pw, sizeof(pw), "%s", text);
		free(text);
	} else {
		if (ask("password: ", pw, sizeof(pw)) < 0 || ask("again: ", again, sizeof(again)) < 0)
			return cli_usage("user", "no terminal to ask for the password on: use --password-file");
		if (strcmp(pw, again) != 0) {
			qm_error_set(&err, QM_EUSAGE, "the two passwords differ");
			return cli_fail(&err);
		}
	}
	struct qm_ledger *l;
	int rc = cli_open(g, &l);
	if (rc != QM_OK)
		return rc;
	rc = qm_user_add(l, argv[optind], role, pw, &err);
	qm_ledger_close(l);
	memset(pw, 0, sizeof(pw));
	if (rc != QM_OK)
		return cli_fail(&err);
	if (!g->quiet)
		printf("added user %s (%s)\n", argv[optind], role);
	return 0;
}

static int print_user(void *ctx, const struct qm_user *u, const char *created, long tokens)
{
	char n[24];
	snprintf(n, sizeof(n), "%ld", tokens);
	const char *row[5] = {u->name, u->role_text, u->disabled ? "disabled" : "enabled", created, n};
	table_row(ctx, row);
	return 0;
}

int cmd_user(const struct cli_globals *g, int argc, char **argv)
{
	if (argc < 2)
		return cli_usage("user", "expected add, list or disable");
	const char *sub = argv[1];
	struct qm_ledger *l;
	struct qm_error err;
	int rc;
	qm_error_clear(&err);
	if (strcmp(sub, "add") == 0)
		return user_add(g, argc - 1, argv + 1);
	if (strcmp(sub, "list") == 0 && argc == 2) {
		if ((rc = cli_open(g, &l)) != QM_OK)
			return rc;
		struct table *t = table_new(5, "lllll");
		const char *h[5] = {"name", "role", "state", "created", "tokens"};
		table_row(t, h);
		rc = qm_user_list(l, print_user, t, &err);
		qm_ledger_close(l);
		if (rc == QM_OK)
			table_print(t, stdout, 64);
		table_free(t);
		return rc == QM_OK ? 0 : cli_fail(&err);
	}
	if (strcmp(sub, "disable") == 0 && argc == 3) {
		if ((rc = cli_open(g, &l)) != QM_OK)
			return rc;
		rc = qm_user_disable(l, argv[2], &err);
		qm_ledger_close(l);
		if (rc != QM_OK)
			return cli_fail(&err);
		if (!g->quiet)
			printf("disabled user %s\n", argv[2]);
		return 0;
	}
	return cli_usage("user", "expected user add NAME --role ROLE, user list, or user disable NAME");
}

int cmd_token(const struct cli_globals *g, int argc, char **argv)
{
	if (argc != 3 || strcmp(argv[1], "create") != 0)
		return cli_usage("token", "expected token create NAME");
	struct qm_ledger *l;
	struct qm_error err;
	char token[65];
	qm_error_clear(&err);
	int rc = cli_open(g, &l);
	if (rc != QM_OK)
		return rc;
	rc = qm_token_create(l, argv[2], token, &err);
	qm_ledger_close(l);
	if (rc != QM_OK)
		return cli_fail(&err);
	printf("%s\n", token);
	return 0;
}
