/*
 * test_csv.c - unit tests of the streaming CSV reader and writer (csv.h):
 * the line and character column where every field starts (through quotes,
 * doubled quotes, line breaks inside quotes, CRLF, a byte-order mark and
 * multibyte UTF-8), blank lines, and the errors for stray and unterminated
 * quotes, bytes that are not UTF-8 and NUL bytes, each with its position.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "qm/csv.h"

/* One field as expected: record number (0-based), text, line, column. */
struct want {
	int rec;
	const char *text;
	long line, column;
};

#define MAX_FIELDS 64

struct got {
	int nrec;
	int nfields;
	int rec[MAX_FIELDS];
	char *text[MAX_FIELDS];
	size_t len[MAX_FIELDS];
	long line[MAX_FIELDS], column[MAX_FIELDS];
	long record_line[MAX_FIELDS];
	int status;            /* last qm_csv_next result */
	struct qm_error err;   /* filled when status is -1 */
};

static void got_free(struct got *g)
{
	for (int i = 0; i < g->nfields; i++)
		free(g->text[i]);
}

/* Read all of input (len bytes) and collect every field. */
static void read_all(const char *input, size_t len, struct got *g)
{
	memset(g, 0, sizeof(*g));
	FILE *fp = fmemopen((void *)input, len, "rb");
	if (len == 0) /* fmemopen may refuse a zero-size buffer */
		fp = fopen("/dev/null", "rb");
	assert_non_null(fp);
	struct qm_csv_reader *r = NULL;
	assert_int_equal(qm_csv_open(&r, fp, "test.csv", &g->err), 0);
	const struct qm_csv_field *f;
	size_t n;
	qm_error_clear(&g->err);
	while ((g->status = qm_csv_next(r, &f, &n, &g->err)) == 1) {
		g->record_line[g->nrec] = qm_csv_record_line(r);
		for (size_t i = 0; i < n; i++) {
			assert_true(g->nfields < MAX_FIELDS);
			int k = g->nfields++;
			g->rec[k] = g->nrec;
			g->text[k] = malloc(f[i].len + 1);
			memcpy(g->text[k], f[i].text, f[i].len + 1);
			g->len[k] = f[i].len;
			g->line[k] = f[i].line;
			g->column[k] = f[i].column;
			assert_int_equal(strlen(f[i].text), f[i].len);
		}
		g->nrec++;
		assert_true(g->nrec < MAX_FIELDS);
	}
	qm_csv_close(r);
	fclose(fp);
}

static void expect_fields(const char *input, size_t len, const struct want *w, int nw, int nrec)
{
	struct got g;
	read_all(input, len, &g);
	if (g.status != 0)
		fail_msg("input should read cleanly, got error %d:%ld:%ld %s", g.err.code, g.err.line,
			g.err.column, g.err.message);
	assert_int_equal(g.nrec, nrec);
	assert_int_equal(g.nfields, nw);
	for (int i = 0; i < nw; i++) {
		if (g.rec[i] != w[i].rec || strcmp(g.text[i], w[i].text) != 0 || g.line[i] != w[i].line
			|| g.column[i] != w[i].column)
			fail_msg("field %d: got record %d '%s' at %ld:%ld, want record %d '%s' at %ld:%ld",
				i, g.rec[i], g.text[i], g.line[i], g.column[i], w[i].rec, w[i].text,
				w[i].line, w[i].column);
	}
	got_free(&g);
}

#define FIELDS(input, nrec, ...)                                                        \
	do {                                                                            \
		static const struct want w_[] = {__VA_ARGS__};                           \
		expect_fields(input, sizeof(input) - 1, w_, (int)(sizeof(w_) / sizeof(w_[0])), \
			nrec);                                                          \
	} while (0)

static void expect_error(const char *input, size_t len, long line, long column, const char *msg)
{
	struct got g;
	read_all(input, len, &g);
	if (g.status != -1)
		fail_msg("input should fail with '%s' at %ld:%ld", msg, line, column);
	assert_int_equal(g.err.code, QM_EDATA);
	assert_string_equal(g.err.source, "test.csv");
	if (g.err.line != line || g.err.column != column)
		fail_msg("error '%s' at %ld:%ld, want %ld:%ld", g.err.message, g.err.line,
			g.err.column, line, column);
	if (!strstr(g.err.message, msg))
		fail_msg("error message '%s' does not say '%s'", g.err.message, msg);
	got_free(&g);
}

#define ERROR_AT(input, line, column, msg) expect_error(input, sizeof(input) - 1, line, column, msg)

