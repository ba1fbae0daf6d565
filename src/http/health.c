/* health.c - /health (the process answers), /ready (the database answers with
 * its migrations done) and /metrics (only for --metrics-allow addresses or the
 * metrics token); starting, reloading on SIGHUP and stopping what ops.h lists. */
#include "ops.h"
#include "respond.h"
#include "http.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/fairshare.h"
#include "util/buf.h"

static const struct fs_http_opts *fs_ops_opts;

#define MAX_ALLOW 16
static struct {
	uint32_t net, mask; /* host order */
} allow[MAX_ALLOW];
static size_t nallow;
static unsigned char token_hash[crypto_generichash_BYTES];
static int have_token;

/* "A.B.C.D" or "A.B.C.D/N", comma-separated. */
static int parse_allow(const char *list, struct fs_error *err)
{
	nallow = 0;
	for (const char *p = list; p && *p;) {
		size_t len = strcspn(p, ",");
		char item[32], *slash;
		long bits = 32;
		struct in_addr a;
		if (len == 0 || len >= sizeof(item) || nallow == MAX_ALLOW)
			return fs_fail(err, FS_EINVAL, "metrics-allow", "write up to %d IPv4 addresses or networks, comma-separated "
				       "(e.g. 127.0.0.1,10.0.0.0/24)", MAX_ALLOW);
		memcpy(item, p, len);
		item[len] = '\0';
		if ((slash = strchr(item, '/'))) {
			char *end;
			*slash = '\0';
			bits = strtol(slash + 1, &end, 10);
			if (*end || end == slash + 1 || bits < 0 || bits > 32)
				bits = -1;
		}
		if (bits < 0 || inet_pton(AF_INET, item, &a) != 1)
			return fs_fail(err, FS_EINVAL, "metrics-allow", "'%.*s' is not an IPv4 address or network (A.B.C.D/N)", (int)len, p);
		allow[nallow].mask = bits ? ~0u << (32 - bits) : 0;
		allow[nallow].net = ntohl(a.s_addr) & allow[nallow].mask;
		nallow++;
		p += len;
		if (*p == ',')
			p++;
	}
	return 0;
}

static int load_token(const char *path, struct fs_error *err)
{
	struct fs_buf b;
	fs_buf_init(&b, 4096);
	int rc = fs_buf_load(&b, path);
	if (rc) {
		fs_buf_done(&b);
		return fs_fail(err, FS_EIO, "metrics-token-file", "cannot read %s", path);
	}
	size_t n = b.len;
	while (n && (b.data[n - 1] == '\n' || b.data[n - 1] == '\r' || b.data[n - 1] == ' '))
		n--;
	if (n < 16) {
		sodium_memzero(b.data, b.len);
		fs_buf_done(&b);
		return fs_fail(err, FS_EINVAL, "metrics-token-file", "the token in %s is shorter than 16 characters", path);
	}
	crypto_generichash(token_hash, sizeof(token_hash), (const unsigned char *)b.data, n, NULL, 0);
	have_token = 1;
	sodium_memzero(b.data, b.len);
	fs_buf_done(&b);
	return 0;
}

static int log_fd = -1;

static int open_log(const char *path, struct fs_error *err)
{
	int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
	if (fd < 0)
		return fs_fail(err, FS_EIO, "log", "cannot open the log %s: %s", path, strerror(errno));
	dup2(fd, STDERR_FILENO);
	close(fd);
	log_fd = STDERR_FILENO;
	return 0;
}

int fs_ops_start(const struct fs_http_opts *o, struct fs_error *err)
{
	fs_ops_opts = o;
	fs_proxy_trust(o->trusted_proxy);
	int rc = 0;
	struct in_addr a;
	if (o->trusted_proxy && inet_pton(AF_INET, o->trusted_proxy, &a) != 1)
		return fs_fail(err, FS_EINVAL, "trusted-proxy", "'%s' is not an IPv4 address", o->trusted_proxy);
	if ((rc = parse_allow(o->metrics_allow, err)))
		return rc;
	have_token = 0;
	if (o->metrics_token_file && (rc = load_token(o->metrics_token_file, err)))
		return rc;
	if (!o->tls_cert != !o->tls_key)
		return fs_fail(err, FS_EINVAL, o->tls_cert ? "tls-key" : "tls-cert", "HTTPS needs both --tls-cert and --tls-key");
	if (o->tls_cert && (rc = fs_tls_load(o->tls_cert, o->tls_key, err)))
		return rc;
	if (o->log_path && (rc = open_log(o->log_path, err))) {
		fs_tls_done();
		return rc;
	}
	return 0;
}

