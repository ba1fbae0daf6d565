/* http.h - fairshare serve: the HTTP JSON API over the core library
 * (libmicrohttpd, thread pool with epoll; Jansson for JSON). */
#ifndef FS_HTTP_H
#define FS_HTTP_H

#include <stddef.h>

struct fs_http_opts {
	const char *db_path;
	const char *key_path;
	const char *listen;    /* "127.0.0.1:8080" */
	const char *web_dir;   /* static files of the web interface (NULL: none) */
	unsigned threads;      /* worker threads (default 4) */
	size_t max_body;       /* JSON bodies (default 1 MiB) */
	size_t max_upload;     /* CSV uploads (default 64 MiB) */
	unsigned max_connections;
	unsigned timeout_s;
	const char *tls_cert, *tls_key; /* HTTPS (PEM files) when both are set; reloaded on SIGHUP */
	const char *trusted_proxy;      /* the IPv4 address whose X-Forwarded-For/-Proto count */
	const char *metrics_allow;      /* who may read /metrics: "A.B.C.D[/N],..." */
	const char *metrics_token_file; /* or who sends 'Authorization: Bearer' this file's token */
	const char *backup_dir;         /* where backups go (for their age in /metrics) */
	const char *log_path;           /* the request log (else stderr); reopened on SIGHUP */
	unsigned checkpoint_every_s;    /* a checkpoint of each log that grew, this often (0: none) */
	const char *signing_key;        /* the checkpoints' signing key (NULL: the default path) */
	void (*ready)(const char *url, void *ud); /* called once listening */
	void *ready_ud;
};

/* Runs until SIGTERM or SIGINT; in-flight requests finish first. SIGHUP reopens
 * the log and reloads the TLS files. Returns 0, or
 * a negative FS_E* code with a message in err (struct fs_error *). */
struct fs_error;
int fs_http_serve(const struct fs_http_opts *o, struct fs_error *err);

#endif