static void test_plain_positions(void **state)
{
	(void)state;
	FIELDS("a,b,c\n1,22,333\n", 2,
		{0, "a", 1, 1}, {0, "b", 1, 3}, {0, "c", 1, 5},
		{1, "1", 2, 1}, {1, "22", 2, 3}, {1, "333", 2, 6});
	/* no line break at the end of the last record */
	FIELDS("a,b\nc,d", 2, {0, "a", 1, 1}, {0, "b", 1, 3}, {1, "c", 2, 1}, {1, "d", 2, 3});
	/* empty fields, including a trailing one */
	FIELDS(",,\nx,\n", 2, {0, "", 1, 1}, {0, "", 1, 2}, {0, "", 1, 3}, {1, "x", 2, 1},
		{1, "", 2, 3});
	/* spaces are kept: the reader does not trim */
	FIELDS(" a , b\n", 1, {0, " a ", 1, 1}, {0, " b", 1, 5});
}

static void test_quoted_fields(void **state)
{
	(void)state;
	FIELDS("\"a,b\",c\n", 1, {0, "a,b", 1, 1}, {0, "c", 1, 7});
	FIELDS("\"say \"\"hi\"\"\",x\n", 1, {0, "say \"hi\"", 1, 1}, {0, "x", 1, 14});
	FIELDS("\"\",\"\"\"\"\n", 1, {0, "", 1, 1}, {0, "\"", 1, 4});
	/* a quoted last field without a final line break */
	FIELDS("x,\"y\"", 1, {0, "x", 1, 1}, {0, "y", 1, 3});
	/* quoted fields ending with CRLF */
	FIELDS("\"a\",\"b\"\r\n\"c\",d\r\n", 2, {0, "a", 1, 1}, {0, "b", 1, 5}, {1, "c", 2, 1},
		{1, "d", 2, 5});
}

static void test_line_breaks_inside_quotes(void **state)
{
	(void)state;
	FIELDS("\"line1\nline2\",x\nnext,y\n", 2,
		{0, "line1\nline2", 1, 1}, {0, "x", 2, 8},
		{1, "next", 3, 1}, {1, "y", 3, 6});
	/* a CRLF inside quotes is kept as it is */
	FIELDS("id,note\n1,\"a\r\nb\"\n2,c\n", 3,
		{0, "id", 1, 1}, {0, "note", 1, 4},
		{1, "1", 2, 1}, {1, "a\r\nb", 2, 3},
		{2, "2", 4, 1}, {2, "c", 4, 3});
	/* the record line is where a record starts */
	struct got g;
	static const char in[] = "h\n\"a\n\nb\",c\nd\n";
	read_all(in, sizeof(in) - 1, &g);
	assert_int_equal(g.status, 0);
	assert_int_equal(g.nrec, 3);
	assert_int_equal(g.record_line[0], 1);
	assert_int_equal(g.record_line[1], 2);
	assert_int_equal(g.record_line[2], 5);
	assert_string_equal(g.text[1], "a\n\nb");
	assert_int_equal(g.line[2], 4); /* c */
	assert_int_equal(g.column[2], 4);
	got_free(&g);
}

static void test_crlf(void **state)
{
	(void)state;
	FIELDS("a,b\r\nc,d\r\n", 2, {0, "a", 1, 1}, {0, "b", 1, 3}, {1, "c", 2, 1}, {1, "d", 2, 3});
	/* an empty last field before CRLF */
	FIELDS("a,\r\nb,c\r\n", 2, {0, "a", 1, 1}, {0, "", 1, 3}, {1, "b", 2, 1}, {1, "c", 2, 3});
	/* blank CRLF lines are skipped, lines still counted */
	FIELDS("a\r\n\r\nb\r\n", 2, {0, "a", 1, 1}, {1, "b", 3, 1});
}

static void test_blank_lines(void **state)
{
	(void)state;
	FIELDS("a\n\nb\n\n\n", 2, {0, "a", 1, 1}, {1, "b", 3, 1});
	FIELDS("\n\na,b\n", 1, {0, "a", 3, 1}, {0, "b", 3, 3});
	struct got g;
	read_all("\n\n\n", 3, &g);
	assert_int_equal(g.status, 0);
	assert_int_equal(g.nrec, 0);
	read_all("", 0, &g);
	assert_int_equal(g.status, 0);
	assert_int_equal(g.nrec, 0);
}

static void test_bom(void **state)
{
	(void)state;
	FIELDS("\xEF\xBB\xBFid,name\n1,x\n", 2, {0, "id", 1, 1}, {0, "name", 1, 4}, {1, "1", 2, 1},
		{1, "x", 2, 3});
	FIELDS("\xEF\xBB\xBF\"q\",r\n", 1, {0, "q", 1, 1}, {0, "r", 1, 5});
	/* a BOM anywhere else is text (U+FEFF), one character wide */
	FIELDS("a,\xEF\xBB\xBF" "b,c\n", 1, {0, "a", 1, 1}, {0, "\xEF\xBB\xBF" "b", 1, 3},
		{0, "c", 1, 6});
	/* a broken BOM is not UTF-8 */
	ERROR_AT("\xEF\xBB" "a,b\n", 1, 1, "not UTF-8");
}

