/*
 * tls_check.c - the certificate and key that qm serve was given, checked
 * before the server starts: each must be PEM that OpenSSL's libcrypto reads,
 * and the key must be the certificate's. libmicrohttpd (through GnuTLS)
 * would otherwise refuse them only as "cannot listen", which says nothing
 * about which file is wrong.
 */
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <string.h>

#include "server.h"

/* The library's reason for the last failure, or what to say without one. */
static const char *crypto_reason(void)
{
	const char *why = ERR_reason_error_string(ERR_peek_last_error());
	ERR_clear_error();
	return why ? why : "no PEM block found";
}

/* Never ask for a pass phrase: an encrypted key is refused. */
static int no_pass_phrase(char *buf, int size, int rwflag, void *u)
{
	(void)buf, (void)size, (void)rwflag, (void)u;
	return -1;
}

int server_tls_check(const char *cert_pem, const char *cert_path, const char *key_pem,
	const char *key_path, struct qm_error *err)
{
	int rc = QM_OK;
	X509 *cert = NULL;
	EVP_PKEY *key = NULL;
	BIO *bio = BIO_new_mem_buf(cert_pem, (int)strlen(cert_pem));
	if (bio)
		cert = PEM_read_bio_X509(bio, NULL, no_pass_phrase, NULL);
	BIO_free(bio);
	if (!cert) {
		rc = qm_error_set(err, QM_EDATA, "%s: not a PEM certificate (%s)", cert_path,
			crypto_reason());
		goto out;
	}
	bio = BIO_new_mem_buf(key_pem, (int)strlen(key_pem));
	if (bio)
		key = PEM_read_bio_PrivateKey(bio, NULL, no_pass_phrase, NULL);
	BIO_free(bio);
	if (!key) {
		rc = qm_error_set(err, QM_EDATA,
			"%s: not an unencrypted PEM private key (%s)", key_path, crypto_reason());
		goto out;
	}
	if (X509_check_private_key(cert, key) != 1) {
		ERR_clear_error();
		rc = qm_error_set(err, QM_EDATA, "%s: not the private key of the certificate in %s",
			key_path, cert_path);
	}
out:
	EVP_PKEY_free(key);
	X509_free(cert);
	return rc;
}
