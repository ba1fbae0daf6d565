/* cmd_serve.c - fairshare serve [--listen ADDRESS:PORT] [--threads N] [--timeout S] [HTTPS, proxy, metrics options]. */
#include "cli.h"

#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "http/http.h"

static void ready(const char *url, void *ud)
{
	(void)ud;
	printf("fairshare is serving %s (API under %sapi/v1); stop with Ctrl-C or SIGTERM\n", url, url);
	fflush(stdout);
}

/* The web files: the source tree's for a binary in a build folder (make run,
 * the tests), else the installed ones under $(datadir)/fairshare/web. */
static const char *web_dir(void)
{
	return cli_in_build_tree() ? FS_SOURCE_WEB_DIR : FS_WEB_DIR;
}

/* A file systemd's LoadCredential= handed over ($CREDENTIALS_DIRECTORY/NAME), if any. */
static const char *credential(const char *name, char *buf, size_t n)
{
	const char *dir = getenv("CREDENTIALS_DIRECTORY");
	if (!dir || !*dir || (size_t)snprintf(buf, n, "%s/%s", dir, name) >= n || access(buf, R_OK))
		return NULL;
	return buf;
}

static const char usage_text[] =
	"usage: fairshare serve [--listen ADDRESS:PORT] [--threads N] [--timeout S] [--web DIR]\n"
	"                       [--tls-cert FILE --tls-key FILE] [--trusted-proxy ADDRESS]\n"
	"                       [--metrics-allow A.B.C.D[/N],...] [--metrics-token-file FILE]\n"
	"                       [--backup-dir DIR] [--log FILE]\n"
	"                       [--checkpoint-every DURATION] [--signing-key PATH]\n\n"
	"Serves the HTTP JSON API under /api/v1 (default 127.0.0.1:8080) and the web\n"
	"interface. Log in with POST /api/v1/login, or send 'Authorization: Bearer TOKEN'.\n"
	"--timeout S: a connection idle for S seconds (default 30) is closed; a request's\n"
	"head must arrive within S/3 seconds and the whole request within 4*S (408).\n"
	"With --tls-cert and --tls-key (PEM) it serves HTTPS only (TLS 1.2 and 1.3);\n"
	"cookies are then Secure and HSTS is sent. Behind a reverse proxy, --trusted-proxy\n"
	"names the proxy's address: only its X-Forwarded-For and X-Forwarded-Proto count.\n"
	"/health and /ready answer anyone; /metrics (Prometheus) only the --metrics-allow\n"
	"addresses or 'Authorization: Bearer' with the token in --metrics-token-file.\n"
	"Under systemd, the credentials (LoadCredential=) fairshare.key, tls.crt, tls.key\n"
	"and metrics-token are used when the options do not name files.\n"
	"Every --checkpoint-every (default 1h; 30s, 15m, 1d; 0: never) it signs a checkpoint\n"
	"of each organization's log that grew since its latest one, with the signing key\n"
	"(--signing-key, $FAIRSHARE_SIGNING_KEY, or DB.signing.key), kept and served as the\n"
	"latest (GET /api/v1/orgs/ORG/checkpoint).\n"
	"SIGHUP reopens --log and reloads the TLS files; SIGTERM or Ctrl-C stops cleanly:\n"
	"requests in flight finish first.\n";

/* "90", "90s", "15m", "1h", "1d" in seconds (at most 7 days; 0: none); -1 when not a duration */
static int duration(const char *s, unsigned *out)
{
	char *end;
	long long n = strtoll(s, &end, 10);
	long long unit = !*end ? 1 : !strcmp(end, "s") ? 1 : !strcmp(end, "m") ? 60 : !strcmp(end, "h") ? 3600
		       : !strcmp(end, "d") ? 86400 : 0;
	if (end == s || n < 0 || !unit || n > 7 * 86400 / unit)
		return -1;
	*out = (unsigned)(n * unit);
	return 0;
}

int cmd_serve(struct cli *c, int argc, char **argv)
{
	struct fs_http_opts o = {.db_path = c->db, .key_path = c->key, .listen = "127.0.0.1:8080", .ready = ready,
				 .web_dir = web_dir(), .checkpoint_every_s = 3600};
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], **slot = NULL;
		if (cli_is_help(a)) {
			fputs(usage_text, stdout);
			return EX_OK;
		}
		if (!strcmp(a, "--listen"))
			slot = &o.listen;
		else if (!strcmp(a, "--web"))
			slot = &o.web_dir;
		else if (!strcmp(a, "--tls-cert"))
			slot = &o.tls_cert;
		else if (!strcmp(a, "--tls-key"))
			slot = &o.tls_key;
		else if (!strcmp(a, "--trusted-proxy"))
			slot = &o.trusted_proxy;
		else if (!strcmp(a, "--metrics-allow"))
			slot = &o.metrics_allow;
		else if (!strcmp(a, "--metrics-token-file"))
			slot = &o.metrics_token_file;
		else if (!strcmp(a, "--backup-dir"))
			slot = &o.backup_dir;
		else if (!strcmp(a, "--log"))
			slot = &o.log_path;
		else if (!strcmp(a, "--signing-key"))
			slot = &o.signing_key;
		if (slot && i + 1 < argc) {
			*slot = argv[++i];
		} else if (slot) {
			return cli_usage("serve: %s needs a value", a);
		} else if (!strcmp(a, "--threads") && i + 1 < argc) {
			int64_t n;
			if (cli_parse_id(argv[++i], &n) || n > 64)
				return cli_usage("--threads takes 1 to 64");
			o.threads = (unsigned)n;
		} else if (!strcmp(a, "--checkpoint-every") && i + 1 < argc) {
			if (duration(argv[++i], &o.checkpoint_every_s))
				return cli_usage("--checkpoint-every takes a duration: 30s, 15m, 1h, 1d (at most 7d), or 0 for none");
		} else if (!strcmp(argv[i], "--timeout") && i + 1 < argc) {
			int64_t n;
			if (cli_parse_id(argv[++i], &n) || n > 300)
				return cli_usage("--timeout takes 1 to 300 (seconds)");
			o.timeout_s = (unsigned)n;
		} else
			return cli_usage("serve: unexpected argument '%s'", a);
	}
	char kbuf[4096], cbuf[4096], tbuf[4096], mbuf[4096], bbuf[4096];
	if (!o.key_path)
		o.key_path = credential("fairshare.key", kbuf, sizeof(kbuf));
	if (!o.tls_cert && !o.tls_key && credential("tls.crt", cbuf, sizeof(cbuf)))
		o.tls_cert = cbuf, o.tls_key = credential("tls.key", tbuf, sizeof(tbuf));
	if (!o.metrics_token_file)
		o.metrics_token_file = credential("metrics-token", mbuf, sizeof(mbuf));
	if (!o.backup_dir) { /* the folder 'backups' beside the database file (a server's: beside the key file) */
		const char *beside = fs_db_is_server(c->db) && o.key_path ? o.key_path : c->db;
		const char *slash = strrchr(beside, '/');
		int n = slash ? (int)(slash - beside) : 1;
		snprintf(bbuf, sizeof(bbuf), "%.*s/backups", n, slash ? beside : ".");
		o.backup_dir = bbuf;
	}
	int rc;
	if (cli_unlock(c, &rc)) /* before the threads open the database: asked once */
		return rc;
	struct fs_error err = {0};
	int r = fs_http_serve(&o, &err);
	return r ? cli_fail(&err, r) : EX_OK;
}