/* A file may start with a character whose first byte is 0xEF without
 * being a byte-order mark (U+F000 to U+FFFF, e.g. U+FF01 '！'). */
static void test_first_character_ef_is_not_a_bom(void **state)
{
	(void)state;
	FIELDS("\xEF\xBC\x81,b\n", 1, {0, "\xEF\xBC\x81", 1, 1}, {0, "b", 1, 3});
}

static void test_utf8_columns(void **state)
{
	(void)state;
	/* é (2 bytes), ü€ (2 + 3 bytes), 😀 (4 bytes): columns count characters */
	FIELDS("\xC3\xA9,\xC3\xBC\xE2\x82\xAC,x\n", 1, {0, "\xC3\xA9", 1, 1},
		{0, "\xC3\xBC\xE2\x82\xAC", 1, 3}, {0, "x", 1, 6});
	FIELDS("\xF0\x9F\x98\x80,a\n", 1, {0, "\xF0\x9F\x98\x80", 1, 1}, {0, "a", 1, 3});
	FIELDS("Rzesz\xC3\xB3w,\"Kyiv, \xD0\x9A\xD0\xB8\xD1\x97\xD0\xB2\",z\n", 1,
		{0, "Rzesz\xC3\xB3w", 1, 1}, {0, "Kyiv, \xD0\x9A\xD0\xB8\xD1\x97\xD0\xB2", 1, 9},
		{0, "z", 1, 22});
	/* columns restart after a line break inside quotes with multibyte text */
	FIELDS("\"\xC3\xA9\n\xC3\xA9\xC3\xA9\",q\n", 1, {0, "\xC3\xA9\n\xC3\xA9\xC3\xA9", 1, 1},
		{0, "q", 2, 5});
}

static void test_quote_errors(void **state)
{
	(void)state;
	ERROR_AT("ab\"c,d\n", 1, 3, "double quote inside an unquoted field");
	ERROR_AT("x,y\n1,2\"\n", 2, 4, "double quote inside an unquoted field");
	ERROR_AT("\"ab\"c,d\n", 1, 5, "text after the closing quote");
	ERROR_AT("\"ab\" ,d\n", 1, 5, "text after the closing quote");
	ERROR_AT("x,\"abc\n", 1, 3, "never closed");
	ERROR_AT("h\nx,\"abc\ndef\nghi", 2, 3, "never closed");
	ERROR_AT("\xC3\xA9,\"abc", 1, 3, "never closed");
}

static void test_utf8_errors(void **state)
{
	(void)state;
	ERROR_AT("ab\xFF,c\n", 1, 3, "not UTF-8");           /* never valid */
	ERROR_AT("a,Caf\xE9 news\n", 1, 6, "not UTF-8");      /* Latin-1 é */
	ERROR_AT("x\n\xC3\xA9,\xC0\xAF\n", 2, 3, "not UTF-8"); /* overlong '/' */
	ERROR_AT("\xED\xA0\x80\n", 1, 1, "not UTF-8");        /* a surrogate */
	ERROR_AT("\xF4\x90\x80\x80\n", 1, 1, "not UTF-8");    /* above U+10FFFF */
	ERROR_AT("ab\x80\n", 1, 3, "not UTF-8");              /* lone continuation byte */
	ERROR_AT("\"ab\xC3\"\n", 1, 4, "not UTF-8");          /* cut off inside quotes */
	ERROR_AT("\xC3\xA9\xE2\x82\n", 1, 2, "not UTF-8");    /* cut off by a line break */
}

/* A character cut off by the end of the file is reported where it starts,
 * like every other encoding error, not after it. */
static void test_utf8_cut_off_at_end_of_file(void **state)
{
	(void)state;
	ERROR_AT("ab\xC3", 1, 3, "not UTF-8");
	ERROR_AT("x\n\xC3\xA9\xE2\x82", 2, 2, "not UTF-8");
}

static void test_nul_and_cr_errors(void **state)
{
	(void)state;
	ERROR_AT("a\0b,c\n", 1, 2, "NUL");
	ERROR_AT("x\n\"q\0\"\n", 2, 3, "NUL");
	/* a lone CR is reported where the line feed should have been */
	ERROR_AT("a\rb\n", 1, 3, "carriage return");
	ERROR_AT("a,b\r", 1, 5, "carriage return");
}

/* Runs of plain bytes longer than the reader's 64 KiB buffer, in unquoted
 * and quoted fields, around multibyte characters and quoted commas: the
 * texts whole and every column right. */
