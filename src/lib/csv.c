/*
 * csv.c - the streaming RFC 4180 reader of csv.h: a byte-at-a-time state
 * machine over a read buffer that tracks line, character column and UTF-8
 * validity, with fields kept in one growable buffer bounded by
 * QM_CSV_FIELD_MAX per field. Inside a field, runs of plain ASCII (what
 * needs no state: not a delimiter, quote, line end or NUL) are copied at
 * once.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "qm/csv.h"

enum state { S_FIELD_START, S_UNQUOTED, S_QUOTED, S_QUOTE_IN_QUOTED, S_AFTER_CR };

struct qm_csv_reader {
	FILE *fp;
	char source[256];
	unsigned char inbuf[65536];
	size_t inlen, inpos;
	int eof;
	long line, column;     /* position of the next byte */
	int utf8_need;         /* continuation bytes still expected */
	unsigned char utf8_lo, utf8_hi; /* allowed range of the next continuation byte */
	int first_byte;
	char *buf;             /* all field texts of the record, NUL-separated */
	size_t buflen, bufcap;
	size_t *offsets;       /* start of each field in buf */
	struct qm_csv_field *fields;
	size_t nfields, fieldcap;
	long record_line;
};

/* Bytes that need no state inside an unquoted field (1) and inside a
 * quoted one (2): ASCII other than NUL, the quote and line ends, and for
 * an unquoted field the comma. */
static unsigned char plain[256];
static pthread_once_t plain_once = PTHREAD_ONCE_INIT;

static void plain_init(void)
{
	for (int c = 1; c < 0x80; c++)
		plain[c] = c == '"' || c == '\n' || c == '\r' ? 0 : c == ',' ? 2 : 3;
}

int qm_csv_open(struct qm_csv_reader **out, FILE *fp, const char *source, struct qm_error *err)
{
	struct qm_csv_reader *r = calloc(1, sizeof(*r));
	if (!r)
		return qm_error_set(err, QM_EINTERNAL, "out of memory");
	r->fp = fp;
	snprintf(r->source, sizeof(r->source), "%s", source);
	r->line = 1;
	r->column = 1;
	r->first_byte = 1;
	pthread_once(&plain_once, plain_init);
	*out = r;
	return QM_OK;
}

void qm_csv_close(struct qm_csv_reader *r)
{
	if (!r)
		return;
	free(r->buf);
	free(r->offsets);
	free(r->fields);
	free(r);
}

long qm_csv_record_line(const struct qm_csv_reader *r)
{
	return r->record_line;
}

static int fail(struct qm_csv_reader *r, struct qm_error *err, long line, long col, const char *msg)
{
	qm_error_set(err, QM_EDATA, "%s", msg);
	snprintf(err->source, sizeof(err->source), "%s", r->source);
	err->line = line;
	err->column = col;
	return -1;
}

/* Next byte, or -1 at the end, -2 on a read error. */
static int next_byte(struct qm_csv_reader *r)
{
	if (r->inpos == r->inlen) {
		if (r->eof)
			return -1;
		r->inlen = fread(r->inbuf, 1, sizeof(r->inbuf), r->fp);
		r->inpos = 0;
		if (r->inlen == 0) {
			r->eof = 1;
			return ferror(r->fp) ? -2 : -1;
		}
		if (r->first_byte) {
			/* skip a UTF-8 byte-order mark */
			r->first_byte = 0;
			if (r->inlen >= 3 && memcmp(r->inbuf, "\xEF\xBB\xBF", 3) == 0)
				r->inpos = 3;
			if (r->inpos == r->inlen)
				return next_byte(r);
		}
	}
	return r->inbuf[r->inpos++];
}

/* Room for n more bytes and a NUL in the field buffer. */
static int reserve(struct qm_csv_reader *r, size_t n)
{
	if (r->buflen + n + 1 <= r->bufcap)
		return 0;
	size_t cap = r->bufcap ? r->bufcap : 4096;
	while (r->buflen + n + 1 > cap)
		cap *= 2;
	char *nb = realloc(r->buf, cap);
	if (!nb)
		return -1;
	r->buf = nb;
	r->bufcap = cap;
	return 0;
}

static int push_byte(struct qm_csv_reader *r, int c)
{
	if (r->buflen + 2 > r->bufcap && reserve(r, 1) < 0)
		return -1;
	r->buf[r->buflen++] = (char)c;
	return 0;
}

