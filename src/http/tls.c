/* tls.c - HTTPS through libmicrohttpd's own TLS (GnuTLS): the certificate and key
 * served by MHD's certificate callback, so that SIGHUP can swap in renewed files
 * without dropping the listening socket; modern protocols only. */
#include "ops.h"

#include <gnutls/abstract.h>
#include <gnutls/gnutls.h>
#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "core/fairshare.h"
#include "util/buf.h"

/* TLS 1.3 and 1.2 only (1.0, 1.1, SSL 3 refused), AEAD ciphers only, ECDHE or
 * TLS 1.3's own key exchange (forward secrecy), the server's order. */
const char fs_tls_priorities[] = "SECURE:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2:-CIPHER-ALL:+CHACHA20-POLY1305:"
				 "+AES-256-GCM:+AES-128-GCM:-MAC-ALL:+AEAD:-KX-ALL:+ECDHE-ECDSA:+ECDHE-RSA:"
				 "%SERVER_PRECEDENCE";

#define MAX_CHAIN 8
#define MAX_PEM (256u * 1024)

struct pair {
	gnutls_pcert_st certs[MAX_CHAIN];
	unsigned ncerts;
	gnutls_privkey_t key;
	struct pair *older; /* kept until the end: handshakes may still use it */
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct pair *current;

static void pair_free(struct pair *p)
{
	for (unsigned i = 0; i < p->ncerts; i++)
		gnutls_pcert_deinit(&p->certs[i]);
	if (p->key)
		gnutls_privkey_deinit(p->key);
	free(p);
}

static int load_file(struct fs_buf *b, const char *path, const char *what, struct fs_error *err)
{
	fs_buf_init(b, MAX_PEM);
	int rc = fs_buf_load(b, path);
	if (rc == FS_ELIMIT)
		return fs_fail(err, FS_EINVAL, what, "%s is larger than %u KiB: not a PEM file", path, MAX_PEM / 1024);
	if (rc)
		return fs_fail(err, FS_EIO, what, "cannot read %s", path);
	return 0;
}

int fs_tls_load(const char *cert_path, const char *key_path, struct fs_error *err)
{
	struct fs_buf cb, kb;
	int rc = load_file(&cb, cert_path, "tls-cert", err);
	if (rc) {
		fs_buf_done(&cb);
		return rc;
	}
	if ((rc = load_file(&kb, key_path, "tls-key", err))) {
		fs_buf_done(&cb);
		fs_buf_done(&kb);
		return rc;
	}
	gnutls_datum_t cd = {(unsigned char *)cb.data, (unsigned)cb.len};
	gnutls_datum_t kd = {(unsigned char *)kb.data, (unsigned)kb.len};
	struct pair *p = calloc(1, sizeof(*p));
	gnutls_certificate_credentials_t check = NULL;
	int g = 0;
	if (!p) {
		rc = FS_ENOMEM;
		goto out;
	}
	/* GnuTLS's own check that the key belongs to the first certificate */
	if ((g = gnutls_certificate_allocate_credentials(&check)) == 0)
		g = gnutls_certificate_set_x509_key_mem2(check, &cd, &kd, GNUTLS_X509_FMT_PEM, NULL, 0);
	if (g < 0) {
		rc = fs_fail(err, FS_EINVAL, "tls-key", "%s and %s are not a certificate (PEM) and its private key: %s",
			     cert_path, key_path, gnutls_strerror(g));
		goto out;
	}
	p->ncerts = MAX_CHAIN;
	if ((g = gnutls_pcert_list_import_x509_raw(p->certs, &p->ncerts, &cd, GNUTLS_X509_FMT_PEM, 0)) < 0) {
		p->ncerts = 0;
		rc = fs_fail(err, FS_EINVAL, "tls-cert", "%s: %s (at most %d certificates)", cert_path, gnutls_strerror(g), MAX_CHAIN);
		goto out;
	}
	if ((g = gnutls_privkey_init(&p->key)) == 0)
		g = gnutls_privkey_import_x509_raw(p->key, &kd, GNUTLS_X509_FMT_PEM, NULL, 0);
	if (g < 0) {
		rc = fs_fail(err, FS_EINVAL, "tls-key", "%s: %s", key_path, gnutls_strerror(g));
		goto out;
	}
	pthread_mutex_lock(&lock);
	p->older = current;
	current = p;
	pthread_mutex_unlock(&lock);
	p = NULL;
out:
	if (check)
		gnutls_certificate_free_credentials(check);
	if (p)
		pair_free(p);
	sodium_memzero(kb.data, kb.len);
	fs_buf_done(&kb);
	fs_buf_done(&cb);
	return rc;
}

int fs_tls_on(void)
{
	pthread_mutex_lock(&lock);
	int on = current != NULL;
	pthread_mutex_unlock(&lock);
	return on;
}

void fs_tls_done(void)
{
	pthread_mutex_lock(&lock);
	while (current) {
		struct pair *p = current;
		current = p->older;
		pair_free(p);
	}
	pthread_mutex_unlock(&lock);
}

static int retrieve(gnutls_session_t session, const gnutls_datum_t *req_ca_dn, int nreqs,
		    const gnutls_pk_algorithm_t *pk_algos, int pk_algos_length, gnutls_pcert_st **pcert,
		    unsigned int *pcert_length, gnutls_privkey_t *pkey)
{
	(void)session, (void)req_ca_dn, (void)nreqs, (void)pk_algos, (void)pk_algos_length;
	pthread_mutex_lock(&lock);
	struct pair *p = current;
	pthread_mutex_unlock(&lock);
	if (!p)
		return -1;
	*pcert = p->certs;
	*pcert_length = p->ncerts;
	*pkey = p->key;
	return 0;
}

void *fs_tls_cert_callback(void)
{
	return (void *)retrieve;
}