unsigned fs_ops_flags(void)
{
	return fs_tls_on() ? MHD_USE_TLS : 0;
}

struct MHD_OptionItem *fs_ops_options(void)
{
	static struct MHD_OptionItem items[4];
	size_t n = 0;
	/* open connections are counted by the server's one connection callback (server.c) */
	if (fs_tls_on()) {
		items[n++] = (struct MHD_OptionItem){MHD_OPTION_HTTPS_CERT_CALLBACK, 0, fs_tls_cert_callback()};
		items[n++] = (struct MHD_OptionItem){MHD_OPTION_HTTPS_PRIORITIES, 0, (void *)fs_tls_priorities};
	}
	items[n] = (struct MHD_OptionItem){MHD_OPTION_END, 0, NULL};
	return items;
}

void fs_ops_reload(void)
{
	const struct fs_http_opts *o = fs_ops_opts;
	struct fs_error err = {0};
	if (o && o->log_path && open_log(o->log_path, &err))
		fprintf(stderr, "http: SIGHUP: %s (logging goes on to the old file)\n", err.message);
	if (o && o->tls_cert && fs_tls_load(o->tls_cert, o->tls_key, &err))
		fprintf(stderr, "http: SIGHUP: %s; the old certificate stays in use\n", err.message);
	else
		fprintf(stderr, "http: SIGHUP: log reopened%s\n", o && o->tls_cert ? ", certificate and key reloaded" : "");
}

void fs_ops_stop(void)
{
	fs_tls_done();
	fs_ops_opts = NULL;
	fs_proxy_trust(NULL);
}

enum fs_ops_path fs_ops_path(const char *url)
{
	return !strcmp(url, "/health") ? FS_OPS_HEALTH : !strcmp(url, "/ready") ? FS_OPS_READY
	     : !strcmp(url, "/metrics") ? FS_OPS_METRICS : FS_OPS_NONE;
}

static enum MHD_Result answer(struct MHD_Connection *c, unsigned status, const char *type, char *body, size_t len)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
	if (!r) {
		free(body);
		return MHD_NO;
	}
	MHD_add_response_header(r, "Content-Type", type);
	fs_https_headers(c, r, NULL);
	return fs_http_queue(c, status, r); /* the usual headers; counted as this request's one response */
}

static enum MHD_Result send_json(struct MHD_Connection *c, unsigned status, json_t *j)
{
	char *text = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	return text ? answer(c, status, "application/json; charset=utf-8", text, strlen(text)) : MHD_NO;
}

static enum MHD_Result refuse(struct MHD_Connection *c, unsigned status, const char *code, const char *message)
{
	return send_json(c, status, json_pack("{s:{s:s,s:s}}", "error", "code", code, "message", message));
}

static int metrics_allowed(struct MHD_Connection *c)
{
	char addr[INET_ADDRSTRLEN];
	struct in_addr a;
	if (!fs_client_addr(c, addr, sizeof(addr)) && inet_pton(AF_INET, addr, &a) == 1) {
		uint32_t h = ntohl(a.s_addr);
		for (size_t i = 0; i < nallow; i++)
			if ((h & allow[i].mask) == allow[i].net)
				return 1;
	}
	const char *auth = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Authorization");
	if (!have_token || !auth || strncmp(auth, "Bearer ", 7))
		return 0;
	unsigned char h[crypto_generichash_BYTES];
	crypto_generichash(h, sizeof(h), (const unsigned char *)auth + 7, strlen(auth + 7), NULL, 0);
	return sodium_memcmp(h, token_hash, sizeof(h)) == 0;
}

enum MHD_Result fs_ops_handle(const struct fs_http_opts *o, struct MHD_Connection *c, enum fs_ops_path p,
			      const char *method, struct fs_ctx *ctx)
{
	if (strcmp(method, "GET") && strcmp(method, "HEAD"))
		return refuse(c, 405, "method_not_allowed", "use GET");
	if (p == FS_OPS_HEALTH)
		return send_json(c, 200, json_pack("{s:b}", "ok", 1));
	if (p == FS_OPS_READY) {
		/* the context opened (so migrations are done) and the database answers now */
		if (!ctx || fs_data_version(ctx) < 0)
			return refuse(c, 503, "not_ready", "the database does not answer (see the server's log)");
		return send_json(c, 200, json_pack("{s:b}", "ready", 1));
	}
	if (!metrics_allowed(c))
		return refuse(c, 403, "forbidden", "metrics are readable only from the --metrics-allow addresses or with the metrics token");
	size_t len = 0;
	char *text = fs_metrics_text(o, ctx, &len);
	return text ? answer(c, 200, "text/plain; version=0.0.4; charset=utf-8", text, len) : MHD_NO;
}