/* Copy the run of plain bytes (by mask) that starts at the read position
 * into the field, advancing the column by as many characters. */
static int copy_plain(struct qm_csv_reader *r, unsigned char mask)
{
	const unsigned char *p = r->inbuf + r->inpos, *end = r->inbuf + r->inlen, *q = p;
	while (q < end && (plain[*q] & mask))
		q++;
	size_t n = (size_t)(q - p);
	if (n == 0)
		return 0;
	if (reserve(r, n) < 0)
		return -1;
	memcpy(r->buf + r->buflen, p, n);
	r->buflen += n;
	r->inpos += n;
	r->column += (long)n;
	return 0;
}

static int start_field(struct qm_csv_reader *r, struct qm_error *err)
{
	if (r->nfields == QM_CSV_FIELDS_MAX)
		return fail(r, err, r->line, r->column, "too many fields in one record");
	if (r->nfields == r->fieldcap) {
		size_t cap = r->fieldcap ? r->fieldcap * 2 : 32;
		size_t *no = realloc(r->offsets, cap * sizeof(*no));
		if (!no)
			return -1;
		r->offsets = no;
		struct qm_csv_field *nf = realloc(r->fields, cap * sizeof(*nf));
		if (!nf)
			return -1;
		r->fields = nf;
		r->fieldcap = cap;
	}
	r->offsets[r->nfields] = r->buflen;
	r->fields[r->nfields].line = r->line;
	r->fields[r->nfields].column = r->column;
	r->nfields++;
	return 0;
}

static int end_field(struct qm_csv_reader *r, struct qm_error *err)
{
	size_t start = r->offsets[r->nfields - 1];
	if (r->buflen - start > QM_CSV_FIELD_MAX)
		return fail(r, err, r->fields[r->nfields - 1].line, r->fields[r->nfields - 1].column,
			"field longer than 1 MiB");
	return push_byte(r, '\0');
}

enum field_end { END_NONE, END_FIELD, END_CR, END_RECORD, END_INPUT, END_ERROR };

/* When c (a byte, or -1 at the end of input) ends the current field, close
 * the field and say what follows it; END_NONE when c belongs to the field. */
static enum field_end field_end(struct qm_csv_reader *r, int c, struct qm_error *err)
{
	if (c != ',' && c != '\n' && c != '\r' && c != -1)
		return END_NONE;
	if (end_field(r, err) < 0)
		return END_ERROR;
	return c == ',' ? END_FIELD : c == '\r' ? END_CR : c == '\n' ? END_RECORD : END_INPUT;
}

/* Check byte c against UTF-8 rules; advance the column on each character start. */
static int track(struct qm_csv_reader *r, int c, struct qm_error *err)
{
	if (c == 0)
		return fail(r, err, r->line, r->column, "NUL byte in text");
	if (r->utf8_need) {
		if (c < r->utf8_lo || c > r->utf8_hi)
			return fail(r, err, r->line, r->column - 1, "bytes that are not UTF-8");
		r->utf8_lo = 0x80;
		r->utf8_hi = 0xBF;
		r->utf8_need--;
		return 0;
	}
	if (c < 0x80)
		return 0;
	if (c >= 0xC2 && c <= 0xDF) {
		r->utf8_need = 1;
		r->utf8_lo = 0x80, r->utf8_hi = 0xBF;
	} else if (c >= 0xE0 && c <= 0xEF) {
		r->utf8_need = 2;
		r->utf8_lo = c == 0xE0 ? 0xA0 : 0x80;
		r->utf8_hi = c == 0xED ? 0x9F : 0xBF;
	} else if (c >= 0xF0 && c <= 0xF4) {
		r->utf8_need = 3;
		r->utf8_lo = c == 0xF0 ? 0x90 : 0x80;
		r->utf8_hi = c == 0xF4 ? 0x8F : 0xBF;
	} else {
		return fail(r, err, r->line, r->column, "bytes that are not UTF-8");
	}
	return 0;
}

int qm_csv_next(struct qm_csv_reader *r, const struct qm_csv_field **out, size_t *count,
	struct qm_error *err)
{
	enum state st = S_FIELD_START;
	long quote_line = 0, quote_col = 0;
	int c;

