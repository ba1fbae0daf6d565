/* ops.h - what a deployed server needs beside the API: HTTPS (tls.c), the client's
 * address behind a trusted proxy (proxy.c), /health, /ready and /metrics
 * (health.c, metrics.c), and SIGHUP reloads. server.c calls these hooks. */
#ifndef FS_HTTP_OPS_H
#define FS_HTTP_OPS_H

#include <microhttpd.h>
#include <stddef.h>

struct fs_http_opts;
struct fs_error;
struct fs_ctx;

/* ---- tls.c ---- */
/* Loads (or, on SIGHUP, reloads) the certificate chain and private key (PEM).
 * A pair that does not load or does not match is refused with a message naming
 * the file; on reload the old pair then stays in use. */
int fs_tls_load(const char *cert_path, const char *key_path, struct fs_error *err);
int fs_tls_on(void);
void fs_tls_done(void); /* after the daemon stopped: frees every pair loaded */
/* GnuTLS priorities: TLS 1.3 and 1.2 only, AEAD ciphers, forward secrecy. */
extern const char fs_tls_priorities[];
/* MHD's certificate callback (serves the pair loaded last). */
void *fs_tls_cert_callback(void);

/* ---- proxy.c ---- */
/* The one trusted reverse proxy's IPv4 address (NULL: none); the text must
 * live until the next call (fs_ops_start and fs_ops_stop set it). */
void fs_proxy_trust(const char *addr);
/* The client's IPv4 address as text: the peer, or the last X-Forwarded-For hop
 * when the peer is the trusted proxy. 0, or -1 when unknown. */
int fs_client_addr(struct MHD_Connection *c, char *out, size_t n);
/* Whether the request came over HTTPS: our TLS, or the trusted proxy's
 * X-Forwarded-Proto: https. Cookies get Secure and responses HSTS then. */
int fs_request_https(struct MHD_Connection *c);
/* Set-Cookie (with Secure over HTTPS) and Strict-Transport-Security. */
void fs_https_headers(struct MHD_Connection *c, struct MHD_Response *r, const char *cookie);

/* ---- metrics.c ---- */
#define FS_ROUTE_LABEL 64
/* The route of a URL without ids or names: /api/v1/orgs/:org/people/:id. */
void fs_metrics_route(const char *url, char *label, size_t n);
void fs_metrics_observe(const char *label, unsigned status, double seconds);
/* Prometheus text of every metric (NULL when out of memory); ctx may be NULL. */
char *fs_metrics_text(const struct fs_http_opts *o, struct fs_ctx *ctx, size_t *len);
void fs_metrics_connections(int delta);

/* ---- health.c ---- */
enum fs_ops_path { FS_OPS_NONE, FS_OPS_HEALTH, FS_OPS_READY, FS_OPS_METRICS };
enum fs_ops_path fs_ops_path(const char *url);
enum MHD_Result fs_ops_handle(const struct fs_http_opts *o, struct MHD_Connection *c, enum fs_ops_path p,
			      const char *method, struct fs_ctx *ctx);
/* Called before the daemon starts: loads TLS, the metrics token, opens the log.
 * Then: the MHD flags and option array to add, the SIGHUP reload, the end. */
int fs_ops_start(const struct fs_http_opts *o, struct fs_error *err);
unsigned fs_ops_flags(void);
struct MHD_OptionItem *fs_ops_options(void);
void fs_ops_reload(void);
void fs_ops_stop(void);

#endif
