/*
 * codes.h - the ISO code lists the ledger checks against: ISO 3166-1
 * alpha-3 country codes and ISO 4217 currency codes (current ones, plus the
 * legacy codes that appear in the ECB's historical file).
 */
#ifndef QM_CODES_H
#define QM_CODES_H

/* 1 when code is an assigned ISO 3166-1 alpha-3 code, else 0. */
int qm_is_country_code(const char *code);

/* 1 when code is an ISO 4217 currency code (current or in the ECB history). */
int qm_is_currency_code(const char *code);

#endif