	r->buflen = 0;
	r->nfields = 0;
	for (;;) {
		if ((st == S_UNQUOTED || st == S_QUOTED) && !r->utf8_need
			&& copy_plain(r, st == S_UNQUOTED ? 1 : 2) < 0)
			goto oom;
		c = next_byte(r);
		if (c == -2) {
			qm_error_set(err, QM_EIO, "read error");
			snprintf(err->source, sizeof(err->source), "%s", r->source);
			return -1;
		}
		if (c >= 0 && track(r, c, err) < 0)
			return -1;
		long line = r->line, col = r->column;
		/* advance position for the next byte */
		if (c == '\n') {
			r->line++;
			r->column = 1;
		} else if (c >= 0 && (c & 0xC0) != 0x80) {
			r->column++;
		}

		switch (st) {
		case S_AFTER_CR:
			if (c != '\n')
				return fail(r, err, line, col, "a carriage return not followed by a line feed");
			goto end_record;
		case S_FIELD_START:
			if (c == -1) {
				if (r->nfields == 0) {
					if (r->utf8_need)
						return fail(r, err, line, col, "bytes that are not UTF-8 at the end of the file");
					return 0;
				}
				if (start_field(r, err) < 0 || end_field(r, err) < 0)
					return -1;
				goto done;
			}
			if ((c == '\n' || c == '\r') && r->nfields == 0) {
				if (c == '\r') {
					int d = next_byte(r);
					if (d != '\n')
						return fail(r, err, line, col, "a carriage return not followed by a line feed");
					r->line++;
					r->column = 1;
				}
				continue; /* blank line */
			}
			if (start_field(r, err) < 0)
				return -1;
			if (r->nfields == 1)
				r->record_line = line;
			r->fields[r->nfields - 1].line = line;
			r->fields[r->nfields - 1].column = col;
			if (c == '"') {
				st = S_QUOTED;
				quote_line = line;
				quote_col = col;
			} else if (c == ',') {
				if (end_field(r, err) < 0)
					return -1;
			} else if (c == '\n' || c == '\r') {
				if (end_field(r, err) < 0)
					return -1;
				if (c == '\r') {
					st = S_AFTER_CR;
					break;
				}
				goto end_record;
			} else {
				if (push_byte(r, c) < 0)
					goto oom;
				st = S_UNQUOTED;
			}
			break;
		case S_QUOTED:
			if (c == -1)
				return fail(r, err, quote_line, quote_col, "a quoted field that is never closed");
			if (c == '"')
				st = S_QUOTE_IN_QUOTED;
			else if (push_byte(r, c) < 0)
				goto oom;
			break;
		case S_UNQUOTED:
		case S_QUOTE_IN_QUOTED:
			if (st == S_QUOTE_IN_QUOTED && c == '"') {
				if (push_byte(r, c) < 0) /* "" inside quotes */
					goto oom;
				st = S_QUOTED;
				break;
			}
			switch (field_end(r, c, err)) {
			case END_ERROR:
				return -1;
			case END_FIELD:
				st = S_FIELD_START;
				break;
			case END_CR:
				st = S_AFTER_CR;
				break;
			case END_RECORD:
				goto end_record;
			case END_INPUT:
				goto done;
			default:
				if (st == S_QUOTE_IN_QUOTED)
					return fail(r, err, line, col, "text after the closing quote of a field");
				if (c == '"')
					return fail(r, err, line, col, "a double quote inside an unquoted field");
				if (push_byte(r, c) < 0)
					goto oom;
			}
			break;
		}
	}
end_record:
done:
	if (r->utf8_need) /* a character cut off by the end of the file */
		return fail(r, err, r->line, r->column - 1, "bytes that are not UTF-8");
	for (size_t i = 0; i < r->nfields; i++) {
		/* each field ends with the NUL end_field() put */
		size_t next = i + 1 < r->nfields ? r->offsets[i + 1] : r->buflen;
		r->fields[i].text = r->buf + r->offsets[i];
		r->fields[i].len = next - r->offsets[i] - 1;
	}
	*out = r->fields;
	*count = r->nfields;
	return 1;
oom:
	return qm_error_set(err, QM_EINTERNAL, "out of memory"), -1;
}

void qm_csv_write_field(FILE *fp, const char *text)
{
	if (!text)
		return;
	if (!strpbrk(text, ",\"\r\n")) {
		fputs(text, fp);
		return;
	}
	putc('"', fp);
	for (const char *p = text; *p; p++) {
		if (*p == '"')
			putc('"', fp);
		putc(*p, fp);
	}
	putc('"', fp);
}
