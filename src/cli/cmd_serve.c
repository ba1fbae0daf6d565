/* cmd_serve.c - fairshare serve [--listen ADDRESS:PORT] [--threads N] [--timeout S]. */
#include "cli.h"

#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "http/http.h"

static void ready(const char *url, void *ud)
{
	(void)ud;
	printf("fairshare is serving %s (API under %sapi/v1); stop with Ctrl-C or SIGTERM\n", url, url);
	fflush(stdout);
}

int cmd_serve(struct cli *c, int argc, char **argv)
{
	struct fs_http_opts o = {.db_path = c->db, .key_path = c->key, .listen = "127.0.0.1:8080", .ready = ready,
				 .web_dir = FS_WEB_DIR};
	for (int i = 1; i < argc; i++) {
		if (cli_is_help(argv[i])) {
			fputs("usage: fairshare serve [--listen ADDRESS:PORT] [--threads N] [--timeout S] [--web DIR]\n\n"
			      "Serves the HTTP JSON API under /api/v1 (default 127.0.0.1:8080). Log in with\n"
			      "POST /api/v1/login, or send 'Authorization: Bearer TOKEN' (fairshare user token).\n"
			      "--timeout S: a connection idle for S seconds (default 30) is closed; a request's\n"
			      "head must arrive within S/3 seconds and the whole request within 4*S (408).\n"
			      "Stops cleanly on SIGTERM or Ctrl-C: requests in flight finish first.\n", stdout);
			return EX_OK;
		}
		if (!strcmp(argv[i], "--listen") && i + 1 < argc)
			o.listen = argv[++i];
		else if (!strcmp(argv[i], "--web") && i + 1 < argc)
			o.web_dir = argv[++i];
		else if (!strcmp(argv[i], "--threads") && i + 1 < argc) {
			int64_t n;
			if (cli_parse_id(argv[++i], &n) || n > 64)
				return cli_usage("--threads takes 1 to 64");
			o.threads = (unsigned)n;
		} else if (!strcmp(argv[i], "--timeout") && i + 1 < argc) {
			int64_t n;
			if (cli_parse_id(argv[++i], &n) || n > 300)
				return cli_usage("--timeout takes 1 to 300 (seconds)");
			o.timeout_s = (unsigned)n;
		} else
			return cli_usage("serve: unexpected argument '%s'", argv[i]);
	}
	int rc;
	if (cli_unlock(c, &rc)) /* before the threads open the database: asked once */
		return rc;
	struct fs_error err = {0};
	int r = fs_http_serve(&o, &err);
	return r ? cli_fail(&err, r) : EX_OK;
}