static void test_long_runs(void **state)
{
	(void)state;
	size_t n = 70000;
	char *in = malloc(2 * n + 64), *p = in;
	p += sprintf(p, "a,");
	memset(p, 'x', n), p += n;
	p += sprintf(p, ",\xC3\xA9" "b,\"q,\xC3\xA9");
	memset(p, 'y', n), p += n;
	p += sprintf(p, "\"\nz\n");
	struct got g;
	read_all(in, (size_t)(p - in), &g);
	assert_int_equal(g.status, 0);
	assert_int_equal(g.nrec, 2);
	assert_int_equal(g.nfields, 5);
	assert_string_equal(g.text[0], "a");
	assert_int_equal(g.len[1], n);
	assert_int_equal(g.column[1], 3);
	assert_string_equal(g.text[2], "\xC3\xA9" "b");
	assert_int_equal(g.column[2], 3 + (long)n + 1);
	assert_int_equal(g.column[3], 3 + (long)n + 4);
	assert_int_equal(g.len[3], 4 + n);
	assert_memory_equal(g.text[3], "q,\xC3\xA9yy", 6);
	assert_int_equal(g.text[3][g.len[3] - 1], 'y');
	assert_string_equal(g.text[4], "z");
	assert_int_equal(g.line[4], 2);
	assert_int_equal(g.column[4], 1);
	got_free(&g);
	free(in);
}

static void test_limits(void **state)
{
	(void)state;
	/* one field longer than QM_CSV_FIELD_MAX */
	size_t n = QM_CSV_FIELD_MAX + 10;
	char *big = malloc(n + 8);
	memcpy(big, "id\n", 3);
	memset(big + 3, 'x', n);
	big[3 + n] = '\n';
	expect_error(big, n + 4, 2, 1, "longer than");
	/* exactly the maximum is fine */
	memset(big + 3, 'y', QM_CSV_FIELD_MAX);
	big[3 + QM_CSV_FIELD_MAX] = '\n';
	struct got g;
	read_all(big, QM_CSV_FIELD_MAX + 4, &g);
	assert_int_equal(g.status, 0);
	assert_int_equal(g.nrec, 2);
	assert_int_equal(g.len[1], QM_CSV_FIELD_MAX);
	got_free(&g);
	free(big);

	/* too many fields in one record */
	size_t m = QM_CSV_FIELDS_MAX + 1;
	char *wide = malloc(m * 2 + 1);
	for (size_t i = 0; i < m; i++) {
		wide[2 * i] = 'a';
		wide[2 * i + 1] = i + 1 < m ? ',' : '\n';
	}
	struct got w;
	read_all(wide, m * 2, &w);
	assert_int_equal(w.status, -1);
	assert_int_equal(w.err.code, QM_EDATA);
	assert_int_equal(w.err.line, 1);
	assert_non_null(strstr(w.err.message, "too many fields"));
	got_free(&w);
	free(wide);
}

static char *written(const char *const *fields, int n)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);
	assert_non_null(fp);
	for (int i = 0; i < n; i++) {
		if (i)
			putc(',', fp);
		qm_csv_write_field(fp, fields[i]);
	}
	putc('\n', fp);
	fclose(fp);
	return buf;
}

static void test_write_field(void **state)
{
	(void)state;
	static const char *const f1[] = {"plain", "a,b", "say \"hi\"", "line\nbreak", "cr\rhere",
		"", NULL, "Rzesz\xC3\xB3w"};
	char *out = written(f1, 8);
	assert_string_equal(out, "plain,\"a,b\",\"say \"\"hi\"\"\",\"line\nbreak\",\"cr\rhere\",,,"
				 "Rzesz\xC3\xB3w\n");
	/* what is written reads back as the same fields */
	struct got g;
	read_all(out, strlen(out), &g);
	assert_int_equal(g.status, 0);
	assert_int_equal(g.nrec, 1);
	assert_int_equal(g.nfields, 8);
	for (int i = 0; i < 8; i++)
		assert_string_equal(g.text[i], f1[i] ? f1[i] : "");
	got_free(&g);
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_positions),
		cmocka_unit_test(test_quoted_fields),
		cmocka_unit_test(test_line_breaks_inside_quotes),
		cmocka_unit_test(test_crlf),
		cmocka_unit_test(test_blank_lines),
		cmocka_unit_test(test_bom),
		cmocka_unit_test(test_first_character_ef_is_not_a_bom),
		cmocka_unit_test(test_utf8_columns),
		cmocka_unit_test(test_quote_errors),
		cmocka_unit_test(test_utf8_errors),
		cmocka_unit_test(test_utf8_cut_off_at_end_of_file),
		cmocka_unit_test(test_nul_and_cr_errors),
		cmocka_unit_test(test_long_runs),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_write_field),
	};
	return cmocka_run_group_tests_name("csv", tests, NULL, NULL);
}
