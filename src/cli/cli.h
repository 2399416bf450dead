/*
 * cli.h - what the command files of the qm tool share: the command table
 * entry, the global options, opening the ledger, and printing errors. The
 * library core never prints; these files decide what the user sees.
 */
#ifndef QM_CLI_H
#define QM_CLI_H

#include <stdio.h>

#include "qm/error.h"
#include "qm/ledger.h"

struct cli_globals {
	const char *db;    /* --db, $QM_DB, or quartermaster.db */
	const char *actor; /* --actor, $QM_ACTOR, $USER */
	int quiet;
};

struct cli_command {
	const char *name;
	int (*run)(const struct cli_globals *g, int argc, char **argv);
	const char *usage;   /* "qm import KIND FILE... [options]" */
	const char *summary; /* one line */
	const char *help;    /* options and details, as shown by --help and in docs/commands.md */
};

extern const struct cli_command cli_commands[];

/* Print "qm: error: ..." for err to stderr and return its code. */
int cli_fail(const struct qm_error *err);
/* Print a usage error for command name and return QM_EUSAGE. */
int cli_usage(const char *name, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Print every problem in diag ("FILE:LINE:COL: error: ..."), then a count. */
void cli_print_diag(const struct qm_diag *diag);
/* Open the ledger named by the globals; prints the error and returns its code on failure. */
int cli_open(const struct cli_globals *g, struct qm_ledger **out);
/* 1 when argv[i] is --help or -h. */
int cli_wants_help(int argc, char **argv);
/* Print a command's usage, summary and help to fp. */
void cli_print_help(const struct cli_command *c, FILE *fp);
const struct cli_command *cli_find(const char *name);

int cmd_init(const struct cli_globals *g, int argc, char **argv);
int cmd_import(const struct cli_globals *g, int argc, char **argv);
int cmd_export(const struct cli_globals *g, int argc, char **argv);
int cmd_add(const struct cli_globals *g, int argc, char **argv);
int cmd_list(const struct cli_globals *g, int argc, char **argv);
int cmd_log(const struct cli_globals *g, int argc, char **argv);
int cmd_audit(const struct cli_globals *g, int argc, char **argv);
int cmd_check(const struct cli_globals *g, int argc, char **argv);
int cmd_report(const struct cli_globals *g, int argc, char **argv);
int cmd_plan(const struct cli_globals *g, int argc, char **argv);
int cmd_serve(const struct cli_globals *g, int argc, char **argv);
int cmd_user(const struct cli_globals *g, int argc, char **argv);
int cmd_token(const struct cli_globals *g, int argc, char **argv);
int cmd_copy(const struct cli_globals *g, int argc, char **argv);
int cmd_burden(const struct cli_globals *g, int argc, char **argv);
int cmd_training(const struct cli_globals *g, int argc, char **argv);
struct qm_burden;
/* Print burden sharing as the text table of qm burden (cmd_burden.c). */
void cli_burden_print(const struct qm_burden *b);

int cmd_help(const struct cli_globals *g, int argc, char **argv);

#endif
