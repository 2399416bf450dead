/*
 * gen_pledges.c - write N valid pledges as CSV to standard output, for
 * `make bench` (see bench/run.sh and docs/benchmarks.md).
 *
 *   gen_pledges N [PARTIES.csv [ITEMS.csv]]
 *
 * Donors are the allied parties (ally = yes) of PARTIES.csv, items the codes
 * of ITEMS.csv (defaults: data/demo/parties.csv, data/demo/items.csv). The
 * output is the same for the same N and files: a fixed-seed xorshift
 * generator, no clock, no locale. Ids are b0000001, b0000002, ...; dates fall
 * in 2022-03-01..2024-12-31; about 60% of the rows pledge an item and a
 * quantity (a few of them as parts of an earlier money pledge of the same
 * donor), the rest an amount in EUR, USD, GBP or SEK (each has an ECB rate
 * for every date in the range).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_util.h"

#define MAX_CODES 512
#define CODE_LEN 64

/* Split one CSV record (RFC 4180, no embedded newlines needed here) into
 * at most max fields, unquoting in place. Returns the field count. */
static int split_csv(char *line, char **fields, int max)
{
	int n = 0;
	char *p = line, *w;
	line[strcspn(line, "\r\n")] = '\0';
	while (n < max) {
		fields[n++] = w = p;
		if (*p == '"') {
			p++;
			for (;;) {
				if (*p == '"' && p[1] == '"') {
					*w++ = '"';
					p += 2;
				} else if (*p == '"') {
					p++;
					break;
				} else if (*p == '\0') {
					break;
				} else {
					*w++ = *p++;
				}
			}
			while (*p && *p != ',')
				p++;
		} else {
			while (*p && *p != ',')
				*w++ = *p++;
		}
		if (*p != ',') {
			*w = '\0';
			break;
		}
		*w = '\0';
		p++;
	}
	return n;
}

struct code_list {
	char code[MAX_CODES][CODE_LEN];
	int round[MAX_CODES]; /* items: the unit is 'round' (ammunition) */
	int n;
};

/* Read the `code` column of a CSV file, keeping rows whose column `filter`
 * (when given) equals `want`. */
static void read_codes(const char *path, const char *filter, const char *want,
	struct code_list *out)
{
	FILE *f = fopen(path, "r");
	char line[8192], *fld[64];
	int code_col = -1, filter_col = -1, unit_col = -1, nf;
	if (!f) {
		perror(path);
		exit(66);
	}
	if (!fgets(line, sizeof(line), f)) {
		fprintf(stderr, "%s: empty file\n", path);
		exit(65);
	}
	if ((unsigned char)line[0] == 0xEF && (unsigned char)line[1] == 0xBB
		&& (unsigned char)line[2] == 0xBF)
		memmove(line, line + 3, strlen(line + 3) + 1);
	nf = split_csv(line, fld, 64);
	for (int i = 0; i < nf; i++) {
		if (strcmp(fld[i], "code") == 0)
			code_col = i;
		if (filter && strcmp(fld[i], filter) == 0)
			filter_col = i;
		if (strcmp(fld[i], "unit") == 0)
			unit_col = i;
	}
	if (code_col < 0 || (filter && filter_col < 0)) {
		fprintf(stderr, "%s: no 'code'%s%s column\n", path, filter ? " or " : "",
			filter ? filter : "");
		exit(65);
	}
	out->n = 0;
	while (fgets(line, sizeof(line), f) && out->n < MAX_CODES) {
		nf = split_csv(line, fld, 64);
		if (nf <= code_col || !fld[code_col][0])
			continue;
		if (filter && (nf <= filter_col || strcmp(fld[filter_col], want) != 0))
			continue;
		snprintf(out->code[out->n], CODE_LEN, "%s", fld[code_col]);
		out->round[out->n] = unit_col >= 0 && nf > unit_col
			&& strcmp(fld[unit_col], "round") == 0;
		out->n++;
	}
	fclose(f);
	if (out->n == 0) {
		fprintf(stderr, "%s: no usable codes\n", path);
		exit(65);
	}
}

