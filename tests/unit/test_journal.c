/*
 * test_journal.c - unit tests of the journal's entry hash (qm_journal_hash,
 * ledger_int.h): SHA-256 in lower-case hex, the same for the same entry,
 * different when any part of the entry changes (including the previous
 * entry's hash, which is what chains the entries), when text moves from one
 * part to the next, and when an empty part becomes absent. It is also
 * pinned to its definition, checked with a second SHA-256 written here
 * (independent of the library the core uses), since a change of the hash
 * would make every existing journal fail `qm audit verify`.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "ledger_int.h"

#define ZERO "0000000000000000000000000000000000000000000000000000000000000000"

struct entry {
	const char *prev;
	int64_t seq;
	const char *at, *actor, *action, *kind, *key, *before, *after;
};

static const struct entry base = {ZERO, 1, "2026-01-01T00:00:00Z", "test", "create", "pledges",
	"p-1", NULL, "{\"id\":\"p-1\",\"donor\":\"DEU\"}"};

static struct qm_hasher hasher;

static int setup(void **state)
{
	(void)state;
	struct qm_error err;
	return qm_hasher_init(&hasher, &err) == QM_OK ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	qm_hasher_release(&hasher);
	return 0;
}

static void hash_of(const struct entry *e, char out[65])
{
	memset(out, 'x', 65);
	qm_journal_hash(&hasher, e->prev, e->seq, e->at, e->actor, e->action, e->kind, e->key, e->before,
		e->after, out);
}

static void test_shape_and_determinism(void **state)
{
	(void)state;
	char a[65], b[65];
	hash_of(&base, a);
	hash_of(&base, b);
	assert_int_equal(strlen(a), 64);
	for (int i = 0; i < 64; i++)
		assert_true((a[i] >= '0' && a[i] <= '9') || (a[i] >= 'a' && a[i] <= 'f'));
	assert_string_equal(a, b);
	assert_string_not_equal(a, ZERO);
}

/* Changing any one part changes the hash. */
static void test_every_part_counts(void **state)
{
	(void)state;
	char h0[65], h[65];
	hash_of(&base, h0);
	struct entry e;
#define CHANGED(field, value)                   \
	do {                                    \
		e = base;                       \
		e.field = value;                \
		hash_of(&e, h);                 \
		if (strcmp(h, h0) == 0)         \
			fail_msg("changing " #field " left the hash unchanged"); \
	} while (0)
	CHANGED(prev, "1000000000000000000000000000000000000000000000000000000000000000");
	CHANGED(seq, 2);
	CHANGED(seq, -1);
	CHANGED(at, "2026-01-01T00:00:01Z");
	CHANGED(actor, "mallory");
	CHANGED(action, "revise");
	CHANGED(kind, "deliveries");
	CHANGED(key, "p-2");
	CHANGED(before, "{\"id\":\"p-1\",\"donor\":\"DEU\"}");
	CHANGED(before, "");
	CHANGED(after, "{\"id\":\"p-1\",\"donor\":\"DEV\"}");
	CHANGED(after, "{\"id\":\"p-1\",\"donor\":\"DEU\"} ");
	CHANGED(after, NULL);
	CHANGED(after, "");
#undef CHANGED
}

/* Moving text from one part to the next, or swapping parts, is noticed. */
static void test_parts_are_delimited(void **state)
{
	(void)state;
	char h1[65], h2[65];
	struct entry a = base, b = base;
	a.actor = "ab";
	a.action = "c";
	b.actor = "a";
	b.action = "bc";
	hash_of(&a, h1);
	hash_of(&b, h2);
	assert_string_not_equal(h1, h2);
	a = base;
	b = base;
	a.kind = "pledges";
	a.key = "p-1";
	b.kind = "p-1";
	b.key = "pledges";
	hash_of(&a, h1);
	hash_of(&b, h2);
	assert_string_not_equal(h1, h2);
	/* a NULL before differs from a NULL after */
	a = base;
	b = base;
	a.before = "{}";
	a.after = NULL;
	b.before = NULL;
	b.after = "{}";
	hash_of(&a, h1);
	hash_of(&b, h2);
	assert_string_not_equal(h1, h2);
	/* the sequence number is not text that can be moved into the time */
	a = base;
	b = base;
	a.seq = 12;
	a.at = "3";
	b.seq = 1;
	b.at = "23";
	hash_of(&a, h1);
	hash_of(&b, h2);
	assert_string_not_equal(h1, h2);
}

/* Each entry hashes its predecessor's hash: changing entry 1 changes the
 * hash every later entry must carry. */
static void test_chain(void **state)
{
	(void)state;
	char h[5][65], g[5][65];
	struct entry e = base;
	const char *prev = ZERO;
	for (int i = 0; i < 5; i++) {
		e.prev = prev;
		e.seq = i + 1;
		hash_of(&e, h[i]);
		prev = h[i];
	}
	e = base;
	e.after = "{\"id\":\"p-1\",\"donor\":\"GBR\"}"; /* entry 1 edited */
	prev = ZERO;
	for (int i = 0; i < 5; i++) {
		e.prev = prev;
		e.seq = i + 1;
		if (i > 0)
			e.after = base.after;
		hash_of(&e, g[i]);
		prev = g[i];
	}
	for (int i = 0; i < 5; i++)
		assert_string_not_equal(h[i], g[i]);
	/* removing an entry: 3 chained directly to 1 is not the stored entry 3 */
	e = base;
	e.prev = h[0];
	e.seq = 3;
	char skip[65];
	hash_of(&e, skip);
	assert_string_not_equal(skip, h[2]);
}

/* ---- a second SHA-256 (FIPS 180-4), small and slow, for checking ---- */

static const uint32_t K[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
	0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
	0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
	0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
	0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
	0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

#define ROR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

static void block(uint32_t h[8], const unsigned char *p)
{
	uint32_t w[64], a, b, c, d, e, f, g, k;
	for (int i = 0; i < 16; i++)
		w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16
			| (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
	for (int i = 16; i < 64; i++) {
		uint32_t s0 = ROR(w[i - 15], 7) ^ ROR(w[i - 15], 18) ^ (w[i - 15] >> 3);
		uint32_t s1 = ROR(w[i - 2], 17) ^ ROR(w[i - 2], 19) ^ (w[i - 2] >> 10);
		w[i] = w[i - 16] + s0 + w[i - 7] + s1;
	}
	a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], k = h[7];
	for (int i = 0; i < 64; i++) {
		uint32_t t1 = k + (ROR(e, 6) ^ ROR(e, 11) ^ ROR(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i];
		uint32_t t2 = (ROR(a, 2) ^ ROR(a, 13) ^ ROR(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
		k = g, g = f, f = e, e = d + t1, d = c, c = b, b = a, a = t1 + t2;
	}
	h[0] += a, h[1] += b, h[2] += c, h[3] += d, h[4] += e, h[5] += f, h[6] += g, h[7] += k;
}

static void sha256_hex(const void *data, size_t len, char out[65])
{
	uint32_t h[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c,
		0x1f83d9ab, 0x5be0cd19};
	const unsigned char *p = data;
	unsigned char tail[128] = {0};
	size_t full = len / 64 * 64, rest = len - full;
	for (size_t i = 0; i < full; i += 64)
		block(h, p + i);
	memcpy(tail, p + full, rest);
	tail[rest] = 0x80;
	size_t tlen = rest + 9 <= 64 ? 64 : 128;
	uint64_t bits = (uint64_t)len * 8;
	for (int i = 0; i < 8; i++)
		tail[tlen - 1 - i] = (unsigned char)(bits >> (8 * i));
	for (size_t i = 0; i < tlen; i += 64)
		block(h, tail + i);
	for (int i = 0; i < 8; i++)
		snprintf(out + 8 * i, 9, "%08x", h[i]);
}

static void test_second_sha256(void **state)
{
	(void)state;
	char out[65];
	sha256_hex("", 0, out);
	assert_string_equal(out, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	sha256_hex("abc", 3, out);
	assert_string_equal(out, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	static const char two[] = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	sha256_hex(two, sizeof(two) - 1, out);
	assert_string_equal(out, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

/* The definition: SHA-256 over each part as "LENGTH\nTEXT", or "-\n" for
 * an absent part, in the order prev, seq, at, actor, action, kind, key,
 * before, after. */
static void feed(char *buf, size_t *len, const char *s)
{
	if (!s)
		*len += (size_t)sprintf(buf + *len, "-\n");
	else
		*len += (size_t)sprintf(buf + *len, "%zu\n%s", strlen(s), s);
}

static void pinned(const struct entry *e)
{
	char buf[4096], seq[24], want[65], got[65];
	size_t len = 0;
	snprintf(seq, sizeof(seq), "%lld", (long long)e->seq);
	feed(buf, &len, e->prev);
	feed(buf, &len, seq);
	feed(buf, &len, e->at);
	feed(buf, &len, e->actor);
	feed(buf, &len, e->action);
	feed(buf, &len, e->kind);
	feed(buf, &len, e->key);
	feed(buf, &len, e->before);
	feed(buf, &len, e->after);
	sha256_hex(buf, len, want);
	hash_of(e, got);
	assert_string_equal(got, want);
}

static void test_pinned_definition(void **state)
{
	(void)state;
	pinned(&base);
	struct entry e = base;
	e.seq = 1234567890123LL;
	e.action = "revise";
	e.before = "{\"id\":\"p-1\",\"note\":\"Rzesz\xC3\xB3w\"}";
	e.actor = "";
	pinned(&e);
	/* more than one block of input */
	char big[1500];
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	e.after = big;
	pinned(&e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shape_and_determinism),
		cmocka_unit_test(test_every_part_counts),
		cmocka_unit_test(test_parts_are_delimited),
		cmocka_unit_test(test_chain),
		cmocka_unit_test(test_second_sha256),
		cmocka_unit_test(test_pinned_definition),
	};
	return cmocka_run_group_tests_name("journal", tests, setup, teardown);
}