#define NDAYS 1037 /* 2022-03-01 .. 2024-12-31 */

static struct code_list donors, items;

int main(int argc, char **argv)
{
	static const char *const statuses[] = {"committed", "committed", "committed", "announced",
		"announced", "cancelled"};
	static const char *const currencies[] = {"EUR", "EUR", "EUR", "USD", "USD", "GBP", "SEK"};
	static const char *const item_types[] = {"", "", "in-kind", "in-kind", "in-kind",
		"sustainment", "training"};
	static const char *const money_types[] = {"", "purchase", "purchase", "operations",
		"industry", "trust-fund", "training", "sustainment"};
	static const char *const channels[] = {"", "bilateral", "bilateral", "bilateral",
		"bilateral", "nato", "eu", "multilateral", "other"};
	static const char *const cents[] = {"", "", "", ".50", ".25", ".99", ".05"};
	static char package[MAX_CODES][16]; /* last money pledge per donor, for part_of */
	char *end;
	long n;

	if (argc < 2 || argc > 4 || (n = strtol(argv[1], &end, 10)) < 1 || *end || n > 9999999) {
		fprintf(stderr, "usage: gen_pledges N [PARTIES.csv [ITEMS.csv]]  (1 <= N <= 9999999)\n");
		return 64;
	}
	read_codes(argc > 2 ? argv[2] : "data/demo/parties.csv", "ally", "yes", &donors);
	read_codes(argc > 3 ? argv[3] : "data/demo/items.csv", NULL, NULL, &items);

	static char obuf[1 << 16];
	setvbuf(stdout, obuf, _IOFBF, sizeof(obuf));
	printf("id,donor,date,item,quantity,amount,currency,status,available,part_of,cost_type,"
	       "channel,source,note\n");
	for (long i = 1; i <= n; i++) {
		int di = (int)below((unsigned)donors.n), day = (int)below(NDAYS);
		const char *donor = donors.code[di];
		char date[16], avail[16] = "", id[16];
		snprintf(id, sizeof(id), "b%07ld", i);
		date_of(day, date);
		if (below(5) == 0) /* available some months later */
			date_of(day + 30 + (int)below(360), avail);
		const char *status = statuses[below(6)];
		const char *channel = channels[below(9)];

		if (below(10) < 6) { /* item and quantity */
			int it = (int)below((unsigned)items.n);
			long qty = items.round[it] ? 1000L * (1 + below(200)) : 1 + (long)below(12);
			const char *part_of = below(20) == 0 && package[di][0] ? package[di] : "";
			printf("%s,%s,%s,%s,%ld,,,%s,%s,%s,%s,%s,", id, donor, date, items.code[it], qty,
				status, avail, part_of, item_types[below(7)], channel);
		} else { /* amount only */
			static const long scale[] = {1000, 10000, 100000, 1000000};
			long units = (1 + (long)below(999)) * scale[below(4)] + (long)below(1000);
			printf("%s,%s,%s,,,%ld%s,%s,%s,%s,,%s,%s,", id, donor, date, units, cents[below(7)],
				currencies[below(7)], status, avail, money_types[below(8)], channel);
			snprintf(package[di], sizeof(package[di]), "%s", id);
		}
		/* source: blank now and then (a finding of qm check) */
		if (below(50) != 0)
			printf("https://example.org/bench/%s/%ld", donor, i % 997);
		switch (below(8)) {
		case 0: printf(",\"generated, not a fact\"\n"); break;
		case 1: printf(",bench row\n"); break;
		default: printf(",\n"); break;
		}
	}
	if (fflush(stdout) != 0 || ferror(stdout)) {
		perror("gen_pledges: stdout");
		return 74;
	}
	return 0;
}
